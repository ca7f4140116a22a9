"""Compellence threat game with private information about Challenger's resolve (PBE).

Game (docs/models/threat_game_incomplete_info.md; Fearon 1994, *APSR* 88(3);
Schultz 2001, ch. 3; Kydd
2015, ch. 8): nature makes Challenger resolved (war cost ``c_res``) with prior
``pi`` or irresolute (``c_irr``); Challenger knows its type, Target sees only
whether a demand ``x`` is made. Then the threat game of §2a is played.

With ``x > q``, ``a_A > 0``, ``1 - p - c_B < 1 - x < 1 - q + b_B`` and one
type on each side of the credibility line ``p - c = q - a_A``:

* Target's indifference belief ``mu* = (x - q + b_B)/(p + c_B - q + b_B)``;
* the resistance that leaves a bluffer indifferent ``rho* = (x - q)/(x - q + a_A)``;
* ``pi > mu*``: pooling (both demand, Target concedes);
* ``pi < mu*``: semi-separating (the irresolute type bluffs with
  ``beta* = pi (1 - mu*)/((1 - pi) mu*)``, Target resists with ``rho*``,
  ``P(war) = pi rho*``);
* ``pi = mu*``: a continuum; the boundary flag is set.

Outside these assumptions (flagged ``assumption_violated``, and said in
the explanation) Target's reply does not depend on its belief
(or the demand gains Challenger nothing, or Target would fight the resolved
type rather than concede), and :func:`sim.kernels.threat_game.incomplete_info`
solves the game directly; the regime names which case applied. When the
resolved type's war payoff is at most ``q`` a second, "nobody demands"
PBE exists; it fails D1 and is flagged (``no_threat_pbe_also_exists``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from sim.games.extensive_form import ExtensiveFormGame
from sim.kernels import threat_game as tg
from sim.kernels.threat_game import signalling_tree
from sim.modelkit.signalling import explain_ii, ii_batch, ii_outcome, type_note
from sim.modelkit.text import apart
from sim.modelkit.vocabulary import (
    CHALLENGER_TARGET,
    audience_cost,
    demand,
    prior,
    status_quo,
    war_cost,
    win_probability,
)
from sim.models.base import BatchOutcome, Model, Outcome, ParamSpec, first_point

__all__ = ["ThreatGameIncompleteInfo", "signalling_tree", "ii_outcome", "ii_batch", "explain_ii",
           "type_note", "MODELS"]

_OUTCOMES = ("Status quo", "Concession", "War", "Back down")



class ThreatGameIncompleteInfo(Model):
    """Challenger's threat when Target is unsure whether Challenger is resolved."""

    name = "threat_game_incomplete_info"
    family = "compellence"
    title = "Compellence threat game with bluffing (incomplete information)"
    citation = ("Fearon (1994), APSR 88(3): 577-592; Schultz (2001), ch. 3; Kydd (2015), "
                "ch. 8")
    description = (
        "Target does not know whether Challenger is resolved (prepared to fight if resisted) "
        "or irresolute (would back down, paying audience cost a_A). π is Target's belief that "
        "Challenger is resolved. When π is below the threshold μ*, the irresolute type bluffs "
        "and Target resists with probability ρ*, so war happens with probability πρ*; "
        "audience costs lower ρ*. With the defaults the demand x = 0.9 exceeds p + c_B, so "
        "Target resists whatever it believes and war comes whenever Challenger is resolved; "
        "that lies outside the signalling game's assumptions and is flagged. "
        "This one-shot game is the standard reduced form (Schultz 2001; Kydd 2015) of "
        "Fearon's continuous-time war of attrition."
    )
    roles = CHALLENGER_TARGET
    outcomes = _OUTCOMES
    regimes = tg.II_REGIMES
    params = (
        status_quo("Challenger"),
        demand("Challenger"),
        win_probability("Challenger"),
        war_cost("B", "Target", 0.10),
        audience_cost("A", "Challenger"),
        ParamSpec("b_B", 0.0, hi=1.0, meaning="Target's reputational gain if Challenger backs down",
                  symbol="b_B"),
        ParamSpec("c_res", 0.15, hi=2.0, meaning="war cost of a resolved Challenger",
                  symbol="c_res"),
        ParamSpec("c_irr", 0.6, hi=2.0, meaning="war cost of an irresolute Challenger",
                  symbol="c_irr"),
        prior("pi", 0.5, "Target's prior that Challenger is resolved"),
    )

    @staticmethod
    def _core(b: dict[str, Any]) -> dict[str, np.ndarray]:
        q, x, p, c_B, a, bw, c_res, c_irr, pi = (
            np.asarray(b[k], dtype=float)
            for k in ("q", "x", "p", "c_B", "a_A", "b_B", "c_res", "c_irr", "pi"))
        return tg.incomplete_info(q, x, q - a, p - c_res, p - c_irr, pi,
                                  1 - q, 1 - x, 1 - p - c_B, 1 - q + bw)

    def _solve(self, p: dict[str, Any]) -> Outcome:
        r = first_point(self._core(p))
        text = explain_ii(r, p["pi"], self.players, "a_A", "audience cost")
        violated = bool(tg.outside_signalling(r))
        if int(r["regime"]) == tg.ALWAYS_RESIST and p["x"] > p["p"] + p["c_B"]:
            top = p["p"] + p["c_B"]
            shown_x, shown_top = apart(p["x"], top)
            text += (f" This is outside the model's assumptions: the demand x = {shown_x} "
                     f"exceeds p + c_B = {shown_top}, the most Target would concede even to a "
                     f"Challenger it knew to be resolved (the condition 1 − p − c_B < 1 − x "
                     f"fails). No bluff can work: "
                     f"war comes whenever a Challenger that would fight makes the demand, "
                     f"P(war) = {float(r['P_execute']):.2f} against the prior π = "
                     f"{p['pi']:.2f}. A demand of at most {top:.2f} restores the signalling "
                     f"game.")
        elif int(r["regime"]) == tg.ALWAYS_CONCEDE:
            text += (" This is outside the model's assumptions: Target concedes even to a "
                     "Challenger it knows would back down, so its belief plays no role.")
        elif violated:
            text += " " + type_note(r, "c_res", "c_irr", "Challenger")
        return ii_outcome(self, p, r, self.outcomes, self.players, ("resolved", "irresolute"),
                          ("Demand", "Concede", "Resist", "Execute"), text, violated)

    def _solve_batch(self, batch: dict[str, Any]) -> BatchOutcome:
        r = self._core(batch)
        return ii_batch(self, batch, r, self.players, tg.outside_signalling(r))

    def game(self, params: Mapping[str, Any] | None = None) -> ExtensiveFormGame:
        """The signalling tree: chance over Challenger's type, one Target information set."""
        v = self.validate(params)
        q, x, p = v["q"], v["x"], v["p"]

        def pay(c: float) -> dict[str, tuple[float, float]]:
            return {"sq": (q, 1 - q), "give": (x, 1 - x),
                    "execute": (p - c, 1 - p - v["c_B"]),
                    "back_down": (q - v["a_A"], 1 - q + v["b_B"])}

        tree = signalling_tree(v["pi"], pay(v["c_res"]), pay(v["c_irr"]), self.outcomes)
        return ExtensiveFormGame(tree, self.players, title=self.title)


MODELS = (ThreatGameIncompleteInfo(),)
