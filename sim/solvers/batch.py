"""Every extreme equilibrium of many bimatrix games at once.

``batch_solve(A, B)`` takes stacks of payoff matrices of shape
``(n_games, m, n)`` and returns arrays, not one Python object per game.

Both kernels are compiled loops over the games (numba), one pass per game
and no per-game Python objects. 2x2 games are solved in closed form. Larger
games go through the vertex-driven support enumeration: with the payoffs made
positive, it enumerates the vertices ``x`` of the row player's best-response
polytope ``P = {x >= 0, B^T x <= 1}`` (Avis, Rosenberg, Savani and von
Stengel 2010, Economic Theory 42, section 2): every square system
``B[S, T]^T x_S = 1`` for a support ``S`` and equally many tight columns ``T``
is solved by Gaussian elimination, feasible solutions are the vertices. For a
vertex, the equilibrium partner must be supported on ``T`` and make every row
of ``S`` a best reply, so it solves ``A[S, T] y_T = 1``; it is kept when it is
non-negative with no better row outside ``S``. This is support enumeration
(von Stengel 2002, Handbook of Game Theory 3, section 3.2) driven by the
vertices of ``P``.

Completeness. If every vertex of ``P`` has exactly ``m`` labels and every
partner system is nonsingular, each extreme equilibrium ``(x, y)`` has
``|supp x| = |BR(x)|``, its ``y`` is forced to solve the partner system, and
the equilibria are isolated, so none is lost. Otherwise (a vertex of ``P``
with surplus labels, a singular partner system, or a partner with a zero in
its support or an extra best reply) the game is *suspect*: it is re-solved by
the exact vertex enumeration of :func:`sim.solvers.enummixed.enummixed_solve`
on the exact value of its payoffs. The batch result therefore equals
``enummixed_solve`` game by game.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np
import numpy.typing as npt

from sim.games.errors import GameError
from sim.solvers.enummixed import check_enumerable, extreme_equilibria, polytope_systems

__all__ = ["BatchSolveResult", "batch_buffers", "batch_solve"]

#: Games per chunk below which extra threads are not worth starting.
_MIN_GAMES_PER_THREAD = 256


@dataclass(frozen=True)
class BatchSolveResult:
    """Equilibria of a stack of bimatrix games, as arrays.

    Attributes
    ----------
    count
        ``(n_games,)`` number of (extreme) equilibria of each game.
    row, col
        ``(n_games, k_max, m)`` and ``(n_games, k_max, n)`` mixed strategies;
        entries past ``count[g]`` are NaN.
    payoff_row, payoff_col
        ``(n_games, k_max)`` expected payoffs; NaN past ``count[g]``.
    degenerate
        ``(n_games,)`` the game was re-solved exactly and is degenerate
        (``enummixed_solve``'s flag): its equilibria are the extreme points
        of the equilibrium set. Games not re-solved have isolated equilibria
        (see the completeness argument above).
    exact
        ``(n_games,)`` the game was flagged and re-solved by the exact solver.
    method
        ``"batch-vertex-enumeration"``.
    """

    count: np.ndarray
    row: np.ndarray
    col: np.ndarray
    payoff_row: np.ndarray
    payoff_col: np.ndarray
    degenerate: np.ndarray
    exact: np.ndarray
    method: str = "batch-vertex-enumeration"

    def __len__(self) -> int:
        return int(self.count.shape[0])


def _as_fractions(values: list[list[float]] | list[list[int]]) -> np.ndarray:
    out = np.empty((len(values), len(values[0])), dtype=object)
    out[:] = [[Fraction(v) for v in r] for r in values]
    return out


def _bilinear(row: np.ndarray, M: np.ndarray, col: np.ndarray) -> np.ndarray:
    # x^T M y for every game and equilibrium; explicit sums beat einsum on tiny matrices.
    m, n = M.shape[1:]
    out = np.zeros(row.shape[:2])
    for a in range(m):
        inner = np.zeros(row.shape[:2])
        for b in range(n):
            inner += M[:, a, b, None] * col[:, :, b]
        out += row[:, :, a] * inner
    return out


def _capacity(m: int, n: int) -> int:
    # A nondegenerate m x n game has at most 2^min(m,n) - 1 equilibria (a crude
    # bound, but enough to size the output; 3 for 2x2 games).
    return 2 ** min(m, n) - 1


def batch_buffers(n_games: int, m: int, n: int, k_max: int | None = None) -> BatchSolveResult:
    """Writable output arrays for :func:`batch_solve` (``out=``), allocated once.

    A sweep that solves its games chunk by chunk passes the same buffers to
    every call, so no output is allocated per chunk.
    """
    k = _capacity(m, n) if k_max is None else int(k_max)
    return BatchSolveResult(
        count=np.empty(n_games, dtype=np.int64),
        row=np.empty((n_games, k, m)),
        col=np.empty((n_games, k, n)),
        payoff_row=np.empty((n_games, k)),
        payoff_col=np.empty((n_games, k)),
        degenerate=np.empty(n_games, dtype=np.bool_),
        exact=np.empty(n_games, dtype=np.bool_),
    )


def _run_kernels(Af: np.ndarray, Bf: np.ndarray, out: BatchSolveResult, flag: np.ndarray,
                 threads: int | None) -> None:
    from sim.solvers import bimatrix_kernels as kernels

    n_games, m, n = Af.shape
    args = (out.count, out.row, out.col, out.payoff_row, out.payoff_col, flag)
    parallel = threads is not None and threads > 1 and n_games >= 2 * _MIN_GAMES_PER_THREAD
    if parallel:
        import numba

        numba.set_num_threads(min(int(threads or 1), numba.config.NUMBA_NUM_THREADS))  # type: ignore[attr-defined]
    if (m, n) == (2, 2):
        if parallel:
            kernels.batch_2x2_parallel(Af, Bf, *args)
        else:
            _serial(kernels.batch_2x2, Af, Bf, *args)
        return
    support, tight, size = polytope_systems(m, n)
    labels = (np.arange(m, dtype=np.int64), np.arange(m, m + n, dtype=np.int64))
    if parallel:
        chunks = min(n_games // _MIN_GAMES_PER_THREAD, 8 * int(threads or 1))
        kernels.batch_general_parallel(Af, Bf, support, tight, size, *labels, *args, chunks)
    else:
        _serial(kernels.batch_general, Af, Bf, support, tight, size, *labels, *args)


def _serial(kernel: Any, *args: Any) -> None:
    """Run a one-thread batch loop; the first call of a process may compile it.

    Compiling it, numba warns that ``parallel=True`` found nothing to run in
    parallel, which is known and intended (see :mod:`sim.solvers.bimatrix_kernels`);
    that warning alone is silenced, and only while a signature is missing.
    """
    if kernel.signatures:
        kernel(*args)
        return
    from numba.core.errors import NumbaPerformanceWarning

    from sim.solvers.bimatrix_kernels import SERIAL_PARALLEL_WARNING

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r"\s*" + re.escape(SERIAL_PARALLEL_WARNING),
                                category=NumbaPerformanceWarning)
        kernel(*args)


def batch_solve(
    A: npt.ArrayLike,
    B: npt.ArrayLike,
    *,
    out: BatchSolveResult | None = None,
    threads: int | None = None,
) -> BatchSolveResult:
    """Every extreme Nash equilibrium of each game in a stack of bimatrix games.

    Parameters
    ----------
    A, B
        Row and column payoffs, shape ``(n_games, m, n)`` (``m + n <= 62``).
    out
        Buffers from :func:`batch_buffers` for exactly these ``n_games``,
        ``m``, ``n``, written in place and returned (the caller owns them and
        they stay writable). If a degenerate game has more extreme equilibria
        than ``out`` holds, a new, larger result is returned instead.
    threads
        Spread the games over this many of numba's threads (``prange``);
        ``None`` or 1 runs on the calling thread.

    Returns
    -------
    BatchSolveResult
        Arrays of equilibria; game ``g`` has ``count[g]`` equilibria, equal
        (as a set) to those of ``enummixed_solve`` on that game. Suspect
        games are solved exactly (``exact``); ``degenerate`` marks those
        whose equilibria may form components.

    Examples
    --------
    >>> r = batch_solve([[[1, -1], [-1, 1]]], [[[-1, 1], [1, -1]]])
    >>> r.count.tolist(), r.row[0, 0].tolist()
    ([1], [0.5, 0.5])
    """
    A_in = np.asarray(A)
    B_in = np.asarray(B)
    if A_in.ndim != 3 or A_in.shape != B_in.shape:
        raise GameError(
            f"A and B must have one shape (n_games, m, n); got {A_in.shape}, {B_in.shape}"
        )
    n_games, m, n = A_in.shape
    if m == 0 or n == 0:
        raise GameError(f"unsupported game size {m}x{n}")
    check_enumerable(m, n)
    Af = np.ascontiguousarray(A_in, dtype=float)
    Bf = np.ascontiguousarray(B_in, dtype=float)
    owned = out is None
    if out is None:
        out = batch_buffers(n_games, m, n)
    elif out.count.shape != (n_games,) or out.row.shape[::2] != (n_games, m) \
            or out.col.shape[2] != n or out.row.shape[1] < 1:
        raise GameError(f"out= holds {out.row.shape[0]} games of {out.row.shape[2]}x"
                        f"{out.col.shape[2]}; these are {n_games} games of {m}x{n}")
    flag = np.empty(n_games, dtype=np.int8)
    _run_kernels(Af, Bf, out, flag, threads)
    worst = int(flag.max()) if n_games else 0  # one pass; flagged games are rare
    if worst == 2:
        raise GameError("payoffs must be finite")
    out.degenerate[:] = False
    if worst:
        np.not_equal(flag, 0, out=out.exact)
        out = _resolve_exactly(A_in, B_in, Af, Bf, np.flatnonzero(flag), out)
    else:
        out.exact[:] = False
    if owned:
        for arr in (out.count, out.row, out.col, out.payoff_row, out.payoff_col,
                    out.degenerate, out.exact):
            arr.setflags(write=False)
    return out


def _resolve_exactly(A_in: np.ndarray, B_in: np.ndarray, Af: np.ndarray, Bf: np.ndarray,
                     redo: np.ndarray, out: BatchSolveResult) -> BatchSolveResult:
    """Re-solve the flagged games by exact vertex enumeration, in place where they fit."""
    n_games, m, n = Af.shape
    integral = A_in.dtype.kind in "iub" and B_in.dtype.kind in "iub"
    solved: dict[bytes, tuple[np.ndarray, np.ndarray, bool]] = {}
    for g in redo:
        key = Af[g].tobytes() + Bf[g].tobytes()
        if key not in solved:
            # Exact values of the payoffs (integers, or the binary value of floats).
            Ae = _as_fractions(A_in[g].tolist() if integral else Af[g].tolist())
            Be = _as_fractions(B_in[g].tolist() if integral else Bf[g].tolist())
            xs, ys, pairs, degen = extreme_equilibria(Ae, Be, exact=True)
            solved[key] = (
                np.array([xs[i].astype(float) for i, _ in pairs]).reshape(-1, m),
                np.array([ys[j].astype(float) for _, j in pairs]).reshape(-1, n),
                degen,
            )
    cap = out.row.shape[1]
    k_max = max(cap, max(len(v[0]) for v in solved.values()))
    if k_max > cap:
        bigger = batch_buffers(n_games, m, n, k_max)
        bigger.row[:] = np.nan
        bigger.col[:] = np.nan
        bigger.payoff_row[:] = np.nan
        bigger.payoff_col[:] = np.nan
        for name in ("count", "degenerate", "exact"):
            getattr(bigger, name)[:] = getattr(out, name)
        bigger.row[:, :cap] = out.row
        bigger.col[:, :cap] = out.col
        bigger.payoff_row[:, :cap] = out.payoff_row
        bigger.payoff_col[:, :cap] = out.payoff_col
        out = bigger
    for g in redo:
        xs_g, ys_g, degen = solved[Af[g].tobytes() + Bf[g].tobytes()]
        out.row[g] = np.nan
        out.col[g] = np.nan
        out.count[g] = len(xs_g)
        out.row[g, : len(xs_g)] = xs_g
        out.col[g, : len(ys_g)] = ys_g
        out.degenerate[g] = degen
    out.payoff_row[redo] = _bilinear(out.row[redo], Af[redo], out.col[redo])
    out.payoff_col[redo] = _bilinear(out.row[redo], Bf[redo], out.col[redo])
    return out
