"""Regime maps of a lab game over two parameters.

Over an ``n x n`` grid of two parameters, the payoffs of every grid point are
evaluated at once over numpy arrays (:func:`~sim.lab.build.payoff_stack`;
trees go through their reduced normal form, whose payoffs are sums of
terminal payoffs weighted by chance probabilities, so they vectorise too),
and every point is solved by the batch solver
(:func:`~sim.solvers.batch.batch_solve`). A point is coloured either by the
number and kind of its equilibria, or by the probability of a chosen outcome
in one equilibrium picked by a selection rule:

* ``"risk"``: Harsanyi-Selten risk dominance (Harsanyi & Selten 1988, *A
  General Theory of Equilibrium Selection in Games*, section 3.9): in a 2x2
  game with two strict pure equilibria, the one with the larger product of
  the players' deviation losses;
* ``"payoff"``: payoff dominance (the same book, section 5.6): the pure
  equilibrium both players weakly prefer, one strictly; risk dominance when
  neither is;
* ``"qre"``: the logit QRE limit (McKelvey & Palfrey 1995): the principal
  branch is followed over an increasing precision schedule by damped
  fixed-point iteration, for all points at once, and the point's Nash
  equilibrium nearest to its end is selected. This is an approximation of
  the exact path of :func:`~sim.solvers.logit_qre.logit_qre_path`, which is
  too slow for 40,000 games.

With a single equilibrium every rule selects it. Trees with perfect
information are mapped by backward induction at every point, vectorised, and
coloured by where subgame-perfect play ends (the outcome probability is then
its probability under subgame-perfect play); other trees through their reduced
normal forms on a coarser grid. Points where a payoff cannot
be evaluated (division by zero) or a chance probability leaves [0, 1] are
invalid.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

import numba
import numpy as np

from sim.games.errors import GameError
from sim.games.extensive_form import ExtensiveFormGame
from sim.lab.build import payoff_stack, resolve_values, to_engine
from sim.lab.model import LabGame, TreeSpec, parsed

__all__ = ["LabRegimeMap", "lab_regime_map", "outcome_names", "INVALID_LABEL"]

INVALID_LABEL = "not defined here"
#: Grid size for trees with imperfect information (each point is solved exactly).
TREE_GRID = 50
Selection = Literal["risk", "payoff", "qre"]


@dataclass(frozen=True)
class LabRegimeMap:
    """A regime map: a category (and optionally a probability) at every grid point.

    Attributes
    ----------
    x_name, y_name
        The two parameters; ``xs`` and ``ys`` their grid values.
    code
        ``(len(ys), len(xs))`` index into ``labels``; ``-1`` where invalid.
    labels
        Category names ("2 pure, 1 mixed", ...).
    probability
        With an outcome chosen: its probability at each point in the selected
        equilibrium (NaN where invalid or nothing is selected); else None.
    outcome, selection
        The chosen outcome and rule, or None.
    method, notes
        How the map was computed, and remarks.
    """

    x_name: str
    y_name: str
    xs: np.ndarray
    ys: np.ndarray
    code: np.ndarray
    labels: tuple[str, ...]
    probability: np.ndarray | None
    outcome: str | None
    selection: str | None
    method: str
    notes: tuple[str, ...] = ()


def outcome_names(game: LabGame) -> list[str]:
    """Outcomes a map can colour by: strategy profiles, or terminal labels (or ids)."""
    if game.normal_form is not None:
        strategies = game.normal_form.strategies
        return [" / ".join(strategies[i][j] for i, j in enumerate(idx))
                for idx in np.ndindex(*game.normal_form.shape)]
    assert game.tree is not None
    return list(dict.fromkeys(n.label or n.id for n in game.tree.nodes if n.kind == "terminal"))


# -- trees as stacks of reduced normal forms ------------------------------------------

def _prefix_order(tree: TreeSpec) -> list[str]:
    out: list[str] = []
    stack = [tree.nodes[0].id]
    while stack:
        nid = stack.pop()
        out.append(nid)
        stack.extend(b.to for b in reversed(tree.node(nid).branches))
    return out


@dataclass(frozen=True)
class _TreeStack:
    arrays: tuple[np.ndarray, np.ndarray]
    terminals: list[tuple[str, np.ndarray, list[int], list[int]]]  # label, weight, rows, cols
    strategies: tuple[tuple[str, ...], ...]
    valid: np.ndarray


def _tree_stack(game: LabGame, base: ExtensiveFormGame, vals: Mapping[str, Any],
                g_shape: tuple[int, ...]) -> _TreeStack:
    from sim.games.reduced import reduced_form

    assert game.tree is not None
    rf = reduced_form(base)
    flat = base.flat()
    order = _prefix_order(game.tree)
    plans = rf.plans
    shape = rf.game.shape
    arrays = (np.zeros(g_shape + shape), np.zeros(g_shape + shape))
    valid = np.ones(g_shape, dtype=bool)
    terminals = []
    prob_cache: dict[tuple[int, int], np.ndarray] = {}
    for t in range(len(flat)):
        if flat.kind[t] != "t":
            continue
        weight = np.ones(g_shape)
        need: list[list[tuple[str, str]]] = [[], []]
        child, up = t, flat.parent[t]
        while up >= 0:
            k = flat.children[up].index(child)
            if flat.kind[up] == "c":
                if (up, k) not in prob_cache:
                    text = game.tree.node(order[up]).branches[k].prob
                    assert text is not None
                    p = np.broadcast_to(parsed(text).evaluate_masked(vals), g_shape)
                    valid &= np.isfinite(p) & (p >= -1e-12) & (p <= 1 + 1e-12)
                    prob_cache[(up, k)] = p
                weight = weight * prob_cache[(up, k)]
            else:
                key = flat.infoset[up]
                assert key is not None
                need[flat.player[up]].append((key, flat.actions[up][k]))
            child, up = up, flat.parent[up]
        index = [[s for s, plan in enumerate(plans[i]) if all(plan.get(h) == a for h, a in need[i])]
                 for i in range(2)]
        node = game.tree.node(order[t])
        pays = [np.broadcast_to(parsed(x).evaluate_masked(vals), g_shape) for x in node.payoffs]
        for i in range(2):
            valid &= np.isfinite(pays[i])
        terminals.append((node.label or node.id, weight, index[0], index[1]))
        if not index[0] or not index[1]:
            continue
        rows, cols = np.ix_(index[0], index[1])
        for i in range(2):
            arrays[i][..., rows, cols] += (weight * pays[i])[..., None, None]
    return _TreeStack(arrays, terminals, rf.game.strategies, valid)


def _spe_map(game: LabGame, vals: Mapping[str, Any], g_shape: tuple[int, ...]
             ) -> tuple[np.ndarray, list[str], dict[str, np.ndarray], np.ndarray, float]:
    """Backward induction at every grid point of a perfect-information tree, vectorised.

    Returns the category code per point, the category labels (the outcomes
    play reaches), each outcome's reach probability, the validity mask and the
    share of points where some mover was indifferent (ties go to the first action).
    """
    assert game.tree is not None
    tree = game.tree
    order = _prefix_order(tree)
    valid = np.ones(g_shape, dtype=bool)
    tie = np.zeros(g_shape, dtype=bool)
    value: dict[str, np.ndarray] = {}
    choice: dict[str, np.ndarray] = {}
    probs: dict[str, np.ndarray] = {}
    for nid in reversed(order):
        node = tree.node(nid)
        if node.kind == "terminal":
            value[nid] = np.stack([np.broadcast_to(parsed(t).evaluate_masked(vals), g_shape)
                                   for t in node.payoffs])
            valid &= np.isfinite(value[nid]).all(axis=0)
            continue
        kids = np.stack([value[b.to] for b in node.branches])  # (k, n, *G)
        if node.kind == "decision":
            assert node.player is not None
            own = np.nan_to_num(kids[:, node.player])
            best = np.argmax(own, axis=0)
            top = np.take_along_axis(own, best[None], axis=0)[0]
            tie |= (np.abs(own - top[None]) <= 1e-12).sum(axis=0) > 1
            choice[nid] = best
            value[nid] = np.take_along_axis(kids, best[None, None], axis=0)[0]
        else:
            p = np.stack([np.broadcast_to(parsed(b.prob or "0").evaluate_masked(vals), g_shape)
                          for b in node.branches])
            valid &= (np.isfinite(p) & (p >= -1e-12) & (p <= 1 + 1e-12)).all(axis=0)
            valid &= np.abs(np.nan_to_num(p).sum(axis=0) - 1) <= 1e-9
            probs[nid] = np.nan_to_num(p)
            value[nid] = np.einsum("k...,kn...->n...", probs[nid], kids)
    reach: dict[str, np.ndarray] = {order[0]: np.ones(g_shape)}
    for nid in order:
        node = tree.node(nid)
        for k, b in enumerate(node.branches):
            if node.kind == "decision":
                reach[b.to] = reach[nid] * (choice[nid] == k)
            else:
                reach[b.to] = reach[nid] * probs[nid][k]
    by_label: dict[str, np.ndarray] = {}
    for nid in order:
        node = tree.node(nid)
        if node.kind == "terminal":
            label = node.label or node.id
            by_label[label] = by_label.get(label, np.zeros(g_shape)) + reach[nid]
    names = list(by_label)
    hit = np.stack([by_label[k] > 1e-12 for k in names]).reshape(len(names), -1)
    uniq, inverse = np.unique(hit.T, axis=0, return_inverse=True)
    labels = ["ends at " + " or ".join(nm for nm, on in zip(names, row, strict=True) if on)
              for row in uniq]
    share = float(tie[valid].mean()) if valid.any() else 0.0
    return inverse.reshape(g_shape), labels, by_label, valid, share


def _perfect_information(game: LabGame) -> bool:
    assert game.tree is not None
    sets = [n.infoset for n in game.tree.nodes if n.kind == "decision" and n.infoset]
    return len(sets) == len(set(sets))


# -- selection ---------------------------------------------------------------------

def _dominance_2x2(A: np.ndarray, B: np.ndarray, row: np.ndarray, col: np.ndarray,
                   count: np.ndarray, rule: str) -> np.ndarray:
    """Index of the selected equilibrium per game (-1 when none), for 2x2 stacks."""
    G = A.shape[0]
    pick = np.where(count == 1, 0, -1)
    K = row.shape[1]
    live = np.arange(K)[None, :] < count[:, None]
    r = np.nan_to_num(row)
    c = np.nan_to_num(col)
    pure = live & (r.max(axis=2) > 1 - 1e-9) & (c.max(axis=2) > 1 - 1e-9)
    # Two strict pure equilibria and a mixed one: (0,0)/(1,1) or (0,1)/(1,0).
    cand = (count == 3) & (pure.sum(axis=1) == 2)
    ks = np.argsort(~pure, axis=1, kind="stable")[:, :2]
    gi = np.arange(G)
    i1 = r[gi, ks[:, 0]].argmax(axis=1)
    j1 = c[gi, ks[:, 0]].argmax(axis=1)
    i2 = r[gi, ks[:, 1]].argmax(axis=1)
    j2 = c[gi, ks[:, 1]].argmax(axis=1)
    a11, a21, a12, a22 = A[gi, i1, j1], A[gi, i2, j1], A[gi, i1, j2], A[gi, i2, j2]
    b11, b12, b21, b22 = B[gi, i1, j1], B[gi, i1, j2], B[gi, i2, j1], B[gi, i2, j2]
    # Deviation-loss products (Harsanyi & Selten 1988, section 3.9).
    p1 = (a11 - a21) * (b11 - b12)
    p2 = (a22 - a12) * (b22 - b21)
    choice = np.where(p1 > p2, ks[:, 0], np.where(p2 > p1, ks[:, 1], -1))
    if rule == "payoff":
        first = (a11 >= a22) & (b11 >= b22) & ((a11 > a22) | (b11 > b22))
        second = (a22 >= a11) & (b22 >= b11) & ((a22 > a11) | (b22 > b11))
        choice = np.where(first, ks[:, 0], np.where(second, ks[:, 1], choice))
    return np.where(cand, choice, pick)


@numba.njit(cache=True)
def _damped_logit(u: np.ndarray, p: np.ndarray, alpha: float) -> None:  # pragma: no cover
    """Move ``p`` a share ``alpha`` towards the logit response to the scaled payoffs ``u``.

    ``u`` is overwritten with its shifted exponentials.
    """
    top = u.max()
    tot = 0.0
    for i in range(u.size):
        u[i] = np.exp(u[i] - top)
        tot += u[i]
    for i in range(u.size):
        p[i] += alpha * (u[i] / tot - p[i])


@numba.njit(cache=True)
def _qre_kernel(A: np.ndarray, B: np.ndarray, lams: np.ndarray, x: np.ndarray,
                y: np.ndarray) -> None:  # pragma: no cover - compiled
    G, m, n = A.shape
    ux = np.empty(m)
    uy = np.empty(n)
    for g in range(G):
        for lam in lams:
            alpha = 1.0 / (1.0 + 0.25 * lam)
            for _ in range(3):
                for i in range(m):
                    acc = 0.0
                    for j in range(n):
                        acc += A[g, i, j] * y[g, j]
                    ux[i] = acc * lam
                for j in range(n):
                    acc = 0.0
                    for i in range(m):
                        acc += B[g, i, j] * x[g, i]
                    uy[j] = acc * lam
                _damped_logit(ux, x[g], alpha)
                _damped_logit(uy, y[g], alpha)


def _qre_limit_2p(A: np.ndarray, B: np.ndarray, steps: int = 80,
                  lam_max: float = 300.0) -> tuple[np.ndarray, np.ndarray]:
    """Approximate end of the principal logit-QRE branch for a stack of bimatrix games.

    Payoffs are rescaled per game to [0, 1]; the precision rises geometrically
    to ``lam_max`` and at each step the profile takes three damped logit
    best-response steps (damping ``1 / (1 + lam / 4)``), so it stays on the
    branch it started on at ``lam = 0``, the centroid.
    """
    G, m, n = A.shape
    lo = np.minimum(A.min(axis=(1, 2)), B.min(axis=(1, 2)))
    hi = np.maximum(A.max(axis=(1, 2)), B.max(axis=(1, 2)))
    scale = np.where(hi - lo > 0, hi - lo, 1.0)
    An = np.ascontiguousarray((A - lo[:, None, None]) / scale[:, None, None])
    Bn = np.ascontiguousarray((B - lo[:, None, None]) / scale[:, None, None])
    x = np.full((G, m), 1.0 / m)
    y = np.full((G, n), 1.0 / n)
    _qre_kernel(An, Bn, np.geomspace(0.05, lam_max, steps), x, y)
    return x, y


def _qre_pick(row: np.ndarray, col: np.ndarray, count: np.ndarray, x: np.ndarray,
              y: np.ndarray) -> np.ndarray:
    dist = (np.abs(row - x[:, None, :]).sum(axis=2) + np.abs(col - y[:, None, :]).sum(axis=2))
    K = row.shape[1]
    dist = np.where(np.arange(K)[None, :] < count[:, None], dist, np.inf)
    dist = np.where(np.isnan(dist), np.inf, dist)
    pick = np.argmin(dist, axis=1)
    return np.where(np.isfinite(dist.min(axis=1)), pick, -1)


# -- the map ------------------------------------------------------------------------

def _category_labels(row: np.ndarray, col: np.ndarray, count: np.ndarray,
                     degenerate: np.ndarray) -> tuple[np.ndarray, list[str]]:
    K = row.shape[1]
    live = np.arange(K)[None, :] < count[:, None]
    with np.errstate(invalid="ignore"):
        pure = (np.nan_to_num(row).max(axis=2) > 1 - 1e-9) & (
            np.nan_to_num(col).max(axis=2) > 1 - 1e-9)
    n_pure = (pure & live).sum(axis=1)
    n_mixed = count - n_pure
    keys = np.stack([n_pure, n_mixed, degenerate.astype(int)], axis=1)
    uniq, inverse = np.unique(keys, axis=0, return_inverse=True)
    labels = []
    for p, mx, d in uniq:
        parts = ([f"{p} pure"] if p else []) + ([f"{mx} mixed"] if mx else [])
        text = ", ".join(parts) or "none"
        labels.append(text + (" (not isolated)" if d else ""))
    return inverse.reshape(-1), labels


def _pure_map(game: LabGame, grid: Mapping[str, Any], x: tuple[str, float, float],
              y: tuple[str, float, float], xs: np.ndarray, ys: np.ndarray) -> LabRegimeMap:
    """Number of pure equilibria at every point of an N-player normal form."""
    arrays = payoff_stack(game, {x[0]: grid[x[0]], y[0]: grid[y[0]]})
    g_dims = 2
    valid = np.all([np.isfinite(a).all(axis=tuple(range(g_dims, a.ndim))) for a in arrays],
                   axis=0)
    mask = np.ones(arrays[0].shape, dtype=bool)
    for i, u in enumerate(arrays):
        u = np.nan_to_num(u)
        mask &= u >= u.max(axis=g_dims + i, keepdims=True)
    count = mask.reshape(mask.shape[:g_dims] + (-1,)).sum(axis=-1)
    values = sorted(int(v) for v in np.unique(count[valid])) if valid.any() else []
    labels = [f"{v} pure" for v in values]
    index = {v: k for k, v in enumerate(values)}
    code = np.where(valid, np.vectorize(lambda v: index.get(int(v), -1))(count), -1)
    return LabRegimeMap(x[0], y[0], xs, ys, code, tuple(labels), None, None, None,
                        "payoffs evaluated over the grid; pure equilibria counted at every "
                        "point", ("With three or more players the map counts pure "
                                  "equilibria; mixed ones are not enumerated.",))


def lab_regime_map(game: LabGame, x: tuple[str, float, float], y: tuple[str, float, float],
                   *, n: int = 200, values: Mapping[str, Any] | None = None,
                   outcome: str | None = None, selection: Selection = "risk"
                   ) -> LabRegimeMap:
    """The regime map of a two-player lab game over parameters ``x`` and ``y``.

    Parameters
    ----------
    game
        A two-player lab game (normal form or tree).
    x, y
        ``(name, lo, hi)`` of each axis.
    n
        Grid points per axis (at most 400).
    values
        Values of the other parameters (default: the game's).
    outcome
        Colour by this outcome's probability (:func:`outcome_names`) in the
        equilibrium picked by ``selection``; None colours by equilibria.
    selection
        ``"risk"``, ``"payoff"`` (2x2 games only) or ``"qre"``.

    Raises
    ------
    GameError
        For games with other than two players, an unknown parameter or
        outcome, or a rule that does not apply.
    """
    from sim.solvers.batch import batch_solve

    if len(game.players) != 2 and (game.tree is not None or outcome is not None):
        raise GameError("with three or four players the map shows pure equilibria of a "
                        "normal form only")
    if not 2 <= n <= 400:
        raise GameError("the grid needs 2 to 400 points per axis")
    if x[0] == y[0]:
        raise GameError("choose two different parameters")
    vals = resolve_values(game, values)
    for name, lo, hi in (x, y):
        if name not in vals:
            raise GameError(f"the game has no parameter {name!r}")
        if not (np.isfinite(lo) and np.isfinite(hi) and lo < hi):
            raise GameError(f"range of {name!r} must have lo below hi")
    xs = np.linspace(x[1], x[2], n)
    ys = np.linspace(y[1], y[2], n)
    grid = dict(vals)
    grid[x[0]] = xs[None, :]
    grid[y[0]] = ys[:, None]
    g_shape = (n, n)
    notes: list[str] = []
    tree_stack = None
    if game.tree is not None and _perfect_information(game):
        code_s, labels_s, by_label, valid_s, share = _spe_map(game, grid, g_shape)
        code_s = np.where(valid_s, code_s, -1)
        prob_s = None
        if outcome is not None:
            if outcome not in by_label:
                raise GameError(f"no outcome named {outcome!r}")
            prob_s = np.where(valid_s, by_label[outcome], np.nan)
        if share > 0:
            notes.append(f"At {share:.0%} of the points a mover is indifferent; the map "
                         "breaks such ties by action order.")
        return LabRegimeMap(x[0], y[0], xs, ys, code_s, tuple(labels_s), prob_s, outcome,
                            "spe" if outcome is not None else None,
                            "backward induction at every point (subgame-perfect play)",
                            tuple(notes))
    if game.tree is not None and n > TREE_GRID:
        notes.append(f"Trees with imperfect information are mapped on a {TREE_GRID} x "
                     f"{TREE_GRID} grid: their reduced normal forms are degenerate and each "
                     "point is solved exactly.")
        n = TREE_GRID
        xs = np.linspace(x[1], x[2], n)
        ys = np.linspace(y[1], y[2], n)
        grid[x[0]] = xs[None, :]
        grid[y[0]] = ys[:, None]
        g_shape = (n, n)
    if game.normal_form is not None and len(game.players) > 2:
        return _pure_map(game, grid, x, y, xs, ys)
    if game.normal_form is not None:
        A, B = payoff_stack(game, {x[0]: grid[x[0]], y[0]: grid[y[0]]})
        valid = np.isfinite(A).all(axis=(-1, -2)) & np.isfinite(B).all(axis=(-1, -2))
        method = "payoffs evaluated over the grid; batch vertex enumeration"
    else:
        base = to_engine(game, vals, exact=False)
        assert isinstance(base, ExtensiveFormGame)
        tree_stack = _tree_stack(game, base, grid, g_shape)
        A, B = tree_stack.arrays
        valid = tree_stack.valid & np.isfinite(A).all(axis=(-1, -2)) & np.isfinite(
            B).all(axis=(-1, -2))
        method = ("reduced normal form evaluated over the grid; batch vertex enumeration")
        notes.append("Equilibria are those of the tree's reduced normal form (Nash "
                     "equilibria, not only subgame-perfect ones).")
    m, k = A.shape[-2:]
    if m + k > 62:
        raise GameError("the game is too large for a regime map")
    Af = np.where(valid[..., None, None], A, 0.0).reshape(-1, m, k)
    Bf = np.where(valid[..., None, None], B, 0.0).reshape(-1, m, k)
    res = batch_solve(Af, Bf)
    codes, labels = _category_labels(res.row, res.col, res.count, res.degenerate)
    code = np.where(valid.reshape(-1), codes, -1).reshape(g_shape)
    probability = None
    if outcome is not None:
        names = outcome_names(game)
        if outcome not in names:
            raise GameError(f"no outcome named {outcome!r}")
        if selection in ("risk", "payoff"):
            if (m, k) != (2, 2):
                raise GameError("risk and payoff dominance apply to 2x2 games; choose the "
                                "QRE limit")
            pick = _dominance_2x2(Af, Bf, res.row, res.col, res.count, selection)
        elif selection == "qre":
            qx, qy = _qre_limit_2p(Af, Bf)
            pick = _qre_pick(res.row, res.col, res.count, qx, qy)
        else:
            raise GameError(f"unknown selection {selection!r}; use risk, payoff or qre")
        G = Af.shape[0]
        gi = np.arange(G)
        safe = np.maximum(pick, 0)
        xr = res.row[gi, safe]
        yc = res.col[gi, safe]
        if tree_stack is None:
            idx = names.index(outcome)
            i, j = np.unravel_index(idx, (m, k))
            prob = xr[:, i] * yc[:, j]
        else:
            prob = np.zeros(G)
            for label, weight, rows, cols in tree_stack.terminals:
                if label != outcome or not rows or not cols:
                    continue
                prob += (xr[:, rows].sum(axis=1) * yc[:, cols].sum(axis=1)
                         * weight.reshape(-1))
        prob = np.where((pick >= 0) & valid.reshape(-1), prob, np.nan)
        probability = prob.reshape(g_shape)
        if np.isnan(probability).any():
            notes.append("Blank points have no selected equilibrium (ties, or several "
                         "equilibria the rule cannot order).")
    return LabRegimeMap(x[0], y[0], xs, ys, code, tuple(labels), probability, outcome,
                        selection if outcome is not None else None, method, tuple(notes))
