"""Compellence threat game with audience costs, complete information (SPE).

Game (docs/models/threat_game_complete_info.md; Fearon 1994, *APSR* 88(3); Schultz 2001, ch. 2;
Kydd 2015, ch. 8): Challenger (the challenger) keeps the status quo ``q`` or
demands ``x`` backed by a threat; Target concedes or resists; after
resistance Challenger executes the threat (war) or backs down. Payoffs
(Challenger, Target): status quo ``(q, 1-q)``, concession ``(x, 1-x)``, war
``(p-c_A, 1-p-c_B)``, back down ``(q-a_A, 1-q+b_B)``.

Backward induction with the tie rules of §0:

* Challenger executes iff ``p - c_A > q - a_A`` (credibility; the audience cost
  ``a_A`` "ties hands");
* Target concedes iff ``1 - x`` is at least its payoff from resisting;
* Challenger demands iff what follows is strictly better than ``q``.

A credible challenger's best demand is ``x* = min(1, p + c_B)``; an
exogenous demand above ``p + c_B`` is resisted and ends in war even under
complete information ("demand outside the bargaining range").
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from sim.games.extensive_form import ExtensiveFormGame
from sim.kernels import threat_game as tg
from sim.kernels.threat_game import threat_tree
from sim.modelkit.signalling import ci_batch
from sim.modelkit.text import f2 as _f
from sim.modelkit.vocabulary import audience_cost, demand, status_quo, war_cost, win_probability
from sim.models.base import BatchOutcome, Flags, Model, Outcome, ParamSpec

__all__ = ["ThreatGameCompleteInfo", "threat_tree", "MODELS"]

_OUTCOMES = ("Status quo", "Concession", "War", "Back down")



class ThreatGameCompleteInfo(Model):
    """Challenger's threat against Target with an audience cost, complete information."""

    name = "threat_game_complete_info"
    family = "compellence"
    title = "Compellence threat game (complete information)"
    citation = ("Fearon (1994), APSR 88(3): 577-592; Schultz (2001), ch. 2")
    description = (
        "Challenger demands a share x, backed by the threat of war, or keeps the status quo "
        "q. Target concedes or resists; if resisted, Challenger goes to war or backs down at "
        "audience cost a_A, its domestic cost of a visible climb-down. With the defaults the "
        "threat is credible, but the demand x = 0.9 exceeds p + c_B = 0.75, the most Target "
        "would concede, so war follows even with everything known; a demand of 0.75 would "
        "have been conceded."
    )
    roles = {"challenger": "Challenger", "target": "Target"}
    outcomes = _OUTCOMES
    regimes = tg.CI_REGIMES
    params = (
        status_quo("Challenger"),
        demand("Challenger"),
        win_probability("Challenger"),
        war_cost("A", "Challenger", 0.15),
        war_cost("B", "Target", 0.10),
        audience_cost("A", "Challenger"),
        ParamSpec("b_B", 0.0, hi=1.0, meaning="Target's reputational gain if Challenger backs down",
                  symbol="b_B"),
    )

    # -- core ---------------------------------------------------------------
    @staticmethod
    def _core(b: dict[str, Any]) -> dict[str, np.ndarray]:
        q, x, p, c_A, c_B = (np.asarray(b[k], dtype=float) for k in ("q", "x", "p", "c_A", "c_B"))
        a, bw = np.asarray(b["a_A"], dtype=float), np.asarray(b["b_B"], dtype=float)
        r = tg.complete_info(q, x, p - c_A, q - a, 1 - q, 1 - x, 1 - p - c_B, 1 - q + bw)
        credible = r["executes"]
        # Largest demand Target concedes: p + c_B against a credible
        # threat, q - b_B against one it can call.
        r["x_star"] = np.clip(np.where(credible, p + c_B, q - bw), 0.0, 1.0)
        r["x_star_demanded"] = r["x_star"] - q > 1e-12
        return r

    def _solve(self, p: dict[str, Any]) -> Outcome:
        r = {k: np.atleast_1d(v)[0] for k, v in self._core(p).items()}
        code = int(r["outcome"])
        label = _OUTCOMES[code]
        probs = {o: float(i == code) for i, o in enumerate(_OUTCOMES)}
        ex, conc, chal = bool(r["executes"]), bool(r["concedes"]), bool(r["challenges"])
        details = {
            "credible": ex,
            "target_concedes_if_challenged": conc,
            "challenger_demands": chal,
            "credibility_margin": float(r["credibility"]),
            "concession_margin": float(r["concession"]),
            "challenge_margin": float(r["challenge"]),
            "war_payoff_challenger": p["p"] - p["c_A"],
            "war_payoff_target": 1 - p["p"] - p["c_B"],
            "max_conceded_demand": float(r["x_star"]),
            "x_star": float(r["x_star"]),
            "x_star_demanded": bool(r["x_star_demanded"]),
            "demand_inside_range": p["x"] <= p["p"] + p["c_B"] + 1e-12,
        }
        return self.point_outcome(
            p,
            outcome=label,
            regime=tg.CI_REGIMES[code],
            probabilities=probs,
            p_war=probs["War"],
            payoffs={"Challenger": float(r["payoff_C"]), "Target": float(r["payoff_T"])},
            strategies={
                "Challenger (start)": {"Demand": float(chal), "Status quo": float(not chal)},
                "Target (after demand)": {"Concede": float(conc), "Resist": float(not conc)},
                "Challenger (after resistance)": {"Execute": float(ex), "Back down": float(not ex)},
            },
            flags=Flags(boundary=bool(r["boundary"])),
            explanation=self._explain(p, r),
            details=details,
            method="closed form (backward induction)",
        )

    def _explain(self, p: dict[str, Any], r: dict[str, Any]) -> str:
        war_A, sq_bd = p["p"] - p["c_A"], p["q"] - p["a_A"]
        m = war_A - sq_bd
        if m > 1e-12:
            s1 = (f"Challenger's threat is credible because p − c_A = {_f(war_A)} exceeds "
                  f"q − a_A = {_f(sq_bd)}; c_A would have to rise by {_f(m)} for Challenger to "
                  f"back down instead.")
        else:
            s1 = (f"Challenger's threat is not credible because p − c_A = {_f(war_A)} does not "
                  f"exceed q − a_A = {_f(sq_bd)}; an audience cost higher by {_f(-m)} would "
                  f"tie Challenger's hands and make it credible.")
        resist_B = (1 - p["p"] - p["c_B"]) if m > 1e-12 else (1 - p["q"] + p["b_B"])
        top = float(r["x_star"])
        if bool(r["concedes"]):
            s2 = (f"Target concedes any demand up to {_f(top)}; the demand x = {_f(p['x'])} "
                  f"is {_f(top - p['x'])} below that, since conceding leaves it "
                  f"{_f(1 - p['x'])} against {_f(resist_B)} from resisting.")
        else:
            s2 = (f"Target would concede at most {_f(top)}; the demand x = {_f(p['x'])} "
                  f"exceeds that by {_f(p['x'] - top)}, so it resists "
                  f"({_f(resist_B)} from resisting beats {_f(1 - p['x'])} from conceding).")
        cm = float(r["challenge"])
        after = {1: "Target concedes", 2: "war follows", 3: "Challenger backs down"}
        code_if = 1 if bool(r["concedes"]) else (2 if bool(r["executes"]) else 3)
        if bool(r["challenges"]):
            s3 = (f"Challenger makes the demand because it then gets {_f(p['q'] + cm)}, "
                  f"{_f(cm)} more than the status quo q = {_f(p['q'])}, and {after[code_if]}.")
        else:
            s3 = (f"Challenger keeps the status quo: demanding would leave it "
                  f"{_f(p['q'] + cm)}, not more than q = {_f(p['q'])}.")
        if m > 1e-12:
            s4 = (f"A demand chosen optimally, x* = {_f(top)}, would be conceded"
                  + (" and beat the status quo." if bool(r["x_star_demanded"]) else
                     ", but it does not beat the status quo, so Challenger would not make it."))
        else:
            s4 = "Because the threat can be called, no demand above the status quo is conceded."
        return " ".join((s1, s2, s3, s4))

    def _solve_batch(self, batch: dict[str, Any]) -> BatchOutcome:
        r = self._core(batch)
        return ci_batch(self, batch, r, {"credible": r["executes"],
                                         "target_concedes": r["concedes"],
                                         "challenger_demands": r["challenges"],
                                         "x_star": r["x_star"]})

    def game(self, params: Mapping[str, Any] | None = None) -> ExtensiveFormGame:
        """The perfect-information tree at the given demand ``x``."""
        v = self.validate(params)
        q, x, p = v["q"], v["x"], v["p"]
        tree = threat_tree({
            "sq": (q, 1 - q),
            "give": (x, 1 - x),
            "execute": (p - v["c_A"], 1 - p - v["c_B"]),
            "back_down": (q - v["a_A"], 1 - q + v["b_B"]),
        })
        return ExtensiveFormGame(tree, self.players, title=self.title)


MODELS = (ThreatGameCompleteInfo(),)
