"""The crisis negotiation: a team game on the February 2022 scenario, played in turn.

Three teams, one per actor of ``scenarios/russia_nato_2022_02.yaml``: Russia
(the challenger), the United States (the patron, which makes the scenario's
concessions) and Ukraine (the client, whose security is bargained over). The
game is a finite tree of perfect information with :data:`STAGES` rounds of
talks; docs/classroom_crisis.md explains it for the instructor.

Moves in each round of talks
----------------------------
1. Russia presses its demands (the scenario's demands by Russia, listed in
   the briefing) or goes to war.
2. The United States refuses, or offers one concession from its
   :data:`OFFERS` concessions of the scenario (see *Which concessions*).
3. Ukraine accepts the offered deal or resists it.
4. If Ukraine accepted, Russia takes the deal or goes to war.

A refusal, or Ukraine's resistance, sends the crisis to the next round of
talks. After the last round, Russia goes to war or backs down. Only Russia
has a war option in the tree: the scenario records the US commitment not to
intervene militarily (``con_no_us_intervention``), and Ukraine's resistance is
its refusal to be bargained over, which it then defends in any war.

Payoffs
-------
The stakes are one pie, the issue scale of the scenario from 0 to 1, where 1
is everything Russia demanded. The bound parameters are those of the
scenario's analyses at the default calibration:

* **Settlement.** A concession moves its issue from ``from_position`` to
  ``to_position``; we read the distance ``d`` as the fraction of the way from
  the status quo ``q`` to Russia's demand ``x`` that the deal grants, so
  Russia's share is ``y = q + d (x - q)``. The United States and Ukraine each
  keep ``1 - y`` (the concessions are made over Ukraine's alignment, so both
  lose what Russia gains).
* **War** (a costly lottery, Fearon 1995): Russia wins with probability ``p``
  (``fearon_range``), so it gets ``p - c_R``; the United States
  ``1 - p - c_W``; Ukraine ``1 - p - c_K``, with Ukraine's cost of war ``c_K``
  from ``extended_deterrence``.
* **Backing down** after the last round: the status quo, ``q - a_R`` for Russia
  (its audience cost, ``a_C`` of ``extended_deterrence``), ``1 - q`` for the
  others.
* **Delay.** A payoff reached in round of talks ``k`` (from 0) is discounted by
  ``delta_i ** k``: Russia's and the West's patience (``rubinstein``'s
  ``delta_A``, ``delta_B``) and the scenario's ``delta`` for Ukraine. Waiting
  is costly, as in Powell's (2006) bargaining over time.

Which concessions
-----------------
The tree must stay small enough to solve and to play in a class period, so
the United States chooses from :data:`OFFERS` of its concessions: those of
the scenario made by the patron, kept one per issue and one per size ``d``
(the first in the scenario's order), then spread evenly from the largest to
the smallest size.

Equilibrium
-----------
The prediction (what the ``nash`` bots play) is the subgame-perfect
equilibrium by backward induction (:func:`sim.solvers.spe.spe_solve`); the
debrief shows its path beside the class's.

References
----------
Fearon, J. D. (1995). Rationalist explanations for war. *International
Organization* 49(3): 379–414.
Powell, R. (2006). War as a commitment problem. *International Organization*
60(1): 169–203.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from sim.classroom.game_forms import from_tree
from sim.classroom.games import ClassroomGame
from sim.games.extensive_form import Decision, ExtensiveFormGame, Node, Terminal

__all__ = ["CRISIS_GAME_NAME", "CRISIS_SCENARIO", "STAGES", "OFFERS", "Offer", "CrisisTerms",
           "crisis_terms", "crisis_tree", "crisis_game", "equilibrium_path", "path_sentences",
           "PARAMETERS", "GroupPath", "class_paths", "paths_table"]

CRISIS_GAME_NAME = "crisis"
CRISIS_SCENARIO = "russia_nato_2022_02"
#: Rounds of talks in the tree.
STAGES = 2
#: Concessions the United States chooses from in each round of talks.
OFFERS = 3
#: The scenario parameters the game reads, with the analysis each is bound through.
PARAMETERS = {"q": "status quo", "x": "Russia's demand", "p": "Russia's chance of winning",
              "c_R": "Russia's cost of war", "c_W": "the West's cost of war",
              "c_K": "Ukraine's cost of war", "a_R": "Russia's audience cost",
              "delta_R": "Russia's patience", "delta_W": "the West's patience",
              "delta": "Ukraine's patience"}
ROLE_IDS = ("RUS", "USA", "UKR")
_STAGE_WORDS = ("first talks", "second talks", "third talks")

WAR = "Go to war"
PRESS = "Press the demands"
REFUSE = "Refuse"
ACCEPT = "Accept the deal"
RESIST = "Resist"
TAKE = "Take the deal"
BACK_DOWN = "Back down"


@dataclass(frozen=True)
class Offer:
    """One concession the United States can offer: its action label, words and share."""

    label: str
    issue: str
    summary: str
    size: float


@dataclass(frozen=True)
class CrisisTerms:
    """Everything the tree is built from: actors, demands, offers and parameters."""

    actors: tuple[str, str, str]
    demands: tuple[str, ...]
    offers: tuple[Offer, ...]
    values: Mapping[str, float]

    def share(self, offer: Offer) -> float:
        """Russia's share of the pie under the deal ``offer``: ``q + d (x - q)``."""
        q, x = self.values["q"], self.values["x"]
        return q + offer.size * (x - q)

    def war(self) -> tuple[float, float, float]:
        v = self.values
        return (v["p"] - v["c_R"], 1 - v["p"] - v["c_W"], 1 - v["p"] - v["c_K"])

    def deal(self, offer: Offer) -> tuple[float, float, float]:
        y = self.share(offer)
        return (y, 1 - y, 1 - y)

    def back_down(self) -> tuple[float, float, float]:
        q = self.values["q"]
        return (q - self.values["a_R"], 1 - q, 1 - q)

    def discount(self, pay: tuple[float, float, float], stage: int
                 ) -> tuple[float, float, float]:
        v = self.values
        deltas = (v["delta_R"], v["delta_W"], v["delta"])
        return tuple(float(round(u * d ** stage, 12))  # type: ignore[return-value]
                     for u, d in zip(pay, deltas, strict=True))


@functools.lru_cache(maxsize=1)
def _scenario() -> Any:
    from sim.scenario.catalog import resolve_scenario
    from sim.scenario.loader import load_scenario

    return load_scenario(resolve_scenario(CRISIS_SCENARIO), check_models=False).scenario


def _bound(overrides: Mapping[str, float]) -> dict[str, float]:
    """The game's parameters from the scenario's analyses at its calibration."""
    from sim.scenario.binding import bind_analysis, scenario_values

    sc = _scenario()
    base = scenario_values(sc, overrides={k: float(v) for k, v in overrides.items()
                                          if k not in PARAMETERS})
    fearon = bind_analysis(sc, "fearon_range", base).params
    ext = bind_analysis(sc, "extended_deterrence", base).params
    patience = bind_analysis(sc, "rubinstein", base).params
    values = {"q": fearon["q"], "x": fearon["x"], "p": fearon["p"], "c_R": fearon["c_A"],
              "c_W": fearon["c_B"], "c_K": ext["c_K"], "a_R": ext["a_C"],
              "delta_R": patience["delta_A"], "delta_W": patience["delta_B"],
              "delta": base["delta"]}
    for k, v in overrides.items():
        if k in PARAMETERS:
            if not 0.0 <= float(v) <= 1.0:
                raise ValueError(f"{PARAMETERS[k]} ({k}) must be from 0 to 1")
            values[k] = float(v)
    return {k: float(v) for k, v in values.items()}


def _short(text: str, n: int = 40) -> str:
    return text if len(text) <= n else text[:n - 1].rstrip() + "…"


def crisis_terms(params: Mapping[str, float] | None = None) -> CrisisTerms:
    """The actors, demands, offers and parameter values of the crisis negotiation."""
    sc = _scenario()
    actors = tuple(sc.actor(a).name for a in ROLE_IDS)
    issues = {i.id: i.name for i in sc.issues}
    demands = tuple(d.summary for d in sc.demands if d.by == ROLE_IDS[0])
    by_size: dict[float, Any] = {}
    for c in sc.concessions:
        size = round(abs(c.to_position - c.from_position), 6)
        if c.by == ROLE_IDS[1] and c.issue not in {k.issue for k in by_size.values()}:
            by_size.setdefault(size, c)
    sizes = sorted(by_size, reverse=True)
    picks = sorted({int(round(i)) for i in np.linspace(0, len(sizes) - 1, min(OFFERS, len(sizes)))})
    offers = []
    for i in picks:
        c = by_size[sizes[i]]
        name = issues.get(c.issue, c.issue)
        offers.append(Offer(f"Concede: {name}", name, c.summary, sizes[i]))
    return CrisisTerms((actors[0], actors[1], actors[2]), demands, tuple(offers),
                       _bound(params or {}))


def crisis_tree(terms: CrisisTerms) -> ExtensiveFormGame:
    """The tree of the crisis negotiation (players: Russia, United States, Ukraine)."""
    rus, usa, ukr = terms.actors
    the_usa = _the(usa)

    def talks(stage: int, after: str) -> Node:
        # ``after``: how the earlier talks ended, so every decision has a name of its own
        word = _STAGE_WORDS[stage]
        when = word + (f" (after {after})" if after else "")

        def onward(why: str) -> Node:
            if stage + 1 < STAGES:
                return talks(stage + 1, why)
            return Decision(0, ((WAR, Terminal(terms.discount(terms.war(), stage),
                                                f"War after the {word}")),
                                (BACK_DOWN, Terminal(terms.discount(terms.back_down(), stage),
                                                     f"{rus} backs down"))),
                            f"{when}, {why}: war or back down")

        war = Terminal(terms.discount(terms.war(), stage), f"War in the {word}")
        offers: list[tuple[str, Node]] = [(REFUSE, onward(f"{the_usa} refused"))]
        for o in terms.offers:
            deal = Terminal(terms.discount(terms.deal(o), stage),
                            _short(f"Deal ({word}): {o.issue}", 64))
            take = Decision(0, ((TAKE, deal),
                                (WAR, Terminal(terms.discount(terms.war(), stage),
                                               f"War after a deal in the {word}"))),
                            f"{when}: {ukr} accepted the deal on {o.issue}")
            resist = onward(f"{ukr} resisted the deal on {o.issue}")
            offers.append((o.label, Decision(2, ((ACCEPT, take), (RESIST, resist)),
                                             f"{when}: the deal on {o.issue}")))
        us = Decision(1, tuple(offers), f"{when}: {rus} presses its demands")
        return Decision(0, ((PRESS, us), (WAR, war)), f"{when}: demand or war")

    root = talks(0, "")
    return ExtensiveFormGame(root, (rus, usa, ukr), "The crisis negotiation (February 2022)")


def _the(name: str) -> str:
    """The actor ``name`` as a sentence uses it, with the article its scenario declares
    (``the United States``, but ``Russia``)."""
    return next((a.in_text for a in _scenario().actors if a.name == name), name)


def _briefing(terms: CrisisTerms) -> str:
    rus, usa, ukr = terms.actors
    usa = _the(usa)
    demands = "; ".join(d.rstrip(".") for d in terms.demands)
    offers = "; ".join(f"{o.label} ({o.summary.rstrip('.')})" for o in terms.offers)
    return (f"February 2022. Your team plays {rus}, {usa} or {ukr}; the first move sent "
            f"for your team counts, and your team mates see it. In each of {STAGES} rounds of "
            f"talks {rus} presses its demands ({demands}) or goes to war. "
            f"{usa[:1].upper() + usa[1:]} refuses or offers one concession: {offers}. "
            f"{ukr} accepts the deal or resists; if it accepts, {rus} takes the deal or goes to "
            f"war. A refusal or resistance moves the crisis to the next round of talks, and "
            f"each round of delay costs every side a little. After the last round {rus} goes "
            f"to war or backs down. {_payoff_words(terms)}")


def _payoff_words(terms: CrisisTerms) -> str:
    """The payoffs in one paragraph: the tree is too large for a table on a phone."""
    rus, usa, ukr = terms.actors
    usa = _the(usa)
    deals = "; ".join(f"a deal on {o.issue}: {terms.share(o):.2f}, {1 - terms.share(o):.2f} "
                      f"and {1 - terms.share(o):.2f}" for o in terms.offers)
    war, back = terms.war(), terms.back_down()
    v = terms.values
    return (f"Payoffs (shares of the stakes, for {rus}, {usa} and {ukr}): {deals}; war: "
            f"{war[0]:.2f}, {war[1]:.2f} and {war[2]:.2f}; {rus} backs down: {back[0]:.2f}, "
            f"{back[1]:.2f} and {back[2]:.2f}. In the second talks each payoff is multiplied "
            f"by {v['delta_R']:g}, {v['delta_W']:g} and {v['delta']:g}.")


def crisis_game(params: Mapping[str, float] | None = None) -> ClassroomGame:
    """The crisis negotiation as a classroom game, played in turn by teams."""
    return _crisis_game(tuple(sorted((k, float(v)) for k, v in (params or {}).items())))


@functools.lru_cache(maxsize=16)
def _crisis_game(params: tuple[tuple[str, float], ...]) -> ClassroomGame:
    from sim.solvers.spe import spe_solve

    terms = crisis_terms(dict(params))
    tree = crisis_tree(terms)
    game = from_tree(tree, name=CRISIS_GAME_NAME,
                     title="The crisis negotiation (February 2022)",
                     description=_briefing(terms), params=terms.values)
    behaviour = spe_solve(tree).equilibria[0].behavior
    prediction = {a.key: {act: float(behaviour[a.infoset][act]) for act in a.actions}
                  for a in game.agents if a.infoset is not None}
    return dataclasses.replace(game, prediction=prediction, teams=True)


def equilibrium_path(game: ClassroomGame) -> tuple[tuple[str, str], ...]:
    """The subgame-perfect path: (actor, action) at each move reached, from the start."""
    assert game.tree is not None
    flat = game.tree.flat()
    node, out = 0, []
    while flat.kind[node] == "d":
        agent = game.agent_at(str(flat.infoset[node]))
        probs = game.prediction[agent.key]
        action = max(flat.actions[node], key=lambda a: probs[a])
        out.append((game.roles[flat.player[node]], action))
        node = flat.children[node][flat.actions[node].index(action)]
    return tuple(out)


def path_sentences(moves: tuple[tuple[str, str], ...]) -> tuple[str, ...]:
    """Moves as plain sentences: "Russia: Press the demands."."""
    return tuple(f"{who}: {what}." for who, what in moves)


@dataclass(frozen=True)
class GroupPath:
    """The moves one group made in one round, and how the crisis ended."""

    round: int
    group: int
    moves: tuple[tuple[str, str], ...]
    outcome: str


def class_paths(rows: Sequence[Mapping[str, Any]]) -> tuple[GroupPath, ...]:
    """Each group's path from the tidy export rows (one row per move, in order of play)."""
    paths: dict[tuple[int, int], list[tuple[str, str]]] = {}
    ends: dict[tuple[int, int], str] = {}
    for row in rows:
        key = (int(row["round"]), int(row["group"]))
        paths.setdefault(key, []).append((str(row["role"]), str(row["action"])))
        ends[key] = str(row.get("outcome") or "")
    return tuple(GroupPath(r, g, tuple(m), ends[(r, g)]) for (r, g), m in sorted(paths.items()))


def paths_table(game: ClassroomGame, paths: Sequence[GroupPath]) -> list[dict[str, str]]:
    """The equilibrium path beside each group's, one row per move, ready to show.

    Column ``Move`` numbers the moves; ``Equilibrium (subgame-perfect)`` holds the
    model's; each group's column is named ``Round r, group g``. The last row says how
    each path ended.
    """
    eq = equilibrium_path(game)
    columns = {"Equilibrium (subgame-perfect)": [f"{w}: {a}" for w, a in eq]}
    ends = {"Equilibrium (subgame-perfect)": _end(game, eq)}
    for p in paths:
        name = f"Round {p.round}, group {p.group}"
        columns[name] = [f"{w}: {a}" for w, a in p.moves]
        ends[name] = p.outcome
    depth = max(len(v) for v in columns.values())
    out = [{"Move": str(k + 1), **{c: (v[k] if k < len(v) else "") for c, v in columns.items()}}
           for k in range(depth)]
    out.append({"Move": "Outcome", **ends})
    return out


def _end(game: ClassroomGame, moves: Sequence[tuple[str, str]]) -> str:
    """The label of the leaf the moves lead to."""
    assert game.tree is not None
    flat = game.tree.flat()
    node = 0
    for _, action in moves:
        node = flat.children[node][flat.actions[node].index(action)]
    terminal = flat.nodes[node]
    return str(getattr(terminal, "label", ""))
