"""Rendering a model's words with a scenario's actor names.

A model writes its explanation, outcome labels, strategy and payoff keys,
and game labels with the display names of its roles (``"Challenger"``,
``"Target"``, ``"Side A"``). A scenario's analysis maps each role id to one
of its actors; :func:`role_names` turns that mapping into display name →
actor name, and the functions below substitute the names in one place, so
that a Cuban Missile Crisis analysis speaks of the United States and the
Soviet Union.

Only whole display names are replaced (``Target`` but not ``target`` or
``Targets``), and a possessive follows the name (``United States'``). An actor
name may carry its article (``the United States``): sentences keep it, and
capitalise it where it opens one; keys and players drop it.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Mapping
from typing import Any

from sim.games.extensive_form import Chance, Decision, ExtensiveFormGame, Node, Terminal
from sim.games.normal_form import NormalFormGame
from sim.models.base import Model, Outcome

__all__ = ["role_names", "substitute", "substitute_name", "render_outcome", "render_game",
           "relabel_outcome", "relabel_game"]


def role_names(model: Model, actors: Mapping[str, str]) -> dict[str, str]:
    """Display name → actor name for the roles of ``model`` that ``actors`` names.

    ``actors`` maps role ids (``"challenger"``) to actor names. Roles it
    leaves out keep their display names.
    """
    return {display: actors[role] for role, display in model.roles.items()
            if role in actors and actors[role] != display}


def _possessive(name: str) -> str:
    return f"{name}'" if name.endswith("s") else f"{name}'s"


#: What may stand between a sentence's end and its first word ("**", a quote mark).
_OPENERS = " *_\"'(“‘"


#: An indefinite article, perhaps with an adjective, before a name ("a soft Target"):
#: the name then drops its own article ("a soft United States").
_INDEFINITE = re.compile(r"\b(?:a|an|A|An)\s+(?:[a-z-]+\s+)?$")


def _starts_sentence(text: str, at: int) -> bool:
    before = text[:at].rstrip(_OPENERS)
    return not before or before[-1] in ".!?\n"


def _in_text(name: str, text: str, at: int) -> str:
    """``name`` (perhaps ``the United States``) as it reads at ``text[at]``."""
    if not name.startswith("the "):
        return name
    if _INDEFINITE.search(text[:at]):
        return name[4:]
    return "T" + name[1:] if _starts_sentence(text, at) else name


def _substituter(names: Mapping[str, str]) -> Callable[[str], str]:
    if not names:
        return lambda text: text
    # A sentence may also call a role by its common noun ("the patron", "The target"),
    # which reads as the actor's name just the same; "the Target" must not become
    # "the the United States".
    nouns = {f"{the} {form}": names[k] for k in names for the in ("the", "The")
             for form in (k.lower(), k) if k.lower() != k}
    every = {**names, **nouns}
    # Longer names first, so that "Side A" is never read as "Side".
    keys = sorted(every, key=len, reverse=True)
    pattern = re.compile(r"\b(" + "|".join(re.escape(k) for k in keys) + r")('s)?\b")

    def sub(match: re.Match[str]) -> str:
        name = _in_text(every[match.group(1)], match.string, match.start())
        return _possessive(name) if match.group(2) else name

    return lambda text: pattern.sub(sub, text)


def _bare(sub: Callable[[str], str], names: Mapping[str, str]) -> Callable[[str], str]:
    """``sub`` for names that stand alone, as keys and players do: ``United States``,
    not ``The United States``."""
    articled = [n for n in names.values() if n.startswith("the ")]
    if not articled:
        return sub

    def bare(text: str) -> str:
        out = sub(text)
        for name in articled:
            if out[:len(name)].lower() == name.lower():
                return name[4:] + out[len(name):]
        return out

    return bare


def substitute(text: str, names: Mapping[str, str]) -> str:
    """``text`` with every display name in ``names`` replaced by its actor name.

    An actor name may carry its article (``the United States``); it is capitalised
    where it opens a sentence.
    """
    return _substituter(names)(text)


def substitute_name(text: str, names: Mapping[str, str]) -> str:
    """:func:`substitute` for a label that stands alone (a column, a key, a player):
    an opening article is dropped, so ``Target's payoff`` reads ``United States'
    payoff``."""
    return _bare(_substituter(names), names)(text)


def _keys(mapping: Mapping[str, Any], sub: Callable[[str], str]) -> dict[str, Any]:
    return {sub(k): v for k, v in mapping.items()}


def render_outcome(outcome: Outcome, names: Mapping[str, str]) -> Outcome:
    """``outcome`` with the actor names of ``names`` in every label and sentence.

    The numbers are unchanged; payoffs, strategies, beliefs and outcome
    probabilities are keyed by the substituted labels.
    """
    if not names:
        return outcome
    sub = _substituter(names)
    return relabel_outcome(outcome, sub, _bare(sub, names))


def relabel_outcome(outcome: Outcome, sub: Callable[[str], str],
                    key: Callable[[str], str] | None = None) -> Outcome:
    """``outcome`` with ``sub`` applied to every sentence and label, and ``key`` (by
    default ``sub``) to the keys of its payoffs, strategies, beliefs and probabilities
    (numbers unchanged)."""
    key = key or sub
    return dataclasses.replace(
        outcome,
        outcome=sub(outcome.outcome),
        probabilities=_keys(outcome.probabilities, key),
        payoffs=_keys(outcome.payoffs, key),
        strategies={key(k): _keys(v, key) for k, v in outcome.strategies.items()},
        beliefs=_keys(outcome.beliefs, key),
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
    sub = _substituter(names)
    return relabel_game(game, sub, _bare(sub, names))


def relabel_game(game: Any, sub: Callable[[str], str],
                 player: Callable[[str], str] | None = None) -> Any:
    """``game`` with ``sub`` applied to its actions, information sets and labels, and
    ``player`` (by default ``sub``) to its players."""
    player = player or sub
    if isinstance(game, ExtensiveFormGame):
        return ExtensiveFormGame(_node(game.root, sub), [player(p) for p in game.players],
                                 title=sub(game.title))
    if isinstance(game, NormalFormGame):
        return NormalFormGame(game.payoffs, players=[player(p) for p in game.players],
                              strategies=game.strategies, title=sub(game.title),
                              exact=game.is_exact)
    return game
