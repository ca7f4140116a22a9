"""Fearon's risk–return trade-off: a take-it-or-leave-it offer under private war costs.

Game (docs/models/fearon_tioli_private_costs.md; Fearon 1995, *International Organization* 49(3),
pp. 393–395): the responder's war cost is drawn from ``U[c_lo, c_hi]`` and
known only to it; the proposer, whose own cost is known, makes a single
take-it-or-leave-it demand; the responder accepts iff its war payoff is no
better. The responder's cut-off strategy reduces the PBE to the proposer's
decision problem ``max_y y (1 - F(y - p)) + (p - c) F(y - p)``, solved by

``y* = min(1, clip(p + (c_hi - c)/2, p + c_lo, p + c_hi))``,

with ``P(war) = (c_hi - c - 2 c_lo)/(2 (c_hi - c_lo))`` in the interior,
the safe offer ``p + c_lo`` optimal iff ``c >= c_hi - 2 c_lo``, and the
corner ``y* = 1`` when ``p + (c_hi - c)/2 > 1``. Interior comparative
statics: ``dy*/dp = 1`` and P(war) does not depend on ``p`` (the neutrality
result discussed by Benson, Meirowitz & Ramsay).

Either side may propose: with Challenger proposing Target's cost is private
(``y`` is Challenger's share ``x``); with Target proposing Challenger's cost is
private and Challenger's share is ``x = 1 - y``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from sim.kernels.fearon import tioli_private_costs
from sim.modelkit.text import f2 as _f
from sim.modelkit.text import gap
from sim.modelkit.vocabulary import CHALLENGER_TARGET, choice, war_cost, win_probability
from sim.models.base import BatchOutcome, Flags, Model, ModelError, Outcome, ParamSpec, first_point

__all__ = ["FearonTioliPrivateCosts", "MODELS"]

_REGIMES = ("interior", "safe_offer", "corner_full_demand")



class FearonTioliPrivateCosts(Model):
    """Challenger's take-it-or-leave-it demand when it cannot see Target's war cost."""

    name = "fearon_tioli_private_costs"
    family = "fearon"
    title = "Take-it-or-leave-it demand under private war costs (risk-return trade-off)"
    citation = ("Fearon (1995), International Organization 49(3): 379-414, pp. 393-395")
    description = (
        "Challenger does not know how much Target is willing to pay for war: Target's cost is "
        "drawn from [c_lo, c_hi]. A take-it-or-leave-it demand that asks for more gains if "
        "Target's costs turn out high, but risks war if they are low. The optimal demand "
        "accepts a known risk of war, which rises with Target's cost uncertainty and falls "
        "with Challenger's own war cost, but does not depend on the balance of power p. "
        "Either side can be made the proposer."
    )
    roles = CHALLENGER_TARGET
    outcomes = ("Agreement", "War")
    regimes = _REGIMES
    params = (
        win_probability("Challenger"),
        war_cost("A", "Challenger", 0.15),
        war_cost("B", "Target", 0.10, note="used when Target proposes"),
        ParamSpec("c_lo", 0.0, meaning="lowest possible war cost of the responder",
                  symbol="c_lo"),
        ParamSpec("c_hi", 0.3, meaning="highest possible war cost of the responder",
                  symbol="c_hi"),
        choice("proposer", ("Challenger (Target's cost private)",
                            "Target (Challenger's cost private)"), "who makes the demand"),
    )

    def check_constraints(self, values: Mapping[str, Any]) -> None:
        if not values["c_lo"] < values["c_hi"]:
            raise ModelError(f"{self.name}: need c_lo < c_hi, got c_lo = {values['c_lo']:g}, "
                             f"c_hi = {values['c_hi']:g}")

    @staticmethod
    def _core(b: Mapping[str, Any]) -> dict[str, np.ndarray]:
        p, c_A, c_B, c_lo, c_hi = (np.asarray(b[k], dtype=float)
                                   for k in ("p", "c_A", "c_B", "c_lo", "c_hi"))
        target = np.asarray(b["proposer"], dtype=float) > 0.5
        r = tioli_private_costs(np.where(target, 1.0 - p, p), np.where(target, c_B, c_A),
                                c_lo, c_hi)
        r["x"] = np.where(target, 1.0 - r["demand"], r["demand"])
        r["eu_A"] = np.where(target, r["eu_responder"], r["eu_proposer"])
        r["eu_B"] = np.where(target, r["eu_proposer"], r["eu_responder"])
        r["target"] = target
        return r

    def _solve(self, p: dict[str, Any]) -> Outcome:
        r = first_point(self._core(p))
        pw = float(r["p_war"])
        code = int(r["regime"])
        target = bool(r["target"])
        prop_p = 1 - p["p"] if target else p["p"]
        details = {
            "x_star": float(r["x"]),
            "demand": float(r["demand"]),
            "p_war": pw,
            "eu_A": float(r["eu_A"]),
            "eu_B": float(r["eu_B"]),
            "cutoff_cost": float(r["demand"]) - prop_p,
            "interior_demand": float(r["interior"]),
            "safe_demand": prop_p + p["c_lo"],
            "safe_margin": float(r["safe_margin"]),
        }
        return self.point_outcome(
            p,
            outcome="War" if pw > 0.5 else "Agreement",
            regime=_REGIMES[code],
            probabilities={"Agreement": 1.0 - pw, "War": pw},
            p_war=pw,
            payoffs={"Challenger": float(r["eu_A"]), "Target": float(r["eu_B"])},
            strategies={
                ("Target" if target else "Challenger") + " (demand)": {_f(float(r["demand"])): 1.0},
                ("Challenger" if target else "Target") + " (response)": {
                    "Accept": 1.0 - pw, "Reject": pw},
            },
            flags=Flags(boundary=bool(r["boundary"])),
            explanation=self._explain(p, r, prop_p),
            details=details,
            method="closed form (PBE via the responder's cut-off)",
        )

    @staticmethod
    def _explain(p: dict[str, Any], r: dict[str, Any], prop_p: float) -> str:
        target = bool(r["target"])
        P, R = ("Target", "Challenger") if target else ("Challenger", "Target")
        cP = "c_B" if target else "c_A"
        c = p["c_B"] if target else p["c_A"]
        y, pw, code = float(r["demand"]), float(r["p_war"]), int(r["regime"])
        lo, hi = p["c_lo"], p["c_hi"]
        Pc = P[0].upper() + P[1:]
        s = (f"{Pc} cannot see {R}'s war cost, believed uniform on [{_f(lo)}, {_f(hi)}]. "
             f"Asking for more gains when {R}'s cost is high but risks war when it is low. ")
        if code == 0:
            s += (f"The best demand is {'1 − p' if target else 'p'} + (c_hi − {cP})/2 = {_f(y)} "
                  f"for {P}, accepted only if {R}'s cost is at least {_f(y - prop_p)}, so "
                  f"P(war) = {_f(pw)}. The safe demand {_f(prop_p + lo)} would be optimal only "
                  f"if {cP} rose by {gap(-float(r['safe_margin']))} to c_hi − 2c_lo = "
                  f"{_f(hi - 2 * lo)}. This risk of war does not depend on p.")
        elif code == 1:
            s += (f"Here {P}'s own war cost {cP} = {_f(c)} is at least c_hi − 2c_lo = "
                  f"{_f(hi - 2 * lo)} (by {gap(float(r['safe_margin']))}), so gambling does not "
                  f"pay: it demands the safe {_f(y)}, which every type accepts; P(war) = 0.")
        else:
            s += (f"The unconstrained best demand {_f(float(r['interior']))} exceeds the whole "
                  f"pie, so {P} demands everything; P(war) = {_f(pw)}.")
        return s + f" Challenger's share is x* = {_f(float(r['x']))}."

    def _solve_batch(self, batch: dict[str, Any]) -> BatchOutcome:
        lo, hi = batch["c_lo"], batch["c_hi"]
        bad = ~(lo < hi)
        if bad.any():
            k = int(np.argmax(bad))
            raise ModelError(f"{self.name}: need c_lo < c_hi, got c_lo = {lo[k]:g}, "
                             f"c_hi = {hi[k]:g}")
        r = self._core(batch)
        pw = r["p_war"]
        return self.batch_outcome(
            batch,
            regime=r["regime"],
            probabilities=np.stack([1.0 - pw, pw], axis=1),
            p_war=pw,
            payoffs={"Challenger": r["eu_A"], "Target": r["eu_B"]},
            boundary=r["boundary"],
            details={"x_star": r["x"], "demand": r["demand"]},
        )

    def game(self, params: Mapping[str, Any] | None = None) -> None:
        """No finite game: the demand is a continuous choice against a continuum of types."""
        return None


MODELS = (FearonTioliPrivateCosts(),)
