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
    solve_inplace,
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
    labels: tuple[np.ndarray, np.ndarray],
    cap: int,
    count: np.ndarray,
    row: np.ndarray,
    col: np.ndarray,
    payoff_row: np.ndarray,
    payoff_col: np.ndarray,
    flag: np.ndarray,
) -> None:
    n_games, m, n = A.shape
    sup_p, tight_p, size_p = sys_p
    p_zero, p_tight = labels
    Cp = np.empty((m, n))
    Aq = np.empty((m, n))
    xs = np.empty((size_p.shape[0], m))
    xm = np.empty(size_p.shape[0], dtype=np.int64)
    xsys = np.empty(size_p.shape[0], dtype=np.int64)
    kmax = sup_p.shape[1]
    mat = np.empty((kmax, kmax))
    rhs = np.empty(kmax)
    zx = np.zeros(m)
    y = np.zeros(n)
    in_support = np.zeros(m, dtype=np.bool_)
    for g in range(n_games):
        _scale_into(B[g], Cp, False)
        _scale_into(A[g], Aq, False)
        nx = polytope_vertices_work(
            Cp, sup_p, tight_p, size_p, p_zero, p_tight, FLOAT_TOL, PIVOT_TOL, MERGE_TOL,
            xs, xm, xsys, mat, rhs, zx,
        )
        suspect = False
        for v in range(nx):
            if _popcount(xm[v]) != m:
                suspect = True
        k_found = 0
        for v in range(nx):
            if suspect:
                break
            c = xsys[v]
            k = size_p[c]
            # The column player's mix: supported on the tight columns T,
            # making the row player indifferent over the support S.
            for r in range(k):
                for q in range(k):
                    mat[r, q] = Aq[sup_p[c, r], tight_p[c, q]]
                rhs[r] = 1.0
            if not solve_inplace(mat, rhs, k, PIVOT_TOL):
                suspect = True
                break
            feasible = True
            for q in range(k):
                if rhs[q] < -FLOAT_TOL:
                    feasible = False
                elif rhs[q] <= FLOAT_TOL:
                    suspect = True  # a zero in the support: a degenerate vertex of Q
            if not feasible or suspect:
                continue
            for b in range(n):
                y[b] = 0.0
            for q in range(k):
                y[tight_p[c, q]] = rhs[q]
            for a in range(m):
                in_support[a] = False
            for q in range(k):
                in_support[sup_p[c, q]] = True
            for a in range(m):
                val = 0.0
                for q in range(k):
                    val += Aq[a, tight_p[c, q]] * rhs[q]
                if val > 1.0 + FLOAT_TOL:
                    feasible = False
                    break
                if not in_support[a] and val >= 1.0 - FLOAT_TOL:
                    suspect = True  # an extra best reply: a degenerate vertex of Q
            if not feasible or suspect:
                continue
            if k_found < cap:
                sx = 0.0
                for a in range(m):
                    sx += xs[v, a]
                sy = 0.0
                for b in range(n):
                    sy += y[b]
                for a in range(m):
                    row[g, k_found, a] = xs[v, a] / sx
                for b in range(n):
                    col[g, k_found, b] = y[b] / sy
                # Expected payoffs with the original (unscaled) matrices.
                ur = 0.0
                uc = 0.0
                for a in range(m):
                    for b in range(n):
                        w = row[g, k_found, a] * col[g, k_found, b]
                        ur += w * A[g, a, b]
                        uc += w * B[g, a, b]
                payoff_row[g, k_found] = ur
                payoff_col[g, k_found] = uc
            k_found += 1
        count[g] = k_found
        flag[g] = suspect or k_found > cap
        for k in range(min(k_found, cap), cap):
            for a in range(m):
                row[g, k, a] = np.nan
            for b in range(n):
                col[g, k, b] = np.nan
            payoff_row[g, k] = np.nan
            payoff_col[g, k] = np.nan


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


@numba.njit(cache=True, error_model="numpy")
def _kernel_2x2(
    A: np.ndarray,
    B: np.ndarray,
    count: np.ndarray,
    row: np.ndarray,
    col: np.ndarray,
    payoff_row: np.ndarray,
    payoff_col: np.ndarray,
    flag: np.ndarray,
) -> None:
    """Closed-form equilibria of 2x2 games (Osborne and Rubinstein 1994, section 3.2).

    A 2x2 game is degenerate exactly when a pure strategy has two pure best
    replies (a tie ``A[0, j] == A[1, j]`` or ``B[i, 0] == B[i, 1]``); such
    games are only flagged. Otherwise the equilibria are the strict pure ones
    (in cell order) and, when both indifference solutions are interior, the
    mixed one.
    """
    for g in range(A.shape[0]):
        a00, a01, a10, a11 = A[g, 0, 0], A[g, 0, 1], A[g, 1, 0], A[g, 1, 1]
        b00, b01, b10, b11 = B[g, 0, 0], B[g, 0, 1], B[g, 1, 0], B[g, 1, 1]
        da0, da1 = a00 - a10, a01 - a11  # row 0's advantage against column j
        db0, db1 = b00 - b01, b10 - b11  # column 0's advantage against row i
        for k in range(3):
            row[g, k, 0] = row[g, k, 1] = col[g, k, 0] = col[g, k, 1] = np.nan
            payoff_row[g, k] = payoff_col[g, k] = np.nan
        if da0 == 0.0 or da1 == 0.0 or db0 == 0.0 or db1 == 0.0:
            flag[g] = True
            count[g] = 0
            continue
        flag[g] = False
        k = 0
        for i in range(2):
            for j in range(2):
                row_best = (da0 > 0.0) if j == 0 else (da1 > 0.0)
                col_best = (db0 > 0.0) if i == 0 else (db1 > 0.0)
                if row_best == (i == 0) and col_best == (j == 0):
                    row[g, k, i] = 1.0
                    row[g, k, 1 - i] = 0.0
                    col[g, k, j] = 1.0
                    col[g, k, 1 - j] = 0.0
                    payoff_row[g, k] = A[g, i, j]
                    payoff_col[g, k] = B[g, i, j]
                    k += 1
        x0 = db1 / (db1 - db0)  # row's mix making the column indifferent
        y0 = da1 / (da1 - da0)
        if 0.0 < x0 < 1.0 and 0.0 < y0 < 1.0:
            row[g, k, 0], row[g, k, 1] = x0, 1.0 - x0
            col[g, k, 0], col[g, k, 1] = y0, 1.0 - y0
            payoff_row[g, k] = (x0 * (y0 * a00 + (1.0 - y0) * a01)
                                + (1.0 - x0) * (y0 * a10 + (1.0 - y0) * a11))
            payoff_col[g, k] = (x0 * (y0 * b00 + (1.0 - y0) * b01)
                                + (1.0 - x0) * (y0 * b10 + (1.0 - y0) * b11))
            k += 1
        count[g] = k


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
    if m == 0 or n == 0 or m + n > 62:
        raise GameError(f"unsupported game size {m}x{n}")
    Af = np.ascontiguousarray(A_in, dtype=float)
    Bf = np.ascontiguousarray(B_in, dtype=float)
    if not (np.isfinite(Af).all() and np.isfinite(Bf).all()):
        raise GameError("payoffs must be finite")
    # A nondegenerate m x n game has at most 2^min(m,n) - 1 equilibria (a
    # crude bound, but enough to size the output; 3 for 2x2 games).
    cap = 2 ** min(m, n) - 1
    count = np.empty(n_games, dtype=np.int64)
    row = np.empty((n_games, cap, m))
    col = np.empty((n_games, cap, n))
    payoff_row = np.empty((n_games, cap))
    payoff_col = np.empty((n_games, cap))
    flag = np.empty(n_games, dtype=np.bool_)
    if (m, n) == (2, 2):
        _kernel_2x2(Af, Bf, count, row, col, payoff_row, payoff_col, flag)
    else:
        rows = np.arange(m, dtype=np.int64)
        cols = np.arange(m, m + n, dtype=np.int64)
        _batch_kernel(
            Af, Bf, polytope_systems(m, n), (rows, cols), cap,
            count, row, col, payoff_row, payoff_col, flag,
        )
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
    exact = flag.copy()
    for arr in (count, row, col, payoff_row, payoff_col, degenerate, exact):
        arr.setflags(write=False)
    return BatchSolveResult(count, row, col, payoff_row, payoff_col, degenerate, exact)
