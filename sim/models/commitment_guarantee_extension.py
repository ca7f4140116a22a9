"""Legally binding guarantees as a commitment technology.

See docs/models/commitment_guarantee_extension.md.

A simulator extension of Powell's (2006) shifting-power game, not in Powell:
with probability κ a legally binding guarantee (no enlargement, say) is
honoured, and then it stops the shift in power: the declining state D keeps
its chance p0 and can secure M = min(1, p0 + c_U) in every future period.
Otherwise power shifts and D gets the best-case future share
m = min(1, p1 + c_U). Peace is feasible iff

    p0 − c_D ≤ (1−δ) + δ[κ·M + (1−κ)·m],

that is iff κ ≥ κ* = (p0 − c_D − (1−δ) − δm) / (δ(M − m)). κ* ≤ 0 means peace
holds without any guarantee, and κ* ≤ 1 always: a guarantee sure to be
honoured removes the commitment problem. With the teaching
defaults (δ = 0.9, p0 = 0.6, p1 = 0.3, c_D = c_U = 0.05),
κ* = 0.135 / 0.27 = 0.50. The declining state attacks only if war is strictly
better than the best peace (docs/models/README.md).

The earlier reading, in which an honoured guarantee hands D the whole
pie (M = 1, κ* = 0.231 at those defaults), overstates what a guarantee
of the status quo gives; it is kept as the choice ``honoured = 1``.

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
from sim.modelkit.vocabulary import DECLINING_RISING, check_power_shift, choice, commitment_params
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
        "The declining state asks for a binding guarantee that the balance of power will not "
        "shift against it. Read as a commitment technology, a guarantee honoured with "
        "probability κ freezes the shift: the declining state keeps its present chance of "
        "winning, and the share that chance fetches, instead of what its declining power "
        "would fetch. The model computes the critical credibility κ* above which peace is "
        "feasible (0.50 with the defaults). A rising state that cannot bind itself (κ near 0) "
        "leaves the commitment problem in place, so with the defaults the model predicts "
        "preventive war."
    )
    roles = DECLINING_RISING
    outcomes = ("War", "Agreement")
    regimes = ("peace_without_guarantee", "guarantee_secures_peace", "preventive_war")
    params = commitment_params() + (
        ParamSpec("kappa", 0.0, unit="probability",
                  meaning="probability that a legally binding guarantee is honoured",
                  symbol="κ"),
        choice("honoured", ("the shift in power is frozen", "the declining state gets the "
                            "whole pie"),
               "what an honoured guarantee gives the declining state in future",
               symbol="honoured guarantee"),
    )

    def check_constraints(self, values: Mapping[str, Any]) -> None:
        check_power_shift(values)

    def _solve(self, p: dict[str, Any]) -> Outcome:
        g = guarantee(p["delta"], p["p0"], p["p1"], p["c_D"], p["c_U"], p["kappa"],
                      p["honoured"])
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
        g = guarantee(batch["delta"], p0, p1, batch["c_D"], batch["c_U"], batch["kappa"],
                      batch["honoured"])
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
    gives = ("the whole pie" if p["honoured"] else
             f"the share its present power fetches, min(1, p0 + c_U) = "
             f"{min(1.0, p['p0'] + p['c_U']):.2f}, because the shift in power is frozen")
    head = (f"Declining state's value of war now is p0 − c_D = {war_d:.2f}. An honoured "
            f"guarantee gives it {gives}; one that fails leaves it min(1, p1 + c_U) = "
            f"{min(1.0, p['p1'] + p['c_U']):.2f}. With a guarantee honoured with probability "
            f"κ = {k:.2f} the most it can secure peacefully is {best:.2f}.")
    if k_star <= 0:
        return (f"{head} Peace is feasible even without a guarantee (κ* = {k_star:.2f} ≤ 0): "
                "the shift in power is too small or too slow to justify preventive war.")
    if not np.isfinite(k_star):
        return (f"{head} No guarantee helps: power does not shift, so a guarantee that "
                "freezes it changes nothing, and war is better than peace regardless.")
    if g.war[0]:
        return (f"{head} A guarantee would prevent war only if it were honoured with "
                f"probability at least κ* = {k_star:.2f}; κ would have to rise by "
                f"{k_star - k:.2f}. Without a credible commitment technology the logic of "
                "preventive war applies.")
    return (f"{head} The guarantee is credible enough: κ exceeds the critical κ* = "
            f"{k_star:.2f} by {k - k_star:.2f}, so peace is feasible.")


MODELS = (CommitmentGuaranteeExtension(),)
