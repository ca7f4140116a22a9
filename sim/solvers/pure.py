"""All pure-strategy Nash equilibria of an N-player normal-form game.

A profile ``s`` is a pure Nash equilibrium when, for every player ``i``,
``u_i(s) = max_t u_i(t, s_-i)`` (Nash 1951; Osborne and Rubinstein 1994,
definition 14.1). The check is vectorised: for each player, the maximum of
its payoff array along its own axis is broadcast back and compared with the
array, so every profile is tested at once. Exact games are compared exactly.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from sim.games.normal_form import NormalFormGame
from sim.solvers.result import Equilibrium, SolveResult

__all__ = ["pure_equilibrium_mask", "pure_solve"]


def pure_equilibrium_mask(payoffs: tuple[np.ndarray, ...]) -> np.ndarray:
    """Boolean array over profiles: ``True`` where the profile is a pure equilibrium.

    Parameters
    ----------
    payoffs
        One payoff array per player, all of shape ``(n_1, ..., n_N)``.
    """
    mask = np.ones(payoffs[0].shape, dtype=bool)
    for i, u in enumerate(payoffs):
        best = u.max(axis=i, keepdims=True)
        mask &= np.asarray(u == best, dtype=bool)
    return mask


def pure_solve(game: NormalFormGame) -> SolveResult:
    """Every pure-strategy Nash equilibrium of ``game`` (any number of players).

    Returns
    -------
    SolveResult
        ``method="pure"``; equilibria in lexicographic order of the profile,
        each with exact (zero) regret for exact games.

    Examples
    --------
    >>> pd = NormalFormGame.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    >>> [tuple(int(np.argmax(s)) for s in e.profile) for e in pure_solve(pd).equilibria]
    [(1, 1)]
    """
    arrays = game.to_arrays()
    mask = pure_equilibrium_mask(arrays)
    equilibria = []
    for idx in zip(*np.nonzero(mask), strict=True):
        profile = []
        for k, s in zip(game.shape, idx, strict=True):
            if game.is_exact:
                v = np.array([Fraction(int(t == s)) for t in range(k)], dtype=object)
            else:
                v = np.zeros(k)
                v[int(s)] = 1.0
            profile.append(v)
        payoffs = tuple(a[tuple(int(s) for s in idx)] for a in arrays)
        equilibria.append(
            Equilibrium(
                profile=tuple(profile),
                payoffs=payoffs,
                regret=game.regret(profile) if game.is_exact else float(game.regret(profile)),
                label="pure",
            )
        )
    return SolveResult(method="pure", parameters={}, game=game, equilibria=tuple(equilibria))
