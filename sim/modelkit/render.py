"""Rendering a model's words with a scenario's actor names.

A model writes its explanation, outcome labels, strategy and payoff keys,
and game labels with the display names of its roles (``"Challenger"``,
``"Target"``, ``"Side A"``). A scenario's analysis maps each role id to one
of its actors; :func:`role_names` turns that mapping into display name →
actor name, and the functions below substitute the names in one place, so
that a Cuban Missile Crisis analysis speaks of the United States and the
Soviet Union.

Only whole display names are replaced (``Target`` but not ``target`` or
``Targets``), and a possessive follows the name (``United States'``).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Mapping
from typing import Any

from sim.games.extensive_form import Chance, Decision, ExtensiveFormGame, Node, Terminal
from sim.games.normal_form import NormalFormGame
from sim.models.base import Model, Outcome

__all__ = ["role_names", "substitute", "render_outcome", "render_game", "relabel_outcome",
           "relabel_game"]


def role_names(model: Model, actors: Mapping[str, str]) -> dict[str, str]:
    """Display name → actor name for the roles of ``model`` that ``actors`` names.

    ``actors`` maps role ids (``"challenger"``) to actor names. Roles it
    leaves out keep their display names.
    """
    return {display: actors[role] for role, display in model.roles.items()
            if role in actors and actors[role] != display}


def _possessive(name: str) -> str:
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def _substituter(names: Mapping[str, str]) -> Callable[[str], str]:
    if not names:
        return lambda text: text
    # Longer display names first, so that "Side A" is never read as "Side".
    keys = sorted(names, key=len, reverse=True)
    # A sentence may also call a role by its common noun ("the patron", "The target"),
    # which reads as the actor's name just the same.
    nouns = {f"{the} {k.lower()}": names[k] for k in keys for the in ("the", "The")
             if k.lower() != k}
    every = {**names, **nouns}
    keys = sorted(every, key=len, reverse=True)
    pattern = re.compile(r"\b(" + "|".join(re.escape(k) for k in keys) + r")('s)?\b")

    def sub(match: re.Match[str]) -> str:
        name = every[match.group(1)]
        return _possessive(name) if match.group(2) else name

    return lambda text: pattern.sub(sub, text)


def substitute(text: str, names: Mapping[str, str]) -> str:
    """``text`` with every display name in ``names`` replaced by its actor name."""
    return _substituter(names)(text)


def _keys(mapping: Mapping[str, Any], sub: Callable[[str], str]) -> dict[str, Any]:
    return {sub(k): v for k, v in mapping.items()}


def render_outcome(outcome: Outcome, names: Mapping[str, str]) -> Outcome:
    """``outcome`` with the actor names of ``names`` in every label and sentence.

    The numbers are unchanged; payoffs, strategies, beliefs and outcome
    probabilities are keyed by the substituted labels.
    """
    if not names:
        return outcome
    return relabel_outcome(outcome, _substituter(names))


def relabel_outcome(outcome: Outcome, sub: Callable[[str], str]) -> Outcome:
    """``outcome`` with ``sub`` applied to every label and sentence (numbers unchanged)."""
    return dataclasses.replace(
        outcome,
        outcome=sub(outcome.outcome),
        probabilities=_keys(outcome.probabilities, sub),
        payoffs=_keys(outcome.payoffs, sub),
        strategies={sub(k): _keys(v, sub) for k, v in outcome.strategies.items()},
        beliefs=_keys(outcome.beliefs, sub),
        explanation=sub(outcome.explanation),
    )


def _node(node: Node, sub: Callable[[str], str]) -> Node:
    if isinstance(node, Terminal):
        return Terminal(node.payoffs, sub(node.label))
    if isinstance(node, Chance):
        return Chance(tuple((sub(a), p, _node(c, sub)) for a, p, c in node.branches),
                      sub(node.label))
    return Decision(node.player, tuple((sub(a), _node(c, sub)) for a, c in node.actions),
                    None if node.infoset is None else sub(node.infoset), sub(node.label))


def render_game(game: Any, names: Mapping[str, str]) -> Any:
    """A model's game with players, information sets and labels in actor names."""
    if not names or game is None:
        return game
    return relabel_game(game, _substituter(names))


def relabel_game(game: Any, sub: Callable[[str], str]) -> Any:
    """``game`` with ``sub`` applied to its players, actions, information sets and labels."""
    if isinstance(game, ExtensiveFormGame):
        return ExtensiveFormGame(_node(game.root, sub), [sub(p) for p in game.players],
                                 title=sub(game.title))
    if isinstance(game, NormalFormGame):
        return NormalFormGame(game.payoffs, players=[sub(p) for p in game.players],
                              strategies=game.strategies, title=sub(game.title),
                              exact=game.is_exact)
    return game
