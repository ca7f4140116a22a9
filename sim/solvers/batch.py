"""Every extreme equilibrium of many bimatrix games at once.

``batch_solve(A, B)`` takes stacks of payoff matrices of shape
``(n_games, m, n)`` and returns arrays, not one Python object per game. One
compiled kernel loops over the games and runs the vertex enumeration of
:mod:`sim.solvers.enummixed` (best-response polytopes; Avis et al. 2010,
Economic Theory 42, section 2) on each: every square support system is solved
by Gaussian elimination, feasible solutions are the polytope vertices, and
completely labelled vertex pairs are the equilibria.

Degenerate games (a vertex with surplus labels, i.e. a mixed strategy with
more pure best responses than its support size) have equilibrium components;
float tolerances could then misjudge ties, so those games are flagged and
re-solved by the exact vertex enumeration of
:func:`sim.solvers.enummixed.enummixed_solve` on the exact value of their
payoffs. The batch result therefore equals ``enummixed_solve``
game by game.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import numba
import numpy as np
import numpy.typing as npt

from sim.games.errors import GameError
from sim.solvers.enummixed import (
    FLOAT_TOL,
    MERGE_TOL,
    PIVOT_TOL,
    extreme_equilibria,
    polytope_systems,
    polytope_vertices_work,
)

__all__ = ["BatchSolveResult", "batch_solve"]


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
        ``(n_games,)`` the game is degenerate; its equilibria are the extreme
        points of the equilibrium set, computed by the exact solver.
    method
        ``"batch-vertex-enumeration"``.
    """

    count: np.ndarray
    row: np.ndarray
    col: np.ndarray
    payoff_row: np.ndarray
    payoff_col: np.ndarray
    degenerate: np.ndarray
    method: str = "batch-vertex-enumeration"

    def __len__(self) -> int:
        return int(self.count.shape[0])


@numba.njit(cache=True, error_model="numpy")
def _popcount(v: np.int64) -> int:
    c = 0
    while v:
        v &= v - 1
        c += 1
    return c


@numba.njit(cache=True, error_model="numpy")
def _scale_into(M: np.ndarray, out: np.ndarray, transpose: bool) -> None:
    # Affine map of the payoffs into [1, 2]: equilibria are invariant, and
    # one tolerance then fits every game.
    m, n = M.shape
    lo = M[0, 0]
    hi = M[0, 0]
    for i in range(m):
        for j in range(n):
            lo = min(lo, M[i, j])
            hi = max(hi, M[i, j])
    span = hi - lo
    for i in range(m):
        for j in range(n):
            v = 1.0 if span == 0.0 else (M[i, j] - lo) / span + 1.0
            if transpose:
                out[j, i] = v
            else:
                out[i, j] = v


@numba.njit(cache=True, error_model="numpy")
def _batch_kernel(
    A: np.ndarray,
    B: np.ndarray,
    sys_p: tuple[np.ndarray, np.ndarray, np.ndarray],
    sys_q: tuple[np.ndarray, np.ndarray, np.ndarray],
    labels: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray],
    cap: int,
    count: np.ndarray,
    row: np.ndarray,
    col: np.ndarray,
    flag: np.ndarray,
) -> None:
    n_games, m, n = A.shape
    sup_p, tight_p, size_p = sys_p
    sup_q, tight_q, size_q = sys_q
    p_zero, p_tight, q_zero, q_tight = labels
    Cp = np.empty((m, n))
    Cq = np.empty((n, m))
    xs = np.empty((size_p.shape[0], m))
    ys = np.empty((size_q.shape[0], n))
    xm = np.empty(size_p.shape[0], dtype=np.int64)
    ym = np.empty(size_q.shape[0], dtype=np.int64)
    xsys = np.empty(size_p.shape[0], dtype=np.int64)
    ysys = np.empty(size_q.shape[0], dtype=np.int64)
    kmax = max(sup_p.shape[1], sup_q.shape[1])
    mat = np.empty((kmax, kmax))
    rhs = np.empty(kmax)
    zx = np.zeros(m)
    zy = np.zeros(n)
    full = (np.int64(1) << (m + n)) - 1
    for g in range(n_games):
        _scale_into(B[g], Cp, False)
        _scale_into(A[g], Cq, True)
        nx = polytope_vertices_work(
            Cp, sup_p, tight_p, size_p, p_zero, p_tight, FLOAT_TOL, PIVOT_TOL, MERGE_TOL,
            xs, xm, xsys, mat, rhs, zx,
        )
        ny = polytope_vertices_work(
            Cq, sup_q, tight_q, size_q, q_zero, q_tight, FLOAT_TOL, PIVOT_TOL, MERGE_TOL,
            ys, ym, ysys, mat, rhs, zy,
        )
        degenerate = False
        for v in range(nx):
            if _popcount(xm[v]) > m:
                degenerate = True
        for v in range(ny):
            if _popcount(ym[v]) > n:
                degenerate = True
        k = 0
        if not degenerate:
            for i in range(nx):
                for j in range(ny):
                    if (xm[i] | ym[j]) == full:
                        if k < cap:
                            sx = 0.0
                            for a in range(m):
                                sx += xs[i, a]
                            sy = 0.0
                            for b in range(n):
                                sy += ys[j, b]
                            for a in range(m):
                                row[g, k, a] = xs[i, a] / sx
                            for b in range(n):
                                col[g, k, b] = ys[j, b] / sy
                        k += 1
        count[g] = k
        flag[g] = degenerate or k > cap


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


def _solve_2x2(A: np.ndarray, B: np.ndarray) -> tuple[np.ndarray, ...]:
    """Closed-form equilibria of nondegenerate 2x2 games, vectorised over games.

    A 2x2 game is degenerate exactly when a pure strategy has two pure best
    responses (a tie ``A[0, j] == A[1, j]`` or ``B[i, 0] == B[i, 1]``); those
    games are only flagged here. Otherwise the equilibria are the strict pure
    ones and, when both indifference solutions are interior, the mixed one
    (Osborne and Rubinstein 1994, section 3.2).
    """
    n_games = A.shape[0]
    # One transposed copy makes every payoff a contiguous vector.
    a00, a01, a10, a11 = np.ascontiguousarray(A.reshape(n_games, 4).T)
    b00, b01, b10, b11 = np.ascontiguousarray(B.reshape(n_games, 4).T)
    da0, da1 = a00 - a10, a01 - a11  # row 0's advantage against column j
    db0, db1 = b00 - b01, b10 - b11  # column 0's advantage against row i
    flag = (da0 == 0) | (da1 == 0) | (db0 == 0) | (db1 == 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        x0 = db1 / (db1 - db0)  # row's mix making the column indifferent
        y0 = da1 / (da1 - da0)
    mixed = (x0 > 0) & (x0 < 1) & (y0 > 0) & (y0 < 1) & ~flag
    up0, up1, left0, left1 = da0 > 0, da1 > 0, db0 > 0, db1 > 0
    p00 = up0 & left0
    p01 = up1 & ~left0
    p10 = ~up0 & left1
    p11 = ~up1 & ~left1
    n_pure = (p00.view(np.int8) + p01.view(np.int8)) + (p10.view(np.int8) + p11.view(np.int8))
    n_pure[flag] = 0
    # A nondegenerate 2x2 game has one pure, one mixed, or two pure equilibria
    # ({00, 11} or {01, 10}) plus the mixed one. Slots: pure ones in cell
    # order, then the mixed one.
    any_pure = n_pure > 0
    two = n_pure == 2
    # Probability of the first strategy, per slot; NaN marks an empty slot.
    xp = np.empty((n_games, 3))
    yp = np.empty((n_games, 3))
    xp[:, 0] = np.where(any_pure, (p00 | p01), np.where(mixed, x0, np.nan))
    yp[:, 0] = np.where(any_pure, (p00 | (~p01 & p10)), np.where(mixed, y0, np.nan))
    xp[:, 1] = np.where(two, 0.0, np.nan)
    yp[:, 1] = np.where(two, p01, np.nan)
    xp[:, 2] = np.where(two, x0, np.nan)
    yp[:, 2] = np.where(two, y0, np.nan)
    row = np.stack((xp, 1.0 - xp), axis=-1)
    col = np.stack((yp, 1.0 - yp), axis=-1)
    # x^T M y for x = (p, 1-p), y = (q, 1-q), expanded.
    payoffs = tuple(
        m11[:, None] + xp * (m01 - m11)[:, None] + yp * (m10 - m11)[:, None]
        + (xp * yp) * (m00 - m01 - m10 + m11)[:, None]
        for m00, m01, m10, m11 in ((a00, a01, a10, a11), (b00, b01, b10, b11))
    )
    count = n_pure.astype(np.int64) + mixed
    return count, row, col, flag, payoffs[0], payoffs[1]


def batch_solve(A: npt.ArrayLike, B: npt.ArrayLike) -> BatchSolveResult:
    """Every extreme Nash equilibrium of each game in a stack of bimatrix games.

    Parameters
    ----------
    A, B
        Row and column payoffs, shape ``(n_games, m, n)`` (``m + n <= 62``).

    Returns
    -------
    BatchSolveResult
        Arrays of equilibria; game ``g`` has ``count[g]`` equilibria, equal
        (as a set) to those of ``enummixed_solve`` on that game. Degenerate
        games are solved exactly and flagged in ``degenerate``.

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
    if m == 0 or n == 0 or m + n > 62:
        raise GameError(f"unsupported game size {m}x{n}")
    Af = np.ascontiguousarray(A_in, dtype=float)
    Bf = np.ascontiguousarray(B_in, dtype=float)
    if not (np.isfinite(Af).all() and np.isfinite(Bf).all()):
        raise GameError("payoffs must be finite")
    if (m, n) == (2, 2):
        count, row, col, flag, payoff_row, payoff_col = _solve_2x2(Af, Bf)
        cap = 3
    else:
        # A nondegenerate m x n game has at most 2^min(m,n) - 1 equilibria
        # (a crude bound, but enough to size the output).
        cap = 2 ** min(m, n) - 1
        count = np.zeros(n_games, dtype=np.int64)
        row = np.full((n_games, cap, m), np.nan)
        col = np.full((n_games, cap, n), np.nan)
        flag = np.zeros(n_games, dtype=np.bool_)
        rows = np.arange(m, dtype=np.int64)
        cols = np.arange(m, m + n, dtype=np.int64)
        _batch_kernel(
            Af, Bf, polytope_systems(m, n), polytope_systems(n, m), (rows, cols, cols, rows),
            cap, count, row, col, flag,
        )
        payoff_row = _bilinear(row, Af, col)
        payoff_col = _bilinear(row, Bf, col)
    redo = np.flatnonzero(flag)
    degenerate = np.zeros(n_games, dtype=np.bool_)
    if redo.size:
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
        k_max = max(cap, max(len(v[0]) for v in solved.values()))
        if k_max > cap:
            extra = k_max - cap
            row = np.concatenate([row, np.full((n_games, extra, m), np.nan)], axis=1)
            col = np.concatenate([col, np.full((n_games, extra, n), np.nan)], axis=1)
            payoff_row = np.concatenate([payoff_row, np.full((n_games, extra), np.nan)], axis=1)
            payoff_col = np.concatenate([payoff_col, np.full((n_games, extra), np.nan)], axis=1)
        for g in redo:
            xs_g, ys_g, degen = solved[Af[g].tobytes() + Bf[g].tobytes()]
            row[g] = np.nan
            col[g] = np.nan
            count[g] = len(xs_g)
            row[g, : len(xs_g)] = xs_g
            col[g, : len(ys_g)] = ys_g
            degenerate[g] = degen
        payoff_row[redo] = _bilinear(row[redo], Af[redo], col[redo])
        payoff_col[redo] = _bilinear(row[redo], Bf[redo], col[redo])
    for arr in (count, row, col, payoff_row, payoff_col, degenerate):
        arr.setflags(write=False)
    return BatchSolveResult(count, row, col, payoff_row, payoff_col, degenerate)
