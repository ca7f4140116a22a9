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
complete information ("demand outside the bargaining range"). With
``demand_rule = 1`` Challenger makes its optimal demand ``x*`` and the stated
``x`` is reported beside it, so that war from an ill-chosen demand can be
told from war despite an optimal one. Challenger may overestimate its chance
of prevailing by ``o_A`` (optimism; Blainey 1973, Fearon 1995 pp. 390–393):
it then decides, and chooses ``x*``, as if it won with ``min(1, p + o_A)``,
while Target answers knowing ``p``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from sim.games.extensive_form import ExtensiveFormGame
from sim.kernels import threat_game as tg
from sim.kernels.threat_game import threat_tree
from sim.modelkit.signalling import ci_batch
from sim.modelkit.text import apart, gap
from sim.modelkit.text import f2 as _f
from sim.modelkit.vocabulary import (
    CHALLENGER_TARGET,
    audience_cost,
    demand,
    demand_rule,
    optimism,
    status_quo,
    war_cost,
    win_probability,
)
from sim.models.base import BatchOutcome, Flags, Model, Outcome, ParamSpec, first_point

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
    roles = CHALLENGER_TARGET
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
        demand_rule("as stated: Challenger demands x", "concede",
                    "which demand Challenger makes: the stated x or its optimal demand x*"),
        optimism(),
    )

    # -- core ---------------------------------------------------------------
    @staticmethod
    def _core(b: dict[str, Any]) -> dict[str, np.ndarray]:
        q, x, p, c_A, c_B = (np.asarray(b[k], dtype=float) for k in ("q", "x", "p", "c_A", "c_B"))
        a, bw = np.asarray(b["a_A"], dtype=float), np.asarray(b["b_B"], dtype=float)
        # Challenger decides on its own estimate of p; Target on the true one.
        p_A = np.minimum(1.0, p + np.asarray(b["o_A"], dtype=float))
        seen_credible = p_A - c_A - (q - a) > 1e-12
        x_seen = np.clip(np.where(seen_credible, p_A + c_B, q - bw), 0.0, 1.0)
        x = np.where(np.asarray(b["demand_rule"], dtype=float) > 0.5, x_seen, x)
        r = tg.complete_info(q, x, p_A - c_A, q - a, 1 - q, 1 - x, 1 - p - c_B, 1 - q + bw)
        credible = r["executes"]
        # Largest demand Target concedes: p + c_B against a credible
        # threat, q - b_B against one it can call.
        r["x_star"] = np.clip(np.where(credible, p + c_B, q - bw), 0.0, 1.0)
        r["x_star_demanded"] = r["x_star"] - q > 1e-12
        r["x_made"] = x
        r["x_seen"] = x_seen
        if np.any(np.asarray(b["demand_rule"]) > 0.5):
            # The optimal demand leaves Target indifferent by construction; the
            # tie rule settles that, so it is no knife edge.
            tie = np.abs(r["concession"]) <= 1e-12
            r["boundary"] = np.where((np.asarray(b["demand_rule"]) > 0.5) & tie,
                                     (np.abs(r["credibility"]) <= 1e-12)
                                     | (np.abs(r["challenge"]) <= 1e-12), r["boundary"])
        return r

    def _solve(self, p: dict[str, Any]) -> Outcome:
        r = first_point(self._core(p))
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
            "stated_demand": p["x"],
            "demand_made": float(r["x_made"]),
            "demand_gap": p["x"] - float(r["x_star"]),
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
        text = self._explain_at(p, r)
        x, top, made = p["x"], float(r["x_star"]), float(r["x_made"])
        if p["demand_rule"] == 1:
            lead = ("Challenger makes its optimal demand" if p["o_A"] == 0 else
                    f"Challenger overestimates its chance of prevailing by o_A = "
                    f"{_f(p['o_A'])} (it believes p = {_f(min(1.0, p['p'] + p['o_A']))}), so "
                    f"its optimal demand as it sees the game is")
            text = f"{lead} x* = {_f(made)}. " + text
            if made > top + 1e-12:
                text += (f" War comes despite a demand that was optimal by Challenger's own "
                         f"beliefs: Target, which knows p = {_f(p['p'])}, concedes at most "
                         f"{_f(top)} (mutual optimism).")
            off = x - made
            if abs(off) > 1e-12:
                text += (f" The stated demand x = {_f(x)} lies {gap(abs(off))} "
                         f"{'above' if off > 0 else 'below'} it")
                text += (f"; above {_f(top)} it would be resisted, so war over the stated "
                         f"demand would come from the demand itself." if x > top + 1e-12
                         else ", and would be conceded too.")
        elif bool(r["executes"]) and x > top + 1e-12 and p["o_A"] == 0:
            text += (f" War here comes from the demand, not from the bargaining problem: the "
                     f"stated x = {_f(x)} lies {gap(x - top)} above the optimal demand.")
        return text

    def _explain_at(self, p: dict[str, Any], r: dict[str, Any]) -> str:
        p = {**p, "x": float(r["x_made"]), "p": min(1.0, p["p"] + p["o_A"]), "p_true": p["p"]}
        war_A, sq_bd = p["p"] - p["c_A"], p["q"] - p["a_A"]
        m = war_A - sq_bd
        if m > 1e-12:
            fight, back = apart(war_A, sq_bd)
            s1 = (f"Challenger's threat is credible because p − c_A = {fight}"
                  f"{' (by its own estimate)' if p['o_A'] > 0 else ''} exceeds "
                  f"q − a_A = {back}; c_A would have to rise by {gap(m)} for Challenger to "
                  f"back down instead.")
        else:
            s1 = (f"Challenger's threat is not credible because p − c_A = {_f(war_A)} does not "
                  f"exceed q − a_A = {_f(sq_bd)}; an audience cost higher by {gap(-m)} would "
                  f"tie Challenger's hands and make it credible.")
        resist_B = (1 - p["p_true"] - p["c_B"]) if m > 1e-12 else (1 - p["q"] + p["b_B"])
        top = float(r["x_star"])
        if bool(r["concedes"]):
            below = top - p["x"]
            where = (f"is {gap(below)} below that" if below > 1e-12 else "is exactly that")
            s2 = (f"Target concedes any demand up to {_f(top)}; the demand x = {_f(p['x'])} "
                  f"{where}, since conceding leaves it {_f(1 - p['x'])} against "
                  f"{_f(resist_B)} from resisting.")
        else:
            fight, give = apart(resist_B, 1 - p["x"])
            over = p["x"] - top
            how = (f"exceeds that by {gap(over)}, so it resists" if over > 1e-12 else
                   "is no more than that, yet it resists")
            s2 = (f"Target would concede at most {_f(top)}; the demand x = {_f(p['x'])} "
                  f"{how} ({fight} from resisting "
                  f"{'beats' if resist_B > 1 - p['x'] else 'matches'} {give} from conceding).")
        cm = float(r["challenge"])
        after = {1: "Target concedes", 2: "war follows", 3: "Challenger backs down"}
        code_if = 1 if bool(r["concedes"]) else (2 if bool(r["executes"]) else 3)
        if bool(r["challenges"]):
            gets, sq = apart(p["q"] + cm, p["q"])
            s3 = (f"Challenger makes the demand because it then gets {gets}, "
                  f"{gap(cm)} more than the status quo q = {sq}, and {after[code_if]}.")
        else:
            s3 = (f"Challenger keeps the status quo: demanding would leave it "
                  f"{_f(p['q'] + cm)}, not more than q = {_f(p['q'])}.")
        if p["demand_rule"] == 1:
            s4 = ""
        elif m > 1e-12:
            s4 = (f"A demand chosen optimally, x* = {_f(top)}, would be conceded"
                  + (" and beat the status quo." if bool(r["x_star_demanded"]) else
                     ", but it does not beat the status quo, so Challenger would not make it."))
        else:
            s4 = "Because the threat can be called, no demand above the status quo is conceded."
        return " ".join(t for t in (s1, s2, s3, s4) if t)

    def _solve_batch(self, batch: dict[str, Any]) -> BatchOutcome:
        r = self._core(batch)
        return ci_batch(self, batch, r, {"credible": r["executes"],
                                         "demand_made": r["x_made"],
                                         "target_concedes": r["concedes"],
                                         "challenger_demands": r["challenges"],
                                         "x_star": r["x_star"]})

    def game(self, params: Mapping[str, Any] | None = None) -> ExtensiveFormGame:
        """The perfect-information tree at the demand made (``x``, or ``x*`` under
        ``demand_rule = 1``), with Challenger's war payoff at its own estimate of ``p``."""
        v = self.validate(params)
        q, x = v["q"], float(np.atleast_1d(self._core(v)["x_made"])[0])
        p = min(1.0, v["p"] + v["o_A"])
        tree = threat_tree({
            "sq": (q, 1 - q),
            "give": (x, 1 - x),
            "execute": (p - v["c_A"], 1 - v["p"] - v["c_B"]),
            "back_down": (q - v["a_A"], 1 - q + v["b_B"]),
        })
        return ExtensiveFormGame(tree, self.players, title=self.title)


MODELS = (ThreatGameCompleteInfo(),)
