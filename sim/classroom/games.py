"""Games a class can play live: roles, private types, moves, payoffs, predictions.

A classroom game is either a normal form, played simultaneously (each
student picks a strategy, the strategies of matched students decide the
outcome), or a tree, played in turn (:mod:`sim.classroom.turns`): each agent
is one information set of one role. :mod:`sim.classroom.game_forms` builds
both from any finite engine game. The built-in games are analyses of the
February 2022 scenario (``scenarios/russia_nato_2022_02.yaml``), played at its
default calibration and in its actors' names through each analysis's role
mapping; the models themselves speak of a challenger and a target:

* **Chicken** (the scenario's ``chicken`` analysis, docs/models/chicken_2x2.md):
  Russia and the United States choose Swerve or Firm at the same time.
* **Threat with private resolve** (the ``compellence_bluffing`` analysis,
  docs/models/threat_game_incomplete_info.md): nature makes Russia resolved or
  irresolute (its private type, prior π); Russia keeps the status quo or
  demands; the United States, not knowing the type, concedes or resists; a
  resisted Russia fights or backs down. Played in turn, at a demand of 0.7
  (the scenario's stated 0.9 is more than a resolved Russia could obtain, so
  no bluff could work).
* **The crisis negotiation** (docs/classroom_crisis.md): teams for Russia, the United
  States and NATO, Ukraine, and Germany and France bargain over the February 2022
  demands; played in turn by teams.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from sim.games.extensive_form import ExtensiveFormGame
from sim.games.normal_form import NormalFormGame

__all__ = ["ClassroomGame", "Agent", "CLASSROOM_GAMES", "chicken_game", "threat_game",
           "crisis_game", "make_game", "case_scenario", "CASE_SCENARIO"]


@dataclass(frozen=True)
class Agent:
    """A decision maker of the agent form: a role, possibly with a private type."""

    role: str
    type: str | None
    actions: tuple[str, ...]
    prior: float = 1.0
    #: in a tree, the information set this agent moves at, and where that is in words
    infoset: str | None = None
    where: str = ""

    @property
    def key(self) -> str:
        if self.infoset is not None:
            return f"{self.role}, {self.where}"
        return self.role if self.type is None else f"{self.role} ({self.type})"


@dataclass(frozen=True)
class ClassroomGame:
    """A game for live play.

    Attributes
    ----------
    name, title, description
        Identity and a plain-English briefing.
    roles
        Role names, in matching order (one student per role in each match).
    agents
        The (role, type) decision makers, each with its actions and the prior
        probability of its type.
    params
        The model parameters the game was built from.
    normal_form
        The agent-form game of a simultaneous game: one player per agent; a
        role's payoff is its expected payoff over the other roles' types.
        ``None`` for a tree.
    prediction
        Equilibrium probability of each action of each agent, from the model.
    teams
        Whether each role of a group is a team of students (the crisis negotiation).
    source
        For a game from the lab, its JSON form (with ``name`` and ``params``,
        what identifies the game); empty for the built-in games.
    """

    name: str
    title: str
    description: str
    roles: tuple[str, ...]
    agents: tuple[Agent, ...]
    params: Mapping[str, float]
    normal_form: NormalFormGame | None
    prediction: Mapping[str, Mapping[str, float]]
    outcome_labels: tuple[str, ...] = field(default=())
    source: str = field(default="", repr=False)
    _payoffs: Any = field(default=None, repr=False)
    tree: ExtensiveFormGame | None = field(default=None, repr=False)
    _types: Mapping[str, list[tuple[str | None, float]]] = field(default_factory=dict,
                                                                 repr=False)
    #: played by teams: several students share a role in a group, and the first move
    #: sent for the team counts (:mod:`sim.classroom.turn_rounds`)
    teams: bool = False

    @property
    def in_turn(self) -> bool:
        """Whether the class plays this game move by move (a tree)."""
        return self.tree is not None

    def agent(self, role: str, type_: str | None) -> Agent:
        for a in self.agents:
            if a.role == role and a.type == type_ and a.infoset is None:
                return a
        raise KeyError(f"no agent {role!r} with type {type_!r}")

    def agent_at(self, infoset: str) -> Agent:
        """The agent of a tree that moves at information set ``infoset``."""
        for a in self.agents:
            if a.infoset == infoset:
                return a
        raise KeyError(f"no information set {infoset!r}")

    def types_of(self, role: str) -> list[tuple[str | None, float]]:
        if self.tree is not None:
            return list(self._types.get(role, [(None, 1.0)]))
        return [(a.type, a.prior) for a in self.agents if a.role == role]

    def play(self, moves: Mapping[str, tuple[str | None, str]]) -> tuple[str, dict[str, float]]:
        """Outcome label and payoff per role of one simultaneous match.

        ``moves`` maps each role to ``(type, action)``.
        """
        if self.tree is not None:
            raise TypeError("a tree is played in turn, not by one move per role")
        result: tuple[str, dict[str, float]] = self._payoffs(moves)
        return result


#: The scenario the built-in games are analyses of.
CASE_SCENARIO = "russia_nato_2022_02"
#: The demand the threat game is played at (the scenario's own demand is 0.9).
THREAT_DEMAND = 0.7


@functools.lru_cache(maxsize=1)
def case_scenario() -> Any:
    """The bundled scenario the built-in games are analyses of."""
    from sim.scenario.catalog import resolve_scenario
    from sim.scenario.loader import load_scenario

    return load_scenario(resolve_scenario(CASE_SCENARIO), check_models=False).scenario


def _bound(analysis: str, params: Mapping[str, float] | None,
           defaults: Mapping[str, float] | None = None) -> Any:
    """The scenario's ``analysis`` at its default calibration, with the model parameters
    ``defaults`` and then ``params`` (the instructor's) set over it."""
    from sim.scenario.binding import bind_analysis, scenario_values

    sc = case_scenario()
    bound = bind_analysis(sc, analysis, scenario_values(sc))
    values = bound.model.validate({**bound.params, **(defaults or {}), **dict(params or {})})
    return dataclasses.replace(bound, params=values)


def _start(text: str) -> str:
    return text[:1].upper() + text[1:]


def chicken_game(params: Mapping[str, float] | None = None) -> ClassroomGame:
    """Chicken, the scenario's ``chicken`` analysis (model ``chicken_2x2``)."""
    from sim.classroom.game_forms import from_normal_form

    bound = _bound("chicken", params)
    nf = bound.game()
    a, b = nf.players  # the challenger, then the target, in the scenario's names
    the_a, the_b = bound.role_actors["challenger"], bound.role_actors["target"]
    outcome = bound.solve()
    firm_a = float(outcome.strategies[a]["Firm"])
    firm_b = float(outcome.strategies[b]["Firm"])
    names = {(0, 0): "Compromise", (1, 0): f"{_start(the_b)} backs down",
             (0, 1): f"{_start(the_a)} backs down", (1, 1): "War"}
    a_r, a_w = (np.asarray(x, dtype=float) for x in nf.to_arrays())
    return from_normal_form(
        NormalFormGame.from_arrays(a_r, a_w, players=(a, b),
                                   strategies=(("Swerve", "Firm"),) * 2),
        name="chicken", title="Chicken: who swerves first?",
        description=(f"{_start(the_a)} and {the_b} each choose to Swerve (back down) or "
                     "stand Firm. Standing firm against a side that swerves wins; if both "
                     "stand firm, it is war."),
        outcome=lambda idx: names[idx], params=dict(bound.params),
        prediction={a: {"Swerve": 1 - firm_a, "Firm": firm_a},
                    b: {"Swerve": 1 - firm_b, "Firm": firm_b}})


def threat_game(params: Mapping[str, float] | None = None) -> ClassroomGame:
    """The compellence game with private resolve, the scenario's ``compellence_bluffing``
    analysis (model ``threat_game_incomplete_info``), in turn."""
    from sim.classroom.game_forms import from_tree, relabel_tree

    bound = _bound("compellence_bluffing", params, {"x": THREAT_DEMAND})
    game = bound.game()
    tree = relabel_tree(game, players=tuple(game.players),
                        actions={"Execute": "Fight", "Resolved": "resolved",
                                 "Irresolute": "irresolute"},
                        infosets={"Resolved: start": "resolved, first move",
                                  "Irresolute: start": "irresolute, first move",
                                  "target": "after a demand",
                                  "Resolved: after resistance": "resolved, after resistance",
                                  "Irresolute: after resistance": "irresolute, after resistance"})
    the_a, the_b = bound.role_actors["challenger"], bound.role_actors["target"]
    return from_tree(
        tree, name="threat", title="Is the threat credible? Compellence with private resolve",
        description=(f"{_start(the_a)} privately learns whether it is resolved (war is worth "
                     f"fighting) or irresolute. It keeps the status quo or makes a demand; "
                     f"{the_b}, not knowing which, concedes or resists; if resisted, {the_a} "
                     "fights or backs down, paying an audience cost. You move in turn."),
        params={k: float(v) for k, v in bound.params.items()})


def crisis_game(params: Mapping[str, float] | None = None) -> ClassroomGame:
    """The crisis negotiation of February 2022, by teams (:mod:`sim.classroom.negotiation`)."""
    from sim.classroom.negotiation import crisis_game as build

    return build(params)


CLASSROOM_GAMES = {"chicken": chicken_game, "threat": threat_game, "crisis": crisis_game}


def make_game(name: str, params: Mapping[str, float] | None = None) -> ClassroomGame:
    """Build the classroom game ``name``: ``chicken``, ``threat``, ``crisis`` or a registry
    model's name.

    A registry model is played at ``params`` through its ``game()``
    (:func:`sim.classroom.game_forms.model_game`).
    """
    if name in CLASSROOM_GAMES:
        return CLASSROOM_GAMES[name](params)
    from sim.classroom.game_forms import model_game, playable_models

    if name in playable_models():
        return model_game(name, params)
    raise ValueError(f"unknown classroom game {name!r}; choose {', '.join(CLASSROOM_GAMES)} "
                     "or a model with a finite game")
