"""Logit quantal response equilibrium of the Chicken game (models.md §9).

Game
----
The 2×2 Chicken game of models.md §3a (Russia's rows and the West's columns
are [Swerve, Firm]). Leaders choose with noise: each plays Firm with the
logit probability (McKelvey & Palfrey 1995, eq. 4)::

    firm_R = 1 / (1 + exp(−λ [(1 − firm_W)(w_R − s_R) + firm_W (d_R − l_R)])),

and symmetrically for the West, with **raw** payoffs as in Gambit. λ = 0 is
uniform play and λ → ∞ tends to a Nash equilibrium.

Solution
--------
The principal branch is followed from λ = 0 by continuation with Newton
corrections (Turocy 2005); see :mod:`sim.kernels.qre2x2`. In a symmetric game
the branch bifurcates (models.md §9): the model then reports the symmetric
QRE, which continues the branch, sets ``multiple_equilibria`` and lists every
QRE at that λ in ``details["all_qre"]``. ``p_war = firm_R · firm_W``.

Payoff normalisation
--------------------
λ's scale depends on payoff units: multiplying one player's payoffs by k is
the same as multiplying its λ by k. With ``normalise = 1`` each player's
payoffs are divided by its own range ``w_i − d_i`` (so they span [0, 1])
before λ is applied; the λ → ∞ selection can then differ from the raw one.

References
----------
McKelvey, R. D., & Palfrey, T. R. (1995). Quantal Response Equilibria for
Normal Form Games. *Games and Economic Behavior* 10(1): 6–38.
Turocy, T. L. (2005). A dynamic homotopy interpretation of the logistic
quantal response equilibrium correspondence. *GEB* 51(2): 243–263.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from sim.games.normal_form import NormalFormGame
from sim.kernels.chicken import chicken_gaps, chicken_mixed, chicken_qre_limit
from sim.kernels.qre2x2 import qre2x2_all, qre2x2_principal, qre2x2_symmetric
from sim.models.base import BatchOutcome, Flags, Model, ModelError, Outcome, ParamSpec
from sim.models.chicken_2x2 import PAYOFF_NAMES, Chicken2x2

__all__ = ["LogitQRENormalForm", "MODELS", "qre_chicken_arrays"]

_OUTCOMES = ("War", "Concession", "Back down", "Status quo")
_LIMITS = ("limit_mixed", "limit_russia_firm", "limit_west_firm")


def qre_chicken_arrays(cols: Mapping[str, np.ndarray], lam: np.ndarray,
                       normalise: np.ndarray) -> dict[str, np.ndarray]:
    """The QRE and everything reported, for a batch; both solve paths call this."""
    gain_R, loss_R = chicken_gaps(cols["w_R"], cols["s_R"], cols["l_R"], cols["d_R"])
    gain_W, loss_W = chicken_gaps(cols["w_W"], cols["s_W"], cols["l_W"], cols["d_W"])
    scale_R = np.where(normalise > 0, cols["w_R"] - cols["d_R"], 1.0)
    scale_W = np.where(normalise > 0, cols["w_W"] - cols["d_W"], 1.0)
    gR, lR, gW, lW = gain_R / scale_R, loss_R / scale_R, gain_W / scale_W, loss_W / scale_W
    # Firm's advantage over Swerve: α + β·(opponent's P(Firm)), α = gain, α + β = −loss.
    res = qre2x2_principal(gR, -(gR + lR), gW, -(gW + lW), lam)
    firm_R, firm_W, fold = res.p.copy(), res.q.copy(), res.fold.copy()
    symmetric = (np.abs(gR - gW) <= 1e-12) & (np.abs(lR - lW) <= 1e-12)
    if symmetric.any():
        sym = qre2x2_symmetric(gR[symmetric], -(gR + lR)[symmetric], lam[symmetric])
        firm_R[symmetric] = sym
        firm_W[symmetric] = sym
        # Past the pitchfork the symmetric root has H' > 0, so a mirror pair of
        # asymmetric QRE exists: H' = λ²β²p²(1−p)² − 1 with β = −(gain + loss).
        slope = lam[symmetric] * (gR + lR)[symmetric] * sym * (1 - sym)
        fold[symmetric] = slope > 1.0
    zero = np.zeros_like(gR)
    code, _ = chicken_qre_limit(gR, zero, zero, -lR, gW, zero, zero, -lW)
    mixed = chicken_mixed(*(cols[k] for k in PAYOFF_NAMES))
    probs = np.stack([firm_R * firm_W, firm_R * (1 - firm_W), (1 - firm_R) * firm_W,
                      (1 - firm_R) * (1 - firm_W)], axis=1)
    payoff_R = (probs[:, 0] * cols["d_R"] + probs[:, 1] * cols["w_R"]
                + probs[:, 2] * cols["l_R"] + probs[:, 3] * cols["s_R"])
    payoff_W = (probs[:, 0] * cols["d_W"] + probs[:, 1] * cols["l_W"]
                + probs[:, 2] * cols["w_W"] + probs[:, 3] * cols["s_W"])
    return {"firm_R": firm_R, "firm_W": firm_W, "p_war": firm_R * firm_W, "probs": probs,
            "eu_R": payoff_R, "eu_W": payoff_W, "code": code, "fold": fold,
            "symmetric": symmetric, "firm_R_nash_mixed": mixed["firm_R"],
            "firm_W_nash_mixed": mixed["firm_W"], "alpha_R": gR, "alpha_W": gW,
            "loss_R": lR, "loss_W": lW}


class LogitQRENormalForm(Model):
    """Logit QRE of 2×2 Chicken at precision λ, on the principal branch."""

    name = "logit_qre_normal_form"
    family = "qre"
    title = "Chicken with noisy leaders (logit QRE)"
    citation = "McKelvey & Palfrey (1995) eq. 4; Turocy (2005); models.md §9"
    description = (
        "The Chicken game of Russia and the West played by error-prone leaders: each picks "
        "Firm or Swerve with a probability that rises smoothly with its expected payoff "
        "advantage, the logit quantal response. The precision λ is a noise slider: λ = 0 "
        "is a coin flip and a large λ approaches a Nash equilibrium. Following the "
        "equilibrium from λ = 0 selects one of Chicken's equilibria as noise vanishes; with "
        "the 2022 teaching payoffs (a war is far worse for the West) it selects Russia Firm, "
        "West Swerve. P(war) is the chance that both stand firm."
    )
    players = ("Russia", "West")
    outcomes = _OUTCOMES
    regimes = _LIMITS
    has_closed_form = False
    params = (
        *(s for s in Chicken2x2.params if s.name in PAYOFF_NAMES),
        ParamSpec("lam", 5.0, lo=0.0, hi=200.0, step=0.1, unit="1/utility",
                  meaning="logit precision λ: 0 is uniform play, large is near Nash",
                  symbol="λ"),
        ParamSpec("normalise", 0, lo=0, hi=1, step=1, unit="switch", kind="integer",
                  meaning="1 divides each player's payoffs by its range w − d before λ",
                  symbol="norm"),
    )

    def check_constraints(self, values: Mapping[str, Any]) -> None:
        Chicken2x2.check_constraints(self, values)  # type: ignore[arg-type]

    def _solve(self, p: dict[str, Any]) -> Outcome:
        cols = {k: np.array([float(p[k])]) for k in PAYOFF_NAMES}
        r = qre_chicken_arrays(cols, np.array([float(p["lam"])]),
                               np.array([float(p["normalise"])]))
        firm_R, firm_W = float(r["firm_R"][0]), float(r["firm_W"][0])
        gR, lR = float(r["alpha_R"][0]), float(r["loss_R"][0])
        gW, lW = float(r["alpha_W"][0]), float(r["loss_W"][0])
        everything = qre2x2_all(gR, -(gR + lR), gW, -(gW + lW), float(p["lam"]))
        all_qre = [{"firm_R": a, "firm_W": b} for a, b in everything]
        symmetric = bool(r["symmetric"][0])
        # Several QRE connected to λ = 0: past a symmetric game's pitchfork or a fold.
        multiple = bool(r["fold"][0])
        regime = _LIMITS[int(r["code"][0])]
        probs = {lab: float(r["probs"][0, j]) for j, lab in enumerate(_OUTCOMES)}
        details = {
            "firm_R": firm_R, "firm_W": firm_W, "lam": float(p["lam"]),
            "normalised": bool(p["normalise"]), "symmetric_game": symmetric,
            "branch": "symmetric" if symmetric else "principal",
            "all_qre": all_qre, "n_qre": len(all_qre),
            "limit_selection": regime.removeprefix("limit_"),
            "firm_R_nash_mixed": float(r["firm_R_nash_mixed"][0]),
            "firm_W_nash_mixed": float(r["firm_W_nash_mixed"][0]),
        }
        return Outcome(
            model=self.name,
            params=dict(p),
            outcome=max(_OUTCOMES, key=lambda lab: probs[lab]),
            regime=regime,
            probabilities=probs,
            p_war=float(r["p_war"][0]),
            payoffs={"Russia": float(r["eu_R"][0]), "West": float(r["eu_W"][0])},
            strategies={"Russia": {"Swerve": 1.0 - firm_R, "Firm": firm_R},
                        "West": {"Swerve": 1.0 - firm_W, "Firm": firm_W}},
            flags=Flags(multiple_equilibria=multiple),
            explanation=_explain(p, details, float(r["p_war"][0])),
            details=details,
            method="logit QRE, continuation in λ from 0 (principal branch)",
        )

    def _solve_batch(self, batch: dict[str, Any]) -> BatchOutcome:
        cols = {k: batch[k] for k in PAYOFF_NAMES}
        for side in ("R", "W"):
            w, s, l, d = (cols[f"{k}_{side}"] for k in "wsld")  # noqa: E741
            ok = (w > s) & (s > l) & (l > d)
            if not ok.all():
                k = int(np.argmin(ok))
                self.check_constraints({name: cols[name][k] for name in PAYOFF_NAMES})
        if np.any(batch["normalise"] != np.round(batch["normalise"])):
            raise ModelError(f"{self.name}: normalise must be 0 or 1")
        r = qre_chicken_arrays(cols, batch["lam"], batch["normalise"])
        n = len(r["p_war"])
        # The symmetric QRE is one of several once the branch has bifurcated.
        multiple = r["fold"].copy()
        return BatchOutcome(
            model=self.name,
            params={k: v for k, v in batch.items() if isinstance(v, np.ndarray)},
            regimes=self.regimes, regime=r["code"], outcomes=_OUTCOMES,
            probabilities=r["probs"], p_war=r["p_war"],
            payoffs={"Russia": r["eu_R"], "West": r["eu_W"]},
            boundary=np.zeros(n, dtype=bool), multiple_equilibria=multiple,
            assumption_violated=np.zeros(n, dtype=bool),
            details={"firm_R": r["firm_R"], "firm_W": r["firm_W"]},
        )

    def game(self, params: Mapping[str, Any] | None = None) -> NormalFormGame:
        """The Chicken bimatrix whose QRE is reported (payoffs normalised if asked)."""
        values = self.validate(params)
        g = Chicken2x2().game({k: values[k] for k in PAYOFF_NAMES})
        if not values["normalise"]:
            return g
        A, B = g.payoffs
        ra = A.max() - A.min()
        rb = B.max() - B.min()
        return NormalFormGame.from_arrays(A / ra, B / rb, players=g.players,
                                          strategies=g.strategies,
                                          title="Chicken (normalised payoffs)")


def _explain(p: Mapping[str, Any], d: Mapping[str, Any], p_war: float) -> str:
    lam = float(p["lam"])
    units = "payoffs normalised to [0, 1] per player" if d["normalised"] else "raw payoffs"
    text = [
        f"With precision λ = {lam:.2f} ({units}) Russia stands firm with probability "
        f"{d['firm_R']:.2f} and the West with {d['firm_W']:.2f}, so war follows with "
        f"probability {p_war:.4f}. Noise-free mixing would be {d['firm_R_nash_mixed']:.2f} "
        f"and {d['firm_W_nash_mixed']:.2f}; λ = 0 would be 0.50 each."
    ]
    if d["symmetric_game"] and d["n_qre"] > 1:
        text.append(
            f"The game is symmetric and at this λ has {d['n_qre']} QRE: the symmetric one is "
            "reported; the others are listed in the details.")
    limit = {"mixed": "the mixed equilibrium", "russia_firm": "(Russia Firm, West Swerve)",
             "west_firm": "(Russia Swerve, West Firm)"}[d["limit_selection"]]
    text.append(f"As λ grows the principal branch tends to {limit}.")
    return " ".join(text)


MODELS = (LogitQRENormalForm(),)
