"""Compellence threat game with audience costs, complete information (SPE).

Game (models.md §2a–2b; Fearon 1994, *APSR* 88(3); Schultz 2001, ch. 2;
Kydd 2015, ch. 8): Russia (the challenger) keeps the status quo ``q`` or
demands ``x`` backed by a threat; the West concedes or resists; after
resistance Russia executes the threat (war) or backs down. Payoffs
(Russia, West): status quo ``(q, 1-q)``, concession ``(x, 1-x)``, war
``(p-c_R, 1-p-c_W)``, back down ``(q-a_R, 1-q+b_W)``.

Backward induction with the tie rules of §0:

* Russia executes iff ``p - c_R > q - a_R`` (credibility; the audience cost
  ``a_R`` "ties hands");
* the West concedes iff ``1 - x`` is at least its payoff from resisting;
* Russia demands iff what follows is strictly better than ``q``.

A credible challenger's best demand is ``x* = min(1, p + c_W)``; an
exogenous demand above ``p + c_W`` is resisted and ends in war even under
complete information ("demand outside the bargaining range").
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from sim.games.extensive_form import Decision, ExtensiveFormGame, Terminal
from sim.kernels import threat_game as tg
from sim.models.base import BatchOutcome, Flags, Model, Outcome, ParamSpec

__all__ = ["ThreatGameCompleteInfo", "threat_tree", "MODELS"]

_OUTCOMES = ("Status quo", "Concession", "War", "Back down")


def threat_tree(
    payoffs: dict[str, tuple[float, float]],
    labels: tuple[str, str, str, str] = _OUTCOMES,
    demand: str = "Demand",
    give: str = "Concede",
    resist: str = "Resist",
    execute: str = "Execute",
    back_down: str = "Back down",
) -> Decision:
    """The perfect-information threat-game tree (threatener 0, target 1).

    ``payoffs`` maps ``"sq"``, ``"give"``, ``"execute"``, ``"back_down"`` to
    (threatener, target) payoff pairs; ``labels`` names the four outcomes.
    The decision nodes are the information sets ``"threatener"``,
    ``"target"`` and ``"threatener after resistance"``.
    """
    return Decision(0, (
        ("Status quo", Terminal(payoffs["sq"], labels[0])),
        (demand, Decision(1, (
            (give, Terminal(payoffs["give"], labels[1])),
            (resist, Decision(0, (
                (execute, Terminal(payoffs["execute"], labels[2])),
                (back_down, Terminal(payoffs["back_down"], labels[3])),
            ), infoset="threatener after resistance")),
        ), infoset="target")),
    ), infoset="threatener")


def _f(v: float) -> str:
    return f"{v:.2f}"


class ThreatGameCompleteInfo(Model):
    """Russia's threat against the West with an audience cost, complete information."""

    name = "threat_game_complete_info"
    family = "compellence"
    title = "Compellence threat game (complete information)"
    citation = ("Fearon (1994), APSR 88(3): 577-592; Schultz (2001), ch. 2; "
                "models.md §2a-2b")
    description = (
        "Russia demands a share x of its December 2021 package, backed by the threat of "
        "war, or keeps the status quo q (Minsk, no Membership Action Plan). The West "
        "concedes or resists; if resisted, Russia invades or backs down at audience cost "
        "a_R, Putin's domestic cost of a visible climb-down after the build-up. With the "
        "2022 teaching values the threat is credible, but the maximal demand x = 0.9 "
        "exceeds p + c_W = 0.75, the most the West would concede, so war follows even "
        "with everything known; a demand of 0.75 would have been conceded."
    )
    players = ("Russia", "West")
    outcomes = _OUTCOMES
    regimes = tg.CI_REGIMES
    params = (
        ParamSpec("q", 0.2, meaning="status quo share of Russia's demands", symbol="q"),
        ParamSpec("x", 0.9, meaning="Russia's demand (share of its package)", symbol="x"),
        ParamSpec("p", 0.65, unit="probability",
                  meaning="probability that Russia imposes its terms by war", symbol="p"),
        ParamSpec("c_R", 0.15, meaning="Russia's cost of war", symbol="c_R"),
        ParamSpec("c_W", 0.10, meaning="the West's cost of the war in Ukraine", symbol="c_W"),
        ParamSpec("a_R", 0.1, hi=1.0, meaning="Russia's audience cost of backing down",
                  symbol="a_R"),
        ParamSpec("b_W", 0.0, hi=1.0, meaning="the West's reputational gain if Russia backs down",
                  symbol="b_W"),
    )

    # -- core ---------------------------------------------------------------
    @staticmethod
    def _core(b: dict[str, Any]) -> dict[str, np.ndarray]:
        q, x, p, c_R, c_W = (np.asarray(b[k], dtype=float) for k in ("q", "x", "p", "c_R", "c_W"))
        a, bw = np.asarray(b["a_R"], dtype=float), np.asarray(b["b_W"], dtype=float)
        r = tg.complete_info(q, x, p - c_R, q - a, 1 - q, 1 - x, 1 - p - c_W, 1 - q + bw)
        credible = r["executes"]
        # Largest demand the West concedes: p + c_W against a credible
        # threat, q - b_W against one it can call.
        r["x_star"] = np.clip(np.where(credible, p + c_W, q - bw), 0.0, 1.0)
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
            "west_concedes_if_challenged": conc,
            "russia_demands": chal,
            "credibility_margin": float(r["credibility"]),
            "concession_margin": float(r["concession"]),
            "challenge_margin": float(r["challenge"]),
            "war_payoff_russia": p["p"] - p["c_R"],
            "war_payoff_west": 1 - p["p"] - p["c_W"],
            "max_conceded_demand": float(r["x_star"]),
            "x_star": float(r["x_star"]),
            "x_star_demanded": bool(r["x_star_demanded"]),
            "demand_inside_range": p["x"] <= p["p"] + p["c_W"] + 1e-12,
        }
        return Outcome(
            model=self.name,
            params=p,
            outcome=label,
            regime=tg.CI_REGIMES[code],
            probabilities=probs,
            p_war=probs["War"],
            payoffs={"Russia": float(r["payoff_C"]), "West": float(r["payoff_T"])},
            strategies={
                "Russia (start)": {"Demand": float(chal), "Status quo": float(not chal)},
                "West (after demand)": {"Concede": float(conc), "Resist": float(not conc)},
                "Russia (after resistance)": {"Execute": float(ex), "Back down": float(not ex)},
            },
            flags=Flags(boundary=bool(r["boundary"])),
            explanation=self._explain(p, r),
            details=details,
            method="closed form (backward induction)",
        )

    def _explain(self, p: dict[str, Any], r: dict[str, Any]) -> str:
        war_R, sq_bd = p["p"] - p["c_R"], p["q"] - p["a_R"]
        m = war_R - sq_bd
        if m > 1e-12:
            s1 = (f"Russia's threat is credible because p − c_R = {_f(war_R)} exceeds "
                  f"q − a_R = {_f(sq_bd)}; c_R would have to rise by {_f(m)} for Russia to "
                  f"back down instead.")
        else:
            s1 = (f"Russia's threat is not credible because p − c_R = {_f(war_R)} does not "
                  f"exceed q − a_R = {_f(sq_bd)}; an audience cost higher by {_f(-m)} would "
                  f"tie Russia's hands and make it credible.")
        resist_W = (1 - p["p"] - p["c_W"]) if m > 1e-12 else (1 - p["q"] + p["b_W"])
        top = float(r["x_star"])
        if bool(r["concedes"]):
            s2 = (f"The West concedes any demand up to {_f(top)}; the demand x = {_f(p['x'])} "
                  f"is {_f(top - p['x'])} below that, since conceding leaves it "
                  f"{_f(1 - p['x'])} against {_f(resist_W)} from resisting.")
        else:
            s2 = (f"The West would concede at most {_f(top)}; the demand x = {_f(p['x'])} "
                  f"exceeds that by {_f(p['x'] - top)}, so it resists "
                  f"({_f(resist_W)} from resisting beats {_f(1 - p['x'])} from conceding).")
        cm = float(r["challenge"])
        after = {1: "the West concedes", 2: "war follows", 3: "Russia backs down"}
        code_if = 1 if bool(r["concedes"]) else (2 if bool(r["executes"]) else 3)
        if bool(r["challenges"]):
            s3 = (f"Russia makes the demand because it then gets {_f(p['q'] + cm)}, "
                  f"{_f(cm)} more than the status quo q = {_f(p['q'])}, and {after[code_if]}.")
        else:
            s3 = (f"Russia keeps the status quo: demanding would leave it "
                  f"{_f(p['q'] + cm)}, not more than q = {_f(p['q'])}.")
        if m > 1e-12:
            s4 = (f"A demand chosen optimally, x* = {_f(top)}, would be conceded"
                  + (" and beat the status quo." if bool(r["x_star_demanded"]) else
                     ", but it does not beat the status quo, so Russia would not make it."))
        else:
            s4 = "Because the threat can be called, no demand above the status quo is conceded."
        return " ".join((s1, s2, s3, s4))

    def _solve_batch(self, batch: dict[str, Any]) -> BatchOutcome:
        r = self._core(batch)
        code = r["outcome"]
        probs = (code[:, None] == np.arange(4)[None, :]).astype(float)
        return self.batch_outcome(
            batch,
            regime=code,
            probabilities=probs,
            p_war=probs[:, 2].copy(),
            payoffs={"Russia": r["payoff_C"], "West": r["payoff_T"]},
            boundary=r["boundary"],
            multiple_equilibria=np.zeros(len(code), dtype=bool),
            assumption_violated=np.zeros(len(code), dtype=bool),
            details={"credible": r["executes"], "west_concedes": r["concedes"],
                     "russia_demands": r["challenges"], "x_star": r["x_star"]},
        )

    def game(self, params: Mapping[str, Any] | None = None) -> ExtensiveFormGame:
        """The perfect-information tree at the given demand ``x``."""
        v = self.validate(params)
        q, x, p = v["q"], v["x"], v["p"]
        tree = threat_tree({
            "sq": (q, 1 - q),
            "give": (x, 1 - x),
            "execute": (p - v["c_R"], 1 - p - v["c_W"]),
            "back_down": (q - v["a_R"], 1 - q + v["b_W"]),
        })
        return ExtensiveFormGame(tree, self.players, title=self.title)


MODELS = (ThreatGameCompleteInfo(),)
