"""Rubinstein bargaining with war as an outside option (outside-option principle).

Game (docs/models/rubinstein_outside_option.md; Binmore, Shaked & Sutton 1989,
*QJE* 104(4); Osborne &
Rubinstein 1990, §3.12): alternating offers as in Rubinstein (1982), but a
responder may also opt out -- start a war -- which ends the game at once
with war payoffs ``(w1, w2) = (p - c1, 1 - p - c2)``. The stationary SPE
solves ``M1 = 1 - max(w2, d2 M2)``, ``M2 = 1 - max(w1, d1 M1)`` (a
contraction); agreement is immediate with the first proposer's share
``x1 = M1``. An option binds only if it beats what its holder would get by
continuing to bargain; otherwise it is irrelevant, however good it is.

``opt_out_timing = 1`` ("any node") also lets a proposer start a war instead
of proposing. A proposer would do so only if its war payoff exceeded ``M``,
which cannot happen when the war payoffs sum to at most 1 (non-negative
costs, as the parameter ranges require), so both timings give the same SPE;
the solver still checks the proposer's incentive. Powell (1996, 1999) uses
flow war payoffs instead; this model follows the responder-option convention above.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from sim.kernels.bargaining import OO_REGIMES, outside_option_shares
from sim.kernels.tolerance import BOUNDARY_TOL
from sim.modelkit.text import apart, gap
from sim.modelkit.text import f2 as _f
from sim.modelkit.vocabulary import (
    SIDES,
    alternating_offer_params,
    choice,
    war_cost,
    win_probability,
)
from sim.models.base import BatchOutcome, Flags, Model, Outcome, first_point

__all__ = ["RubinsteinOutsideOption", "MODELS"]




class RubinsteinOutsideOption(Model):
    """Alternating offers in which either side, when responding, can start a war."""

    name = "rubinstein_outside_option"
    family = "rubinstein_nbs"
    title = "Rubinstein bargaining with war as an outside option"
    citation = ("Binmore, Shaked & Sutton (1989), QJE 104(4): 753-770; Osborne & Rubinstein "
                "(1990), §3.12")
    description = (
        "Side A and Side B alternate proposals, and the side that receives an offer can "
        "reject it, counter-propose next round, or start a war. Side A's patience advantage "
        "would give it 0.78 of the pie with the defaults, but Side B's war option (1 − p − "
        "c_B = 0.25) caps Side A's share at 0.75: an outside option matters only when it "
        "beats what its holder would get by continuing to bargain."
    )
    roles = SIDES
    outcomes = ("Agreement", "War")
    regimes = OO_REGIMES
    params = (
        *alternating_offer_params("Side A", "Side B"),
        win_probability("Side A"),
        war_cost("A", "Side A", 0.15),
        war_cost("B", "Side B", 0.10),
        choice("opt_out_timing", ("responders only", "any player at any node"),
               "who may start a war", symbol="opt-out timing"),
    )

    @staticmethod
    def _core(b: Mapping[str, Any]) -> dict[str, np.ndarray]:
        dR, dW, p, c_A, c_B = (np.asarray(b[k], dtype=float)
                               for k in ("delta_A", "delta_B", "p", "c_A", "c_B"))
        side_b = np.asarray(b["proposer"], dtype=float) > 0.5
        any_node = np.asarray(b["opt_out_timing"], dtype=float) > 0.5
        w_A, w_B = p - c_A, 1.0 - p - c_B
        d1, d2 = np.where(side_b, dW, dR), np.where(side_b, dR, dW)
        w1, w2 = np.where(side_b, w_B, w_A), np.where(side_b, w_A, w_B)
        r = outside_option_shares(d1, d2, w1, w2)
        # With any-node timing the first proposer starts a war if that is
        # strictly better than its agreement share.
        war = any_node & (w1 - r["x1"] > BOUNDARY_TOL)
        r["war"] = war
        r["w1"], r["w2"] = w1, w2
        x_A = np.where(side_b, 1.0 - r["x1"], r["x1"])
        r["x_A"] = x_A
        r["pay_A"] = np.where(war, w_A, x_A)
        r["pay_B"] = np.where(war, w_B, 1.0 - x_A)
        r["side_b"] = side_b
        r["boundary"] = r["boundary"] | (any_node & (np.abs(w1 - r["x1"]) <= BOUNDARY_TOL))
        return r

    def _solve(self, p: dict[str, Any]) -> Outcome:
        r = first_point(self._core(p))
        war = bool(r["war"])
        code = int(r["regime"])
        side_b = bool(r["side_b"])
        first, second = ("Side B", "Side A") if side_b else ("Side A", "Side B")
        details = {
            "x1": float(r["x1"]),
            "x2": 1.0 - float(r["x1"]),
            "w1": float(r["w1"]),
            "w2": float(r["w2"]),
            "x_A": float(r["x_A"]),
            "rubinstein_x1_without_options": float(r["rubinstein"]),
            "option_1_binding": bool(r["binding_1"]),
            "option_2_binding": bool(r["binding_2"]),
            "margin_1": float(r["margin_1"]),
            "margin_2": float(r["margin_2"]),
            "first_proposer": first,
        }
        return self.point_outcome(
            p,
            outcome="War" if war else "Agreement",
            regime=OO_REGIMES[code],
            probabilities={"Agreement": float(not war), "War": float(war)},
            p_war=float(war),
            payoffs={"Side A": float(r["pay_A"]), "Side B": float(r["pay_B"])},
            strategies={f"{first} (first offer)": {_f(float(r["x1"])): 1.0},
                        f"{second} (response)": {"Accept": 1.0, "Reject": 0.0,
                                                 "Opt out": 0.0}},
            flags=Flags(boundary=bool(r["boundary"])),
            explanation=self._explain(r, first, second),
            details=details,
            method="closed form (stationary SPE)",
        )

    @staticmethod
    def _explain(r: dict[str, Any], first: str, second: str) -> str:
        def the(s: str) -> str:
            return "Side B" if s == "Side B" else s

        x1, rub = float(r["x1"]), float(r["rubinstein"])
        w1, w2 = float(r["w1"]), float(r["w2"])
        m1, m2 = float(r["margin_1"]), float(r["margin_2"])
        F, S = the(first), the(second)
        Fc = F[0].upper() + F[1:]
        s = (f"{Fc} proposes first. Without war options it would get {_f(rub)} "
             f"(Rubinstein's share).")
        if bool(r["binding_2"]):
            war, on = apart(w2, w2 - m2)
            s += (f" But {S}'s war payoff {war} {'beats' if m2 > 0 else 'matches'} the {on} it "
                  f"could expect by rejecting and bargaining on, so {F} must leave it at least "
                  f"that: "
                  f"{F}'s share is capped at 1 − w = {_f(x1)}.")
        else:
            s += (f" {S[0].upper() + S[1:]}'s war payoff {_f(w2)} is {gap(-m2)} below what "
                  f"it expects from bargaining on, so its option is irrelevant.")
        if bool(r["binding_1"]):
            s += (f" {Fc}'s own war option ({_f(w1)}) binds when it responds, raising what "
                  f"{S} must offer it.")
        else:
            s += (f" {Fc}'s war option ({_f(w1)}) would have to rise by {gap(-m1)} to "
                  f"matter.")
        s += f" Agreement is immediate: {F} gets {_f(x1)}, {S} {_f(1 - x1)}."
        if bool(r["war"]):
            s += f" With opt-outs at any node {F} prefers war ({_f(w1)}) and starts it."
        return s

    def _solve_batch(self, batch: dict[str, Any]) -> BatchOutcome:
        r = self._core(batch)
        war = r["war"].astype(float)
        return self.batch_outcome(
            batch,
            regime=r["regime"],
            probabilities=np.stack([1.0 - war, war], axis=1),
            p_war=war,
            payoffs={"Side A": r["pay_A"], "Side B": r["pay_B"]},
            boundary=r["boundary"],
            details={"x1": r["x1"], "x_A": r["x_A"], "option_1_binding": r["binding_1"],
                     "option_2_binding": r["binding_2"]},
        )

    def game(self, params: Mapping[str, Any] | None = None) -> None:
        """No finite game: offers are continuous and the horizon is infinite."""
        return None


MODELS = (RubinsteinOutsideOption(),)
