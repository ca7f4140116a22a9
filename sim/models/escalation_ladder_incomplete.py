"""Powell's escalation ladder with the target's resolve privately known.

See docs/models/escalation_ladder_incomplete.md.

Game
----
The ladder of :mod:`sim.models.escalation_ladder_complete` (Challenger moves at
odd steps, Target at even steps; quitting gives the mover 0 and the other
side ``v``; escalating at step ``k`` ends in disaster with probability
``r_k``), except that Target's disaster cost is private: ``d_B_res`` with
probability ``prior_res`` (resolute) and ``d_B_irr`` otherwise (irresolute).
Challenger's information set at step ``k`` spans both types; it holds the belief
``μ_k`` that Target is resolute.

Solution
--------
Sequential equilibrium, selected as the limit of the logit agent quantal
response equilibrium (McKelvey & Palfrey 1998) along its principal branch,
which is how the model's documentation and Gambit's ``logit_solve`` define the
reported equilibrium. The computation has two stages:

1. **Tracing.** With behaviour log-odds ``z_j`` at every information set, the
   agent QRE solves ``z_j = λ ΔU_j(σ(z))``, where ``ΔU_j`` is the value of
   escalating over quitting given the continuation play and, for Challenger,
   Bayes beliefs computed from the log-odds (so beliefs off the path are the
   limits of the trembles). The branch is followed from λ = 0 (uniform play)
   by predictor–corrector continuation in λ, on payoffs scaled to a maximum
   of 1, to ``λ = 10⁴`` and, if stage 2 fails there, on to ``10⁵`` and ``10⁶``
   (a pure action whose margin is below ``25/λ`` still looks mixed).
2. **Polishing.** Information sets whose log-odds stay small mix in the
   limit; the others are pure. The mixing ones are solved exactly from their
   indifference conditions ``ΔU_j = 0`` (Challenger's indifference pins its
   belief and so Target's bluffing; the irresolute type's indifference pins
   Challenger's mixing), holding the pure ones fixed. The result is checked: the
   mixing probabilities must lie in [0, 1] and every pure action must be a
   best reply; the largest gain from deviating is reported as ``regret``.
   Beliefs off the path are those the trembles of the traced QRE imply.

Limits
------
Continuation in λ assumes the principal branch does not turn back in λ
(a fold); if a step cannot be completed, or the polished profile fails its
check, the model reports the QRE at the last λ reached, marks
``details["exact"] = False`` and says so in the explanation. Other
sequential equilibria may exist; only the logit-limit one is reported. The
method is meant for ``K ≤ 9`` rungs (steps after the first rung with risk 1
are unreachable and are dropped). Each point takes a fraction of a second;
batches are solved point by point.

References
----------
Powell, R. (1987). Crisis Bargaining, Escalation, and MAD. *APSR* 81(3):
717–735.
Powell, R. (1988). Nuclear Brinkmanship with Two-Sided Incomplete Information.
*APSR* 82(1): 155–178.
McKelvey, R. D., & Palfrey, T. R. (1998). Quantal Response Equilibria for
Extensive Form Games. *Experimental Economics* 1(1): 9–41.
Turocy, T. L. (2005). A dynamic homotopy interpretation of the logistic
quantal response equilibrium correspondence. *GEB* 51(2): 243–263.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.optimize import root
from scipy.special import expit

from sim.games.errors import GameError
from sim.games.extensive_form import Chance, ExtensiveFormGame
from sim.kernels.ladder import exact, ladder_risks, ladder_tree, mover
from sim.modelkit.vocabulary import check_risks, ladder_params, prior
from sim.models.base import BOUNDARY_TOL, Flags, Model, ModelError, Outcome, ParamSpec
from sim.solvers.continuation import follow_branch

__all__ = ["EscalationLadderIncomplete", "MODELS", "LadderSE", "solve_ladder_incomplete"]

_OUTCOMES = ("Concession", "Back down", "Disaster")
_REGIMES = ("challenger_quits", "no_bluffing", "bluffing")

#: Log-odds below this at the end of tracing mark a mixing information set.
_Z_MIX = 25.0
#: Precisions at which tracing pauses to try the exact polish (payoffs scaled
#: to a maximum of 1); a pure action with a margin below ``_Z_MIX / λ`` is
#: taken for a mixing one at that stage, so later stages resolve small margins.
_LAMBDA_STAGES = (1e4, 1e5, 1e6)


@dataclass(frozen=True)
class LadderSE:
    """The solved incomplete-information ladder.

    ``keys`` name the information sets (``A1``, ``B2_res``, ``B2_irr``, ...);
    ``esc`` holds their escalation probabilities and ``margin`` the value of
    escalating over quitting; ``beliefs`` maps ``A<k>`` to ``μ_k``.
    """

    keys: tuple[str, ...]
    esc: tuple[float, ...]
    margin: tuple[float, ...]
    mixing: tuple[bool, ...]
    beliefs: Mapping[str, float]
    eu_A: float
    eu_B_res: float
    eu_B_irr: float
    eu_B: float
    p_disaster: float
    p_challenger_quits: float
    p_target_quits: float
    regret: float
    exact: bool
    lam_reached: float


def _infosets(K: int) -> list[tuple[str, int, str | None]]:
    out: list[tuple[str, int, str | None]] = []
    for k in range(1, K + 1):
        if k % 2 == 1:
            out.append((f"A{k}", k, None))
        else:
            out.append((f"B{k}_res", k, "res"))
            out.append((f"B{k}_irr", k, "irr"))
    return out


class _Ladder:
    """Action values of a ladder profile given as log-odds (scaled payoffs)."""

    def __init__(self, risks: Sequence[float], v_A: float, v_B: float, d_A: float,
                 d_B: Mapping[str, float], prior: float) -> None:
        self.r = list(risks)
        self.K = len(self.r)
        self.v_A, self.v_B, self.d_A, self.d_B = v_A, v_B, d_A, dict(d_B)
        self.prior = prior
        self.sets = _infosets(self.K)
        self.index = {key: j for j, (key, _, _) in enumerate(self.sets)}
        with np.errstate(divide="ignore"):
            self.prior_logodds = math.log(prior / (1 - prior)) if 0 < prior < 1 else (
                math.inf if prior >= 1 else -math.inf)

    def action_of(self, k: int, t: str) -> int:
        return self.index[f"A{k}"] if k % 2 == 1 else self.index[f"B{k}_{t}"]

    def evaluate(self, a: np.ndarray, logb: np.ndarray) -> dict[str, Any]:
        """Values, margins and beliefs for escalation probabilities ``a``.

        ``logb`` holds ``log a_j`` (from log-odds, so that beliefs off the
        path are limits of trembles rather than 0/0).
        """
        cont: dict[str, dict[int, tuple[float, float]]] = {}
        esc_val: dict[str, dict[int, tuple[float, float]]] = {}
        for t in ("res", "irr"):
            nR = nW = 0.0
            cont[t], esc_val[t] = {}, {}
            for k in range(self.K, 0, -1):
                rk = self.r[k - 1]
                eR = -rk * self.d_A + (1 - rk) * nR
                eW = -rk * self.d_B[t] + (1 - rk) * nW
                esc_val[t][k] = (eR, eW)
                pk = a[self.action_of(k, t)]
                qR, qW = (0.0, self.v_B) if k % 2 == 1 else (self.v_A, 0.0)
                nR, nW = pk * eR + (1 - pk) * qR, pk * eW + (1 - pk) * qW
                cont[t][k] = (nR, nW)
        margin = np.empty(len(self.sets))
        beliefs: dict[str, float] = {}
        logodds = self.prior_logodds
        for j, (key, k, side) in enumerate(self.sets):
            if side is None:
                mu = float(expit(logodds)) if math.isfinite(logodds) else float(logodds > 0)
                beliefs[key] = mu
                margin[j] = mu * esc_val["res"][k][0] + (1 - mu) * esc_val["irr"][k][0]
            else:
                margin[j] = esc_val[side][k][1]
                if side == "irr":
                    logodds += logb[self.index[f"B{k}_res"]] - logb[j]
        prior = {"res": self.prior, "irr": 1 - self.prior}
        reach = {"res": 1.0, "irr": 1.0}
        p_dis = p_rq = p_wq = 0.0
        for k in range(1, self.K + 1):
            for t in ("res", "irr"):
                pk = a[self.action_of(k, t)]
                rk = self.r[k - 1]
                p_dis += prior[t] * reach[t] * pk * rk
                if k % 2 == 1:
                    p_rq += prior[t] * reach[t] * (1 - pk)
                else:
                    p_wq += prior[t] * reach[t] * (1 - pk)
                reach[t] *= pk * (1 - rk)
        eu = {t: cont[t][1] for t in ("res", "irr")}
        return {"margin": margin, "beliefs": beliefs, "eu": eu, "p_disaster": p_dis,
                "p_challenger_quits": p_rq, "p_target_quits": p_wq}

    def margins(self, z: np.ndarray) -> np.ndarray:
        logb = -np.logaddexp(0.0, -z)
        return np.asarray(self.evaluate(np.asarray(expit(z)), logb)["margin"])


def _trace(game: _Ladder, lam_end: float, z0: np.ndarray | None = None,
           lam0: float = 0.0) -> tuple[np.ndarray, float, bool]:
    """Follow the agent-QRE principal branch from ``(z0, lam0)`` (default λ = 0) to ``lam_end``.

    The branch solves ``H(z, λ) = z − λ ΔU(σ(z)) = 0``; the point reached is
    corrected with λ held fixed.
    """
    z = np.zeros(len(game.sets)) if z0 is None else z0

    def residual(zz: np.ndarray, lam: float) -> np.ndarray:
        return zz - lam * game.margins(zz)

    try:
        point = follow_branch(residual, z, lam0, lam_end, 1e-9, residual_scale=1e5)
    except GameError:
        return z, lam0, False
    if not point.reached:
        return point.z, point.lam, False
    sol = root(lambda zz: residual(zz, lam_end), point.z, method="hybr",
               options={"xtol": 1e-13})
    if np.all(np.isfinite(sol.x)) and np.max(np.abs(residual(sol.x, lam_end))) < 1e-9 * (
            1 + lam_end):
        return np.asarray(sol.x), lam_end, True
    return point.z, lam_end, True


def _regret(margin: np.ndarray, a: np.ndarray, mixing: np.ndarray) -> float:
    """Largest gain from switching action at any information set."""
    gain = np.where(mixing, np.abs(margin), np.where(a > 0.5, -margin, margin))
    return float(max(0.0, gain.max()))


def _certify(game: _Ladder, z: np.ndarray) -> np.ndarray | None:
    """Polish the mixing information sets exactly; ``None`` unless an equilibrium results.

    Information sets with ``|z| < _Z_MIX`` are solved from ``ΔU_j = 0``; the
    others keep their log-odds (pure up to ``e^{−25}``, which also carries
    the limiting beliefs off the path). The polished profile, with the pure
    actions rounded to 0/1, must have regret below 1e-9.
    """
    mixing = np.abs(z) < _Z_MIX
    z = z.copy()
    if mixing.any():
        idx = np.flatnonzero(mixing)

        def eqs(x: np.ndarray) -> np.ndarray:
            zz = z.copy()
            zz[idx] = x
            return game.margins(zz)[idx]

        sol = root(eqs, z[idx], method="hybr", options={"xtol": 1e-14})
        # hybr may report slow progress after reaching the root; judge by the residual.
        if not (np.all(np.isfinite(sol.x)) and np.max(np.abs(eqs(sol.x))) < 1e-11):
            return None
        z[idx] = sol.x
        if np.any(np.abs(sol.x) >= _Z_MIX):
            return None
    a = np.where(mixing, expit(z), (z > 0).astype(float))
    margin = game.evaluate(a, -np.logaddexp(0.0, -z))["margin"]
    return z if _regret(margin, a, mixing) <= 1e-9 else None


def solve_ladder_incomplete(risks: Sequence[float], v_A: float, v_B: float, d_A: float,
                            d_B_res: float, d_B_irr: float, prior_res: float) -> LadderSE:
    """Sequential equilibrium (logit-QRE limit) of the incomplete-information ladder.

    See the module docstring for the method. Payoffs are scaled to a maximum
    absolute value of 1 for tracing; reported values are in the given units.
    """
    risks = list(risks)
    if 1.0 in risks:
        risks = risks[: risks.index(1.0) + 1]
    scale = max(abs(v_A), abs(v_B), abs(d_A), abs(d_B_res), abs(d_B_irr), 1e-12)
    scaled = _Ladder(risks, v_A / scale, v_B / scale, d_A / scale,
                     {"res": d_B_res / scale, "irr": d_B_irr / scale}, prior_res)
    z: np.ndarray | None = None
    lam = 0.0
    certified: np.ndarray | None = None
    for stage in _LAMBDA_STAGES:
        z, lam, traced = _trace(scaled, stage, z, lam)
        if not traced:
            break
        certified = _certify(scaled, z)
        if certified is not None:
            break
    assert z is not None
    exact = certified is not None
    if certified is not None:
        z = certified
    mixing = np.abs(z) < _Z_MIX
    game = _Ladder(risks, v_A, v_B, d_A, {"res": d_B_res, "irr": d_B_irr}, prior_res)
    a = np.asarray(expit(z))
    if exact:
        a = np.where(mixing, a, (z > 0).astype(float))
    ev = game.evaluate(a, -np.logaddexp(0.0, -z))
    margin = ev["margin"]
    regret = _regret(margin, a, mixing)
    eu_B = prior_res * ev["eu"]["res"][1] + (1 - prior_res) * ev["eu"]["irr"][1]
    eu_A = prior_res * ev["eu"]["res"][0] + (1 - prior_res) * ev["eu"]["irr"][0]
    return LadderSE(
        keys=tuple(key for key, _, _ in game.sets),
        esc=tuple(float(x) for x in a),
        margin=tuple(float(m) for m in margin),
        mixing=tuple(bool(m) for m in mixing),
        beliefs=dict(ev["beliefs"]),
        eu_A=float(eu_A), eu_B_res=float(ev["eu"]["res"][1]),
        eu_B_irr=float(ev["eu"]["irr"][1]), eu_B=float(eu_B),
        p_disaster=float(ev["p_disaster"]), p_challenger_quits=float(ev["p_challenger_quits"]),
        p_target_quits=float(ev["p_target_quits"]), regret=regret, exact=exact,
        lam_reached=float(lam / scale),
    )


def _with_default(spec: ParamSpec, default: Any) -> ParamSpec:
    return dataclasses.replace(spec, default=default)


_BASE = {s.name: s for s in ladder_params("Challenger", "Target")}


class EscalationLadderIncomplete(Model):
    """Escalation ladder where only Target knows how resolute it is."""

    name = "escalation_ladder_incomplete"
    family = "chicken_brinkmanship"
    title = "Escalation ladder, private Target's resolve (Powell)"
    citation = ("Powell (1987); Powell (1990) ch. 3; McKelvey & Palfrey (1998)")
    description = (
        "The escalation ladder of the complete-information model, but Challenger does not "
        "know how far Target will go: Target is resolute (a low cost of disaster) with "
        "probability prior_res and irresolute otherwise. An irresolute Target may bluff, "
        "climbing a rung it would not climb if its type were known, to make Challenger "
        "believe it is resolute; Challenger, unsure, may climb again. Private information is "
        "what makes long, dangerous escalation possible (Powell's central point): the "
        "probability of disaster can exceed the first rung's risk."
    )
    roles = {"challenger": "Challenger", "target": "Target"}
    outcomes = _OUTCOMES
    regimes = _REGIMES
    params = (
        _with_default(_BASE["K"], 5),
        _with_default(_BASE["r_1"], 0.05),
        _with_default(_BASE["r_step"], 0.1),
        dataclasses.replace(_BASE["risks"], meaning="explicit risk per rung, non-decreasing, "
                            "ending in 1 (overrides K, r_1, r_step); at most 9 rungs"),
        _BASE["v_A"],
        _BASE["v_B"],
        _with_default(_BASE["d_A"], 1.5),
        ParamSpec("d_B_res", 1.0, lo=0.0, hi=10.0, step=0.05, unit="utility",
                  meaning="a resolute Target's cost of disaster", symbol="d_B,res"),
        ParamSpec("d_B_irr", 3.0, lo=0.0, hi=10.0, step=0.05, unit="utility",
                  meaning="an irresolute Target's cost of disaster", symbol="d_B,irr"),
        prior("prior_res", 0.15, "Challenger's prior that Target is resolute"),
    )

    def check_constraints(self, values: Mapping[str, Any]) -> None:
        if values["risks"]:
            check_risks(self.name, values["risks"])
            if len(values["risks"]) > 9:
                raise ModelError(f"{self.name}: at most 9 rungs are supported, got "
                                 f"{len(values['risks'])}")
        elif int(values["K"]) > 9:
            raise ModelError(f"{self.name}: at most 9 rungs are supported, got K={values['K']}")

    def _solve(self, p: dict[str, Any]) -> Outcome:
        risks = ladder_risks(p)
        se = solve_ladder_incomplete(risks, p["v_A"], p["v_B"], p["d_A"], p["d_B_res"],
                                     p["d_B_irr"], p["prior_res"])
        esc = dict(zip(se.keys, se.esc, strict=True))
        on_path_mix = _mixing_on_path(se)
        if esc["A1"] < 0.5 and not se.mixing[0]:
            regime = "challenger_quits"
        elif on_path_mix:
            regime = "bluffing"
        else:
            regime = "no_bluffing"
        probs = {"Concession": se.p_target_quits, "Back down": se.p_challenger_quits,
                 "Disaster": se.p_disaster}
        pure = [m for m, mix in zip(se.margin, se.mixing, strict=True) if not mix]
        boundary = any(abs(m) <= BOUNDARY_TOL for m in pure)
        details = {
            "risks": list(risks),
            "esc_prob": esc,
            "mixing": dict(zip(se.keys, se.mixing, strict=True)),
            "margins": dict(zip(se.keys, se.margin, strict=True)),
            "beliefs_by_step": dict(se.beliefs),
            "eu_B_res": se.eu_B_res,
            "eu_B_irr": se.eu_B_irr,
            "regret": se.regret,
            "exact": se.exact,
            "lambda_reached": se.lam_reached,
            "critical_risk_A": p["v_A"] / (p["v_A"] + p["d_A"]),
            "critical_risk_B_res": p["v_B"] / (p["v_B"] + p["d_B_res"]),
            "critical_risk_B_irr": p["v_B"] / (p["v_B"] + p["d_B_irr"]),
        }
        strategies = {}
        for key, e in esc.items():
            k = int(key[1:].split("_")[0])
            who = mover(k) + ("" if key.startswith("A") else
                              (" (resolute)" if key.endswith("res") else " (irresolute)"))
            strategies[f"step {k} ({who})"] = {"Escalate": e, "Quit": 1.0 - e}
        method = ("sequential equilibrium: agent-QRE limit, exact indifference polish"
                  if se.exact else
                  f"agent QRE at λ = {se.lam_reached:.3g} (limit not certified)")
        return self.point_outcome(
            dict(p),
            regime=regime,
            probabilities=probs,
            p_war=se.p_disaster,
            payoffs={"Challenger": se.eu_A, "Target": se.eu_B},
            strategies=strategies,
            beliefs={f"mu{k[1:]}": v for k, v in se.beliefs.items()},
            flags=Flags(boundary=boundary),
            explanation=_explain(p, risks, se, esc),
            details=details,
            method=method,
        )

    def game(self, params: Mapping[str, Any] | None = None) -> ExtensiveFormGame:
        """Chance draws Target's type; Challenger's information sets span both types."""
        p = self.validate(params)
        risks = ladder_risks(p)

        x = exact
        pi = x(p["prior_res"])
        trees = [ladder_tree(risks, x(p["v_A"]), x(p["v_B"]), x(p["d_A"]), x(p[f"d_B_{t}"]),
                             suffix=f"_{t}", shared=True) for t in ("res", "irr")]
        root = Chance((("Resolute", pi, trees[0]), ("Irresolute", 1 - pi, trees[1])))
        return ExtensiveFormGame(root, self.players,
                                 title=f"Escalation ladder with private resolve, K={len(risks)}")


def _mixing_on_path(se: LadderSE) -> bool:
    """Whether an information set reached with positive probability mixes."""
    reach = {"res": 1.0, "irr": 1.0}
    esc = dict(zip(se.keys, se.esc, strict=True))
    mix = dict(zip(se.keys, se.mixing, strict=True))
    K = max(int(k[1:].split("_")[0]) for k in se.keys)
    for k in range(1, K + 1):
        for t in ("res", "irr"):
            key = f"A{k}" if k % 2 == 1 else f"B{k}_{t}"
            if reach[t] > 0 and mix[key]:
                return True
            reach[t] *= esc[key]
    return False


def _explain(p: Mapping[str, Any], risks: Sequence[float], se: LadderSE,
             esc: Mapping[str, float]) -> str:
    parts = []
    if not se.exact:
        parts.append(f"The equilibrium could not be certified; shown is the agent QRE at "
                     f"λ = {se.lam_reached:.3g}, which approximates it.")
    if esc["A1"] < 0.5:
        parts.append(f"Challenger quits at once: climbing the first rung (risk {risks[0]:.2f}) is "
                     f"worth {se.margin[0]:.2f} to it.")
    else:
        parts.append(f"Challenger escalates at step 1 (risk {risks[0]:.2f}; worth "
                     f"{se.margin[0]:.2f} to it).")
    if "B2_irr" in esc and esc["A1"] >= 0.5:
        b = esc["B2_irr"]
        if 0 < b < 1:
            mu3 = se.beliefs.get("A3")
            r3 = esc.get("A3")
            text = (f"An irresolute Target bluffs at step 2 with probability {b:.4f}: just enough "
                    f"to leave Challenger's belief that it faces a resolute Target at "
                    f"μ3 = {mu3:.4f}, where Challenger is indifferent about climbing again")
            if r3 is not None and 0 < r3 < 1:
                text += (f"; Challenger climbs with probability {r3:.4f}, which makes the "
                         f"irresolute Target indifferent about the bluff")
            parts.append(text + ".")
        else:
            res_act = "escalates" if esc["B2_res"] > 0.5 else "quits"
            irr_act = "escalates" if b > 0.5 else "quits"
            parts.append(f"At step 2 the resolute Target {res_act} and the irresolute one "
                         f"{irr_act}.")
    parts.append(f"P(disaster) = {se.p_disaster:.4f} against a first-rung risk of "
                 f"{risks[0]:.2f}; the prior that Target is resolute is "
                 f"{p['prior_res']:.2f}.")
    return " ".join(parts)


MODELS = (EscalationLadderIncomplete(),)
