"""Compiled (numba) kernels of the bimatrix solvers.

Imported lazily by :mod:`sim.solvers.enummixed`, :mod:`sim.solvers.batch` and
:mod:`sim.solvers.small`, so that importing the solvers, or starting the
command line, does not load numba. Every kernel is compiled with
``cache=True``: the machine code is kept beside this file and reused by later
processes.

Two families:

* vertex enumeration of a best-response polytope (:func:`polytope_vertices`),
  the float screen of the exact solver;
* equilibria of one game written into slot ``g`` of output arrays
  (:func:`game_2x2_into`, :func:`game_into`), the body of the batch loops and
  of the single-game fast path. A game they cannot settle in floating point
  (a degenerate or nearly degenerate one) is *flagged*, and the caller solves
  it exactly.

Method: support enumeration driven by the vertices of the row player's
polytope ``P = {x >= 0, B^T x <= 1}`` (von Stengel 2002, Handbook of Game
Theory 3, section 3.2; Avis, Rosenberg, Savani and von Stengel 2010, Economic
Theory 42, section 2); 2x2 games in closed form (Osborne and Rubinstein 1994,
section 3.2). See :mod:`sim.solvers.batch` for the completeness argument.
"""

from __future__ import annotations

from typing import Any

import numba
import numpy as np
from numba import prange

from sim.solvers.tolerances import FLOAT_TOL, MERGE_TOL, PIVOT_TOL

__all__ = [
    "pack_systems",
    "solve_inplace",
    "polytope_vertices",
    "polytope_vertices_work",
    "game_2x2_into",
    "game_into",
    "batch_2x2",
    "batch_2x2_parallel",
    "batch_general",
    "batch_general_parallel",
    "single_game",
]

FLAG_NONE = 0
FLAG_DEGENERATE = 1  # needs the exact solver
FLAG_NOT_FINITE = 2  # a payoff is NaN or infinite


def pack_systems(support: np.ndarray, tight: np.ndarray, size: np.ndarray) -> np.ndarray:
    """The systems of :func:`sim.solvers.enummixed.polytope_systems` as one array."""
    return np.ascontiguousarray(np.hstack([support, tight, size[:, None]]), dtype=np.int64)


@numba.njit(cache=True, error_model="numpy")
def solve_inplace(mat: np.ndarray, rhs: np.ndarray, k: int, pivot_tol: float) -> bool:
    # Gaussian elimination with partial pivoting on the leading k x k block.
    for col in range(k):
        best = col
        big = abs(mat[col, col])
        for r in range(col + 1, k):
            if abs(mat[r, col]) > big:
                big = abs(mat[r, col])
                best = r
        if big < pivot_tol:
            return False
        if best != col:
            for q in range(k):
                tmp = mat[col, q]
                mat[col, q] = mat[best, q]
                mat[best, q] = tmp
            tmp = rhs[col]
            rhs[col] = rhs[best]
            rhs[best] = tmp
        for r in range(col + 1, k):
            f = mat[r, col] / mat[col, col]
            if f != 0.0:
                for q in range(col, k):
                    mat[r, q] -= f * mat[col, q]
                rhs[r] -= f * rhs[col]
    for col in range(k - 1, -1, -1):
        acc = rhs[col]
        for q in range(col + 1, k):
            acc -= mat[col, q] * rhs[q]
        rhs[col] = acc / mat[col, col]
    return True


@numba.njit(cache=True, error_model="numpy", inline="always")
def solve_small(mat: np.ndarray, rhs: np.ndarray, k: int, pivot_tol: float) -> bool:
    """:func:`solve_inplace`, by Cramer's rule for ``k <= 3`` (the systems of small games).

    Closed forms have no data-dependent pivoting, which mispredicts on random
    games; a determinant below ``pivot_tol`` counts as singular.
    """
    if k == 1:
        if abs(mat[0, 0]) < pivot_tol:
            return False
        rhs[0] = rhs[0] / mat[0, 0]
        return True
    if k == 2:
        a, b, c, d = mat[0, 0], mat[0, 1], mat[1, 0], mat[1, 1]
        det = a * d - b * c
        if abs(det) < pivot_tol:
            return False
        r0, r1 = rhs[0], rhs[1]
        inv = 1.0 / det
        rhs[0] = (d * r0 - b * r1) * inv
        rhs[1] = (a * r1 - c * r0) * inv
        return True
    if k == 3:
        # cofactors of the first row, then the adjugate applied to rhs
        c00 = mat[1, 1] * mat[2, 2] - mat[1, 2] * mat[2, 1]
        c01 = mat[1, 2] * mat[2, 0] - mat[1, 0] * mat[2, 2]
        c02 = mat[1, 0] * mat[2, 1] - mat[1, 1] * mat[2, 0]
        det = mat[0, 0] * c00 + mat[0, 1] * c01 + mat[0, 2] * c02
        if abs(det) < pivot_tol:
            return False
        c10 = mat[0, 2] * mat[2, 1] - mat[0, 1] * mat[2, 2]
        c11 = mat[0, 0] * mat[2, 2] - mat[0, 2] * mat[2, 0]
        c12 = mat[0, 1] * mat[2, 0] - mat[0, 0] * mat[2, 1]
        c20 = mat[0, 1] * mat[1, 2] - mat[0, 2] * mat[1, 1]
        c21 = mat[0, 2] * mat[1, 0] - mat[0, 0] * mat[1, 2]
        c22 = mat[0, 0] * mat[1, 1] - mat[0, 1] * mat[1, 0]
        r0, r1, r2 = rhs[0], rhs[1], rhs[2]
        inv = 1.0 / det
        rhs[0] = (c00 * r0 + c10 * r1 + c20 * r2) * inv
        rhs[1] = (c01 * r0 + c11 * r1 + c21 * r2) * inv
        rhs[2] = (c02 * r0 + c12 * r1 + c22 * r2) * inv
        return True
    return solve_inplace(mat, rhs, k, pivot_tol)


def polytope_vertices(C: np.ndarray, support: np.ndarray, *args: Any) -> int:
    """Non-zero vertices of ``{z >= 0, C^T z <= 1}``; see :func:`polytope_vertices_work`.

    The same arguments without the three work arrays, which are allocated here.
    """
    kmax = support.shape[1]
    work = (np.empty((kmax, kmax)), np.empty(kmax), np.zeros(C.shape[0]))
    return int(polytope_vertices_work(C, support, *args, *work))  # type: ignore[call-arg]


@numba.njit(cache=True, error_model="numpy", inline="always")
def _store_vertex(C: np.ndarray, z: np.ndarray, c: int, zero_label: np.ndarray,
                  tight_label: np.ndarray, tol: float, merge_tol: float, out_z: np.ndarray,
                  out_mask: np.ndarray, out_system: np.ndarray, count: int) -> int:
    # The candidate z (non-negative, zero off its support) of system c: kept with its
    # labels if it is in the polytope and not a repeat; returns the new vertex count.
    d, e = C.shape
    mask = np.int64(0)
    n_labels = 0
    for j in range(e):
        val = 0.0
        for i in range(d):
            val += C[i, j] * z[i]
        if val > 1.0 + tol:
            return count
        if val >= 1.0 - tol:
            mask |= np.int64(1) << tight_label[j]
            n_labels += 1
    for i in range(d):
        if z[i] <= tol:
            mask |= np.int64(1) << zero_label[i]
            n_labels += 1
    # A vertex with exactly d labels has one basis, hence no repeats.
    for v in range(count if n_labels > d else 0):
        if out_mask[v] == mask:
            # Same labels and same point: a repeat of a degenerate vertex.
            gap = 0.0
            for i in range(d):
                gap = max(gap, abs(out_z[v, i] - z[i]))
            if gap <= merge_tol:
                return count
    for i in range(d):
        out_z[count, i] = z[i]
    out_mask[count] = mask
    out_system[count] = c
    return count + 1


@numba.njit(cache=True, error_model="numpy", inline="always")
def polytope_vertices_work(
    C: np.ndarray,
    support: np.ndarray,
    tight: np.ndarray,
    size: np.ndarray,
    zero_label: np.ndarray,
    tight_label: np.ndarray,
    tol: float,
    pivot_tol: float,
    merge_tol: float,
    out_z: np.ndarray,
    out_mask: np.ndarray,
    out_system: np.ndarray,
    mat: np.ndarray,
    rhs: np.ndarray,
    z: np.ndarray,
) -> int:
    """Non-zero vertices of ``{z >= 0, C^T z <= 1}`` (``C`` of shape ``(d, e)``, positive).

    Writes each vertex, its label bit mask (bit ``zero_label[i]`` when
    ``z_i = 0``, bit ``tight_label[j]`` when ``(C^T z)_j = 1``) and the index
    of one system that yields it; returns the number of vertices. Repeats of
    a degenerate vertex (same label set, within ``merge_tol``) are merged.
    ``support``, ``tight`` and ``size`` are the systems of
    :func:`sim.solvers.enummixed.polytope_systems` for ``(d, e)``, in its
    order. ``mat``, ``rhs`` and ``z`` are work arrays (``(kmax, kmax)``,
    ``kmax`` and ``d`` long), so that batch loops allocate them once.

    Systems of one, two and three variables, all of them in games up to
    3x3 and most of them in larger ones, are visited by nested loops over
    the rows and columns in the table's order, with their matrices read
    from ``C`` directly: no index table and no loop over the system's size.
    Larger systems are read from the table.
    """
    d, e = C.shape
    count = 0
    c = 0  # the system's index in the table
    for i in range(d):
        z[i] = 0.0
    # One variable: pure strategy i against column t, a vertex only if t is a best
    # reply, a test by multiplication (C > 0) before any division.
    for i in range(d):
        best = C[i, 0]
        for j in range(1, e):
            best = max(best, C[i, j])
        for t in range(e):
            if best <= C[i, t] * (1.0 + tol):
                z[i] = 1.0 / C[i, t]
                count = _store_vertex(C, z, c, zero_label, tight_label, tol, merge_tol,
                                      out_z, out_mask, out_system, count)
                z[i] = 0.0
            c += 1
    # Two variables: rows i0 < i1, tight columns t0 < t1; Cramer's rule as in
    # solve_small, the matrix being [[C[i0, t0], C[i1, t0]], [C[i0, t1], C[i1, t1]]].
    for i0 in range(d):
        for i1 in range(i0 + 1, d):
            for t0 in range(e):
                a = C[i0, t0]
                b = C[i1, t0]
                for t1 in range(t0 + 1, e):
                    cc = C[i0, t1]
                    dd = C[i1, t1]
                    det = a * dd - b * cc
                    if abs(det) >= pivot_tol:
                        inv = 1.0 / det
                        x0 = (dd - b) * inv
                        x1 = (a - cc) * inv
                        if x0 >= -tol and x1 >= -tol:
                            z[i0] = x0
                            z[i1] = x1
                            count = _store_vertex(C, z, c, zero_label, tight_label, tol,
                                                  merge_tol, out_z, out_mask, out_system, count)
                            z[i0] = 0.0
                            z[i1] = 0.0
                    c += 1
    # Three variables: solve_small's cofactors, with the matrix's entry (r, q)
    # C[i_q, t_r] read straight from C.
    for i0 in range(d):
        for i1 in range(i0 + 1, d):
            for i2 in range(i1 + 1, d):
                for t0 in range(e):
                    m00, m01, m02 = C[i0, t0], C[i1, t0], C[i2, t0]
                    for t1 in range(t0 + 1, e):
                        m10, m11, m12 = C[i0, t1], C[i1, t1], C[i2, t1]
                        for t2 in range(t1 + 1, e):
                            m20, m21, m22 = C[i0, t2], C[i1, t2], C[i2, t2]
                            c00 = m11 * m22 - m12 * m21
                            c01 = m12 * m20 - m10 * m22
                            c02 = m10 * m21 - m11 * m20
                            det = m00 * c00 + m01 * c01 + m02 * c02
                            if abs(det) >= pivot_tol:
                                c10 = m02 * m21 - m01 * m22
                                c11 = m00 * m22 - m02 * m20
                                c12 = m01 * m20 - m00 * m21
                                c20 = m01 * m12 - m02 * m11
                                c21 = m02 * m10 - m00 * m12
                                c22 = m00 * m11 - m01 * m10
                                inv = 1.0 / det
                                x0 = (c00 + c10 + c20) * inv
                                x1 = (c01 + c11 + c21) * inv
                                x2 = (c02 + c12 + c22) * inv
                                if x0 >= -tol and x1 >= -tol and x2 >= -tol:
                                    z[i0] = x0
                                    z[i1] = x1
                                    z[i2] = x2
                                    count = _store_vertex(C, z, c, zero_label, tight_label,
                                                          tol, merge_tol, out_z, out_mask,
                                                          out_system, count)
                                    z[i0] = 0.0
                                    z[i1] = 0.0
                                    z[i2] = 0.0
                            c += 1
    first_large = c
    for c in range(first_large, size.shape[0]):
        k = size[c]
        for r in range(k):
            for q in range(k):
                mat[r, q] = C[support[c, q], tight[c, r]]
            rhs[r] = 1.0
        if not solve_small(mat, rhs, k, pivot_tol):
            continue
        feasible = True
        for q in range(k):
            if rhs[q] < -tol:
                feasible = False
                break
        if not feasible:
            continue
        for q in range(k):
            z[support[c, q]] = rhs[q]
        count = _store_vertex(C, z, c, zero_label, tight_label, tol, merge_tol,
                              out_z, out_mask, out_system, count)
        for q in range(k):
            z[support[c, q]] = 0.0
    return count


@numba.njit(cache=True, error_model="numpy", inline="always")
def _gain(M: np.ndarray, x: np.ndarray, y: np.ndarray) -> float:
    # What a player with payoffs M gains at most by leaving x while the other plays y.
    best = -np.inf
    u = 0.0
    for a in range(M.shape[0]):
        v = 0.0
        for b in range(M.shape[1]):
            v += M[a, b] * y[b]
        u += x[a] * v
        best = max(best, v)
    return best - u


@numba.njit(cache=True, error_model="numpy", inline="always")
def _regret(A: np.ndarray, B: np.ndarray, g: int, x: np.ndarray, y: np.ndarray,
            m: int, n: int) -> float:
    # Max gain of a deviation from (x, y), on the unscaled payoffs: the certificate.
    return max(_gain(A[g, :m, :n], x, y), _gain(B[g, :m, :n].T, y, x), 0.0)


@numba.njit(cache=True, error_model="numpy", inline="always")
def _put_2x2(g: int, k: int, x0: float, y0: float, ur: float, uc: float,
             row: np.ndarray, col: np.ndarray,
             payoff_row: np.ndarray, payoff_col: np.ndarray) -> None:
    row[g, k, 0] = x0
    row[g, k, 1] = 1.0 - x0
    col[g, k, 0] = y0
    col[g, k, 1] = 1.0 - y0
    payoff_row[g, k] = ur
    payoff_col[g, k] = uc


@numba.njit(cache=True, error_model="numpy", inline="always")
def game_2x2_into(
    A: np.ndarray, B: np.ndarray, g: int,
    count: np.ndarray, row: np.ndarray, col: np.ndarray,
    payoff_row: np.ndarray, payoff_col: np.ndarray, flag: np.ndarray,
) -> None:
    """Closed-form equilibria of the 2x2 game ``g`` into slot ``g``.

    A 2x2 game is degenerate exactly when a pure strategy has two pure best
    replies (a tie ``A[0, j] == A[1, j]`` or ``B[i, 0] == B[i, 1]``); such
    games are only flagged. Otherwise the equilibria are the strict pure ones
    (in cell order) and, when both players' advantages change sign, the
    mixed one. Entries past the count are NaN.

    Each of the three slots is written once, its value chosen by selects
    rather than branches, which random games would mispredict half of the
    time. Two pure equilibria of a nondegenerate game lie on a diagonal,
    cells (0,0) and (1,1) or (0,1) and (1,0), so the second one is (1,1)
    or (1,0).
    """
    a00, a01, a10, a11 = A[g, 0, 0], A[g, 0, 1], A[g, 1, 0], A[g, 1, 1]
    b00, b01, b10, b11 = B[g, 0, 0], B[g, 0, 1], B[g, 1, 0], B[g, 1, 1]
    da0, da1 = a00 - a10, a01 - a11  # row 0's advantage against column j
    db0, db1 = b00 - b01, b10 - b11  # column 0's advantage against row i
    total = da0 + da1 + db0 + db1
    nan = np.nan
    if total - total != 0.0 or da0 == 0.0 or da1 == 0.0 or db0 == 0.0 or db1 == 0.0:
        # NaN or infinite payoffs, or a tie: left to the caller
        flag[g] = FLAG_NOT_FINITE if total - total != 0.0 else FLAG_DEGENERATE
        count[g] = 0
        for k in range(3):
            _put_2x2(g, k, nan, nan, nan, nan, row, col, payoff_row, payoff_col)
        return
    r0 = da0 > 0.0  # row 0 is the best reply to column 0
    r1 = da1 > 0.0  # row 0 is the best reply to column 1
    c0 = db0 > 0.0  # column 0 is the best reply to row 0
    c1 = db1 > 0.0  # column 0 is the best reply to row 1
    p00 = r0 & c0
    p01 = r1 & (not c0)
    p10 = c1 & (not r0)
    p11 = (not r1) & (not c1)
    n_pure = np.int64(p00) + np.int64(p01) + np.int64(p10) + np.int64(p11)
    x0 = db1 / (db1 - db0)  # row's mix making the column indifferent
    y0 = da1 / (da1 - da0)
    mixed = (x0 > 0.0) & (x0 < 1.0) & (y0 > 0.0) & (y0 < 1.0)
    # Each player is indifferent at the mix: any own pure strategy gives the value.
    ur = y0 * a00 + (1.0 - y0) * a01
    uc = x0 * b00 + (1.0 - x0) * b10
    # The first pure equilibrium in cell order, else the mixed one, else nothing.
    first = n_pure >= 1
    mx, my, mr, mc = (x0, y0, ur, uc) if mixed else (nan, nan, nan, nan)
    _put_2x2(g, 0,
             (1.0 if p00 | p01 else 0.0) if first else mx,
             (1.0 if p00 | ((not p01) & p10) else 0.0) if first else my,
             (a00 if p00 else (a01 if p01 else (a10 if p10 else a11))) if first else mr,
             (b00 if p00 else (b01 if p01 else (b10 if p10 else b11))) if first else mc,
             row, col, payoff_row, payoff_col)
    two = n_pure == 2
    after_one = (n_pure == 1) & mixed
    _put_2x2(g, 1,
             0.0 if two else (x0 if after_one else nan),
             (1.0 if p10 else 0.0) if two else (y0 if after_one else nan),
             (a10 if p10 else a11) if two else (ur if after_one else nan),
             (b10 if p10 else b11) if two else (uc if after_one else nan),
             row, col, payoff_row, payoff_col)
    third = two & mixed
    _put_2x2(g, 2, x0 if third else nan, y0 if third else nan, ur if third else nan,
             uc if third else nan, row, col, payoff_row, payoff_col)
    count[g] = n_pure + np.int64(mixed)
    flag[g] = FLAG_NONE


@numba.njit(cache=True, error_model="numpy", inline="always")
def _popcount(v: np.int64) -> int:
    c = 0
    while v:
        v &= v - 1
        c += 1
    return c


@numba.njit(cache=True, error_model="numpy", inline="always")
def _scale_into(M: np.ndarray, g: int, out: np.ndarray) -> bool:
    # Affine map of the payoffs into [1, 2]: equilibria are invariant, and
    # one tolerance then fits every game. False if a payoff is not finite.
    m, n = out.shape
    lo = M[g, 0, 0]
    hi = M[g, 0, 0]
    for i in range(m):
        for j in range(n):
            lo = min(lo, M[g, i, j])
            hi = max(hi, M[g, i, j])
    span = hi - lo
    if not np.isfinite(span):
        return False
    for i in range(m):
        for j in range(n):
            out[i, j] = 1.0 if span == 0.0 else (M[g, i, j] - lo) / span + 1.0
    return True


@numba.njit(cache=True, error_model="numpy", inline="always")
def game_into(
    A: np.ndarray, B: np.ndarray, g: int,
    sup_p: np.ndarray, tight_p: np.ndarray, size_p: np.ndarray,
    p_zero: np.ndarray, p_tight: np.ndarray,
    Cp: np.ndarray, Aq: np.ndarray, xs: np.ndarray, xm: np.ndarray, xsys: np.ndarray,
    mat: np.ndarray, rhs: np.ndarray, zx: np.ndarray, y: np.ndarray, in_support: np.ndarray,
    count: np.ndarray, row: np.ndarray, col: np.ndarray,
    payoff_row: np.ndarray, payoff_col: np.ndarray, flag: np.ndarray,
) -> None:
    """Equilibria of the ``m x n`` game ``g`` into slot ``g``; flags games to solve exactly.

    The flag is :data:`FLAG_DEGENERATE` for a vertex of ``P`` with surplus
    labels, a singular partner system, a partner with a zero in its support
    or an extra best reply, or more equilibria than the output holds.
    """
    n_games, m, n = A.shape
    cap = row.shape[1]
    k_found = 0
    suspect = False
    if not (_scale_into(B, g, Cp) and _scale_into(A, g, Aq)):
        flag[g] = FLAG_NOT_FINITE
    else:
        nx = polytope_vertices_work(
            Cp, sup_p, tight_p, size_p, p_zero, p_tight, FLOAT_TOL, PIVOT_TOL, MERGE_TOL,
            xs, xm, xsys, mat, rhs, zx,
        )
        for v in range(nx):
            if _popcount(xm[v]) != m:
                suspect = True
                break
        for v in range(nx):
            if suspect:
                break
            c = xsys[v]
            k = size_p[c]
            if k == 1:
                # A pure vertex: the loop below with one row i and one column t,
                # written out (about half of a small game's vertices are pure).
                i, t = sup_p[c, 0], tight_p[c, 0]
                yt = 1.0 / Aq[i, t]
                feasible = True
                for a in range(m):
                    val = Aq[a, t] * yt
                    if val > 1.0 + FLOAT_TOL:
                        feasible = False
                        break
                    if a != i and val >= 1.0 - FLOAT_TOL:
                        suspect = True  # an extra best reply: a degenerate vertex of Q
                if not feasible or suspect:
                    continue
                if k_found < cap:
                    for a in range(m):
                        row[g, k_found, a] = 0.0
                    for b in range(n):
                        col[g, k_found, b] = 0.0
                    row[g, k_found, i] = 1.0
                    col[g, k_found, t] = 1.0
                    payoff_row[g, k_found] = A[g, i, t]
                    payoff_col[g, k_found] = B[g, i, t]
                k_found += 1
                continue
            # The column player's mix: supported on the tight columns T,
            # making the row player indifferent over the support S.
            if k == 2:
                # solve_small's Cramer's rule, the matrix read from Aq directly
                s0, s1, t0, t1 = sup_p[c, 0], sup_p[c, 1], tight_p[c, 0], tight_p[c, 1]
                a00, a01, a10, a11 = Aq[s0, t0], Aq[s0, t1], Aq[s1, t0], Aq[s1, t1]
                det = a00 * a11 - a01 * a10
                if abs(det) < PIVOT_TOL:
                    suspect = True
                    break
                inv = 1.0 / det
                rhs[0] = (a11 - a01) * inv
                rhs[1] = (a00 - a10) * inv
            else:
                for r in range(k):
                    for q in range(k):
                        mat[r, q] = Aq[sup_p[c, r], tight_p[c, q]]
                    rhs[r] = 1.0
                if not solve_small(mat, rhs, k, PIVOT_TOL):
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
                for b in range(n):
                    y[b] = 0.0
                sy = 0.0
                for q in range(k):
                    y[tight_p[c, q]] = rhs[q]
                    sy += rhs[q]
                sx = 0.0
                for a in range(m):
                    sx += xs[v, a]
                for a in range(m):
                    row[g, k_found, a] = xs[v, a] / sx
                for b in range(n):
                    col[g, k_found, b] = y[b] / sy
                # Expected payoffs with the original (unscaled) matrices.
                ur = 0.0
                uc = 0.0
                for a in range(m):
                    if row[g, k_found, a] == 0.0:
                        continue
                    for q in range(k):
                        b = tight_p[c, q]
                        w = row[g, k_found, a] * col[g, k_found, b]
                        ur += w * A[g, a, b]
                        uc += w * B[g, a, b]
                payoff_row[g, k_found] = ur
                payoff_col[g, k_found] = uc
            k_found += 1
        flag[g] = FLAG_DEGENERATE if (suspect or k_found > cap) else FLAG_NONE
    count[g] = k_found
    for r in range(min(k_found, cap), cap):
        for a in range(m):
            row[g, r, a] = np.nan
        for b in range(n):
            col[g, r, b] = np.nan
        payoff_row[g, r] = np.nan
        payoff_col[g, r] = np.nan


# The one-thread batch loops are compiled by numba's parallel pipeline although they
# hold no parallel loop (numba warns so at compile time; see SERIAL_PARALLEL_WARNING):
# its array analysis finds their indices in range, which makes them faster (see
# benchmarks/bench_solvers.py). Their loops are plain ranges: no parallel region runs.
#: What numba says when it compiles the one-thread batch loops.
SERIAL_PARALLEL_WARNING = "The keyword argument 'parallel=True' was specified but no transformation"


@numba.njit(cache=True, error_model="numpy", parallel=True)
def batch_2x2(A: np.ndarray, B: np.ndarray, count: np.ndarray, row: np.ndarray,
              col: np.ndarray, payoff_row: np.ndarray, payoff_col: np.ndarray,
              flag: np.ndarray) -> None:
    """Every 2x2 game of the stack, on one thread."""
    for g in range(A.shape[0]):
        game_2x2_into(A, B, g, count, row, col, payoff_row, payoff_col, flag)


@numba.njit(cache=True, error_model="numpy", parallel=True)
def batch_2x2_parallel(A: np.ndarray, B: np.ndarray, count: np.ndarray, row: np.ndarray,
                       col: np.ndarray, payoff_row: np.ndarray, payoff_col: np.ndarray,
                       flag: np.ndarray) -> None:
    """Every 2x2 game of the stack, over numba's threads."""
    for g in prange(A.shape[0]):
        game_2x2_into(A, B, g, count, row, col, payoff_row, payoff_col, flag)


@numba.njit(cache=True, error_model="numpy", inline="always")
def _range_into(A: np.ndarray, B: np.ndarray, start: int, stop: int,
                sup_p: np.ndarray, tight_p: np.ndarray, size_p: np.ndarray,
                p_zero: np.ndarray, p_tight: np.ndarray,
                count: np.ndarray, row: np.ndarray, col: np.ndarray,
                payoff_row: np.ndarray, payoff_col: np.ndarray, flag: np.ndarray) -> None:
    # Games start..stop-1 with one set of work arrays.
    m, n = A.shape[1], A.shape[2]
    n_sys = size_p.shape[0]
    kmax = sup_p.shape[1]
    Cp = np.empty((m, n))
    Aq = np.empty((m, n))
    xs = np.empty((n_sys, m))
    xm = np.empty(n_sys, dtype=np.int64)
    xsys = np.empty(n_sys, dtype=np.int64)
    mat = np.empty((kmax, kmax))
    rhs = np.empty(kmax)
    # np.empty, not np.zeros: numba's parallel pipeline would make an initialisation a
    # parallel loop (each is written before it is read)
    zx = np.empty(m)
    y = np.empty(n)
    in_support = np.empty(m, dtype=np.bool_)
    for g in range(start, stop):
        game_into(A, B, g, sup_p, tight_p, size_p, p_zero, p_tight,
                  Cp, Aq, xs, xm, xsys, mat, rhs, zx, y, in_support,
                  count, row, col, payoff_row, payoff_col, flag)


@numba.njit(cache=True, error_model="numpy", parallel=True)
def batch_general(A: np.ndarray, B: np.ndarray,
                  sup_p: np.ndarray, tight_p: np.ndarray, size_p: np.ndarray,
                  p_zero: np.ndarray, p_tight: np.ndarray,
                  count: np.ndarray, row: np.ndarray, col: np.ndarray,
                  payoff_row: np.ndarray, payoff_col: np.ndarray, flag: np.ndarray) -> None:
    """Every ``m x n`` game of the stack, on one thread."""
    _range_into(A, B, 0, A.shape[0], sup_p, tight_p, size_p, p_zero, p_tight,
                count, row, col, payoff_row, payoff_col, flag)


@numba.njit(cache=True, error_model="numpy", parallel=True)
def batch_general_parallel(A: np.ndarray, B: np.ndarray,
                           sup_p: np.ndarray, tight_p: np.ndarray, size_p: np.ndarray,
                           p_zero: np.ndarray, p_tight: np.ndarray,
                           count: np.ndarray, row: np.ndarray, col: np.ndarray,
                           payoff_row: np.ndarray, payoff_col: np.ndarray, flag: np.ndarray,
                           n_chunks: int) -> None:
    """Every ``m x n`` game of the stack, in ``n_chunks`` chunks over numba's threads."""
    n_games = A.shape[0]
    for t in prange(n_chunks):
        start = t * n_games // n_chunks
        stop = (t + 1) * n_games // n_chunks
        _range_into(A, B, start, stop, sup_p, tight_p, size_p, p_zero, p_tight,
                    count, row, col, payoff_row, payoff_col, flag)


@numba.njit(cache=True, error_model="numpy", inline="always")
def _has_ties(A: np.ndarray, B: np.ndarray) -> bool:
    # Two equal payoffs of the row player in one column, or of the column
    # player in one row: pure strategies with two best replies.
    m, n = A.shape[1], A.shape[2]
    for j in range(n):
        for a in range(m):
            for b in range(a + 1, m):
                if A[0, a, j] == A[0, b, j]:
                    return True
    for i in range(m):
        for a in range(n):
            for b in range(a + 1, n):
                if B[0, i, a] == B[0, i, b]:
                    return True
    return False


@numba.njit(cache=True, error_model="numpy")
def single_game(A: np.ndarray, B: np.ndarray, systems: np.ndarray, cap: int, alarm: float
                ) -> tuple[int, np.ndarray]:
    """One game (shape ``(1, m, n)``): ``(flag, table)``.

    ``systems`` packs the square systems of the row player's polytope as
    ``[support | tight | size]`` columns (see :func:`pack_systems`), so that
    the call converts few arguments.

    Row ``k`` of ``table`` describes equilibrium ``k``: the row and column
    mixed strategies (``m + n`` entries), both expected payoffs, the max
    regret (computed on the given payoffs) and 1.0 if both strategies are
    pure. One array, so that returning it to Python costs one conversion. A
    regret above ``alarm`` times the payoff range flags the game
    (:data:`FLAG_DEGENERATE`): its float certificate is too close to failing.
    So do tied payoffs (see :func:`_has_ties`), the usual source of degeneracy.
    """
    m, n = A.shape[1], A.shape[2]
    kmax = (systems.shape[1] - 1) // 2
    sup_p = systems[:, :kmax]
    tight_p = systems[:, kmax:2 * kmax]
    size_p = systems[:, 2 * kmax]
    p_zero = np.arange(m)
    p_tight = np.arange(m, m + n)
    if _has_ties(A, B):
        # Tied payoffs make vertices of the column player's polytope
        # degenerate too; the exact solver then reports the components.
        return FLAG_DEGENERATE, np.empty((0, m + n + 4))
    count = np.empty(1, dtype=np.int64)
    flag = np.empty(1, dtype=np.int8)
    row = np.empty((1, cap, m))
    col = np.empty((1, cap, n))
    pr = np.empty((1, cap))
    pc = np.empty((1, cap))
    if m == 2 and n == 2:
        game_2x2_into(A, B, 0, count, row, col, pr, pc, flag)
    else:
        _range_into(A, B, 0, 1, sup_p, tight_p, size_p, p_zero, p_tight,
                    count, row, col, pr, pc, flag)
    k = min(count[0], cap)
    table = np.empty((k, m + n + 4))
    span = max(np.max(A) - np.min(A), np.max(B) - np.min(B))
    for e in range(k):
        big_x = 0.0
        for a in range(m):
            table[e, a] = row[0, e, a]
            big_x = max(big_x, row[0, e, a])
        big_y = 0.0
        for b in range(n):
            table[e, m + b] = col[0, e, b]
            big_y = max(big_y, col[0, e, b])
        table[e, m + n] = pr[0, e]
        table[e, m + n + 1] = pc[0, e]
        r = _regret(A, B, 0, row[0, e], col[0, e], m, n)
        table[e, m + n + 2] = r
        if r > alarm * span:
            flag[0] = FLAG_DEGENERATE
        table[e, m + n + 3] = 1.0 if (big_x == 1.0 and big_y == 1.0) else 0.0
    return int(flag[0]), table
