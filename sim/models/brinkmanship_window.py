"""Schelling's threat that leaves something to chance (docs/models/brinkmanship_window.md).

Game
----
Challenger picks a risk ``r ∈ [0, 1]``, the probability that Target's defiance
ends in war, or makes no threat. Target is soft with probability
``1 − π_hard`` and hard with probability ``π_hard`` (``D_B,hard < L``: the hard
type never complies). Compliance gives Challenger ``+G`` and Target ``−L``;
defiance gives ``(−D_A, −D_B,type)`` with probability ``r`` and ``(0, 0)``
otherwise; no threat gives ``(0, 0)``.

Equilibrium
-----------
Effectiveness ``r ≥ r_low = L / D_B,soft``; acceptability ``(1 − π) G − π r D_A
> 0``, i.e. ``r < r_high = (1 − π) G / (π D_A)``. Challenger threatens with
``r* = r_low`` when ``r_low ≤ 1`` and the margin is strictly positive, and
``P(war) = π r*``. At the critical prior ``π* = G / (G + r_low D_A)`` Challenger is
indifferent: the tie rule gives no threat and ``boundary`` is set.

References
----------
Schelling, T. C. (1960). *The Strategy of Conflict*, ch. 8. Harvard UP.
Dixit, A., Skeath, S., & Reiley, D. (2015). *Games of Strategy*, 4th ed.,
ch. 14. Norton.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from fractions import Fraction
from typing import Any

import numpy as np

from sim.games.extensive_form import Chance, Decision, ExtensiveFormGame, Terminal
from sim.kernels.brinkmanship import brinkmanship_window
from sim.modelkit.vocabulary import CHALLENGER_TARGET, prior
from sim.models.base import BatchOutcome, Flags, Model, ModelError, Outcome, ParamSpec

__all__ = ["BrinkmanshipWindow", "MODELS"]

_NAMES = ("G", "L", "D_A", "D_B_soft", "D_B_hard", "pi_hard")
_OUTCOMES = ("Compliance", "War", "Status quo")
_REGIMES = ("threat", "no_threat_unprofitable", "no_threat_ineffective")


def _x(v: float) -> Fraction:
    return Fraction(repr(float(v)))


class BrinkmanshipWindow(Model):
    """One-shot brinkmanship: the least effective risk, if it pays."""

    name = "brinkmanship_window"
    family = "chicken_brinkmanship"
    title = "Brinkmanship window (Schelling)"
    citation = "Schelling (1960) ch. 8; Dixit, Skeath & Reiley (2015) ch. 14"
    description = (
        "Challenger cannot credibly promise to start a war, but it can create a risk of one: "
        "a force posture in which Target's defiance leads to war with probability r. A soft "
        "Target complies once that risk outweighs the cost of giving in; a hard Target never "
        "does. The threat must be large enough to work on the soft type and small enough that "
        "the chance of war with the hard type does not eat the gain. When the window is open "
        "Challenger uses the least effective risk, and war happens only if Target turns out "
        "hard and the dice fall badly."
    )
    roles = CHALLENGER_TARGET
    outcomes = _OUTCOMES
    regimes = _REGIMES
    params = (
        ParamSpec("G", 1.0, lo=0.0, hi=5.0, step=0.05, unit="utility",
                  meaning="Challenger's gain when Target complies", symbol="G"),
        ParamSpec("L", 0.5, lo=0.0, hi=5.0, step=0.05, unit="utility",
                  meaning="Target's loss from complying", symbol="L"),
        ParamSpec("D_A", 2.0, lo=0.0, hi=10.0, step=0.1, unit="utility",
                  meaning="Challenger's cost of war", symbol="D_A"),
        ParamSpec("D_B_soft", 2.0, lo=0.01, hi=10.0, step=0.1, unit="utility",
                  meaning="a soft Target's cost of war", symbol="D_B,soft"),
        ParamSpec("D_B_hard", 0.4, lo=0.0, hi=10.0, step=0.05, unit="utility",
                  meaning="a hard Target's cost of war (below L: it never complies)",
                  symbol="D_B,hard"),
        prior("pi_hard", 0.3, "prior that Target is hard"),
    )

    def check_constraints(self, values: Mapping[str, Any]) -> None:
        if not float(values["D_B_hard"]) < float(values["L"]):
            raise ModelError(
                f"{self.name}: the hard type must never comply, so D_B_hard must be below L; "
                f"got D_B_hard={float(values['D_B_hard']):g}, L={float(values['L']):g}")

    def _solve(self, p: dict[str, Any]) -> Outcome:
        r = {k: v[()] if np.ndim(v) == 0 else v
             for k, v in brinkmanship_window(*(p[k] for k in _NAMES)).items()}
        regime = _REGIMES[int(r["regime"])]
        pi = float(p["pi_hard"])
        threat = bool(r["threat"])
        r_star = float(r["r_star"]) if threat else None
        probs = _probabilities(threat, pi, float(r["r_low"]))
        details = {
            "threat": threat,
            "r_star": r_star,
            "r_low": float(r["r_low"]),
            # Non-finite values (no upper risk bound; no critical prior) are None.
            "r_high": _finite_or_none(r["r_high"]),
            "margin": float(r["margin"]),
            "pi_hard_critical": _finite_or_none(r["pi_critical"]),
            "eu_threatener": float(r["eu_A"]),
            "eu_target": float(r["eu_B"]),
        }
        strategies: dict[str, dict[str, float]] = {
            "Challenger": {"Threaten": float(threat), "No threat": 1.0 - float(threat)},
            "Target (soft)": {"Comply": 1.0, "Defy": 0.0},
            "Target (hard)": {"Comply": 0.0, "Defy": 1.0},
        }
        return self.point_outcome(
            dict(p),
            regime=regime,
            probabilities=probs,
            p_war=float(r["p_war"]),
            payoffs={"Challenger": float(r["eu_A"]), "Target": float(r["eu_B"])},
            strategies=strategies,
            beliefs={"P(Target is hard) at the start": pi},
            flags=Flags(boundary=bool(r["boundary"])),
            explanation=_explain(p, details),
            details=details,
        )

    def _solve_batch(self, batch: dict[str, Any]) -> BatchOutcome:
        bad = ~(batch["D_B_hard"] < batch["L"])
        if bad.any():
            k = int(np.argmax(bad))
            self.check_constraints({n: batch[n][k] for n in _NAMES})
        r = brinkmanship_window(*(batch[k] for k in _NAMES))
        pi = batch["pi_hard"]
        threat = r["threat"]
        r_used = np.where(threat, r["r_low"], 0.0)
        probs = np.stack([r["p_comply"], r["p_war"],
                          np.where(threat, pi * (1.0 - r_used), 1.0)], axis=1)
        n = len(pi)
        return BatchOutcome(
            model=self.name,
            params={k: v for k, v in batch.items() if isinstance(v, np.ndarray)},
            regimes=self.regimes, regime=r["regime"].astype(np.int64), outcomes=_OUTCOMES,
            probabilities=probs, p_war=r["p_war"],
            payoffs={"Challenger": r["eu_A"], "Target": r["eu_B"]},
            boundary=r["boundary"], multiple_equilibria=np.zeros(n, dtype=bool),
            assumption_violated=np.zeros(n, dtype=bool),
            details={k: r[k] for k in ("r_low", "r_high", "r_star", "margin", "pi_critical")},
        )

    def game(self, params: Mapping[str, Any] | None = None, *,
             r: float | None = None) -> ExtensiveFormGame:
        """The threat game at a fixed risk ``r`` (default: ``r_low``, capped at 1).

        Challenger first chooses Threaten or No threat; chance then draws the
        Target's type; each type chooses Comply or Defy; defiance leads to war
        with probability ``r``. Values are exact rationals of their decimals.
        """
        v = self.validate(params)
        risk = min(1.0, v["L"] / v["D_B_soft"]) if r is None else float(r)
        if not 0.0 <= risk <= 1.0:
            raise ModelError(f"{self.name}: risk r={risk:g} is outside [0, 1]")
        G, L, D_A = _x(v["G"]), _x(v["L"]), _x(v["D_A"])
        rr = _x(risk)
        pi = _x(v["pi_hard"])

        def target(kind: str, cost: float) -> Decision:
            defy = Chance((("War", rr, Terminal((-D_A, -_x(cost)), "War")),
                           ("No war", 1 - rr, Terminal((Fraction(0), Fraction(0)),
                                                       "Status quo"))))
            return Decision(1, (("Comply", Terminal((G, -L), "Compliance")), ("Defy", defy)),
                            infoset=f"Target ({kind})")

        types = Chance((("Soft", 1 - pi, target("soft", v["D_B_soft"])),
                        ("Hard", pi, target("hard", v["D_B_hard"]))))
        root = Decision(0, (("No threat", Terminal((Fraction(0), Fraction(0)), "Status quo")),
                            ("Threaten", types)), infoset="Challenger")
        return ExtensiveFormGame(root, self.players, title=f"Brinkmanship at r={risk:g}")


def _finite_or_none(v: Any) -> float | None:
    x = float(v)
    return x if math.isfinite(x) else None


def _probabilities(threat: bool, pi: float, r_low: float) -> dict[str, float]:
    if not threat:
        return {"Compliance": 0.0, "War": 0.0, "Status quo": 1.0}
    return {"Compliance": 1.0 - pi, "War": pi * r_low, "Status quo": pi * (1.0 - r_low)}


def _explain(p: Mapping[str, Any], d: Mapping[str, Any]) -> str:
    G, L, D_A, pi = p["G"], p["L"], p["D_A"], p["pi_hard"]
    r_low = d["r_low"]
    if r_low > 1.0:
        return (f"No threat: even certain war on defiance would not make a soft Target comply, "
                f"since its war cost D_B,soft = {p['D_B_soft']:.2f} is below its cost of "
                f"complying L = {L:.2f}; D_B,soft would have to rise by "
                f"{L - p['D_B_soft']:.2f}.")
    gain, risk_cost = (1 - pi) * G, pi * r_low * D_A
    head = (f"The least risk that makes a soft Target comply is r_low = L/D_B,soft = "
            f"{r_low:.2f}. The threat's expected gain (1−π)G = {gain:.2f} is set against its "
            f"expected war cost πr_low·D_A = {risk_cost:.2f}.")
    crit = d["pi_hard_critical"]
    if crit is None:
        return head + (" With no stake and no war cost Challenger has nothing to gain from "
                       "a threat.")
    if d["threat"]:
        dr_crit = gain / (pi * r_low) if pi * r_low > 0 else math.inf
        tail = (f" Challenger threatens with r* = {r_low:.2f}, earning {d['margin']:.2f}; war "
                f"comes with probability π·r* = {pi * r_low:.3f}. The threat would stop "
                f"paying if π_hard rose above π* = {crit:.2f} (it is {pi:.2f})")
        tail += (f" or D_A rose above {dr_crit:.2f} (it is {D_A:.2f})." if math.isfinite(dr_crit)
                 else ".")
    else:
        tail = (f" The margin {d['margin']:.2f} is not positive, so Challenger makes no threat; "
                f"it would threaten if π_hard fell below π* = {crit:.2f} (it is {pi:.2f}).")
    return head + tail


MODELS = (BrinkmanshipWindow(),)
