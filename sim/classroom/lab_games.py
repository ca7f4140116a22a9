"""A two-player game of the game lab, played live by a class.

:func:`lab_game` turns a lab game (:mod:`sim.lab.model`) at given parameter
values into a :class:`~sim.classroom.games.ClassroomGame`: the roles are the
lab's player names, each role is one agent with its strategies, payoffs are
read from the engine's game (:func:`sim.lab.build.to_engine`), and the
prediction is an equilibrium from the engine's solver
(:func:`sim.lab.solve.solve_engine`). A tree is played by the strategy
method on its reduced normal form (:mod:`sim.games.reduced`): each student
submits a complete plan.

When the game has several equilibria the prediction is the one selected by
the limit of the principal logit QRE branch (McKelvey & Palfrey 1995; the
tracing of Turocy 2005), a Nash equilibrium that does not depend on the
order the solver lists equilibria in; where that branch cannot be traced to
its end, the solver's first equilibrium.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from typing import Any

import numpy as np

from sim.classroom.games import Agent, ClassroomGame
from sim.games.errors import GameError
from sim.games.extensive_form import ExtensiveFormGame
from sim.games.normal_form import NormalFormGame
from sim.lab.build import resolve_values, to_engine
from sim.lab.files import dump_json, load_json
from sim.lab.model import LabGame
from sim.lab.solve import solve_engine

__all__ = ["LAB_GAME_NAME", "MAX_PLAN_CHARS", "MAX_CLASS_CELLS", "LabClassError", "lab_game",
           "lab_game_from_json", "class_ready", "session_params"]

#: The name a session records for a game from the lab.
LAB_GAME_NAME = "lab"
#: The longest strategy (plan) name a class can submit.
MAX_PLAN_CHARS = 120
#: The largest table (strategy profiles) a class plays.
MAX_CLASS_CELLS = 400
_MAX_OUTCOME = 64


class LabClassError(GameError):
    """A lab game a class cannot play; the message is one plain sentence."""


def class_ready(lab: LabGame) -> str | None:
    """Why ``lab`` cannot be played in class, or ``None`` if it can (a cheap check)."""
    n = len(lab.players)
    if n != 2:
        return (f"Only games with two players can be played in class; this game has {n} "
                f"player{'s' if n != 1 else ''}.")
    return None


def lab_game(lab: LabGame, values: Mapping[str, Any] | None = None, *,
             source: str = "") -> ClassroomGame:
    """The classroom game of the two-player lab game ``lab`` at ``values``.

    Parameters
    ----------
    lab
        A validated lab game with two players (normal form or tree).
    values
        Parameter values on top of the game's own.

    Returns
    -------
    ClassroomGame
        ``name`` is :data:`LAB_GAME_NAME`; ``params`` the values used.

    Raises
    ------
    LabClassError
        If the game does not have two players, a tree's reduced normal form
        is larger than :data:`MAX_CLASS_CELLS` profiles or a plan name longer
        than :data:`MAX_PLAN_CHARS`, or a payoff cannot be evaluated.
    """
    why = class_ready(lab)
    if why is not None:
        raise LabClassError(why)
    vals = resolve_values(lab, values)
    try:
        engine = to_engine(lab, vals)
    except GameError as exc:
        raise LabClassError(str(exc)) from None
    tree = isinstance(engine, ExtensiveFormGame)
    if isinstance(engine, ExtensiveFormGame):
        from sim.games.reduced import reduced_form

        try:
            reduced = reduced_form(engine, max_cells=MAX_CLASS_CELLS)
        except GameError as exc:
            raise LabClassError(f"This tree has too many plans to play in class: {exc}") from None
        nf = reduced.game
        strategies = _plan_names(engine, reduced)
    else:
        nf = engine
        strategies = tuple(tuple(s) for s in nf.strategies)
    roles = tuple(nf.players)
    for i, labels in enumerate(strategies):
        for s in labels:
            if len(s) > MAX_PLAN_CHARS:
                raise LabClassError(f"a strategy of {roles[i]} is longer than {MAX_PLAN_CHARS} "
                                    "characters; shorten the action names to play it in class")
    a_row, a_col = (np.asarray(np.asarray(x, dtype=object), dtype=float) for x in nf.to_arrays())
    prediction = _prediction(nf, strategies)
    agents = tuple(Agent(role, None, strategies[i]) for i, role in enumerate(roles))
    index = [{s: k for k, s in enumerate(labels)} for labels in strategies]

    def payoffs(moves: Mapping[str, tuple[str | None, str]]) -> tuple[str, dict[str, float]]:
        r, c = index[0][moves[roles[0]][1]], index[1][moves[roles[1]][1]]
        return (_outcome(strategies[0][r], strategies[1][c]),
                {roles[0]: float(a_row[r, c]), roles[1]: float(a_col[r, c])})

    outcomes = tuple(dict.fromkeys(_outcome(r, c) for r in strategies[0]
                                   for c in strategies[1]))
    return ClassroomGame(
        name=LAB_GAME_NAME, title=lab.title[:120], description=_briefing(lab, roles, tree),
        roles=roles, agents=agents, params={k: float(v) for k, v in vals.items()},
        normal_form=NormalFormGame.from_arrays(a_row, a_col, players=roles,
                                               strategies=strategies),
        prediction=prediction, outcome_labels=outcomes,
        source=source or dump_json(lab, indent=None), _payoffs=payoffs)


def _plan_names(tree: ExtensiveFormGame, reduced: Any) -> tuple[tuple[str, ...], ...]:
    """Plain names of the plans: the action, or ``"where: action; where: action"``.

    A move a plan never reaches is left out (the reduced form's ``*``). Where a plain
    name is too long, the reduced form's compact label is kept.
    """
    from sim.lab.solve import infoset_name

    out = []
    for i, plans in enumerate(reduced.plans):
        names = []
        for k, plan in enumerate(plans):
            keys = [key for key in reduced.infosets[i] if key in plan]
            if len(keys) == 1:
                name = str(plan[keys[0]])
            else:
                name = "; ".join(f"{infoset_name(tree, key)}: {plan[key]}" for key in keys)
            names.append(name if len(name) <= MAX_PLAN_CHARS
                         else str(reduced.game.strategies[i][k]))
        out.append(tuple(names))
    return tuple(out)


def _outcome(row: str, col: str) -> str:
    label = f"{row} / {col}"
    return label if len(label) <= _MAX_OUTCOME else label[:_MAX_OUTCOME - 1] + "…"


def _briefing(lab: LabGame, roles: tuple[str, ...], tree: bool) -> str:
    text = lab.description.strip() or (f"{roles[0]} and {roles[1]} each choose a strategy; "
                                       "the pair of choices decides both payoffs.")
    if tree:
        text += (" The game is a tree of moves, played here by the strategy method: each of "
                 "you chooses a complete plan in advance, one action for every point at which "
                 "you might have to move, and the plans are played out against each other.")
    return text


def _prediction(nf: NormalFormGame, labels: tuple[tuple[str, ...], ...]
                ) -> dict[str, dict[str, float]]:
    from sim.solvers.logit_nash import logit_solve

    try:
        found = [eq.profile for eq in solve_engine(nf).equilibria]
    except GameError:
        found = []  # too large to enumerate: the logit limit alone
    profile = found[0] if len(found) == 1 else None
    if profile is None:
        try:
            profile = logit_solve(nf.as_float()).equilibria[0].profile
        except GameError as exc:
            if not found:
                raise LabClassError(f"no equilibrium of this game could be computed for the "
                                    f"class's prediction: {exc}") from None
            profile = found[0]  # the branch was not traced to its end
    return {player: {s: float(p) for s, p in zip(labels[i], np.asarray(profile[i], dtype=float),
                                                 strict=True)}
            for i, player in enumerate(nf.players)}


def session_params(lab: LabGame, values: Mapping[str, Any] | None) -> tuple[str, str]:
    """What a session stores: the lab game's JSON and the parameter values' JSON."""
    vals = {k: float(v) for k, v in resolve_values(lab, values).items()}
    return dump_json(lab, indent=None), json.dumps(vals, sort_keys=True)


@functools.lru_cache(maxsize=64)
def lab_game_from_json(lab_json: str, params_json: str) -> ClassroomGame:
    """The classroom game a session stored (its lab game's JSON and values' JSON)."""
    return lab_game(load_json(lab_json, "the session's game"), json.loads(params_json),
                    source=lab_json)
