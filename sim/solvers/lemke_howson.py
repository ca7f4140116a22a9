"""One Nash equilibrium of a bimatrix game by the Lemke-Howson algorithm.

Lemke and Howson (1964), "Equilibrium points of bimatrix games", SIAM J. 12;
von Stengel (2002), Handbook of Game Theory 3, section 3.4. From the
artificial equilibrium, drop one label and follow the path of almost
completely labelled vertex pairs to an equilibrium. The pivoting is nashpy's
integer-pivoting implementation with lexicographic ratio tests (Nisan et al.
2007, algorithm 3.6), which also terminates on degenerate games. The result
carries its max-regret certificate; a path ending at an inconsistent vertex
is reported as an error rather than returned.
"""

from __future__ import annotations

import warnings

import numpy as np
from nashpy.algorithms.lemke_howson import lemke_howson

from sim.games.errors import GameError
from sim.games.normal_form import NormalFormGame
from sim.solvers.result import Equilibrium, SolveResult

__all__ = ["lemke_howson_solve"]

#: Largest regret accepted for the float result.
REGRET_TOL = 1e-9


def lemke_howson_solve(game: NormalFormGame, initial_dropped_label: int = 0) -> SolveResult:
    """One equilibrium of a two-player game by Lemke-Howson.

    Parameters
    ----------
    game
        A two-player game (solved in floating point).
    initial_dropped_label
        The label dropped first: ``0..m-1`` are the row strategies,
        ``m..m+n-1`` the column strategies.

    Raises
    ------
    GameError
        For a non-bimatrix game, a bad label, or if the path ends at a
        profile that is not an equilibrium (regret above ``1e-9``).

    Examples
    --------
    >>> bos = NormalFormGame.from_arrays([[2, 0], [0, 1]], [[1, 0], [0, 2]])
    >>> [s.tolist() for s in lemke_howson_solve(bos).equilibria[0].profile]
    [[1.0, 0.0], [1.0, 0.0]]
    """
    if game.n_players != 2:
        raise GameError("Lemke-Howson needs a two-player game")
    m, n = game.shape
    if not 0 <= initial_dropped_label < m + n:
        raise GameError(f"initial_dropped_label must be in 0..{m + n - 1}")
    fgame = game.as_float()
    A, B = fgame.to_arrays()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        x, y = lemke_howson(np.array(A), np.array(B), initial_dropped_label=initial_dropped_label)
    if x.shape != (m,) or y.shape != (n,) or not (np.isfinite(x).all() and np.isfinite(y).all()):
        raise GameError("Lemke-Howson ended at an invalid vertex (degenerate game?)")
    x = np.clip(x, 0.0, None)
    y = np.clip(y, 0.0, None)
    x, y = x / x.sum(), y / y.sum()
    profile = (x, y)
    regret = float(fgame.regret(profile))
    if regret > REGRET_TOL * max(1.0, float(np.abs(A).max()), float(np.abs(B).max())):
        raise GameError(f"Lemke-Howson ended at a non-equilibrium (regret {regret:.3g})")
    pure = int(np.count_nonzero(x)) == 1 and int(np.count_nonzero(y)) == 1
    return SolveResult(
        method="lemke_howson",
        parameters={"initial_dropped_label": initial_dropped_label},
        game=game,
        equilibria=(
            Equilibrium(
                profile=profile,
                payoffs=tuple(float(p) for p in fgame.expected_payoffs(profile)),
                regret=regret,
                label="pure" if pure else "mixed",
            ),
        ),
        notes=tuple(str(w.message) for w in caught),
    )
