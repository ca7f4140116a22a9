"""International Interaction Game with hawks and doves (docs/models/iig_incomplete_info.md).

Bueno de Mesquita & Lalman's (1992, chs. 4-5) question: what happens to the
IIG when each side is unsure whether the other is a hawk or a dove? The tree
is the complete-information game's (:func:`sim.kernels.iig.iig_tree`); a
chance move opens each crisis subgame and draws both types independently
(Side A a hawk with probability ``pi_A``, Side B with ``pi_B``). A dove pays
a cost ``k_A`` or ``k_B`` for any outcome that follows its own first use of
force.

Sequential equilibrium (:mod:`sim.kernels.iig_incomplete`): in the crisis
side i begins, side j of type t would exploit a passive i iff
``U_j^t(o2) > U_j(NEG)``; i of type s strikes first iff
``U_i^s(o1) > (1 - e) U_i(NEG) + e U_i(o2)``, where ``e`` is the probability,
under i's prior, that j exploits. The demands before the crisis are chosen
on the crisis values expected over the types.

References
----------
Bueno de Mesquita, B. & Lalman, D. (1992). *War and Reason*, chs. 3-5.
Kreps, D. M. & Wilson, R. (1982). *Econometrica* 50(4), 863-894.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from sim.games.extensive_form import ExtensiveFormGame
from sim.kernels import iig_incomplete as ii
from sim.kernels.iig import ACTIONS, OUTCOME_LABELS, OUTCOMES
from sim.modelkit.vocabulary import SIDES, iig_params, prior
from sim.models.base import BatchOutcome, Flags, Model, Outcome, ParamSpec

__all__ = ["IIGIncompleteInfo", "MODELS"]

_ARGS = ("q", "x", "y", "p", "c_A", "c_B", "f", "h", "pi_A", "pi_B", "k_A", "k_B")
_DEFAULTS = {"p": 0.35, "f": 0.3, "h": 0.0}
_DEMAND_PHRASES = {1: ("makes a demand", "makes no demand"),
                   2: ("makes a demand", "makes no demand"),
                   3: ("counter-demands", "acquiesces"),
                   4: ("counter-demands", "acquiesces")}


_ADJ = {"hawk": "hawkish", "dove": "dovish"}


def _f(v: float) -> str:
    return f"{v + 0.0:.2f}"


def _params() -> tuple[ParamSpec, ...]:
    shares = tuple(dataclasses.replace(s, default=_DEFAULTS.get(s.name, s.default))
                   for s in iig_params() if s.is_scalar)
    return shares + (
        prior("pi_A", 0.5, "Side B's prior that Side A is a hawk", symbol="π_A"),
        prior("pi_B", 0.5, "Side A's prior that Side B is a hawk", symbol="π_B"),
        ParamSpec("k_A", 0.8, hi=2.0, meaning="a dovish Side A's cost of any outcome that "
                  "follows its own first use of force", symbol="k_A"),
        ParamSpec("k_B", 0.8, hi=2.0, meaning="a dovish Side B's cost of any outcome that "
                  "follows its own first use of force", symbol="k_B"),
    )


class IIGIncompleteInfo(Model):
    """International Interaction Game with private hawk or dove types, sequential equilibrium."""

    name = "iig_incomplete_info"
    family = "iig"
    title = "International Interaction Game (hawks and doves, incomplete information)"
    citation = ("Bueno de Mesquita & Lalman (1992), War and Reason, chs. 4-5; "
                "Kreps & Wilson (1982), Econometrica 50(4)")
    description = (
        "The International Interaction Game when neither side knows whether the other is a "
        "hawk or a dove. A hawk would rather force the other side to capitulate than "
        "negotiate; a dove pays a political price for any use of force it starts. When a "
        "crisis begins each side learns its own type but not the other's. A side that would "
        "capitulate if attacked strikes first when it believes the other is likely enough a "
        "hawk that would exploit it: war from the fear of being exploited."
    )
    roles = SIDES
    players = tuple(roles.values())
    outcomes = tuple(OUTCOME_LABELS[o] for o in OUTCOMES)
    regimes = ii.REGIMES
    params = _params()

    @staticmethod
    def _core(b: Mapping[str, Any]) -> ii.IIGTypesSolution:
        return ii.solve(*(np.asarray(b[k], dtype=float) for k in _ARGS))

    def _solve_batch(self, batch: dict[str, Any]) -> BatchOutcome:
        r = self._core(batch)
        war = r.probs[:, OUTCOMES.index("WAR_A")] + r.probs[:, OUTCOMES.index("WAR_B")]
        return self.batch_outcome(
            batch, regime=r.regime.astype(np.int64), probabilities=r.probs, p_war=war,
            payoffs={pl: r.payoffs[:, i] for i, pl in enumerate(self.players)},
            boundary=r.boundary, multiple_equilibria=r.multiple, assumption_violated=r.violated,
            details={"demand": r.demand, "demand_margin": r.demand_margin,
                     "p_first_strike_A": self._strike_probability(r, 5, batch["pi_A"]),
                     "p_first_strike_B": self._strike_probability(r, 6, batch["pi_B"])},
        )

    @staticmethod
    def _strike_probability(r: ii.IIGTypesSolution, k: int, pi: Any) -> np.ndarray:
        """P(the crisis's first mover uses force), over its types, were the crisis reached."""
        strike = r.crisis[k].force_first
        pi = np.asarray(pi, dtype=float)
        return pi * strike[0] + (1 - pi) * strike[1]

    def _solve(self, p: dict[str, Any]) -> Outcome:
        r = self._core(p)
        probs = {OUTCOME_LABELS[o]: float(r.probs[0, j]) for j, o in enumerate(OUTCOMES)}
        regime = self.regimes[int(r.regime[0])]
        strategies = self._strategies(r)
        beliefs: dict[str, float] = {
            "P(Side A hawk) before the crisis": float(p["pi_A"]),
            "P(Side B hawk) before the crisis": float(p["pi_B"]),
            "P(Side A hawk | it refrains at n5)": float(r.crisis[5].belief_second[0]),
            "P(Side B hawk | it refrains at n6)": float(r.crisis[6].belief_second[0]),
        }
        details: dict[str, Any] = {
            "demand_choices": {f"n{k}": bool(r.demand[0, k - 1]) for k in range(1, 5)},
            "demand_margins": {f"n{k}": float(r.demand_margin[0, k - 1]) for k in range(1, 5)},
            "crisis_reached": {"n5": bool(r.reached[0, 0]), "n6": bool(r.reached[0, 1])},
        }
        for k, first in ((5, "Side A"), (6, "Side B")):
            c = r.crisis[k]
            details[f"crisis_n{k}"] = {
                "first_mover": first,
                "p_exploited_if_waiting": float(c.exploit[0]),
                "fear_threshold": {t: self._num(c.threshold[s, 0])
                                   for s, t in enumerate(ii.TYPES)},
                "strikes_first": {t: bool(c.force_first[s, 0]) for s, t in enumerate(ii.TYPES)},
                "first_strike_margin": {t: float(c.margin_first[s, 0])
                                        for s, t in enumerate(ii.TYPES)},
                "exploits_if_other_waits": {t: bool(c.force_second[s, 0])
                                            for s, t in enumerate(ii.TYPES)},
                "value": {pl: float(c.value[0, i]) for i, pl in enumerate(self.players)},
            }
            for s, t in enumerate(ii.TYPES):
                details[f"fear_threshold_{first[-1].lower()}_{t}"] = self._num(
                    c.threshold[s, 0])
        details["p_war"] = float(r.probs[0, OUTCOMES.index("WAR_A")]
                                 + r.probs[0, OUTCOMES.index("WAR_B")])
        violated = bool(r.violated[0])
        return self.point_outcome(
            p, regime=regime, probabilities=probs, p_war=details["p_war"],
            payoffs={pl: float(r.payoffs[0, i]) for i, pl in enumerate(self.players)},
            strategies=strategies, beliefs=beliefs,
            flags=Flags(bool(r.boundary[0]), bool(r.multiple[0]), violated),
            explanation=explain(p, r, self.players),
            details=details,
            method="sequential equilibrium (backward induction over types, Bayes' rule)",
        )

    @staticmethod
    def _num(v: float) -> float | None:
        return float(v) if math.isfinite(float(v)) else None

    def _strategies(self, r: ii.IIGTypesSolution) -> dict[str, dict[str, float]]:
        """Behaviour at every information set of :meth:`game`, keyed as there."""
        out: dict[str, dict[str, float]] = {}
        for k in range(1, 5):
            esc = float(r.demand[0, k - 1])
            out[f"n{k}"] = {ACTIONS[k][0]: esc, ACTIONS[k][1]: 1 - esc}
        for k, (first, second, after_first, after_second) in ii.CRISIS_NODES.items():
            c = r.crisis[k]
            i = 0 if k == 5 else 1
            names = (self.players[i], self.players[1 - i])
            for s, t in enumerate(ii.TYPES):
                rows = ((first, names[0], c.force_first[s, 0]),
                        (second, names[1], c.force_second[s, 0]),
                        (after_first, names[1], c.retaliate_second[0]),
                        (after_second, names[0], c.retaliate_first[0]))
                for node, who, esc_ in rows:
                    e = float(esc_)
                    out[f"n{node}, {who} {t}"] = {"F": e, "nF": 1 - e}
        return out

    def game(self, params: Mapping[str, Any] | None = None) -> ExtensiveFormGame:
        """The IIG tree with a chance move over both types before each crisis."""
        v = self.validate(params)
        r = self._core({k: [v[k]] for k in _ARGS})
        tree = ii.game_tree(r.utilities[0], float(v["pi_A"]), float(v["pi_B"]),
                            (self.players[0], self.players[1]))
        return ExtensiveFormGame(tree, self.players, title=self.title)

    def tree_behaviour(self, out: Outcome) -> dict[str, dict[str, float]]:
        """The outcome's strategies keyed by the information sets of :meth:`game`."""
        return {k: dict(v) for k, v in out.strategies.items()}

    def engine_check(self, params: Mapping[str, Any] | None = None) -> bool:
        """Whether the generic engine finds the reported profile sequentially rational."""
        from sim.solvers.sequential import check_sequential_rationality

        out = self.solve(params)
        return check_sequential_rationality(self.game(params), self.tree_behaviour(out)).rational


def _crisis_text(p: Mapping[str, Any], r: ii.IIGTypesSolution, k: int,
                 players: Sequence[str]) -> list[str]:
    """The binding condition of the crisis at ``n{k}``: each type's prior against its threshold."""
    c = r.crisis[k]
    i = 0 if k == 5 else 1
    first, second = players[i], players[1 - i]
    prior_j = float(p["pi_B"] if i == 0 else p["pi_A"])
    hawk_exploits, dove_exploits = bool(c.force_second[0, 0]), bool(c.force_second[1, 0])
    if hawk_exploits or dove_exploits:
        who = ("both a hawkish and a dovish " + second if hawk_exploits and dove_exploits
               else ("a hawkish " if hawk_exploits else "a dovish ") + second)
        reply = "capitulates" if not bool(c.retaliate_first[0]) else "retaliates"
        text = [f"In the crisis {first} begins, {who} would use force if {first} held back, "
                f"and {first} {reply} when attacked. {first} believes {second} is a hawk with "
                f"probability {_f(prior_j)}, so it expects to be exploited with probability "
                f"{_f(float(c.exploit[0]))} if it waits."]
    else:
        text = [f"In the crisis {first} begins, no type of {second} would use force if "
                f"{first} held back, so waiting leads to negotiation whatever {first} "
                f"believes."]
    answer = "retaliates" if bool(c.retaliate_second[0]) else "capitulates"
    text.append(f"If {first} strikes first, {second} {answer} "
                f"(margin {_f(float(c.margin_retaliate[0, 0]))}).")
    for s, t in enumerate(ii.TYPES):
        m = float(c.margin_first[s, 0])
        thr = c.threshold[s, 0]
        strikes = bool(c.force_first[s, 0])
        line = f"A {_ADJ[t]} {first} "
        line += ("strikes first" if strikes else "refrains from force")
        line += f" (margin {_f(m)})"
        if math.isfinite(float(thr)):
            side = "above" if prior_j > thr else "at or below"
            line += (f": the prior {_f(prior_j)} that {second} is a hawk is {side} its fear "
                     f"threshold {_f(float(thr))}")
        elif strikes:
            line += ": striking pays whatever it believes"
        else:
            line += ": no belief about " + second + " would make it strike"
        text.append(line + ".")
    if not bool(c.force_first[:, 0].all()):
        text.append(f"Seeing {first} refrain, {second} believes it is a hawk with probability "
                    f"{_f(float(c.belief_second[0]))} (Bayes' rule; its prior was "
                    f"{_f(float(p['pi_A'] if i == 0 else p['pi_B']))}).")
    return text


def explain(p: Mapping[str, Any], r: ii.IIGTypesSolution, players: Sequence[str]) -> str:
    """Plain-English account: the path of demands, the crisis and its binding condition."""
    a, b = players
    probs = r.probs[0]
    regime = ii.REGIMES[int(r.regime[0])]
    war = float(probs[OUTCOMES.index("WAR_A")] + probs[OUTCOMES.index("WAR_B")])
    endings = ", ".join(f"{OUTCOME_LABELS[o]} with probability {_f(float(probs[j]))}"
                        for j, o in sorted(enumerate(OUTCOMES), key=lambda jo: -probs[jo[0]])
                        if probs[j] > 0)
    text = [f"The equilibrium ends in {endings}: P(war) = {_f(war)}; expected payoffs "
            f"{a} {_f(float(r.payoffs[0, 0]))}, {b} {_f(float(r.payoffs[0, 1]))}."]
    d, m = r.demand[0], r.demand_margin[0]
    order = [1, 3] if d[0] else [1, 2, 4]
    for k in order:
        if k == 4 and not d[1]:
            break
        mover = a if k in (1, 4) else b
        text.append(f"At n{k} {mover} {_DEMAND_PHRASES[k][0 if d[k - 1] else 1]} "
                    f"(margin {_f(float(m[k - 1]))}).")
    if regime in ("status_quo", "side_a_acquiesces", "side_b_acquiesces"):
        k = 5 if d[0] else 6
        text.append("No crisis follows. Had it come to one: "
                    + " ".join(_crisis_text(p, r, k, players)))
    else:
        k = 5 if bool(r.reached[0, 0]) else 6
        text.extend(_crisis_text(p, r, k, players))
        if war > 0:
            text.append("War comes from fear of exploitation under uncertainty: a side that "
                        "would capitulate if attacked strikes first when the other is "
                        "likely enough a hawk.")
    if bool(r.violated[0]):
        text.append("Note: with these values some type breaks the book's assumptions "
                    "(negotiation preferred to war, acquiescence to capitulation, a dove "
                    "preferring negotiation to the other side's capitulation).")
    return " ".join(text)


MODELS = (IIGIncompleteInfo(),)
