"""Fearon's bargaining range under complete information.

Game (docs/models/fearon_bargaining_range.md; Fearon 1995, *International Organization* 49(3),
pp. 386–390): a unit pie, ``x`` is Challenger's share; war gives Challenger the whole
pie with probability ``p`` at costs ``c_A``, ``c_B``, so the war payoffs are
``(p - c_A, 1 - p - c_B)``. With utilities ``u_A(x) = x**r_A`` and
``u_B(1-x) = (1-x)**r_B`` the bargaining range

``X* = [max(0, p-c_A)**(1/r_A), 1 - max(0, 1-p-c_B)**(1/r_B)]``

holds every share both sides prefer to war; with linear utility it is
``[p - c_A, p + c_B]`` of width ``c_A + c_B``, and risk aversion widens it.
In the take-it-or-leave-it SPE the proposer takes the far end of the range
(``x* = min(1, p + c_B)`` if Challenger proposes, ``max(0, p - c_A)`` if Target
does). The status quo ``q`` is revised only if it lies outside the range.

An exogenous demand ``x`` is accepted iff it is at most the upper end; with
the defaults Challenger's demand ``x = 0.9`` lies above ``p + c_B = 0.75``,
so it is rejected and war follows even under complete information.
That war comes from the demand, not from the bargaining problem: with
``demand_rule = 1`` Challenger instead makes its optimal demand ``x*``, the
top of the range as it sees it, and the stated ``x`` is reported beside it.
Challenger may overestimate its chance of prevailing by ``o_A`` (mutual
optimism, Blainey 1973; Fearon 1995, pp. 390–393): it then expects Target to
accept up to ``min(1, p + o_A) + c_B``, Target (knowing ``p``) rejects that
demand, and war follows despite a demand that was optimal by Challenger's
own beliefs. Negative costs (war profitable) can empty the range; that
violates Fearon's assumption and is flagged.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from sim.games.extensive_form import Decision, ExtensiveFormGame, Terminal
from sim.kernels.fearon import RANGE_REGIMES, believed_upper, fearon_range_outcome
from sim.kernels.tolerance import BOUNDARY_TOL
from sim.modelkit.text import apart, gap
from sim.modelkit.text import f2 as _f
from sim.modelkit.vocabulary import (
    CHALLENGER_TARGET,
    choice,
    demand,
    demand_rule,
    optimism,
    status_quo,
    utility_exponent,
    war_cost,
    win_probability,
)
from sim.models.base import BatchOutcome, Flags, Model, Outcome, first_point

__all__ = ["FearonBargainingRange", "MODELS"]

_TOL = BOUNDARY_TOL
_OUTCOMES = ("Agreement", "Status quo", "War")
_REGIMES = RANGE_REGIMES
_ACCEPT, _REJECT, _KEPT, _REVISED, _EMPTY = range(5)



class FearonBargainingRange(Model):
    """The set of deals Challenger and Target both prefer to war (complete information)."""

    name = "fearon_bargaining_range"
    family = "fearon"
    title = "Fearon bargaining range (complete information)"
    citation = ("Fearon (1995), International Organization 49(3): 379-414, pp. 386-390")
    description = (
        "Because war is costly, there is a range of settlements that both Challenger and "
        "Target prefer to fighting: from p − c_A (Challenger's war value) to p + c_B. With "
        "the defaults (p = 0.65, c_A = 0.15, c_B = 0.10) it is [0.50, 0.75]. The status quo q "
        "= 0.2 lies below it, so Challenger is dissatisfied; a demand x = 0.9 lies above it, "
        "so Target rejects it and war follows even though everything is known. A demand of "
        "0.75 would have been accepted."
    )
    roles = CHALLENGER_TARGET
    outcomes = _OUTCOMES
    regimes = _REGIMES
    params = (
        win_probability("Challenger"),
        war_cost("A", "Challenger", 0.15, lo=-0.5, note="negative: war profitable"),
        war_cost("B", "Target", 0.10, lo=-0.5, note="negative: war profitable"),
        utility_exponent("A", "Challenger"),
        utility_exponent("B", "Target"),
        status_quo("Challenger"),
        demand("Challenger"),
        choice("proposer", ("Challenger", "Target"),
               "who makes the take-it-or-leave-it offer"),
        choice("use_demand", ("status quo unless outside the range, then the proposer's offer",
                              "Target answers Challenger's demand x"),
               "whether Target answers the demand x or the status quo is revised", default=1,
               symbol="demand given"),
        demand_rule("as stated: Target answers x", "accept",
                    "which demand Target answers: the stated x or Challenger's optimal "
                    "demand x*"),
        optimism(),
    )

    @staticmethod
    def _answered(b: Mapping[str, Any]) -> dict[str, Any]:
        """``b`` with ``x`` replaced by the optimal demand where ``demand_rule`` asks for it."""
        x_star = believed_upper(b["p"], b["o_A"], b["c_B"], b["r_B"])
        optimal = np.asarray(b["demand_rule"], dtype=float) > 0.5
        return {**b, "x": np.where(optimal, x_star, np.asarray(b["x"], dtype=float)),
                "x_star": x_star}

    def _solve(self, p: dict[str, Any]) -> Outcome:
        b = self._answered(p)
        r = first_point(fearon_range_outcome(b))
        r["x_answered"] = float(np.atleast_1d(b["x"])[0])
        r["x_star"] = float(np.atleast_1d(b["x_star"])[0])
        code = int(r["regime"])
        label = ("War" if bool(r["war"]) else "Status quo" if code == _KEPT else "Agreement")
        probs = {o: float(o == label) for o in _OUTCOMES}
        ok = bool(r["nonempty"])
        details = {
            "lower": float(r["lower"]),
            "upper": float(r["upper"]),
            "nonempty": ok,
            "width": float(r["width"]),
            "tioli_challenger_proposes": float(r["offer_A"]) if ok else None,
            "tioli_target_proposes": float(r["offer_B"]) if ok else None,
            "demand_inside_range": bool(r["demand_inside"]),
            "demand_accepted": bool(r["accepted"]),
            "status_quo_inside_range": bool(r["q_inside"]),
            "challenger_dissatisfied": bool(p["q"] < r["lower"] - _TOL),
            "target_dissatisfied": bool(p["q"] > r["upper"] + _TOL),
            "settlement": None if bool(r["war"]) else float(r["share"]),
            "war_payoff_challenger": float(r["war_A"]),
            "war_payoff_target": float(r["war_B"]),
            "x_star": r["x_star"],
            "stated_demand": p["x"],
            "demand_answered": r["x_answered"],
            "demand_gap": p["x"] - r["x_star"],
        }
        acc = bool(r["accepted"])
        return self.point_outcome(
            p,
            outcome=label,
            regime=_REGIMES[code],
            probabilities=probs,
            p_war=probs["War"],
            payoffs={"Challenger": float(r["payoff_A"]), "Target": float(r["payoff_B"])},
            strategies={"Target (after demand x)": {"Accept": float(acc),
                                                    "Reject": float(not acc)}},
            flags=Flags(boundary=bool(self._boundary(b, r)),
                        assumption_violated=bool(r["violated"])),
            explanation=self._explain(p, r),
            details=details,
            method="closed form",
        )

    @staticmethod
    def _explain(p: dict[str, Any], r: dict[str, Any]) -> str:
        lo, hi = float(r["lower"]), float(r["upper"])
        code = int(r["regime"])
        if code == _EMPTY:
            return (f"The bargaining range is empty: Challenger needs at least {_f(lo)} to "
                    f"prefer a deal to war but Target concedes at most {_f(hi)}. This happens only "
                    f"because a war cost is negative (war profitable), which violates "
                    f"Fearon's assumption; war follows.")
        linear = p["r_A"] == 1.0 and p["r_B"] == 1.0
        s = (f"The bargaining range is [{_f(lo)}, {_f(hi)}], of width {_f(hi - lo)}: Challenger "
             f"prefers any share of at least {_f(lo)} to war "
             f"({'p − c_A' if linear else '(p − c_A)^(1/r_A)'}) and Target accepts any "
             f"demand up to {_f(hi)} "
             f"({'p + c_B' if linear else '1 − (1 − p − c_B)^(1/r_B)'}).")
        if not linear:
            s += " Risk aversion widens the range."
        x, q = float(r["x_answered"]), p["q"]
        optimal = p["demand_rule"] == 1 and p["use_demand"] == 1
        if optimal and code in (_ACCEPT, _REJECT):
            return s + FearonBargainingRange._explain_optimal(p, r, lo, hi)
        if code == _REJECT:
            s += (f" Challenger's demand x = {_f(x)} lies {gap(x - hi)} above the range, so Target "
                  f"rejects it and war follows even with complete information: the demand is "
                  f"outside the bargaining range. The demand would have to fall by "
                  f"{gap(x - hi)}" + (" (or c_B rise by as much)" if linear else "")
                  + " to be accepted.")
        elif code == _ACCEPT:
            where = (f"is {gap(hi - x)} below the top of the range" if hi - x > _TOL else
                     "is the top of the range")
            s += f" Challenger's demand x = {_f(x)} {where}, so Target accepts it."
            if x < lo - _TOL:
                s += (f" It is below {apart(x, lo)[1]}, so Challenger would have done better "
                      f"to fight.")
        elif code == _KEPT:
            s += (f" The status quo q = {_f(q)} lies inside the range, so neither side would "
                  f"fight to revise it.")
        else:
            who = "Target" if p["proposer"] == 1 else "Challenger"
            side = "Challenger" if q < lo else "Target"
            s += (f" The status quo q = {_f(q)} lies outside the range, so {side} is "
                  f"dissatisfied and it is revised to {who}'s take-it-or-leave-it offer "
                  f"{_f(float(r['share']))}.")
        s += (f" As proposer Challenger would ask for {_f(float(r['offer_A']))}; Target would "
              f"offer {_f(float(r['offer_B']))}.")
        if code == _REJECT and p["o_A"] == 0:
            s += (" War here is due to the demand, not to the bargaining problem: the optimal "
                  f"demand x* = {_f(float(r['offer_A']))} would have been accepted.")
        return s

    @staticmethod
    def _explain_optimal(p: dict[str, Any], r: dict[str, Any], lo: float, hi: float) -> str:
        x_star, x = float(r["x_star"]), p["x"]
        off = x - x_star
        if p["o_A"] > 0:
            p_A = min(1.0, p["p"] + p["o_A"])
            s = (f" Challenger overestimates its chance of prevailing by o_A = {_f(p['o_A'])}: "
                 f"it believes p = {_f(p_A)}, so the most it expects Target to accept, and its "
                 f"optimal demand, is x* = {_f(x_star)}.")
        else:
            s = f" Challenger makes its optimal demand x* = {_f(x_star)}, the top of the range."
        if bool(r["accepted"]):
            s += " Target accepts it: no war, even though everything is at stake."
        else:
            s += (f" Target, which knows p = {_f(p['p'])}, concedes at most {_f(hi)} and rejects "
                  f"it: war despite an optimal demand, because the two sides disagree about "
                  f"who would win (mutual optimism).")
            both = p["c_A"] + p["c_B"]
            if p["o_A"] > both + _TOL:
                s += (f" Its optimism exceeds c_A + c_B = {_f(both)}, so no deal Challenger "
                      f"prefers to war is one Target would accept.")
            else:
                s += (f" Deals both sides prefer to war still exist (its optimism is below "
                      f"c_A + c_B = {_f(both)}), but Challenger does not expect Target to hold "
                      f"out for them.")
        if abs(off) > _TOL:
            s += (f" The stated demand x = {_f(x)} lies {gap(abs(off))} "
                  f"{'above' if off > 0 else 'below'} x*")
            if x > hi + _TOL:
                s += (" and outside the range, so if it were pressed as stated war would come "
                      "from the demand itself, not from the bargaining problem.")
            else:
                s += ", inside the range: Target would accept it."
        return s

    @staticmethod
    def _boundary(b: Mapping[str, Any], r: Mapping[str, Any]) -> np.ndarray:
        # The optimal demand leaves Target indifferent by construction (the tie
        # rule settles it), so only a range of zero width is a knife edge there.
        optimal = (np.asarray(b["demand_rule"]) > 0.5) & (np.asarray(b["use_demand"]) > 0.5)
        flat = (np.abs(r["upper"] - r["lower"]) <= _TOL) & r["nonempty"]
        return np.where(optimal, flat, r["boundary"])

    def _solve_batch(self, batch: dict[str, Any]) -> BatchOutcome:
        b = self._answered(batch)
        r = fearon_range_outcome(b)
        code = r["regime"]
        war = r["war"]
        kept = code == _KEPT
        probs = np.stack([(~war & ~kept), kept, war], axis=1).astype(float)
        return self.batch_outcome(
            batch,
            regime=code,
            probabilities=probs,
            p_war=war.astype(float),
            payoffs={"Challenger": r["payoff_A"], "Target": r["payoff_B"]},
            boundary=self._boundary(b, r),
            multiple_equilibria=np.zeros(len(code), dtype=bool),
            assumption_violated=r["violated"],
            details={k: r[k] for k in ("lower", "upper", "nonempty", "width", "offer_A",
                                       "offer_B", "demand_inside")},
        )

    def game(self, params: Mapping[str, Any] | None = None) -> ExtensiveFormGame:
        """Two-move tree at the demand Target answers (``x``, or ``x*`` under
        ``demand_rule = 1``): Challenger keeps ``q`` or demands it; Target accepts or
        rejects (war)."""
        v = self.validate(params)
        p, q = v["p"], v["q"]
        x = float(np.atleast_1d(self._answered(v)["x"])[0])

        def u(z: float) -> tuple[float, float]:
            return (z ** v["r_A"], (1 - z) ** v["r_B"])

        tree = Decision(0, (
            ("Status quo", Terminal(u(q), "Status quo")),
            ("Demand", Decision(1, (
                ("Accept", Terminal(u(x), "Agreement")),
                ("Reject", Terminal((p - v["c_A"], 1 - p - v["c_B"]), "War")),
            ), infoset="Target: respond")),
        ), infoset="Challenger: demand")
        return ExtensiveFormGame(tree, self.players, title=self.title)


MODELS = (FearonBargainingRange(),)
