"""Bargaining while fighting: battles reveal the balance of power, then a final offer.

Game (after Powell 2004, "Bargaining and learning while fighting", *AJPS*
48(2): 344-361; Slantchev 2003, "The principle of convergence in wartime
negotiations", *APSR* 97(4): 621-632): side B is strong (prior ``pi``) or
weak; it wins each battle, and a war fought to a decision, with probability
``p_hi`` or ``p_lo``. Before each of at most ``T`` battles the uninformed
side A fights on (cost ``k_A``, ``k_B`` per battle) or makes its final
take-it-or-leave-it offer; a rejected offer ends the talks and the war is
fought to a decision (costs ``c_A``, ``c_B``).

Equilibrium (perfect Bayesian; the belief after ``k`` wins in ``t`` battles is
Bayes' rule on the binomial likelihoods):

* each type accepts a share ``y`` iff ``y >= p - c_B``;
* A's final offer is generous (``y_hi = p_hi - c_B``, both accept) or tough
  (``y_lo = p_lo - c_B``, the strong type fights on); tough iff its belief
  ``mu < mu_hat = (p_hi - p_lo)/(p_hi - p_lo + c_A + c_B)``;
* A fights another battle iff ``-k_A + E[V_{t+1}] > max(G, S(mu))`` (the
  value of the battle's news beats its cost), by backward induction from
  ``V_T = max(G, S(mu))``.

Outputs: the expected duration of the war (battles before the final offer),
the settlement terms by round, P(settlement within t battles) and P(the
talks fail). The equations live in :mod:`sim.kernels.war_bargaining`; the
specification is ``docs/models/bargaining_while_fighting.md``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np

from sim.games.extensive_form import Chance, Decision, ExtensiveFormGame, Node, Terminal
from sim.kernels import war_bargaining as wb
from sim.modelkit.vocabulary import prior
from sim.models.base import BatchOutcome, Flags, Model, Outcome, ParamSpec

__all__ = ["BargainingWhileFighting", "a_infoset", "MODELS"]

_OUTCOMES = ("Settlement on generous terms", "Settlement on tough terms", "War to a decision")
_PLAYERS = ("Side A", "Side B")
_KEYS = ("p_hi", "p_lo", "pi", "c_A", "c_B", "k_A", "k_B", "T")
_ACTIONS = ("Fight on", "Generous offer", "Tough offer")
_TYPES = (("Strong", "hi"), ("Weak", "lo"))


def _f(v: float) -> str:
    return f"{v:.2f}"


def _num(v: Any) -> float | None:
    v = float(v)
    return None if math.isnan(v) else v


def a_infoset(history: str) -> str:
    """Key of side A's information set after a battle record such as ``"BA"``."""
    return "Side A: before the first battle" if not history else \
        f"Side A: after battles won by {'-'.join(history)}"


def _state(t: int, k: int) -> str:
    if t == 0:
        return "Side A: before the first battle"
    return f"Side A: after {t} battle{'s' if t > 1 else ''}, {k} won by B"


class BargainingWhileFighting(Model):
    """Side A learns Side B's strength from battles before making its final offer."""

    name = "bargaining_while_fighting"
    family = "war_bargaining"
    title = "Bargaining while fighting: learning from battles, then a final offer"
    citation = ("Powell (2004), AJPS 48(2): 344-361; Slantchev (2003), APSR 97(4): 621-632; "
                "Fearon (1995), International Organization 49(3)")
    description = (
        "Once a war has begun, each battle is news about the balance of power. Side A does "
        "not know whether Side B is strong or weak; before each battle it can make a final "
        "offer or fight on and learn. A generous offer is accepted by both types; a tough "
        "one only by a weak B, and the talks then fail against a strong B. The news of a "
        "battle is worth most when A's belief is near the point where tough and generous "
        "offers are equally good, so A fights while the battles leave it unsure and settles "
        "once they have moved its belief far enough: wars end as beliefs converge. The model "
        "gives the expected length of the war, the terms of settlement by round and the "
        "probability of a settlement within t battles."
    )
    roles = dict(zip(("side_a", "side_b"), _PLAYERS, strict=True))
    players = _PLAYERS
    outcomes = _OUTCOMES
    regimes = wb.REGIMES
    params = (
        ParamSpec(name="p_hi", default=0.6, unit="probability",
                  meaning="probability that Side B wins a battle, or a war fought to a "
                  "decision, if it is strong", symbol="p̄"),
        ParamSpec(name="p_lo", default=0.3, unit="probability",
                  meaning="probability that Side B wins a battle, or a war fought to a "
                  "decision, if it is weak", symbol="p̲"),
        prior("pi", 0.5, "Side A's prior belief that Side B is strong"),
        ParamSpec(name="c_A", default=0.1, meaning="Side A's cost of a war fought to a decision",
                  symbol="c_A"),
        ParamSpec(name="c_B", default=0.1, meaning="Side B's cost of a war fought to a decision",
                  symbol="c_B"),
        ParamSpec(name="k_A", default=0.005, hi=0.2, step=0.001,
                  meaning="Side A's cost of one more battle", symbol="k_A"),
        ParamSpec(name="k_B", default=0.005, hi=0.2, step=0.001,
                  meaning="Side B's cost of one more battle", symbol="k_B"),
        ParamSpec(name="T", default=6, lo=0, hi=wb.T_MAX, step=1, unit="battles",
                  meaning="most battles that can be fought before the final offer must be made",
                  symbol="T", kind="integer"),
    )

    @staticmethod
    def _core(b: Mapping[str, Any]) -> dict[str, Any]:
        return wb.solve(*(np.atleast_1d(np.asarray(b[k], dtype=float)) for k in _KEYS))

    @classmethod
    def _point(cls, p: Mapping[str, Any]) -> dict[str, Any]:
        """The kernel's answer at one point; decision tables become ``[t][k]`` lists."""
        r = cls._core(p)
        return {k: ([level[:, 0] for level in v] if isinstance(v, list) else v[0])
                for k, v in r.items()}

    def _solve(self, p: dict[str, Any]) -> Outcome:
        T = int(p["T"])
        one = self._point(p)
        probs = dict(zip(self.outcomes, (float(one[k]) for k in (
            "P_generous", "P_tough", "P_war")), strict=True))
        fight, tough, reach = one["fight"], one["tough"], one["reach"]
        # (tables indexed [t][k])
        strategies: dict[str, dict[str, float]] = {}
        for t in range(T + 1):
            for k in range(t + 1):
                if reach[t][k] <= 0:
                    continue
                f, s = bool(fight[t][k]), bool(tough[t][k])
                row = {_ACTIONS[0]: float(f)} if t < T else {}
                row |= {_ACTIONS[1]: float(not f and not s), _ACTIONS[2]: float(not f and s)}
                strategies[_state(t, k)] = row
        acc = one["accepts_tough"]
        for (label, _), a in zip(_TYPES, acc, strict=True):
            strategies[f"Side B, {label.lower()}: offered generous terms"] = {
                "Accept": 1.0, "Reject": 0.0}
            strategies[f"Side B, {label.lower()}: offered tough terms"] = {
                "Accept": float(a), "Reject": float(not a)}
        details = {
            "y_generous": float(one["y_generous"]),
            "y_tough": float(one["y_tough"]),
            "mu_hat": _num(one["mu_hat"]),
            "expected_duration": float(one["duration"]),
            "expected_duration_strong": float(one["duration_hi"]),
            "expected_duration_weak": float(one["duration_lo"]),
            "p_final_offer_at": [float(v) for v in one["P_end_at"][:T + 1]],
            "p_settled_by": [float(v) for v in one["P_settled_by"][:T + 1]],
            "terms_at": [_num(v) for v in one["terms_at"][:T + 1]],
            "fight_margin_at_start": _num(one["margin0"]),
            "tough_margin_at_start": (None if not math.isfinite(float(one["screen_margin0"]))
                                      else float(one["screen_margin0"])),
            "belief_at_offer_if_strong": float(one["mu_end_hi"]),
            "belief_at_offer_if_weak": float(one["mu_end_lo"]),
        }
        return Outcome(
            model=self.name,
            params=p,
            outcome=max(self.outcomes, key=lambda k: probs[k]),
            regime=self.regimes[int(one["regime"])],
            probabilities=probs,
            p_war=probs["War to a decision"],
            payoffs={"Side A": float(one["u_A"]), "Side B": float(one["u_B"])},
            strategies=strategies,
            beliefs={"P(Side B is strong) at the start": float(p["pi"])},
            flags=Flags(boundary=bool(one["boundary"]), multiple_equilibria=False,
                        assumption_violated=bool(one["violated"])),
            explanation=explain(p, one),
            details=details,
            method="closed form (backward induction over beliefs)",
        )

    def _solve_batch(self, batch: dict[str, Any]) -> BatchOutcome:
        r = self._core(batch)
        probs = np.stack([r["P_generous"], r["P_tough"], r["P_war"]], axis=1)
        return self.batch_outcome(
            batch, regime=r["regime"], probabilities=probs, p_war=r["P_war"],
            payoffs={"Side A": r["u_A"], "Side B": r["u_B"]},
            boundary=r["boundary"], assumption_violated=r["violated"],
            details={"expected_duration": r["duration"], "mu_hat": r["mu_hat"],
                     "p_settled_by_T": r["P_settled_by"][:, -1]},
        )

    def game(self, params: Mapping[str, Any] | None = None) -> ExtensiveFormGame:
        """The tree: chance picks B's type, then battles (chance) and A's offers."""
        v = self.validate(params)
        T = int(v["T"])
        y = {"hi": max(v["p_hi"] - v["c_B"], 0.0), "lo": max(v["p_lo"] - v["c_B"], 0.0)}
        y_gen, y_tough = max(y.values()), min(y.values())

        def offer(tag: str, label: str, t: int, history: str, share: float, kind: str) -> Node:
            p = v[f"p_{tag}"]
            cost_A, cost_B = t * v["k_A"], t * v["k_B"]
            accept = Terminal((1 - share - cost_A, share - cost_B), f"Settlement on {kind} terms")
            reject = Terminal((1 - p - v["c_A"] - cost_A, p - v["c_B"] - cost_B),
                              "War to a decision")
            key = f"Side B, {label.lower()}: {kind} terms after " + (history or "no battles")
            return Decision(1, (("Accept", accept), ("Reject", reject)), infoset=key)

        def node(tag: str, label: str, history: str) -> Node:
            t = len(history)
            moves: list[tuple[str, Node]] = []
            if t < T:
                p = v[f"p_{tag}"]
                moves.append((_ACTIONS[0], Chance((
                    ("B wins the battle", p, node(tag, label, history + "B")),
                    ("A wins the battle", 1 - p, node(tag, label, history + "A"))))))
            moves.append((_ACTIONS[1], offer(tag, label, t, history, y_gen, "generous")))
            moves.append((_ACTIONS[2], offer(tag, label, t, history, y_tough, "tough")))
            return Decision(0, tuple(moves), infoset=a_infoset(history))

        root = Chance(tuple((label, prob, node(tag, label, ""))
                            for (label, tag), prob in zip(_TYPES, (v["pi"], 1 - v["pi"]),
                                                          strict=True)))
        return ExtensiveFormGame(root, self.players, title=self.title)

    def behaviour(self, params: Mapping[str, Any] | None = None) -> dict[str, dict[str, float]]:
        """The equilibrium as behaviour at every information set of :meth:`game`."""
        v = self.validate(params)
        one = self._point(v)
        T = int(v["T"])
        out: dict[str, dict[str, float]] = {}

        def walk(history: str) -> None:
            t, k = len(history), history.count("B")
            f, s = bool(one["fight"][t][k]), bool(one["tough"][t][k])
            row = {_ACTIONS[0]: float(f)} if t < T else {}
            out[a_infoset(history)] = row | {_ACTIONS[1]: float(not f and not s),
                                             _ACTIONS[2]: float(not f and s)}
            where = history or "no battles"
            for (label, _), a in zip(_TYPES, one["accepts_tough"], strict=True):
                out[f"Side B, {label.lower()}: generous terms after {where}"] = {
                    "Accept": 1.0, "Reject": 0.0}
                out[f"Side B, {label.lower()}: tough terms after {where}"] = {
                    "Accept": float(a), "Reject": float(not a)}
            if t < T:
                walk(history + "B")
                walk(history + "A")

        walk("")
        return out

    def engine_check(self, params: Mapping[str, Any] | None = None) -> bool:
        """Whether the tree's sequential-rationality check and payoffs confirm the closed form."""
        from sim.solvers.sequential import check_sequential_rationality

        game = self.game(params)
        behaviour = self.behaviour(params)
        if not check_sequential_rationality(game, behaviour, tol=1e-9).rational:
            return False
        out = self.solve(params)
        values = game.flat().node_values(behaviour)[0]
        return all(abs(float(values[i]) - out.payoffs[pl]) <= 1e-9
                   for i, pl in enumerate(self.players))


def explain(p: Mapping[str, Any], r: Mapping[str, Any]) -> str:
    """Plain-English account: A's first choice, what binds it, and how the war ends."""
    code = int(r["regime"])
    T = int(p["T"])
    y_g, y_t = float(r["y_generous"]), float(r["y_tough"])
    mu_hat = _num(r["mu_hat"])
    text = []
    if mu_hat is None:
        text.append(f"Both types of Side B would accept the same share, {_f(y_g)}, so battles "
                    f"have nothing to teach Side A: it offers that share at once.")
        return " ".join(text)
    text.append(f"Side A believes at the start that Side B is strong with probability "
                f"π = {_f(p['pi'])}. A tough offer (Side B's share {_f(y_t)}, which only a weak "
                f"Side B accepts) beats a generous one ({_f(y_g)}, which both accept) when that "
                f"belief is below μ̂ = {_f(mu_hat)}.")
    margin = _num(r["margin0"])
    settled = [float(v) for v in r["P_settled_by"][:T + 1]]
    if code == wb.FIGHT:
        text.append(f"Near μ̂ the news of a battle is worth more than its cost k_A = "
                    f"{p['k_A']:.3f}: fighting on gains Side A {margin:.3f} over its best offer "
                    f"now. Side A keeps fighting until the battles move its belief far enough from "
                    f"μ̂.")
        text.append(f"The war lasts {_f(float(r['duration']))} battles on average "
                    f"({_f(float(r['duration_hi']))} against a strong Side B, "
                    f"{_f(float(r['duration_lo']))} against a weak one).")
        marks = sorted({1, min(2, T), T})
        parts = [f"{t} battle{'s' if t > 1 else ''}, {_f(settled[t])}" for t in marks]
        parts[0] = parts[0].replace(",", " is", 1)
        text.append("The probability of a settlement within " + "; within ".join(parts) + ".")
        terms = [(t, float(v)) for t, v in enumerate(r["terms_at"][:T + 1])
                 if not math.isnan(float(v))]
        if terms:
            (t0, y0), (t1, y1) = terms[0], terms[-1]
            def battles(t: int) -> str:
                return f"{t} battle" + ("" if t == 1 else "s")

            text.append(f"Settlement terms move with the news: Side B's expected share in a "
                        f"settlement is {_f(y0)} after {battles(t0)}"
                        + (f" and {_f(y1)} after {battles(t1)}." if t1 != t0 else "."))
    else:
        offer = "tough" if code == wb.SCREEN else "generous"
        if T == 0 or margin is None:
            why = "No battle can be fought first"
        else:
            why = (f"Fighting a battle first would lose Side A {-margin:.3f} (its cost k_A = "
                   f"{p['k_A']:.3f} exceeds the value of its news)")
        text.append(f"{why}, so Side A makes its {offer} offer at once.")
        if code == wb.SCREEN:
            text.append("A weak Side B accepts and a strong Side B fights on to a decision.")
        else:
            text.append("Both types accept: the war ends without another battle.")
    text.append(f"The talks fail and the war is fought to a decision with probability "
                f"{_f(float(r['P_war']))}.")
    if bool(r["violated"]):
        text.append("Note: with p̲ above p̄ the 'weak' type is the stronger one; the offers "
                    "above refer to the tougher bargainer.")
    return " ".join(text)


MODELS = (BargainingWhileFighting(),)
