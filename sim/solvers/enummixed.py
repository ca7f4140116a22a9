"""Every extreme Nash equilibrium of a two-player game, by vertex enumeration.

Method (Avis, Rosenberg, Savani and von Stengel 2010, "Enumeration of Nash
equilibria for two-player games", Economic Theory 42, section 2; von Stengel
2002, "Computing equilibria for two-person games", Handbook of Game Theory 3,
section 3). Shift the payoffs ``A`` (row) and ``B`` (column) to be positive and
form the two best-response polytopes::

    P = {x in R^m : x >= 0, B^T x <= 1},   Q = {y in R^n : A y <= 1, y >= 0}.

Label a point of ``P`` with the rows ``i`` where ``x_i = 0`` and the columns
``j`` where ``(B^T x)_j = 1`` (column ``j`` is a best response), and a point of
``Q`` likewise. A pair of non-zero vertices ``(x, y)`` is *completely labelled*
(every row and column is a label of ``x`` or of ``y``) exactly when
``(x / sum(x), y / sum(y))`` is an extreme Nash equilibrium; this holds for
degenerate games too, where vertices carry more than ``m`` (or ``n``) labels
and equilibria form convex components.

A vertex is the solution of ``m`` linearly independent tight constraints, i.e.
of a square system ``B[S, T]^T x_S = 1`` for a support ``S`` of rows and an
equally large set ``T`` of tight columns. The kernel solves every such system,
keeps the feasible solutions and merges repeats (a degenerate vertex solves
several systems). Exact games are screened in floating point with a loose
tolerance (1e-6 on payoffs scaled to [1, 2]); every candidate vertex is then
recomputed and checked in exact integer arithmetic (fraction-free elimination
on the payoffs scaled to integers), so every reported equilibrium is exact.
The float screen only discards systems that are singular or clearly
infeasible in floating point. Components of the equilibrium set
are the connected components of the bipartite graph whose edges are the
equilibria (Gambit's "cliques" of compatible extreme points; Audet, Hansen, Jaumard and
Savard 2001, "Enumeration of all extreme equilibria of bimatrix games", SIAM
J. Sci. Comput. 23).
"""

from __future__ import annotations

from fractions import Fraction
from functools import lru_cache
from itertools import combinations
from math import gcd

import numpy as np

from sim.games.errors import GameError, GameTooLarge
from sim.games.normal_form import NormalFormGame
from sim.solvers.result import Equilibrium, SolveResult
from sim.solvers.small import SMALL_MAX, small_equilibria
from sim.solvers.tolerances import CANDIDATE_TOL, FLOAT_TOL, MERGE_TOL, PIVOT_TOL

# The compiled kernels live in sim.solvers.bimatrix_kernels, imported on first
# use so that importing this module does not load numba.

__all__ = [
    "MAX_SYSTEMS",
    "check_enumerable",
    "enummixed_solve",
    "extreme_equilibria",
    "polytope_systems",
    "scale_positive",
]
#: Default cap on the square systems one enumeration solves (11x11 needs 705,431).
MAX_SYSTEMS = 2_000_000


def check_enumerable(m: int, n: int, max_systems: int = MAX_SYSTEMS) -> None:
    """Refuse an ``m x n`` game whose vertex enumeration exceeds ``max_systems`` systems.

    Each polytope has ``sum_k C(m, k) C(n, k) = C(m + n, m) - 1`` square
    systems, so the work grows exponentially with the size of the game.

    Raises
    ------
    GameError
        Naming the count, the limit and the solvers that still apply.
    """
    from math import comb

    if m + n > 62:
        raise GameTooLarge(f"a {m}x{n} game is too large to enumerate (at most 62 strategies "
                        "in all); use --method one (Lemke-Howson) or pure")
    systems = comb(m + n, m) - 1
    if systems > max_systems:
        raise GameTooLarge(
            f"enumerating every equilibrium of a {m}x{n} game solves {systems:.3g} systems, "
            f"more than the limit of {max_systems:,} (raise it with --max-size systems=N); "
            "use --method one (Lemke-Howson) or pure"
        )


@lru_cache(maxsize=64)
def polytope_systems(d: int, e: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """All square systems of a polytope with ``d`` variables and ``e`` constraints.

    Returns ``(support, tight, size)``: row ``c`` pairs the variables
    ``support[c, :size[c]]`` with the constraints ``tight[c, :size[c]]``.
    """
    supports: list[tuple[int, ...]] = []
    tights: list[tuple[int, ...]] = []
    for k in range(1, min(d, e) + 1):
        for s in combinations(range(d), k):
            for t in combinations(range(e), k):
                supports.append(s)
                tights.append(t)
    kmax = max(1, min(d, e))
    support = np.full((len(supports), kmax), -1, dtype=np.int64)
    tight = np.full((len(supports), kmax), -1, dtype=np.int64)
    size = np.zeros(len(supports), dtype=np.int64)
    for c, (s, t) in enumerate(zip(supports, tights, strict=True)):
        support[c, : len(s)] = s
        tight[c, : len(t)] = t
        size[c] = len(s)
    for arr in (support, tight, size):
        arr.setflags(write=False)
    return support, tight, size


def scale_positive(M: np.ndarray) -> np.ndarray:
    """Affine rescaling of a float payoff matrix into ``[1, 2]`` (equilibria are invariant)."""
    lo = float(M.min())
    span = float(M.max()) - lo
    if span == 0.0:
        return np.ones_like(M, dtype=float)
    return (M - lo) / span + 1.0


def _integer_positive(M: np.ndarray) -> list[list[int]]:
    """Exact positive integer rescaling ``L * (M - min(M)) + 1`` of a rational matrix.

    ``L`` is the least common denominator; the map is a positive affine
    transformation, so equilibria are unchanged.
    """
    entries = [Fraction(v) for v in M.reshape(-1)]
    lo = min(entries)
    lcd = 1
    for v in entries:
        lcd = lcd * v.denominator // gcd(lcd, v.denominator)
    rows, cols = M.shape
    return [[int((entries[r * cols + c] - lo) * lcd) + 1 for c in range(cols)] for r in range(rows)]


def _labels(m: int, n: int) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    rows = np.arange(m, dtype=np.int64)
    cols = np.arange(m, m + n, dtype=np.int64)
    # P: z = x, zero labels are rows, tight labels columns; Q: z = y, the reverse.
    return (rows, cols), (cols, rows)


def _vertex_candidates(C: np.ndarray, labels: tuple[np.ndarray, np.ndarray], tol: float,
                       merge_tol: float) -> tuple[np.ndarray, ...]:
    """Float vertices of the polytope of ``C``: ``(support, tight, size, z, mask, system)``.

    The first three are the candidate systems; the last three, one row per vertex.
    """
    from sim.solvers.bimatrix_kernels import polytope_vertices

    support, tight, size = polytope_systems(*C.shape)
    cap = size.shape[0]
    out_z = np.zeros((cap, C.shape[0]))
    out_mask = np.zeros(cap, dtype=np.int64)
    out_system = np.zeros(cap, dtype=np.int64)
    count = polytope_vertices(np.ascontiguousarray(C, dtype=float), support, tight, size,
                              labels[0], labels[1], tol, PIVOT_TOL, merge_tol, out_z, out_mask,
                              out_system)
    return support, tight, size, out_z[:count], out_mask[:count], out_system[:count]


def _float_vertices(
    C: np.ndarray, labels: tuple[np.ndarray, np.ndarray], tol: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    z, mask, system = _vertex_candidates(C, labels, tol, MERGE_TOL)[3:]
    return z, mask, system


def _integer_vertex(
    C: list[list[int]], support: np.ndarray, tight: np.ndarray, k: int
) -> tuple[list[int], int] | None:
    """Solve ``C[S, T]^T z_S = 1`` in integers: ``z = nums / den`` with ``den > 0``.

    Fraction-free Gauss-Jordan elimination (Bareiss 1968): every division is
    exact and the final diagonal holds the determinant. ``None`` if singular.
    """
    S = [int(s) for s in support[:k]]
    T = [int(t) for t in tight[:k]]
    aug = [[C[S[q]][T[r]] for q in range(k)] + [1] for r in range(k)]
    prev = 1
    for c in range(k):
        piv = next((r for r in range(c, k) if aug[r][c] != 0), None)
        if piv is None:
            return None
        aug[c], aug[piv] = aug[piv], aug[c]
        pc = aug[c]
        for r in range(k):
            if r != c:
                rr = aug[r]
                f = rr[c]
                aug[r] = [(pc[c] * rr[j] - f * pc[j]) // prev for j in range(k + 1)]
        prev = pc[c]
    den = aug[0][0]
    sign = 1 if den > 0 else -1
    nums = [0] * len(C)
    for q in range(k):
        nums[S[q]] = sign * aug[q][k]
    return nums, sign * den


def _exact_vertices(
    C_int: list[list[int]], labels: tuple[np.ndarray, np.ndarray]
) -> tuple[list[list[Fraction]], list[int]]:
    """Exact vertices: float candidates (loose tolerance) re-solved and checked exactly."""
    d, e = len(C_int), len(C_int[0])
    C_float = scale_positive(np.array(C_int, dtype=float))
    # The float rescaling is an affine image of the integer one, so the label
    # structure (hence the candidate systems) is the same.
    # Loose tolerance: a candidate is kept unless clearly infeasible; the
    # exact check below decides. Float repeats are never merged (points that
    # differ by less than the float resolution are distinct vertices of the
    # exact polytope); exact repeats are merged by value.
    support, tight, size, _, _, out_system = _vertex_candidates(C_float, labels, CANDIDATE_TOL,
                                                                -1.0)
    count = out_system.shape[0]
    vertices: list[list[Fraction]] = []
    masks: list[int] = []
    seen: set[tuple[int, ...]] = set()
    for v in range(count):
        c = int(out_system[v])
        solved = _integer_vertex(C_int, support[c], tight[c], int(size[c]))
        if solved is None:
            continue
        nums, den = solved
        if any(x < 0 for x in nums):
            continue
        mask = 0
        feasible = True
        for j in range(e):
            val = sum(C_int[i][j] * nums[i] for i in range(d) if nums[i])
            if val > den:
                feasible = False
                break
            if val == den:
                mask |= 1 << int(labels[1][j])
        if not feasible:
            continue
        # Vertices are compared as normalised strategies (the direction of z).
        total = sum(nums)
        key = tuple(x // gcd(total, *nums) for x in nums)
        if key in seen:
            continue
        seen.add(key)
        for i in range(d):
            if nums[i] == 0:
                mask |= 1 << int(labels[0][i])
        vertices.append([Fraction(x, total) for x in nums])
        masks.append(mask)
    return vertices, masks


def _components(pairs: list[tuple[int, int]]) -> tuple[tuple[int, ...], ...]:
    parent: dict[tuple[str, int], tuple[str, int]] = {}

    def find(a: tuple[str, int]) -> tuple[str, int]:
        parent.setdefault(a, a)
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    for i, j in pairs:
        ra, rb = find(("x", i)), find(("y", j))
        if ra != rb:
            parent[ra] = rb
    groups: dict[tuple[str, int], list[int]] = {}
    for k, (i, _j) in enumerate(pairs):
        groups.setdefault(find(("x", i)), []).append(k)
    return tuple(sorted(tuple(g) for g in groups.values()))


def enummixed_solve(game: NormalFormGame, *, max_systems: int = MAX_SYSTEMS) -> SolveResult:
    """Every extreme Nash equilibrium of a two-player game.

    Parameters
    ----------
    game
        A two-player :class:`NormalFormGame`. Exact games give exact
        equilibria (``Fraction`` probabilities, regret exactly 0).
    max_systems
        Refuse games whose enumeration solves more square systems than this
        (see :func:`check_enumerable`).

    Returns
    -------
    SolveResult
        ``method="enummixed"``. For degenerate games ``degenerate=True``, the
        equilibria are the extreme points of the equilibrium set and
        ``components`` groups them into connected components.

    Examples
    --------
    >>> g = NormalFormGame.from_arrays([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
    >>> [tuple(str(p) for p in s) for s in enummixed_solve(g).equilibria[0].profile]
    [('1/2', '1/2'), ('1/2', '1/2')]
    """
    if game.n_players != 2:
        raise GameError(f"enummixed needs a two-player game, not {game.n_players} players")
    m, n = game.shape
    A, B = game.to_arrays()
    if m <= SMALL_MAX and n <= SMALL_MAX and not game.is_exact:
        fast = _fast_result(game, A, B)
        if fast is not None:
            return fast
    check_enumerable(m, n, max_systems)
    if m <= SMALL_MAX and n <= SMALL_MAX and not game.is_exact:
        # Degenerate, or a certificate close to failing: solve the exact game,
        # unless its payoffs span too many binary orders of magnitude for that.
        try:
            xs, ys, pairs, degenerate = extreme_equilibria(
                _binary_fractions(A), _binary_fractions(B), exact=True)
            xs = [x.astype(float) for x in xs]
            ys = [y.astype(float) for y in ys]
        except OverflowError:
            xs, ys, pairs, degenerate = extreme_equilibria(A, B, exact=False)
    else:
        xs, ys, pairs, degenerate = extreme_equilibria(A, B, exact=game.is_exact)
    equilibria = []
    for i, j in pairs:
        x, y = xs[i], ys[j]
        # Certificate: values of every pure strategy against the opponent's mix.
        row_values, col_values = A.dot(y), x.dot(B)
        u_row, u_col = x.dot(row_values), col_values.dot(y)
        regret = max(max(row_values) - u_row, max(col_values) - u_col)
        pure = int(np.count_nonzero(x)) == 1 and int(np.count_nonzero(y)) == 1
        equilibria.append(
            Equilibrium(
                profile=(x, y),
                payoffs=(u_row, u_col),
                regret=regret if game.is_exact else float(regret),
                label="pure" if pure else "mixed",
            )
        )
    return SolveResult(
        method="enummixed",
        parameters={},
        game=game,
        equilibria=tuple(equilibria),
        degenerate=degenerate,
        components=_components(pairs) if degenerate else (),
        notes=("degenerate game: extreme equilibria listed with their components",)
        if degenerate
        else (),
    )


def _fast_result(game: NormalFormGame, A: np.ndarray, B: np.ndarray) -> SolveResult | None:
    """The compiled fast path (:mod:`sim.solvers.small`); ``None`` if it defers."""
    table = small_equilibria(A, B)
    if table is None:
        return None
    table.setflags(write=False)
    m = A.shape[0]
    mn = m + A.shape[1]
    make = Equilibrium.normal_form
    equilibria = tuple(
        make((t[:m], t[m:mn]), (t[mn], t[mn + 1]), float(t[mn + 2]),
             "pure" if t[mn + 3] else "mixed")
        for t in table
    )
    return SolveResult("enummixed", {}, game, equilibria)


def _binary_fractions(M: np.ndarray) -> np.ndarray:
    # The exact value of every float payoff (its binary value).
    out = np.empty(M.shape, dtype=object)
    out.reshape(-1)[:] = [Fraction(v) for v in M.reshape(-1).tolist()]
    return out


def extreme_equilibria(
    A: np.ndarray, B: np.ndarray, *, exact: bool
) -> tuple[list[np.ndarray], list[np.ndarray], list[tuple[int, int]], bool]:
    """Vertices of both best-response polytopes and their equilibrium pairs.

    Parameters
    ----------
    A, B
        Row and column payoff matrices (``Fraction`` object arrays when
        ``exact``, else floats).
    exact
        Exact rational arithmetic.

    Returns
    -------
    xs, ys, pairs, degenerate
        Normalised vertices of ``P`` and ``Q`` (mixed strategies), the index
        pairs ``(i, j)`` such that ``(xs[i], ys[j])`` is an extreme
        equilibrium (in a deterministic order), and whether the game is
        degenerate.
    """
    m, n = A.shape
    p_labels, q_labels = _labels(m, n)
    full = (1 << (m + n)) - 1
    xs: list[np.ndarray]
    ys: list[np.ndarray]
    if exact:
        xv, xm = _exact_vertices(_integer_positive(B), p_labels)
        yv, ym = _exact_vertices(_integer_positive(A.T), q_labels)
        xs = [_normalise_exact(v) for v in xv]
        ys = [_normalise_exact(v) for v in yv]
    else:
        xz, xm_arr, _ = _float_vertices(scale_positive(B), p_labels, FLOAT_TOL)
        yz, ym_arr, _ = _float_vertices(scale_positive(A).T, q_labels, FLOAT_TOL)
        xm, ym = [int(v) for v in xm_arr], [int(v) for v in ym_arr]
        xs = [z / z.sum() for z in xz]
        ys = [z / z.sum() for z in yz]
    degenerate = any(k.bit_count() > m for k in xm) or any(k.bit_count() > n for k in ym)
    # Deterministic order: lexicographic in the reversed probability vector,
    # so pure strategies come first in label order.
    keys_x = [np.asarray(x, float)[::-1].tolist() for x in xs]
    keys_y = [np.asarray(y, float)[::-1].tolist() for y in ys]
    order_x = sorted(range(len(xs)), key=keys_x.__getitem__)
    order_y = sorted(range(len(ys)), key=keys_y.__getitem__)
    if len(xs) * len(ys) <= 4096:
        pairs = [(i, j) for i in order_x for j in order_y if (xm[i] | ym[j]) == full]
    else:
        # Many vertices: test all pairs at once.
        ox, oy = np.array(order_x), np.array(order_y)
        hit = (np.array(xm)[ox][:, None] | np.array(ym)[oy][None, :]) == full
        ii, jj = np.nonzero(hit)
        pairs = [(int(i), int(j)) for i, j in zip(ox[ii], oy[jj], strict=True)]
    return xs, ys, pairs, degenerate


def _normalise_exact(z: list[Fraction]) -> np.ndarray:
    out = np.empty(len(z), dtype=object)
    out[:] = z
    return out
