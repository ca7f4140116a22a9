"""Commitment problems and shifting power (docs/models/commitment_shifting_power.md; Powell 2006).

A declining state D faces a rising state R whose power grows. Each period
they split a pie of 1; payoffs are normalised averages (1−δ)Σδ^t u_t. D wins
a war started now with probability p0 and a later war with p1 ≤ p0; war is
absorbing and costs c_D, c_U.

Equilibrium conditions (closed form, :mod:`sim.kernels.commitment`):

* D proposes every period (the best case for D): peace iff
  p0 − c_D ≤ (1−δ) + δ·min(1, p1 + c_U); otherwise every SPE under every
  protocol is preventive war. Equivalently war iff p1 < p1* =
  (p0 − c_D − (1−δ))/δ − c_U (Powell 2006, §"Large, rapid shifts").
* R proposes every period: peace iff p0 − c_D ≤ (1−δ) + δ(p1 − c_D), i.e.
  war iff p1 < (p0 − c_D − (1−δ))/δ + c_D. This is stricter, so war can
  depend on the protocol.

The ``protocol`` switch selects which protocol the reported outcome and
payoffs follow; both are always in ``details``. D attacks only when war is
strictly better than the best peace (docs/models/README.md).

References
----------
Powell, R. (2006). War as a commitment problem. *International
Organization* 60(1), 169–203.
Fearon, J. D. (1995). Rationalist explanations for war. *International
Organization* 49(3), 379–414.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from sim.kernels.commitment import ShiftingPower, shifting_power
from sim.modelkit.commitment import check_power_shift_batch, war_or_peace
from sim.modelkit.vocabulary import DECLINING_RISING, check_power_shift, choice, commitment_params
from sim.models.base import BOUNDARY_TOL, BatchOutcome, Flags, Model, Outcome

__all__ = ["CommitmentShiftingPower", "MODELS"]

PROTOCOLS = ("D_proposes", "R_proposes")


def _finite_or_none(value: float) -> float | None:
    """``None`` where no discount factor below 1 flips the outcome."""
    return float(value) if np.isfinite(value) else None


def _regime_codes(s: ShiftingPower) -> np.ndarray:
    return np.where(s.war_best_case, 2, np.where(s.war_R_proposes, 1, 0)).astype(np.int64)


class CommitmentShiftingPower(Model):
    """Preventive war from a shift in power (Powell 2006)."""

    name = "commitment_shifting_power"
    family = "commitment"
    title = "Commitment problem: preventive war under shifting power"
    citation = ("Powell (2006), War as a commitment problem, International Organization "
                "60(1), section on large, rapid shifts in power; Fearon (1995), §4")
    description = (
        "Declining state is strong now but expects to be weaker once power shifts towards "
        "Rising state. Rising state cannot credibly promise to keep giving Declining state "
        "more than its future power would justify, so the most Declining state can get "
        "peacefully is the whole pie today and its future bargaining share afterwards. If a "
        "war now is worth more than that, Declining state fights a preventive war even with "
        "complete information. Larger and faster shifts, a patient declining state and cheap "
        "wars make war more likely; a myopic one does not fight."
    )
    roles = DECLINING_RISING
    outcomes = ("War", "Agreement")
    regimes = ("peace_under_every_protocol", "protocol_dependent_war", "preventive_war")
    params = commitment_params() + (
        choice("protocol", ("Declining state proposes", "Rising state proposes"),
               "who makes the offers (the declining state proposing is its best case)",
               unit="switch"),
    )

    def check_constraints(self, values: Mapping[str, Any]) -> None:
        check_power_shift(values)

    def _solve(self, p: dict[str, Any]) -> Outcome:
        s = shifting_power(p["delta"], p["p0"], p["p1"], p["c_D"], p["c_U"])
        r_prop = bool(p["protocol"])
        war = bool((s.war_R_proposes if r_prop else s.war_best_case)[0])
        peace_d = float((s.peace_payoff_D_R_proposes if r_prop else s.peace_payoff_D_best_case)[0])
        payoffs = ((float(s.war_payoff_D[0]), float(s.war_payoff_R[0])) if war
                   else (peace_d, 1.0 - peace_d))
        margins = (float(s.margin_best_case[0]), float(s.margin_R_proposes[0]))
        details = {
            "best_case": {
                "war": bool(s.war_best_case[0]),
                "war_payoff_D": float(s.war_payoff_D[0]),
                "best_peace_D": float(s.best_peace_D_best_case[0]),
            },
            "R_proposes": {
                "war": bool(s.war_R_proposes[0]),
                "war_payoff_D": float(s.war_payoff_D[0]),
                "best_peace_D": float(s.best_peace_D_R_proposes[0]),
            },
            "p1_critical_best_case": float(s.p1_critical_best_case[0]),
            "p1_critical_R_proposes": float(s.p1_critical_R_proposes[0]),
            "delta_critical_best_case": _finite_or_none(s.delta_critical_best_case[0]),
            "delta_critical_R_proposes": _finite_or_none(s.delta_critical_R_proposes[0]),
            "protocol": PROTOCOLS[int(r_prop)],
        }
        flags = Flags(boundary=min(abs(m) for m in margins) <= BOUNDARY_TOL,
                      assumption_violated=p["p1"] < p["c_D"])
        return war_or_peace(self, p, war=war, regime=int(_regime_codes(s)[0]), payoffs=payoffs,
                            flags=flags, explanation=explain(p, s, r_prop), details=details)

    def _solve_batch(self, batch: dict[str, Any]) -> BatchOutcome:
        p1, p0 = batch["p1"], batch["p0"]
        check_power_shift_batch(p0, p1)
        s = shifting_power(batch["delta"], p0, p1, batch["c_D"], batch["c_U"])
        r_prop = batch["protocol"].astype(bool)
        war = np.where(r_prop, s.war_R_proposes, s.war_best_case)
        peace_d = np.where(r_prop, s.peace_payoff_D_R_proposes, s.peace_payoff_D_best_case)
        w = war.astype(float)
        return self.batch_outcome(
            batch,
            regime=_regime_codes(s),
            probabilities=np.stack([w, 1.0 - w], axis=1),
            p_war=w,
            payoffs={"Declining state": np.where(war, s.war_payoff_D, peace_d),
                     "Rising state": np.where(war, s.war_payoff_R, 1.0 - peace_d)},
            boundary=np.minimum(np.abs(s.margin_best_case),
                                np.abs(s.margin_R_proposes)) <= BOUNDARY_TOL,
            multiple_equilibria=np.zeros(len(w), dtype=bool),
            assumption_violated=p1 < batch["c_D"],
            details={"p1_critical_best_case": s.p1_critical_best_case,
                     "p1_critical_R_proposes": s.p1_critical_R_proposes},
        )

    def game(self, params: Mapping[str, Any] | None = None) -> None:
        """``None``: the game has an infinite horizon and a continuum of offers."""
        return None


def explain(p: Mapping[str, Any], s: ShiftingPower, r_prop: bool) -> str:
    """Plain-English account: the binding inequality and the distance to the other side."""
    war_d = float(s.war_payoff_D[0])
    best = float(s.best_peace_D_best_case[0])
    rp = float(s.best_peace_D_R_proposes[0])
    p1, p1b, p1r = p["p1"], float(s.p1_critical_best_case[0]), float(s.p1_critical_R_proposes[0])
    future = min(1.0, p["p1"] + p["c_U"])
    text = [
        f"Declining state's value of war now is p0 − c_D = {war_d:.2f}. The most it can secure "
        f"peacefully is {best:.2f} when it makes the offers (the whole pie today, then at "
        f"most p1 + c_U = {future:.2f} a period, because Rising state cannot commit to more "
        f"once it is stronger) and {rp:.2f} when Rising state makes them."
    ]
    if s.war_best_case[0]:
        text.append(
            f"War now beats even the best peace, so every protocol ends in preventive war. "
            f"Future power p1 = {p1:.2f} is below the critical p1* = {p1b:.2f}; it would have "
            f"to rise by {p1b - p1:.2f} for peace to become feasible."
        )
    elif s.war_R_proposes[0]:
        text.append(
            f"Peace is feasible when Declining state makes the offers but not when Rising "
            f"state does: "
            f"p1 = {p1:.2f} lies between {p1b:.2f} and {p1r:.2f}, so war depends on the "
            "protocol."
        )
    else:
        text.append(
            f"Peace holds under either protocol: p1 = {p1:.2f} is above both critical values "
            f"({p1b:.2f} and {p1r:.2f}); it would have to fall by {p1 - p1r:.2f} before war "
            "becomes possible when Rising state makes the offers."
        )
    d_star = float((s.delta_critical_R_proposes if r_prop else s.delta_critical_best_case)[0])
    # δ* is infinite when no discount factor gives war (future share of 1).
    who = "Rising state" if r_prop else "Declining state"
    if 0.0 < d_star < 1.0:
        side = "above" if p["delta"] > d_star else "at or below"
        text.append(
            f"With {who} proposing, war occurs iff δ exceeds {d_star:.2f}; δ = "
            f"{p['delta']:.2f} is {side} it."
        )
    return " ".join(text)


MODELS = (CommitmentShiftingPower(),)
