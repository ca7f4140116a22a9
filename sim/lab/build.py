"""From a lab game at given parameter values to the engine's games.

:func:`to_engine` is the one pure entry point: a :class:`~sim.lab.model.LabGame`
and parameter values give a :class:`~sim.games.NormalFormGame` or
:class:`~sim.games.ExtensiveFormGame` that every solver, file writer and
classroom game of the project accepts. :func:`payoff_stack` evaluates the
payoffs of a two-player game over whole numpy grids of parameter values at
once, for regime maps.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from sim.games.errors import GameError
from sim.games.extensive_form import Chance, Decision, ExtensiveFormGame, Node, Terminal
from sim.games.normal_form import NormalFormGame
from sim.lab.expr import ExpressionError
from sim.lab.model import LabGame, TreeSpec, parsed

__all__ = ["to_engine", "resolve_values", "EngineGame", "payoff_stack"]

EngineGame = NormalFormGame | ExtensiveFormGame


def resolve_values(game: LabGame, values: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The parameters' values with ``values`` applied on top.

    Raises
    ------
    GameError
        If ``values`` names a parameter the game does not have, or a value
        is not a finite number.
    """
    out: dict[str, Any] = dict(game.values)
    for name, v in (values or {}).items():
        if name not in out:
            known = ", ".join(out) or "none"
            raise GameError(f"the game has no parameter {name!r} (parameters: {known})")
        try:
            f = float(v)
        except (TypeError, ValueError):
            raise GameError(f"value of {name!r}: {v!r} is not a number") from None
        if not np.isfinite(f):
            raise GameError(f"value of {name!r}: {v!r} is not a finite number")
        out[name] = v
    return out


def _value(text: str, values: Mapping[str, Any], exact: bool, where: str) -> Any:
    try:
        return parsed(text).evaluate(values, exact=exact)
    except ExpressionError as exc:
        raise GameError(f"{where}: {exc}") from None


def to_engine(game: LabGame, values: Mapping[str, Any] | None = None, *,
              exact: bool = True) -> EngineGame:
    """The engine's game for ``game`` at the parameter ``values``.

    Parameters
    ----------
    game
        A validated lab game.
    values
        Parameter values overriding the game's current ones (any finite
        number; the slider ranges are not enforced here).
    exact
        Evaluate in exact rational arithmetic (decimals typed or chosen mean
        those decimals), so solvers certify equilibria exactly and detect
        degenerate games at thresholds such as ``c = w``. ``False`` gives a
        float game.

    Returns
    -------
    NormalFormGame or ExtensiveFormGame
        Players and strategy or action labels as in the lab game.

    Raises
    ------
    GameError
        ``"where: what is wrong"`` if an expression cannot be evaluated
        (division by zero, overflow) or the tree's chance probabilities are
        not a distribution.
    """
    vals = resolve_values(game, values)
    if game.normal_form is not None:
        nf = game.normal_form
        shape = nf.shape
        n = len(game.players)
        arrays = [np.empty(shape, dtype=object) for _ in range(n)]
        for k, idx in enumerate(np.ndindex(*shape)):
            cell = nf.payoffs[k]
            labels = ", ".join(nf.strategies[i][j] for i, j in enumerate(idx))
            for i in range(n):
                arrays[i][idx] = _value(cell[i], vals, exact,
                                        f"payoff of {game.players[i]} at ({labels})")
        if not exact:
            arrays = [a.astype(float) for a in arrays]
        return NormalFormGame(arrays, game.players, nf.strategies, game.title, exact=exact)
    assert game.tree is not None
    root = _tree_node(game.tree, game.tree.nodes[0].id, vals, exact, 0)
    return ExtensiveFormGame(root, game.players, game.title)


def _tree_node(tree: TreeSpec, node_id: str, vals: Mapping[str, Any], exact: bool,
               depth: int) -> Node:
    node = tree.node(node_id)
    where = f"node {node.label or node.id!r}"
    if node.kind == "terminal":
        pay = tuple(_value(t, vals, exact, f"{where}: payoff") for t in node.payoffs)
        return Terminal(pay, node.label)
    if node.kind == "decision":
        assert node.player is not None
        acts = tuple((b.action, _tree_node(tree, b.to, vals, exact, depth + 1))
                     for b in node.branches)
        return Decision(node.player, acts, node.infoset, node.label)
    branches = []
    for b in node.branches:
        assert b.prob is not None
        p = _value(b.prob, vals, exact, f"{where}: probability of {b.action!r}")
        if p < 0 or p > 1:
            raise GameError(f"{where}: probability of {b.action!r} is {float(p):g}, "
                            "outside [0, 1]")
        branches.append((b.action, p, _tree_node(tree, b.to, vals, exact, depth + 1)))
    return Chance(tuple(branches), node.label)


def _grid(values: Mapping[str, Any]) -> tuple[int, ...]:
    shapes = [np.shape(v) for v in values.values() if np.ndim(v)]
    return tuple(np.broadcast_shapes(*shapes)) if shapes else ()


def payoff_stack(game: LabGame, grid: Mapping[str, np.ndarray]) -> tuple[np.ndarray, ...]:
    """Payoff arrays of a normal-form lab game over a grid of parameter values.

    Parameters
    ----------
    game
        A lab game in normal form.
    grid
        Parameter name to array; arrays broadcast together to the grid
        shape ``G``. Parameters not in ``grid`` keep their current value.

    Returns
    -------
    tuple of ndarray
        One array per player of shape ``G + game shape``; points where a cell
        cannot be evaluated (division by zero, overflow) hold NaN.
    """
    if game.normal_form is None:
        raise GameError("payoff_stack needs a game in normal form")
    vals: dict[str, Any] = dict(game.values)
    vals.update({k: np.asarray(v, dtype=float) for k, v in grid.items()})
    g_shape = _grid(vals)
    nf = game.normal_form
    shape = nf.shape
    n = len(game.players)
    out = [np.empty(g_shape + shape) for _ in range(n)]
    for k, idx in enumerate(np.ndindex(*shape)):
        for i in range(n):
            v = parsed(nf.payoffs[k][i]).evaluate_masked(vals)
            out[i][(Ellipsis, *idx)] = np.broadcast_to(v, g_shape)
    return tuple(out)
