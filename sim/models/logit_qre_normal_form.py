"""Logit quantal response equilibrium of the Chicken game (docs/models/logit_qre_normal_form.md).

Game
----
The 2×2 Chicken game of docs/models/logit_qre_normal_form.md (Challenger's rows and Target's columns
are [Swerve, Firm]). Leaders choose with noise: each plays Firm with the
logit probability (McKelvey & Palfrey 1995, eq. 4)::

    firm_A = 1 / (1 + exp(−λ [(1 − firm_B)(w_A − s_A) + firm_B (d_A − l_A)])),

and symmetrically for Target, with **raw** payoffs as in Gambit. λ = 0 is
uniform play and λ → ∞ tends to a Nash equilibrium.

Solution
--------
The principal branch is followed from λ = 0 by continuation with Newton
corrections (Turocy 2005); see :mod:`sim.kernels.qre2x2`. In a symmetric game
the branch bifurcates (docs/models/logit_qre_normal_form.md): the model then reports the symmetric
QRE, which continues the branch, sets ``multiple_equilibria`` and lists every
QRE at that λ in ``details["all_qre"]``. ``p_war = firm_A · firm_B``.

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
from sim.kernels.chicken import (
    PAYOFF_NAMES,
    chicken_game,
    chicken_gaps,
    chicken_mixed,
    chicken_qre_limit,
)
from sim.kernels.qre2x2 import qre2x2_all, qre2x2_principal, qre2x2_symmetric
from sim.modelkit.vocabulary import (
    CHALLENGER_TARGET,
    check_chicken,
    chicken_payoffs,
    choice,
    precision,
)
from sim.models.base import BatchOutcome, Flags, Model, ModelError, Outcome

__all__ = ["LogitQRENormalForm", "MODELS", "qre_chicken_arrays"]

_OUTCOMES = ("War", "Concession", "Back down", "Status quo")
_LIMITS = ("limit_mixed", "limit_challenger_firm", "limit_target_firm")


def qre_chicken_arrays(cols: Mapping[str, np.ndarray], lam: np.ndarray,
                       normalise: np.ndarray) -> dict[str, np.ndarray]:
    """The QRE and everything reported, for a batch; both solve paths call this."""
    gain_A, loss_A = chicken_gaps(cols["w_A"], cols["s_A"], cols["l_A"], cols["d_A"])
    gain_B, loss_B = chicken_gaps(cols["w_B"], cols["s_B"], cols["l_B"], cols["d_B"])
    scale_A = np.where(normalise > 0, cols["w_A"] - cols["d_A"], 1.0)
    scale_B = np.where(normalise > 0, cols["w_B"] - cols["d_B"], 1.0)
    gR, lR, gW, lW = gain_A / scale_A, loss_A / scale_A, gain_B / scale_B, loss_B / scale_B
    # Firm's advantage over Swerve: α + β·(opponent's P(Firm)), α = gain, α + β = −loss.
    res = qre2x2_principal(gR, -(gR + lR), gW, -(gW + lW), lam)
    firm_A, firm_B, fold = res.p.copy(), res.q.copy(), res.fold.copy()
    symmetric = (np.abs(gR - gW) <= 1e-12) & (np.abs(lR - lW) <= 1e-12)
    if symmetric.any():
        sym = qre2x2_symmetric(gR[symmetric], -(gR + lR)[symmetric], lam[symmetric])
        firm_A[symmetric] = sym
        firm_B[symmetric] = sym
        # Past the pitchfork the symmetric root has H' > 0, so a mirror pair of
        # asymmetric QRE exists: H' = λ²β²p²(1−p)² − 1 with β = −(gain + loss).
        slope = lam[symmetric] * (gR + lR)[symmetric] * sym * (1 - sym)
        fold[symmetric] = slope > 1.0
    zero = np.zeros_like(gR)
    code, _ = chicken_qre_limit(gR, zero, zero, -lR, gW, zero, zero, -lW)
    mixed = chicken_mixed(*(cols[k] for k in PAYOFF_NAMES))
    probs = np.stack([firm_A * firm_B, firm_A * (1 - firm_B), (1 - firm_A) * firm_B,
                      (1 - firm_A) * (1 - firm_B)], axis=1)
    payoff_A = (probs[:, 0] * cols["d_A"] + probs[:, 1] * cols["w_A"]
                + probs[:, 2] * cols["l_A"] + probs[:, 3] * cols["s_A"])
    payoff_B = (probs[:, 0] * cols["d_B"] + probs[:, 1] * cols["l_B"]
                + probs[:, 2] * cols["w_B"] + probs[:, 3] * cols["s_B"])
    return {"firm_A": firm_A, "firm_B": firm_B, "p_war": firm_A * firm_B, "probs": probs,
            "eu_A": payoff_A, "eu_B": payoff_B, "code": code, "fold": fold,
            "symmetric": symmetric, "firm_A_nash_mixed": mixed["firm_A"],
            "firm_B_nash_mixed": mixed["firm_B"], "alpha_A": gR, "alpha_B": gW,
            "loss_A": lR, "loss_B": lW}


class LogitQRENormalForm(Model):
    """Logit QRE of 2×2 Chicken at precision λ, on the principal branch."""

    name = "logit_qre_normal_form"
    family = "qre"
    title = "Chicken with noisy leaders (logit QRE)"
    citation = "McKelvey & Palfrey (1995) eq. 4; Turocy (2005)"
    description = (
        "The Chicken game of Challenger and Target played by error-prone leaders: each picks "
        "Firm or Swerve with a probability that rises smoothly with its expected payoff "
        "advantage, the logit quantal response. The precision λ is a noise slider: λ = 0 is a "
        "coin flip and a large λ approaches a Nash equilibrium. Following the equilibrium "
        "from λ = 0 selects one of Chicken's equilibria as noise vanishes; with the default "
        "payoffs (a war is far worse for Target) it selects Challenger Firm, Target Swerve. "
        "P(war) is the chance that both stand firm."
    )
    roles = CHALLENGER_TARGET
    outcomes = _OUTCOMES
    regimes = _LIMITS
    params = (
        *chicken_payoffs("Challenger", "Target"),
        precision(),
        choice("normalise", ("raw payoffs", "payoffs divided by their range w − d"),
               "whether each player's payoffs are divided by its range w − d before λ",
               symbol="norm", unit="switch"),
    )

    def check_constraints(self, values: Mapping[str, Any]) -> None:
        check_chicken(self.name, values)

    def _solve(self, p: dict[str, Any]) -> Outcome:
        cols = {k: np.array([float(p[k])]) for k in PAYOFF_NAMES}
        r = qre_chicken_arrays(cols, np.array([float(p["lam"])]),
                               np.array([float(p["normalise"])]))
        firm_A, firm_B = float(r["firm_A"][0]), float(r["firm_B"][0])
        gR, lR = float(r["alpha_A"][0]), float(r["loss_A"][0])
        gW, lW = float(r["alpha_B"][0]), float(r["loss_B"][0])
        everything = qre2x2_all(gR, -(gR + lR), gW, -(gW + lW), float(p["lam"]))
        all_qre = [{"firm_A": a, "firm_B": b} for a, b in everything]
        symmetric = bool(r["symmetric"][0])
        # Several QRE connected to λ = 0: past a symmetric game's pitchfork or a fold.
        multiple = bool(r["fold"][0])
        regime = _LIMITS[int(r["code"][0])]
        probs = {lab: float(r["probs"][0, j]) for j, lab in enumerate(_OUTCOMES)}
        details = {
            "firm_A": firm_A, "firm_B": firm_B, "lam": float(p["lam"]),
            "normalised": bool(p["normalise"]), "symmetric_game": symmetric,
            "branch": "symmetric" if symmetric else "principal",
            "all_qre": all_qre, "n_qre": len(all_qre),
            "limit_selection": regime.removeprefix("limit_"),
            "firm_A_nash_mixed": float(r["firm_A_nash_mixed"][0]),
            "firm_B_nash_mixed": float(r["firm_B_nash_mixed"][0]),
        }
        return self.point_outcome(
            dict(p),
            regime=regime,
            probabilities=probs,
            p_war=float(r["p_war"][0]),
            payoffs={"Challenger": float(r["eu_A"][0]), "Target": float(r["eu_B"][0])},
            strategies={"Challenger": {"Swerve": 1.0 - firm_A, "Firm": firm_A},
                        "Target": {"Swerve": 1.0 - firm_B, "Firm": firm_B}},
            flags=Flags(multiple_equilibria=multiple),
            explanation=_explain(p, details, float(r["p_war"][0])),
            details=details,
            method="logit QRE, continuation in λ from 0 (principal branch)",
        )

    def _solve_batch(self, batch: dict[str, Any]) -> BatchOutcome:
        cols = {k: batch[k] for k in PAYOFF_NAMES}
        for side in ("A", "B"):
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
            payoffs={"Challenger": r["eu_A"], "Target": r["eu_B"]},
            boundary=np.zeros(n, dtype=bool), multiple_equilibria=multiple,
            assumption_violated=np.zeros(n, dtype=bool),
            details={"firm_A": r["firm_A"], "firm_B": r["firm_B"]},
        )

    def game(self, params: Mapping[str, Any] | None = None) -> NormalFormGame:
        """The Chicken bimatrix whose QRE is reported (payoffs normalised if asked)."""
        values = self.validate(params)
        g = chicken_game(values, self.players)
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
        f"With precision λ = {lam:.2f} ({units}) Challenger stands firm with probability "
        f"{d['firm_A']:.2f} and Target with {d['firm_B']:.2f}, so war follows with "
        f"probability {p_war:.4f}. Noise-free mixing would be {d['firm_A_nash_mixed']:.2f} "
        f"and {d['firm_B_nash_mixed']:.2f}; λ = 0 would be 0.50 each."
    ]
    if d["symmetric_game"] and d["n_qre"] > 1:
        text.append(
            f"The game is symmetric and at this λ has {d['n_qre']} QRE: the symmetric one is "
            "reported; the others are listed in the details.")
    limit = {"mixed": "the mixed equilibrium",
             "challenger_firm": "(Challenger Firm, Target Swerve)",
             "target_firm": "(Challenger Swerve, Target Firm)"}[d["limit_selection"]]
    text.append(f"As λ grows the principal branch tends to {limit}.")
    return " ".join(text)


MODELS = (LogitQRENormalForm(),)
