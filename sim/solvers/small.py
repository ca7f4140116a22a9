"""The fast path for one small bimatrix game with float payoffs.

A game of at most :data:`SMALL_MAX` strategies per player is solved by one
call of a compiled kernel (:func:`sim.solvers.bimatrix_kernels.single_game`):
2x2 games in closed form, larger ones by support enumeration driven by the
vertices of the row player's best-response polytope. The kernel also
computes each equilibrium's max regret, the certificate, in floating point.

Degeneracy is handled exactly: a game the kernel flags (a tie that makes a
vertex carry surplus labels, a singular partner system, a partner with a zero
in its support or an extra best reply) or whose float certificate is within
tolerance of failing (a regret above
:data:`~sim.solvers.tolerances.REGRET_ALARM` times the payoff range) is
returned as ``None``, and the caller solves it by exact vertex enumeration.
For the others the equilibria are isolated and the kernel finds them all
(see :mod:`sim.solvers.batch`).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import numpy as np

from sim.solvers.tolerances import REGRET_ALARM

__all__ = ["SMALL_MAX", "small_equilibria"]

#: The largest number of strategies per player routed through the kernel.
SMALL_MAX = 8


@lru_cache(maxsize=128)
def _systems(m: int, n: int) -> tuple[Any, ...]:
    from sim.solvers.bimatrix_kernels import pack_systems
    from sim.solvers.enummixed import polytope_systems

    cap = 2 ** min(m, n) - 1  # a nondegenerate game has fewer equilibria
    return pack_systems(*polytope_systems(m, n)), cap, REGRET_ALARM


_kernel: Any = None


def _single_game() -> Any:
    global _kernel
    if _kernel is None:
        from sim.solvers.bimatrix_kernels import single_game

        _kernel = single_game
    return _kernel


def small_equilibria(A: np.ndarray, B: np.ndarray) -> np.ndarray | None:
    """Every equilibrium of a small nondegenerate float game, or ``None``.

    Parameters
    ----------
    A, B
        ``float64`` payoff matrices of one shape ``(m, n)``, ``m, n <=``
        :data:`SMALL_MAX`.

    Returns
    -------
    table or None
        One row per equilibrium, in the order of
        :func:`sim.solvers.enummixed.extreme_equilibria`: the row player's
        mixed strategy (``m`` entries), the column player's (``n``), both
        expected payoffs, the max regret, and 1.0 when both strategies are
        pure (else 0.0). ``None`` when the game must be solved exactly (see
        the module docstring).
    """
    m, n = A.shape
    flag, table = _single_game()(A[None], B[None], *_systems(m, n))
    if flag:
        return None
    if len(table) > 1:
        # Deterministic order: lexicographic in the reversed row strategy; in
        # a nondegenerate game each row vertex has at most one partner.
        table = table[np.lexsort(table[:, :m].T)]
    return table
