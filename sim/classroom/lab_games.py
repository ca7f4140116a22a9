"""A game of the game lab, played live by a class.

:func:`lab_game` turns a lab game (:mod:`sim.lab.model`) at given parameter
values into a :class:`~sim.classroom.games.ClassroomGame` through the
engine's game (:func:`sim.lab.build.to_engine`): a two-player normal form is
played simultaneously, a tree in turn (:mod:`sim.classroom.game_forms`).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from typing import Any

import numpy as np

from sim.classroom.game_forms import from_normal_form, from_tree
from sim.classroom.games import ClassroomGame
from sim.games.errors import GameError
from sim.games.extensive_form import ExtensiveFormGame
from sim.lab.build import resolve_values, to_engine
from sim.lab.files import dump_json, load_json
from sim.lab.model import LabGame

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
    if n >= 2 and lab.tree is not None:
        return None
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
        If a normal form does not have two players or has more than
        :data:`MAX_CLASS_CELLS` profiles or a strategy name longer than
        :data:`MAX_PLAN_CHARS`, a tree is too large to play
        (:data:`~sim.classroom.game_forms.MAX_CLASS_INFOSETS`), or a payoff
        cannot be evaluated.
    """
    why = class_ready(lab)
    if why is not None:
        raise LabClassError(why)
    vals = resolve_values(lab, values)
    try:
        engine = to_engine(lab, vals)
    except GameError as exc:
        raise LabClassError(str(exc)) from None
    src = source or dump_json(lab, indent=None)
    params = {k: float(v) for k, v in vals.items()}
    if isinstance(engine, ExtensiveFormGame):
        try:
            return from_tree(engine, name=LAB_GAME_NAME, title=lab.title[:120],
                             description=_briefing(lab, tuple(engine.players), True),
                             params=params, source=src)
        except GameError as exc:
            raise LabClassError(str(exc)) from None
    nf = engine
    strategies = tuple(tuple(str(s) for s in labels) for labels in nf.strategies)
    roles = tuple(nf.players)
    for i, labels in enumerate(strategies):
        for s in labels:
            if len(s) > MAX_PLAN_CHARS:
                raise LabClassError(f"a strategy of {roles[i]} is longer than {MAX_PLAN_CHARS} "
                                    "characters; shorten the action names to play it in class")
    if int(np.prod([len(x) for x in strategies])) > MAX_CLASS_CELLS:
        raise LabClassError(f"This game has more than {MAX_CLASS_CELLS} strategy profiles to "
                            "play in class.")
    try:
        return from_normal_form(nf, name=LAB_GAME_NAME, title=lab.title[:120],
                                description=_briefing(lab, roles, False), params=params,
                                source=src)
    except GameError as exc:
        raise LabClassError(str(exc)) from None


def _briefing(lab: LabGame, roles: tuple[str, ...], tree: bool) -> str:
    text = lab.description.strip() or (f"{roles[0]} and {roles[1]} each choose a strategy; "
                                       "the pair of choices decides both payoffs.")
    if tree:
        text += (" The game is a tree of moves, played in turn: when it is your move the page "
                 "says so and shows what you have seen so far.")
    return text


def session_params(lab: LabGame, values: Mapping[str, Any] | None) -> tuple[str, str]:
    """What a session stores: the lab game's JSON and the parameter values' JSON."""
    vals = {k: float(v) for k, v in resolve_values(lab, values).items()}
    return dump_json(lab, indent=None), json.dumps(vals, sort_keys=True)


@functools.lru_cache(maxsize=64)
def lab_game_from_json(lab_json: str, params_json: str) -> ClassroomGame:
    """The classroom game a session stored (its lab game's JSON and values' JSON)."""
    return lab_game(load_json(lab_json, "the session's game"), json.loads(params_json),
                    source=lab_json)
