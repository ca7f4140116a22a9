"""Legally binding guarantees as a commitment technology.

See docs/models/commitment_guarantee_extension.md.

A simulator extension of Powell's (2006) shifting-power game, not in Powell:
with probability κ a legally binding guarantee is honoured, and then the
declining state D gets up to the whole pie in every future period;
otherwise it gets the best-case future share min(1, p1 + c_U). Peace is
feasible iff

    p0 − c_D ≤ (1−δ) + δ[κ + (1−κ)·min(1, p1 + c_U)],

that is iff κ ≥ κ* = (p0 − c_D − (1−δ) − δ(p1 + c_U)) / (δ(1 − p1 − c_U)).
κ* ≤ 0 means peace holds without any guarantee. The declining state attacks only if war
is strictly better than the best peace (docs/models/README.md).

Teaching point: a declining state's demand for *legally binding* guarantees
is a demand for a commitment technology; a rising state that cannot supply
one credibly (κ ≈ 0) leaves the commitment logic predicting preventive war
even under complete information.

References
----------
Powell, R. (2006). War as a commitment problem. *International
Organization* 60(1), 169–203.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from sim.kernels.commitment import Guarantee, guarantee
from sim.modelkit.commitment import check_power_shift_batch, war_or_peace
from sim.modelkit.vocabulary import check_power_shift, commitment_params
from sim.models.base import BOUNDARY_TOL, BatchOutcome, Flags, Model, Outcome, ParamSpec

__all__ = ["CommitmentGuaranteeExtension", "MODELS"]


def _regime_codes(g: Guarantee) -> np.ndarray:
    return np.where(g.kappa_critical <= 0, 0, np.where(g.war, 2, 1)).astype(np.int64)


class CommitmentGuaranteeExtension(Model):
    """Shifting power with a guarantee honoured with probability κ."""

    name = "commitment_guarantee_extension"
    family = "commitment"
    title = "Commitment problem: can a legally binding guarantee prevent war?"
    citation = ("Simulator extension of Powell (2006), War as a commitment problem, "
                "International Organization 60(1)")
    description = (
        "The declining state asks for a binding guarantee of its future share. Read as a "
        "commitment technology, a guarantee honoured with probability kappa lets the "
        "declining state expect the whole pie in future instead of what its declining power "
        "would fetch. The model computes the critical credibility kappa* above which peace is "
        "feasible. A rising state that cannot bind itself (kappa near 0) leaves the "
        "commitment problem in place, so with the defaults the model predicts preventive war."
    )
    roles = {"declining": "Declining state", "rising": "Rising state"}
    outcomes = ("War", "Agreement")
    regimes = ("peace_without_guarantee", "guarantee_secures_peace", "preventive_war")
    params = commitment_params() + (
        ParamSpec("kappa", 0.0, unit="probability",
                  meaning="probability that a legally binding guarantee is honoured",
                  symbol="κ"),
    )

    def check_constraints(self, values: Mapping[str, Any]) -> None:
        check_power_shift(values)

    def _solve(self, p: dict[str, Any]) -> Outcome:
        g = guarantee(p["delta"], p["p0"], p["p1"], p["c_D"], p["c_U"], p["kappa"])
        war = bool(g.war[0])
        peace_d = float(g.peace_payoff_D[0])
        payoffs = ((float(g.war_payoff_D[0]), float(g.war_payoff_R[0])) if war
                   else (peace_d, 1.0 - peace_d))
        k_star = float(g.kappa_critical[0])
        details = {
            "kappa_critical": k_star,
            "kappa_needed": float(g.kappa_needed[0]),
            "best_peace_D": float(g.best_peace_D[0]),
            "war_payoff_D": float(g.war_payoff_D[0]),
            "war": war,
        }
        return war_or_peace(self, p, war=war, regime=int(_regime_codes(g)[0]), payoffs=payoffs,
                            flags=Flags(boundary=abs(float(g.margin[0])) <= BOUNDARY_TOL),
                            explanation=explain(p, g), details=details)

    def _solve_batch(self, batch: dict[str, Any]) -> BatchOutcome:
        p1, p0 = batch["p1"], batch["p0"]
        check_power_shift_batch(p0, p1)
        g = guarantee(batch["delta"], p0, p1, batch["c_D"], batch["c_U"], batch["kappa"])
        w = g.war.astype(float)
        return self.batch_outcome(
            batch,
            regime=_regime_codes(g),
            probabilities=np.stack([w, 1.0 - w], axis=1),
            p_war=w,
            payoffs={"Declining state": np.where(g.war, g.war_payoff_D, g.peace_payoff_D),
                     "Rising state": np.where(g.war, g.war_payoff_R, 1.0 - g.peace_payoff_D)},
            boundary=np.abs(g.margin) <= BOUNDARY_TOL,
            multiple_equilibria=np.zeros(len(w), dtype=bool),
            assumption_violated=np.zeros(len(w), dtype=bool),
            details={"kappa_critical": g.kappa_critical},
        )

    def game(self, params: Mapping[str, Any] | None = None) -> None:
        """``None``: the game has an infinite horizon and a continuum of offers."""
        return None


def explain(p: Mapping[str, Any], g: Guarantee) -> str:
    """Plain-English account: κ against κ* and what it means."""
    k, k_star = p["kappa"], float(g.kappa_critical[0])
    war_d, best = float(g.war_payoff_D[0]), float(g.best_peace_D[0])
    head = (f"Declining state's value of war now is p0 − c_D = {war_d:.2f}; with a guarantee "
            f"honoured with probability κ = {k:.2f} the most it can secure peacefully is "
            f"{best:.2f}.")
    if k_star <= 0:
        return (f"{head} Peace is feasible even without a guarantee (κ* = {k_star:.2f} ≤ 0): "
                "the shift in power is too small or too slow to justify preventive war.")
    if g.war[0]:
        return (f"{head} A guarantee would prevent war only if it were honoured with "
                f"probability at least κ* = {k_star:.2f}; κ would have to rise by "
                f"{k_star - k:.2f}. Without a credible commitment technology the logic of "
                "preventive war applies.")
    return (f"{head} The guarantee is credible enough: κ exceeds the critical κ* = "
            f"{k_star:.2f} by {k - k_star:.2f}, so peace is feasible.")


MODELS = (CommitmentGuaranteeExtension(),)
