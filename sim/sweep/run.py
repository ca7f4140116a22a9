"""Evaluating a model at many parameter points: sweeps, maps and sensitivity.

The points of a sweep come from :mod:`sim.sweep.design`; this module solves them.

Points are solved in chunks through the model's vectorised
:meth:`~sim.models.base.Model.solve_batch`. Points a model rejects (outside a
parameter's range, or breaking a cross-parameter constraint such as Chicken's
payoff order ``w > s > l > d``) are kept in the results, marked invalid, so a
sweep over a box never fails because a corner of the box is not a game.

Sensitivity is measured by standardised regression coefficients and Spearman
rank correlations of each varied parameter with the target (Saltelli et al.
2008, *Global Sensitivity Analysis: The Primer*, Wiley, §1.2.5–1.2.6).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from sim.modelkit.aliases import resolve_param_aliases
from sim.models.base import FLAG_FIELDS, Model, ModelError, PointArrays
from sim.models.registry import get_model
from sim.sweep.constraints import constraints_hold

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "INVALID",
    "PointSolutions",
    "RegimeMap",
    "evaluate",
    "regime_map",
    "outcome_profile",
    "regime_shares",
    "sensitivity",
]

#: Regime label of points the model rejects.
INVALID = "invalid parameters"

Progress = Callable[[int, int], None]


@dataclass(frozen=True, kw_only=True)
class PointSolutions(PointArrays):
    """Solutions at ``n`` points; rejected points have ``regime == -1`` and NaN numbers."""

    players: tuple[str, ...]
    valid: np.ndarray

    def __len__(self) -> int:
        return int(self.valid.shape[0])

    def regime_labels(self) -> np.ndarray:
        """Regime names per point (:data:`INVALID` where rejected)."""
        labels = np.asarray((*self.regimes, INVALID), dtype=object)
        return labels[np.where(self.regime < 0, len(self.regimes), self.regime)]


def _as_model(model: Model | str) -> Model:
    return get_model(model) if isinstance(model, str) else model


def _valid_mask(model: Model, fixed: Mapping[str, Any], cols: Mapping[str, np.ndarray],
                n: int) -> np.ndarray:
    """Points that pass every range check and cross-parameter constraint."""
    ok = np.ones(n, dtype=bool)
    values: dict[str, Any] = {}
    for spec in model.params:
        if not spec.is_scalar:
            values[spec.name] = spec.check(fixed.get(spec.name, spec.default))
            continue
        raw = cols.get(spec.name, fixed.get(spec.name, spec.default))
        col = np.broadcast_to(np.asarray(raw, dtype=float), (n,))
        ok &= np.isfinite(col) & (col >= spec.lo) & (col <= spec.hi)
        if spec.kind == "integer":
            ok &= col == np.round(col)
        values[spec.name] = col
    return constraints_hold(model, values, ok)


def evaluate(model: Model | str, fixed: Mapping[str, Any],
             columns: Mapping[str, np.ndarray]) -> PointSolutions:
    """Solve ``model`` at every row of ``columns`` (equal-length arrays), others ``fixed``.

    Raises
    ------
    ModelError
        If ``fixed`` or ``columns`` name a parameter the model does not have.
    """
    m = _as_model(model)
    # Old parameter names of the alias table still work, with a DeprecationWarning.
    fixed = resolve_param_aliases(m.name, fixed)
    columns = resolve_param_aliases(m.name, columns)
    known = {s.name for s in m.params}
    unknown = sorted((set(fixed) | set(columns)) - known)
    if unknown:
        raise ModelError(f"{m.name}: unknown parameter {unknown[0]!r}")
    cols = {k: np.asarray(v, dtype=float).reshape(-1) for k, v in columns.items()}
    n = len(next(iter(cols.values()))) if cols else 1
    arrays: dict[str, Any] = {**fixed, **cols}
    try:
        batch = m.solve_batch(arrays)
        ok = np.ones(n, dtype=bool)
    except ModelError:
        ok = _valid_mask(m, fixed, cols, n)
        if not ok.any():
            batch = None
        else:
            sub = {**fixed, **{k: v[ok] for k, v in cols.items()}}
            if not cols:
                sub = dict(fixed)
            batch = m.solve_batch(sub)
    k_out = len(m.outcomes)
    if batch is not None and ok.all() and len(batch.regime) == n:
        # every point solved: take the batch's arrays as they are, without masked copies
        return PointSolutions(
            model=m.name, regimes=tuple(m.regimes), outcomes=tuple(m.outcomes),
            players=tuple(m.players), regime=np.asarray(batch.regime),
            probabilities=np.asarray(batch.probabilities, dtype=float),
            p_war=np.asarray(batch.p_war, dtype=float),
            payoffs={pl: np.asarray(batch.payoffs[pl], dtype=float) for pl in m.players},
            valid=ok, **{f: np.asarray(getattr(batch, f), dtype=bool)
                         for f in FLAG_FIELDS},
        )
    regime = np.full(n, -1, dtype=np.int64)
    probs = np.full((n, k_out), np.nan)
    p_war = np.full(n, np.nan)
    payoffs = {pl: np.full(n, np.nan) for pl in m.players}
    flags = {f: np.zeros(n, dtype=bool)
             for f in FLAG_FIELDS}
    if batch is not None:
        regime[ok] = batch.regime
        probs[ok] = batch.probabilities
        p_war[ok] = batch.p_war
        for pl in m.players:
            payoffs[pl][ok] = batch.payoffs[pl]
        for f, arr in flags.items():
            arr[ok] = getattr(batch, f)
    return PointSolutions(
        model=m.name, regimes=tuple(m.regimes), outcomes=tuple(m.outcomes),
        players=tuple(m.players), regime=regime, probabilities=probs, p_war=p_war,
        payoffs=payoffs, valid=ok, **flags,
    )


def _frame(sol: PointSolutions, columns: Mapping[str, np.ndarray]) -> pd.DataFrame:
    data: dict[str, Any] = {k: np.asarray(v, dtype=float) for k, v in columns.items()}
    data["regime"] = sol.regime_labels()
    best = np.argmax(np.nan_to_num(sol.probabilities, nan=-1.0), axis=1)
    data["outcome"] = np.where(sol.valid, np.asarray(sol.outcomes, dtype=object)[best], INVALID)
    for j, label in enumerate(sol.outcomes):
        data[f"P({label})"] = sol.probabilities[:, j]
    data["p_war"] = sol.p_war
    for pl in sol.players:
        data[f"payoff[{pl}]"] = sol.payoffs[pl]
    data["boundary"] = sol.boundary
    data["multiple_equilibria"] = sol.multiple_equilibria
    data["assumption_violated"] = sol.assumption_violated
    data["valid"] = sol.valid
    import pandas as pd

    return pd.DataFrame(data)


@dataclass(frozen=True)
class RegimeMap:
    """Regime and P(war) over a two-parameter grid; arrays have shape ``(ny, nx)``."""

    model: str
    x_name: str
    y_name: str
    xs: np.ndarray
    ys: np.ndarray
    regimes: tuple[str, ...]
    regime: np.ndarray
    p_war: np.ndarray
    valid: np.ndarray

    def regimes_present(self) -> tuple[str, ...]:
        """Regime names that occur on the grid, in model order (then invalid)."""
        codes = set(np.unique(self.regime).tolist())
        names = tuple(r for i, r in enumerate(self.regimes) if i in codes)
        return (*names, INVALID) if -1 in codes else names

    def shares(self) -> dict[str, float]:
        """Share of grid points in each regime (invalid included), largest first."""
        labels = np.asarray((*self.regimes, INVALID), dtype=object)
        codes = np.where(self.regime < 0, len(self.regimes), self.regime).reshape(-1)
        counts = np.bincount(codes, minlength=len(labels)) / codes.size
        order = np.argsort(-counts, kind="stable")
        return {str(labels[k]): float(counts[k]) for k in order if counts[k] > 0}


def regime_map(model: Model | str, fixed: Mapping[str, Any],
               x: tuple[str, float, float], y: tuple[str, float, float],
               nx: int = 200, ny: int = 200) -> RegimeMap:
    """Solve on an ``nx`` × ``ny`` grid of two parameters ``(name, lo, hi)``."""
    m = _as_model(model)
    if x[0] == y[0]:
        raise ValueError("choose two different parameters")
    xs = np.linspace(x[1], x[2], nx)
    ys = np.linspace(y[1], y[2], ny)
    if m.param(x[0]).kind == "integer":
        xs = np.unique(np.round(xs))
    if m.param(y[0]).kind == "integer":
        ys = np.unique(np.round(ys))
    gx, gy = np.meshgrid(xs, ys)
    rest = {k: v for k, v in fixed.items() if k not in (x[0], y[0])}
    sol = evaluate(m, rest, {x[0]: gx.reshape(-1), y[0]: gy.reshape(-1)})
    shape = gx.shape
    return RegimeMap(model=m.name, x_name=x[0], y_name=y[0], xs=xs, ys=ys,
                     regimes=sol.regimes, regime=sol.regime.reshape(shape),
                     p_war=sol.p_war.reshape(shape), valid=sol.valid.reshape(shape))


def outcome_profile(model: Model | str, fixed: Mapping[str, Any], name: str,
                    lo: float, hi: float, n: int = 200) -> pd.DataFrame:
    """Outcome probabilities, P(war) and regime along one parameter."""
    m = _as_model(model)
    xs = np.linspace(lo, hi, n)
    if m.param(name).kind == "integer":
        xs = np.unique(np.round(xs))
    rest = {k: v for k, v in fixed.items() if k != name}
    return _frame(evaluate(m, rest, {name: xs}), {name: xs})


def regime_shares(frame: pd.DataFrame) -> pd.Series:
    """Share of points in each regime (invalid points included), largest first."""
    return frame["regime"].value_counts(normalize=True)


def sensitivity(frame: pd.DataFrame, names: Sequence[str], target: str = "p_war") -> pd.DataFrame:
    """How strongly each parameter in ``names`` moves ``target``.

    Returns one row per parameter with ``src``, the standardised regression
    coefficient (the change of ``target``, in standard deviations, per
    standard deviation of the parameter, others held fixed, from a linear
    least-squares fit), and ``spearman``, the rank correlation (monotone,
    not only linear effects). Rows are sorted by ``|src|``; constant
    parameters get NaN. Invalid points are dropped.
    """
    data = frame.loc[np.isfinite(frame[target].to_numpy(dtype=float)), [*names, target]]
    y = data[target].to_numpy(dtype=float)
    X = data[list(names)].to_numpy(dtype=float)
    src = np.full(len(names), np.nan)
    spearman = np.full(len(names), np.nan)
    if len(y) >= 3:
        sx = X.std(axis=0)
        sy = y.std()
        live = sx > 0
        if sy > 0 and live.any():
            Z = (X[:, live] - X[:, live].mean(axis=0)) / sx[live]
            coef, *_ = np.linalg.lstsq(Z, (y - y.mean()) / sy, rcond=None)
            src[live] = coef
            ranks = data.rank()
            corr = ranks.corr()[target]
            spearman = np.where(live, corr[list(names)].to_numpy(dtype=float), np.nan)
        elif live.any():
            src[live] = 0.0
            spearman[live] = 0.0
    import pandas as pd

    out = pd.DataFrame({"parameter": list(names), "src": src, "spearman": spearman})
    order = np.argsort(-np.nan_to_num(np.abs(src), nan=-1.0), kind="stable")
    return out.iloc[order].reset_index(drop=True)
