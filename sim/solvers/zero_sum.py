"""Minimax solution of two-player constant-sum games by linear programming.

For a zero-sum game with row payoffs ``A`` (the column player gets ``-A``, or
``c - A`` for a constant sum ``c``), the row player's maximin strategy solves
(von Neumann 1928; Osborne and Rubinstein 1994, proposition 22.2)::

    max v  s.t.  x^T A[:, j] >= v for every column j,  sum(x) = 1,  x >= 0,

and the column player's minimax strategy solves the dual. Both LPs are solved
with HiGHS (``scipy.optimize.linprog(method="highs")``); the value ``v`` is
the same for both by the minimax theorem.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import linprog

from sim.games.errors import GameError
from sim.games.normal_form import NormalFormGame
from sim.solvers.result import Equilibrium, SolveResult

__all__ = ["constant_sum", "lp_solve", "maximin"]


def constant_sum(game: NormalFormGame) -> float | None:
    """The constant ``c`` with ``A + B == c`` everywhere, or ``None``."""
    if game.n_players != 2:
        return None
    A, B = (a.astype(float) for a in game.to_arrays())
    total = A + B
    c = float(total.flat[0])
    scale = max(1.0, float(np.abs(A).max()), float(np.abs(B).max()))
    return c if np.allclose(total, c, rtol=0.0, atol=1e-12 * scale) else None


def maximin(A: np.ndarray) -> tuple[np.ndarray, float]:
    """The row player's maximin mixed strategy of payoff matrix ``A`` and the game value.

    Variables ``(x_1..x_m, v)``; minimise ``-v`` subject to
    ``v - x^T A[:, j] <= 0`` and ``sum(x) = 1``.
    """
    m, n = A.shape
    c = np.zeros(m + 1)
    c[-1] = -1.0
    A_ub = np.hstack([-A.T, np.ones((n, 1))])
    A_eq = np.hstack([np.ones((1, m)), np.zeros((1, 1))])
    bounds = [(0.0, None)] * m + [(None, None)]
    res = linprog(c, A_ub=A_ub, b_ub=np.zeros(n), A_eq=A_eq, b_eq=[1.0], bounds=bounds,
                  method="highs")
    if not res.success:  # pragma: no cover - a finite game always has a solution
        raise GameError(f"linear program failed: {res.message}")
    x = np.clip(res.x[:m], 0.0, None)
    return x / x.sum(), float(res.x[-1])


def lp_solve(game: NormalFormGame) -> SolveResult:
    """Optimal (minimax) strategies and value of a two-player constant-sum game.

    Raises
    ------
    GameError
        If the game does not have two players or is not constant-sum.

    Notes
    -----
    ``parameters["value"]`` is the row player's value of the game. Optimal
    strategy sets may be polytopes; one optimal pair is returned.

    Examples
    --------
    >>> mp = NormalFormGame.from_arrays([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
    >>> r = lp_solve(mp)
    >>> abs(r.parameters["value"]) < 1e-12, r.equilibria[0].profile[0].round(12).tolist()
    (True, [0.5, 0.5])
    """
    c = constant_sum(game)
    if c is None:
        raise GameError("lp_solve needs a two-player constant-sum game")
    A = game.to_arrays()[0].astype(float)
    x, v = maximin(A)
    # The column player's minimax strategy is the maximin of -A^T.
    y, w = maximin(-A.T)
    profile = (x, y)
    eq = Equilibrium(
        profile=profile,
        payoffs=tuple(float(p) for p in game.as_float().expected_payoffs(profile)),
        regret=float(game.as_float().regret(profile)),
        label="minimax",
    )
    notes = () if abs(v + w) <= 1e-9 * max(1.0, abs(v)) else (f"primal/dual gap {v + w:.3g}",)
    return SolveResult(
        method="lp",
        parameters={"value": v, "constant_sum": c},
        game=game,
        equilibria=(eq,),
        notes=notes,
    )
