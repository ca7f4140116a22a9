"""Rubinstein bargaining with war as an outside option (outside-option principle).

Game (models.md §4b; Binmore, Shaked & Sutton 1989, *QJE* 104(4); Osborne &
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
from sim.models.base import BatchOutcome, Flags, Model, Outcome, ParamSpec
from sim.models.rubinstein import delta_params

__all__ = ["RubinsteinOutsideOption", "MODELS"]

_TOL = 1e-12


def _f(v: float) -> str:
    return f"{v:.2f}"


class RubinsteinOutsideOption(Model):
    """Alternating offers in which either side, when responding, can start a war."""

    name = "rubinstein_outside_option"
    family = "rubinstein_nbs"
    title = "Rubinstein bargaining with war as an outside option"
    citation = ("Binmore, Shaked & Sutton (1989), QJE 104(4): 753-770; Osborne & Rubinstein "
                "(1990), §3.12; models.md §4b")
    description = (
        "Russia and the West alternate proposals, and the side that receives an offer can "
        "reject it, counter-propose next round, or start a war. Russia's patience advantage "
        "would give it 0.78 of the pie with the 2022 teaching values, but the West's war "
        "option (1 − p − c_W = 0.25) caps Russia's share at 0.75: an outside option matters "
        "only when it beats what its holder would get by continuing to bargain."
    )
    players = ("Russia", "West")
    outcomes = ("Agreement", "War")
    regimes = OO_REGIMES
    params = (
        *delta_params(),
        ParamSpec("p", 0.65, unit="probability",
                  meaning="probability that Russia imposes its terms by war", symbol="p"),
        ParamSpec("c_R", 0.15, meaning="Russia's cost of war", symbol="c_R"),
        ParamSpec("c_W", 0.10, meaning="the West's cost of war", symbol="c_W"),
        ParamSpec("opt_out_timing", 0, hi=1, step=1, unit="choice", kind="integer",
                  meaning="who may start a war: 0 responders only, 1 any player at any node",
                  symbol="opt-out timing"),
    )

    @staticmethod
    def _core(b: Mapping[str, Any]) -> dict[str, np.ndarray]:
        dR, dW, p, c_R, c_W = (np.asarray(b[k], dtype=float)
                               for k in ("delta_R", "delta_W", "p", "c_R", "c_W"))
        west = np.asarray(b["proposer"], dtype=float) > 0.5
        any_node = np.asarray(b["opt_out_timing"], dtype=float) > 0.5
        w_R, w_W = p - c_R, 1.0 - p - c_W
        d1, d2 = np.where(west, dW, dR), np.where(west, dR, dW)
        w1, w2 = np.where(west, w_W, w_R), np.where(west, w_R, w_W)
        r = outside_option_shares(d1, d2, w1, w2)
        # With any-node timing the first proposer starts a war if that is
        # strictly better than its agreement share.
        war = any_node & (w1 - r["x1"] > _TOL)
        r["war"] = war
        r["w1"], r["w2"] = w1, w2
        x_R = np.where(west, 1.0 - r["x1"], r["x1"])
        r["x_R"] = x_R
        r["pay_R"] = np.where(war, w_R, x_R)
        r["pay_W"] = np.where(war, w_W, 1.0 - x_R)
        r["west"] = west
        r["boundary"] = r["boundary"] | (any_node & (np.abs(w1 - r["x1"]) <= _TOL))
        return r

    def _solve(self, p: dict[str, Any]) -> Outcome:
        r = {k: np.atleast_1d(v)[0] for k, v in self._core(p).items()}
        war = bool(r["war"])
        code = int(r["regime"])
        west = bool(r["west"])
        first, second = ("West", "Russia") if west else ("Russia", "West")
        details = {
            "x1": float(r["x1"]),
            "x2": 1.0 - float(r["x1"]),
            "w1": float(r["w1"]),
            "w2": float(r["w2"]),
            "x_R": float(r["x_R"]),
            "rubinstein_x1_without_options": float(r["rubinstein"]),
            "option_1_binding": bool(r["binding_1"]),
            "option_2_binding": bool(r["binding_2"]),
            "margin_1": float(r["margin_1"]),
            "margin_2": float(r["margin_2"]),
            "first_proposer": first,
        }
        return Outcome(
            model=self.name,
            params=p,
            outcome="War" if war else "Agreement",
            regime=OO_REGIMES[code],
            probabilities={"Agreement": float(not war), "War": float(war)},
            p_war=float(war),
            payoffs={"Russia": float(r["pay_R"]), "West": float(r["pay_W"])},
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
            return "the West" if s == "West" else s

        x1, rub = float(r["x1"]), float(r["rubinstein"])
        w1, w2 = float(r["w1"]), float(r["w2"])
        m1, m2 = float(r["margin_1"]), float(r["margin_2"])
        F, S = the(first), the(second)
        Fc = F[0].upper() + F[1:]
        s = (f"{Fc} proposes first. Without war options it would get {_f(rub)} "
             f"(Rubinstein's share).")
        if bool(r["binding_2"]):
            s += (f" But {S}'s war payoff {_f(w2)} beats the {_f(w2 - m2)} it could expect "
                  f"by rejecting and bargaining on, so {F} must leave it at least that: "
                  f"{F}'s share is capped at 1 − w = {_f(x1)}.")
        else:
            s += (f" {S[0].upper() + S[1:]}'s war payoff {_f(w2)} is {_f(-m2)} below what "
                  f"it expects from bargaining on, so its option is irrelevant.")
        if bool(r["binding_1"]):
            s += (f" {Fc}'s own war option ({_f(w1)}) binds when it responds, raising what "
                  f"{S} must offer it.")
        else:
            s += (f" {Fc}'s war option ({_f(w1)}) would have to rise by {_f(-m1)} to "
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
            payoffs={"Russia": r["pay_R"], "West": r["pay_W"]},
            boundary=r["boundary"],
            details={"x1": r["x1"], "x_R": r["x_R"], "option_1_binding": r["binding_1"],
                     "option_2_binding": r["binding_2"]},
        )

    def game(self, params: Mapping[str, Any] | None = None) -> None:
        """No finite game: offers are continuous and the horizon is infinite."""
        return None


MODELS = (RubinsteinOutsideOption(),)
