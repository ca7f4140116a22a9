"""The points of a sweep: a deterministic design built from a spec and its seed.

Every coordinate is drawn in the unit interval and mapped through the inverse
CDF of its parameter's distribution, truncated to the parameter's range, so
the same spec and seed always give the same points, in the same order,
whatever the chunk size or executor that later evaluates them.

The Sobol sampler builds Saltelli's design for variance-based sensitivity:
from a scrambled Sobol sequence of dimension 2k it takes matrices A and B
(N rows each) and, for each parameter i, the matrix AB_i (A with column i
from B); the points are A, B, AB_1, ..., AB_k in that order (N·(k+2) rows).

References
----------
Saltelli, A., Annoni, P., Azzini, I., Campolongo, F., Ratto, M., &
Tarantola, S. (2010). Variance based sensitivity analysis of model output.
Design and estimator for the total sensitivity index. *Computer Physics
Communications* 181(2): 259–270.
McKay, M. D., Beckman, R. J., & Conover, W. J. (1979). *Technometrics* 21(2).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from scipy import stats
from scipy.stats import qmc

from sim.scenario.sweep_spec import Distribution, GridRange, SweepSpec, ValueList, Varied
from sim.sweep.sampling import unit_points

__all__ = ["Axis", "Design", "build_design", "axis_ppf"]


@dataclass(frozen=True)
class Axis:
    """A varied parameter with its admissible range."""

    name: str
    lo: float
    hi: float
    spec: Varied


@dataclass(frozen=True)
class Design:
    """The sweep's points.

    ``columns[name]`` holds each varied parameter's values (length
    ``n_points``); ``block`` labels Saltelli blocks (``"A"``, ``"B"``,
    ``"AB:<name>"``) for the Sobol sampler and is ``None`` otherwise.
    """

    names: tuple[str, ...]
    columns: Mapping[str, np.ndarray]
    block: np.ndarray | None
    base_n: int

    @property
    def n_points(self) -> int:
        return int(len(next(iter(self.columns.values()))))


def axis_ppf(axis: Axis, u: np.ndarray) -> np.ndarray:
    """Map unit-interval draws to values of ``axis`` (inverse CDF, truncated)."""
    spec = axis.spec
    if isinstance(spec, ValueList):
        values = np.asarray(spec.values, dtype=float)
        idx = np.minimum((u * len(values)).astype(np.int64), len(values) - 1)
        return values[idx]
    if not isinstance(spec, Distribution):
        raise TypeError(f"{axis.name}: a grid cannot be sampled at random")
    lo = axis.lo if spec.min is None else spec.min
    hi = axis.hi if spec.max is None else spec.max
    if spec.dist == "uniform":
        return lo + u * (hi - lo)
    if spec.dist == "beta":
        return lo + (hi - lo) * stats.beta.ppf(u, spec.a, spec.b)
    if spec.dist == "triangular":
        c = (float(spec.mode) - lo) / (hi - lo)  # type: ignore[arg-type]
        return np.asarray(stats.triang.ppf(u, c, loc=lo, scale=hi - lo))
    # normal, truncated to [lo, hi]
    a = (lo - float(spec.mean)) / float(spec.sd)  # type: ignore[arg-type]
    b = (hi - float(spec.mean)) / float(spec.sd)  # type: ignore[arg-type]
    return np.asarray(stats.truncnorm.ppf(u, a, b, loc=spec.mean, scale=spec.sd))


def _grid_values(axis: Axis) -> np.ndarray:
    spec = axis.spec
    if isinstance(spec, GridRange):
        lo, hi, n = spec.bounds()
        return np.linspace(lo, hi, n)
    if isinstance(spec, ValueList):
        return np.asarray(spec.values, dtype=float)
    raise TypeError(f"{axis.name}: a distribution cannot be laid on a grid")


def build_design(spec: SweepSpec, axes: list[Axis]) -> Design:
    """The deterministic points of ``spec`` over ``axes`` (in ``spec.varied`` order)."""
    names = tuple(a.name for a in axes)
    k = len(axes)
    rng = np.random.default_rng(spec.seed)
    if spec.sampler == "grid":
        grids = [_grid_values(a) for a in axes]
        mesh = np.meshgrid(*grids, indexing="ij")
        cols = {n: m.reshape(-1).astype(float) for n, m in zip(names, mesh, strict=True)}
        return Design(names, cols, None, int(mesh[0].size))
    if spec.sampler == "sobol":
        return _saltelli(spec, axes, rng)
    u = unit_points(spec.sampler, k, spec.n, rng)
    cols = {a.name: axis_ppf(a, u[:, j]) for j, a in enumerate(axes)}
    return Design(names, cols, None, spec.n)


def _saltelli(spec: SweepSpec, axes: list[Axis], rng: np.random.Generator) -> Design:
    k, n = len(axes), spec.n
    base = qmc.Sobol(d=2 * k, scramble=True, rng=rng).random(n)
    a_mat, b_mat = base[:, :k], base[:, k:]
    blocks = [a_mat, b_mat]
    labels = ["A", "B"]
    for i, axis in enumerate(axes):
        ab = a_mat.copy()
        ab[:, i] = b_mat[:, i]
        blocks.append(ab)
        labels.append(f"AB:{axis.name}")
    u = np.vstack(blocks)
    cols = {a.name: axis_ppf(a, u[:, j]) for j, a in enumerate(axes)}
    block = np.repeat(np.asarray(labels, dtype=object), n)
    return Design(tuple(a.name for a in axes), cols, block, n)
