"""The crisis negotiation: a team game on the February 2022 scenario, played in turn.

Four teams, for actors of ``scenarios/russia_nato_2022_02.yaml``: Russia (the
challenger), the United States and NATO (the patron, which makes most of the
scenario's concessions), Ukraine (the client, whose security is bargained
over) and Germany and France (the European allies, with a concession of
their own). The game is a finite tree of perfect information with
:data:`STAGES` rounds of talks; docs/classroom_crisis.md explains it for the
instructor.

Moves in each round of talks
----------------------------
1. Russia presses its demands (the scenario's demands by Russia, listed in
   the briefing) or goes to war.
2. The United States and NATO refuse, or offer one concession from their
   :data:`OFFERS` concessions of the scenario (see *Which concessions*).
3. Germany and France add their own concession or add nothing.
4. If anything is on the table, Ukraine accepts the deal or resists it.
5. If Ukraine accepted, Russia takes the deal or goes to war.

Nothing on the table, or Ukraine's resistance, sends the crisis to the next
round of talks. After the last round, Russia goes to war or backs down. Only
Russia has a war option in the tree: the scenario records the US commitment
not to intervene militarily (``con_no_us_intervention``), and Ukraine's
resistance is its refusal to be bargained over, which it then defends in any
war.

Payoffs
-------
The stakes are one pie, the issue scale of the scenario from 0 to 1, where 1
is everything Russia demanded. The bound parameters are those of the
scenario's analyses at the default calibration:

* **Settlement.** A concession moves its issue from ``from_position`` to
  ``to_position``; we read the distance ``d`` as the fraction of the way from
  the status quo ``q`` to Russia's demand ``x`` that the deal grants, and the
  distances of the two offers on the table add up, to at most 1. Russia's
  share is ``y = q + d (x - q)``; every other side keeps ``1 - y`` (the
  concessions are made over Ukraine's alignment, so all of them lose what
  Russia gains).
* **War** (a costly lottery, Fearon 1995): Russia wins with probability ``p``
  (``fearon_range``), so it gets ``p - c_R``; the United States and NATO
  ``1 - p - c_W``; Ukraine ``1 - p - c_K``, with Ukraine's cost of war ``c_K``
  from ``extended_deterrence``; Germany and France ``1 - p - c_E``, with the
  scenario's ``c_E``.
* **Backing down** after the last round: the status quo, ``q - a_R`` for Russia
  (its audience cost, ``a_C`` of ``extended_deterrence``), ``1 - q`` for the
  others.
* **Delay.** A payoff reached in round of talks ``k`` (from 0) is discounted by
  ``delta_i ** k``: Russia's and the West's patience (``rubinstein``'s
  ``delta_A``, ``delta_B``; the West's for both allied teams) and the
  scenario's ``delta`` for Ukraine. Waiting is costly, as in Powell's (2006)
  bargaining over time.

Which concessions
-----------------
The tree must stay small enough to solve and to play in a class period, so
the United States and NATO choose from :data:`OFFERS` of their concessions:
those of the scenario made by the patron, kept one per issue and one per size
``d`` (the first in the scenario's order), then spread evenly from the largest
to the smallest size. Germany and France offer the concessions the scenario
records by Germany or France, one per issue.

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

__all__ = ["CRISIS_GAME_NAME", "CRISIS_SCENARIO", "STAGES", "OFFERS", "TEAMS", "Offer",
           "CrisisTerms", "crisis_terms", "crisis_tree", "crisis_game", "equilibrium_path",
           "path_sentences", "PARAMETERS", "GroupPath", "class_paths", "paths_table"]

CRISIS_GAME_NAME = "crisis"
CRISIS_SCENARIO = "russia_nato_2022_02"
#: Rounds of talks in the tree.
STAGES = 2
#: Concessions the United States and NATO choose from in each round of talks.
OFFERS = 3
#: The scenario parameters the game reads, with the analysis each is bound through.
PARAMETERS = {"q": "status quo", "x": "Russia's demand", "p": "Russia's chance of winning",
              "c_R": "Russia's cost of war", "c_W": "the West's cost of war",
              "c_K": "Ukraine's cost of war", "c_E": "Germany and France's cost of war",
              "a_R": "Russia's audience cost", "delta_R": "Russia's patience",
              "delta_W": "the West's patience", "delta": "Ukraine's patience"}
#: The teams, in the order of the tree's players: the scenario actors each stands for.
TEAMS = (("RUS",), ("USA", "NATO"), ("UKR",), ("DEU", "FRA"))
_STAGE_WORDS = ("first talks", "second talks", "third talks")

WAR = "Go to war"
PRESS = "Press the demands"
REFUSE = "Refuse"
ADD_NOTHING = "Add nothing"
ACCEPT = "Accept the deal"
RESIST = "Resist"
TAKE = "Take the deal"
BACK_DOWN = "Back down"

Payoffs = tuple[float, float, float, float]


@dataclass(frozen=True)
class Offer:
    """One concession a team can offer: its action label, words and share."""

    label: str
    issue: str
    summary: str
    size: float


@dataclass(frozen=True)
class CrisisTerms:
    """Everything the tree is built from: teams, demands, offers and parameters.

    ``actors`` are the teams' names (Russia, the United States and NATO,
    Ukraine, Germany and France), ``offers`` the patron's concessions and
    ``allied_offers`` those of Germany and France.
    """

    actors: tuple[str, str, str, str]
    demands: tuple[str, ...]
    offers: tuple[Offer, ...]
    allied_offers: tuple[Offer, ...]
    values: Mapping[str, float]

    def share(self, *offers: Offer) -> float:
        """Russia's share of the pie under a deal of ``offers``: ``q + d (x - q)``, with
        ``d`` their summed distances, at most 1."""
        q, x = self.values["q"], self.values["x"]
        return q + min(1.0, sum(o.size for o in offers)) * (x - q)

    def war(self) -> Payoffs:
        v = self.values
        return (v["p"] - v["c_R"], 1 - v["p"] - v["c_W"], 1 - v["p"] - v["c_K"],
                1 - v["p"] - v["c_E"])

    def deal(self, *offers: Offer) -> Payoffs:
        y = self.share(*offers)
        return (y, 1 - y, 1 - y, 1 - y)

    def back_down(self) -> Payoffs:
        q = self.values["q"]
        return (q - self.values["a_R"], 1 - q, 1 - q, 1 - q)

    def discount(self, pay: Payoffs, stage: int) -> Payoffs:
        v = self.values
        deltas = (v["delta_R"], v["delta_W"], v["delta"], v["delta_W"])
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
              "c_W": fearon["c_B"], "c_K": ext["c_K"], "c_E": base["c_E"], "a_R": ext["a_C"],
              "delta_R": patience["delta_A"], "delta_W": patience["delta_B"],
              "delta": base["delta"]}
    for k, v in overrides.items():
        if k in PARAMETERS:
            if not 0.0 <= float(v) <= 1.0:
                raise ValueError(f"{PARAMETERS[k]} ({k}) must be from 0 to 1")
            values[k] = float(v)
    return {k: float(v) for k, v in values.items()}


def _team_name(ids: Sequence[str]) -> str:
    return " and ".join(_scenario().actor(a).name for a in ids)


def _team_text(ids: Sequence[str]) -> str:
    """The team as a sentence names it, with the articles its scenario declares
    (``the United States and NATO``, but ``Russia``)."""
    return " and ".join(_scenario().actor(a).in_text for a in ids)


def _offers(by: Sequence[str]) -> list[tuple[float, Any]]:
    """The concessions made by the actors ``by``: one per issue and one per size, the
    first in the scenario's order, largest first."""
    by_size: dict[float, Any] = {}
    for c in _scenario().concessions:
        size = round(abs(c.to_position - c.from_position), 6)
        if c.by in by and c.issue not in {k.issue for k in by_size.values()}:
            by_size.setdefault(size, c)
    return [(size, by_size[size]) for size in sorted(by_size, reverse=True)]


def _offer(size: float, concession: Any) -> Offer:
    issues = {i.id: i.name for i in _scenario().issues}
    name = issues.get(concession.issue, concession.issue)
    return Offer(f"Concede: {name}", name, concession.summary, size)


def crisis_terms(params: Mapping[str, float] | None = None) -> CrisisTerms:
    """The teams, demands, offers and parameter values of the crisis negotiation."""
    sc = _scenario()
    actors = tuple(_team_name(t) for t in TEAMS)
    demands = tuple(d.summary for d in sc.demands if d.by == TEAMS[0][0])
    patron = _offers(TEAMS[1])
    picks = sorted({int(round(i)) for i in np.linspace(0, len(patron) - 1,
                                                       min(OFFERS, len(patron)))})
    offers = tuple(_offer(*patron[i]) for i in picks)
    allied = tuple(_offer(*item) for item in _offers(TEAMS[3]))
    return CrisisTerms((actors[0], actors[1], actors[2], actors[3]), demands, offers, allied,
                       _bound(params or {}))


def _on(offers: Sequence[Offer]) -> str:
    """The issues of a deal, as a sentence names them."""
    return " plus ".join(o.issue for o in offers)


def crisis_tree(terms: CrisisTerms) -> ExtensiveFormGame:
    """The tree of the crisis negotiation (players: Russia, the United States and NATO,
    Ukraine, Germany and France)."""
    rus, usa, ukr, eur = terms.actors
    the_usa = _team_text(TEAMS[1])

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

        def table(offered: tuple[Offer, ...]) -> Node:
            """What follows once both allied teams have moved."""
            if not offered:
                return onward(f"{the_usa} refused and {eur} added nothing")
            on = _on(offered)
            # an outcome label is at most 64 characters: two issues' names do not fit
            ends = (on if len(offered) == 1 else
                    f"both offers, {terms.share(*offered):.2f} to {rus}")
            deal = Terminal(terms.discount(terms.deal(*offered), stage), f"Deal ({word}): {ends}")
            take = Decision(0, ((TAKE, deal),
                                (WAR, Terminal(terms.discount(terms.war(), stage),
                                               f"War after a deal in the {word}"))),
                            f"{when}: {ukr} accepted the deal on {on}")
            resist = onward(f"{ukr} resisted the deal on {on}")
            return Decision(2, ((ACCEPT, take), (RESIST, resist)), f"{when}: the deal on {on}")

        def allies(first: Offer | None) -> Node:
            done = (first,) if first is not None else ()
            said = f"{the_usa} offered {first.issue}" if first else f"{the_usa} refused"
            moves = [(ADD_NOTHING, table(done))]
            moves += [(o.label, table((*done, o))) for o in terms.allied_offers]
            return Decision(3, tuple(moves), f"{when}: {said}")

        war = Terminal(terms.discount(terms.war(), stage), f"War in the {word}")
        offers: list[tuple[str, Node]] = [(REFUSE, allies(None))]
        offers += [(o.label, allies(o)) for o in terms.offers]
        us = Decision(1, tuple(offers), f"{when}: {rus} presses its demands")
        return Decision(0, ((PRESS, us), (WAR, war)), f"{when}: demand or war")

    root = talks(0, "")
    return ExtensiveFormGame(root, terms.actors, "The crisis negotiation (February 2022)")


def _briefing(terms: CrisisTerms) -> str:
    rus, _, ukr, _ = terms.actors
    usa, eur = _team_text(TEAMS[1]), _team_text(TEAMS[3])
    demands = "; ".join(d.rstrip(".") for d in terms.demands)
    offers = "; ".join(f"{o.label} ({o.summary.rstrip('.')})" for o in terms.offers)
    allied = "; ".join(f"{o.label} ({o.summary.rstrip('.')})" for o in terms.allied_offers)
    return (f"February 2022. Your team plays {rus}, {usa}, {ukr}, or {eur}; the first move "
            f"sent for your team counts, and your team mates see it. In each of {STAGES} "
            f"rounds of talks {rus} presses its demands ({demands}) or goes to war. "
            f"{usa[:1].upper() + usa[1:]} refuse or offer one concession: {offers}. "
            f"{eur} then add their own concession ({allied}) or add nothing. If anything is "
            f"on the table, {ukr} accepts the deal or resists; if it accepts, {rus} takes the "
            f"deal or goes to war. Nothing on the table, or resistance, moves the crisis to "
            f"the next round of talks, and each round of delay costs every side a little. "
            f"After the last round {rus} goes to war or backs down. {_payoff_words(terms)}")


def _payoff_words(terms: CrisisTerms) -> str:
    """The payoffs in one paragraph: the tree is too large for a table on a phone."""
    rus, _, ukr, _ = terms.actors
    usa, eur = _team_text(TEAMS[1]), _team_text(TEAMS[3])
    alone = [f"{o.issue} {terms.share(o):.2f}" for o in (*terms.offers, *terms.allied_offers)]
    both = [f"{terms.share(o, a):.2f}" for a in terms.allied_offers for o in terms.offers]
    added = (f"; with {_on(terms.allied_offers)} added to the offer of {usa}, "
             f"{_list(both)}" if both else "")
    war, back = terms.war(), terms.back_down()
    v = terms.values
    return (f"Payoffs, as shares of the stakes. A deal gives {rus} its share and every other "
            f"side the rest: {'; '.join(alone)}{added}. War: {rus} {war[0]:.2f}, {usa} "
            f"{war[1]:.2f}, {ukr} {war[2]:.2f}, {eur} {war[3]:.2f}. If {rus} backs down: "
            f"{back[0]:.2f} for {rus}, {back[1]:.2f} for each of the others. In the second "
            f"talks each payoff is multiplied by {v['delta_R']:g} for {rus}, {v['delta']:g} "
            f"for {ukr} and {v['delta_W']:g} for the others.")


def _list(items: Sequence[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


#: How an indifferent team moves: no concession and no war unless strictly better, and a
#: deal accepted or taken when it is worth as much as going on (the tie rule of
#: docs/models/README.md: a responder accepts when indifferent, an escalation is only
#: chosen when it pays strictly more).
TIE_ORDER = (REFUSE, ADD_NOTHING, ACCEPT, TAKE, PRESS, BACK_DOWN)


def on_tie(_infoset: str, tied: Sequence[str]) -> str:
    """The action an indifferent team takes among ``tied``: the first of
    :data:`TIE_ORDER` among them, or else the first tied (two concessions of equal
    worth: the one listed first)."""
    return next((a for a in TIE_ORDER if a in tied), tied[0])


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
    behaviour = spe_solve(tree, preferred_on_tie=on_tie).equilibria[0].behavior
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
