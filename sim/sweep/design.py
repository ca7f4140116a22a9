"""The points of a sweep: a deterministic design, generated chunk by chunk.

Every coordinate is drawn in the unit interval and mapped through the inverse
CDF of its parameter's distribution, truncated to the parameter's range. A
design never holds all its points: :meth:`Design.chunk` computes the rows
``[start, stop)`` directly from the spec and seed, so memory is bounded by the
chunk size whatever the sample size, and the same spec and seed give the same
points, in the same order, whatever the chunk size or executor.

How each sampler addresses a row without generating the ones before it:

* ``grid``: the row index is unravelled into one index per axis (C order).
* ``random``: row ``i`` is draws ``i·k … i·k + k - 1`` of a PCG64 stream,
  reached with the generator's ``advance`` (a jump, not a loop).
* ``lhs``: in each dimension the stratum of row ``i`` is ``π_j(i)`` for a
  keyed pseudo-random permutation ``π_j`` of ``0 … n-1`` (a Feistel network
  with cycle walking, Black & Rogaway 2002), jittered inside the stratum by a
  PCG64 stream addressed as for ``random``. Each stratum of each dimension
  holds exactly one point, as in McKay et al. (1979).
* ``sobol``: Saltelli's design. From a scrambled Sobol sequence of dimension
  2k it takes matrices A and B (N rows each) and, for each parameter i, AB_i
  (A with column i from B); the points are A, B, AB_1, …, AB_k in that order
  (N·(k+2) rows). Rows of the base sequence are reached with
  ``fast_forward``.

References
----------
Saltelli, A., Annoni, P., Azzini, I., Campolongo, F., Ratto, M., &
Tarantola, S. (2010). Variance based sensitivity analysis of model output.
Design and estimator for the total sensitivity index. *Computer Physics
Communications* 181(2): 259–270.
McKay, M. D., Beckman, R. J., & Conover, W. J. (1979). A comparison of three
methods for selecting values of input variables in the analysis of output
from a computer code. *Technometrics* 21(2): 239–245.
Black, J., & Rogaway, P. (2002). Ciphers with arbitrary finite domains.
*CT-RSA 2002*, LNCS 2271: 114–130 (cycle walking).
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from sim.scenario.sweep_spec import (
    MAX_GRID_POINTS,
    Distribution,
    GridRange,
    SweepSpec,
    ValueList,
    Varied,
)

__all__ = ["Axis", "Chunk", "Design", "build_design", "axis_ppf", "MAX_GRID_POINTS",
           "DesignTooLarge", "lhs_permutation"]

_FEISTEL_ROUNDS = 6
_MASK64 = np.uint64(0xFFFFFFFFFFFFFFFF)


class DesignTooLarge(ValueError):
    """A design has more points than the caller allows."""


@dataclass(frozen=True)
class Axis:
    """A varied parameter with its admissible range.

    ``integer`` axes (integer model parameters) have their values rounded to
    whole numbers.
    """

    name: str
    lo: float
    hi: float
    spec: Varied
    integer: bool = False


@dataclass(frozen=True)
class Chunk:
    """Rows ``[start, start + len)`` of a design.

    ``columns[name]`` holds each varied parameter's values; ``block`` holds
    Saltelli block codes (indices into :attr:`Design.block_labels`) for the
    Sobol sampler and is ``None`` otherwise.
    """

    start: int
    columns: Mapping[str, np.ndarray]
    block: np.ndarray | None

    def __len__(self) -> int:
        return int(len(next(iter(self.columns.values()))))


@dataclass(frozen=True)
class Design:
    """A sweep's points, described by its spec; rows are computed on demand."""

    names: tuple[str, ...]
    axes: tuple[Axis, ...]
    sampler: str
    seed: int
    base_n: int
    n_points: int
    grid_sizes: tuple[int, ...] = ()

    @property
    def block_labels(self) -> tuple[str, ...]:
        """Saltelli block names (``A``, ``B``, ``AB:<name>``); empty unless Sobol."""
        if self.sampler != "sobol":
            return ()
        return ("A", "B", *(f"AB:{n}" for n in self.names))

    def chunk(self, start: int, stop: int) -> Chunk:
        """The rows ``[start, stop)``; memory is proportional to ``stop - start``."""
        if not 0 <= start <= stop <= self.n_points:
            raise IndexError(f"rows [{start}, {stop}) outside a design of {self.n_points}")
        block = None
        if self.sampler == "grid":
            cols = self._grid(start, stop)
        elif self.sampler == "sobol":
            u, block = self._saltelli(start, stop)
            cols = {a.name: axis_ppf(a, u[:, j]) for j, a in enumerate(self.axes)}
        else:
            u = self._lhs(start, stop) if self.sampler == "lhs" else self._random(start, stop)
            cols = {a.name: axis_ppf(a, u[:, j]) for j, a in enumerate(self.axes)}
        for a in self.axes:
            if a.integer:
                cols[a.name] = np.clip(np.round(cols[a.name]), np.ceil(a.lo), np.floor(a.hi))
        return Chunk(start, cols, block)

    def all(self) -> Chunk:
        """Every row at once (for small designs only)."""
        return self.chunk(0, self.n_points)

    # -- samplers ---------------------------------------------------------------
    def _grid(self, start: int, stop: int) -> dict[str, np.ndarray]:
        idx = np.unravel_index(np.arange(start, stop, dtype=np.int64), self.grid_sizes)
        return {a.name: _grid_value(a, i) for a, i in zip(self.axes, idx, strict=True)}

    def _streams(self) -> tuple[np.random.SeedSequence, np.random.SeedSequence]:
        jitter, keys = np.random.SeedSequence(self.seed).spawn(2)
        return jitter, keys

    def _random(self, start: int, stop: int) -> np.ndarray:
        k = len(self.axes)
        bits = np.random.PCG64(self.seed)
        bits.advance(start * k)
        return np.random.Generator(bits).random((stop - start, k))

    def _lhs(self, start: int, stop: int) -> np.ndarray:
        k, n = len(self.axes), self.base_n
        jitter_seq, key_seq = self._streams()
        bits = np.random.PCG64(jitter_seq)
        bits.advance(start * k)
        u = np.random.Generator(bits).random((stop - start, k))
        keys = key_seq.generate_state(k * _FEISTEL_ROUNDS, np.uint64).reshape(k, -1)
        rows = np.arange(start, stop, dtype=np.uint64)
        for j in range(k):
            u[:, j] = (lhs_permutation(rows, n, keys[j]).astype(float) + u[:, j]) / n
        return u

    def _saltelli(self, start: int, stop: int) -> tuple[np.ndarray, np.ndarray]:
        k, n = len(self.axes), self.base_n
        out = np.empty((stop - start, k))
        block = np.empty(stop - start, dtype=np.int8)
        row = start
        while row < stop:
            b, r0 = divmod(row, n)
            r1 = min(n, r0 + (stop - row))
            from scipy.stats import qmc

            engine = qmc.Sobol(d=2 * k, scramble=True, rng=np.random.default_rng(self.seed))
            if r0:
                engine.fast_forward(r0)
            with warnings.catch_warnings():
                # chunks need not be powers of two; the full design's N is one
                warnings.simplefilter("ignore", UserWarning)
                base = engine.random(r1 - r0)
            a_mat, b_mat = base[:, :k], base[:, k:]
            if b == 0:
                part = a_mat
            elif b == 1:
                part = b_mat
            else:
                part = a_mat.copy()
                part[:, b - 2] = b_mat[:, b - 2]
            lo = row - start
            out[lo:lo + (r1 - r0)] = part
            block[lo:lo + (r1 - r0)] = b
            row += r1 - r0
        return out, block


def _mix(x: np.ndarray, key: np.uint64) -> np.ndarray:
    """SplitMix64's finaliser of ``x ^ key`` (wrapping uint64 arithmetic)."""
    z = (x ^ key) * np.uint64(0xBF58476D1CE4E5B9)
    z ^= z >> np.uint64(31)
    z *= np.uint64(0x94D049BB133111EB)
    z ^= z >> np.uint64(29)
    return z


def lhs_permutation(rows: np.ndarray, n: int, keys: np.ndarray) -> np.ndarray:
    """``π(rows)`` for a keyed bijection ``π`` of ``0 … n-1`` (uint64 in, uint64 out).

    A balanced Feistel network permutes ``0 … 4^h - 1`` (the smallest such
    power at least ``n``); values that land outside ``[0, n)`` are sent
    through the network again until they land inside (cycle walking), which
    restricts the bijection to ``[0, n)``.
    """
    half = max(1, math.ceil(math.log2(max(n, 2)) / 2))
    shift = np.uint64(half)
    mask = np.uint64((1 << half) - 1)
    limit = np.uint64(n)
    with np.errstate(over="ignore"):
        x = rows.astype(np.uint64, copy=True)
        outside = np.ones(len(x), dtype=bool)  # rows still outside [0, n): walk the cycle on
        while outside.any():
            y = x[outside]
            left, right = y >> shift, y & mask
            for key in keys:
                left, right = right, left ^ (_mix(right, key) & mask)
            y = (left << shift) | right
            x[outside] = y
            outside[outside] = y >= limit
    return x


def axis_ppf(axis: Axis, u: np.ndarray) -> np.ndarray:
    """Map unit-interval draws to values of ``axis`` (inverse CDF, truncated)."""
    spec = axis.spec
    if isinstance(spec, ValueList):
        values = np.asarray(spec.values, dtype=float)
        idx = np.minimum((u * len(values)).astype(np.int64), len(values) - 1)
        return values[idx]
    if not isinstance(spec, Distribution):
        raise TypeError(f"{axis.name}: a grid cannot be sampled at random")
    lo, hi = distribution_bounds(axis)
    if spec.dist == "uniform":
        return lo + u * (hi - lo)
    from scipy import stats  # only for the non-uniform distributions

    if spec.dist == "beta":
        return lo + (hi - lo) * stats.beta.ppf(u, spec.a, spec.b)
    if spec.dist == "triangular":
        c = (float(spec.mode) - lo) / (hi - lo)  # type: ignore[arg-type]
        return np.asarray(stats.triang.ppf(u, c, loc=lo, scale=hi - lo))
    # normal, truncated to [lo, hi]
    a = (lo - float(spec.mean)) / float(spec.sd)  # type: ignore[arg-type]
    b = (hi - float(spec.mean)) / float(spec.sd)  # type: ignore[arg-type]
    return np.asarray(stats.truncnorm.ppf(u, a, b, loc=spec.mean, scale=spec.sd))


def distribution_bounds(axis: Axis) -> tuple[float, float]:
    """The interval a distribution axis is drawn on: ``[min, max]`` or the range."""
    spec = axis.spec
    assert isinstance(spec, Distribution)
    lo = axis.lo if spec.min is None else float(spec.min)
    hi = axis.hi if spec.max is None else float(spec.max)
    return lo, hi


def _grid_value(axis: Axis, index: np.ndarray) -> np.ndarray:
    spec = axis.spec
    if isinstance(spec, ValueList):
        return np.asarray(spec.values, dtype=float)[index]
    if isinstance(spec, GridRange):
        lo, hi, n = spec.bounds()
        if n == 1:
            return np.full(len(index), lo)
        # the values of np.linspace(lo, hi, n), computed per index
        x = lo + index * ((hi - lo) / (n - 1))
        return np.where(index == n - 1, hi, x)
    raise TypeError(f"{axis.name}: a distribution cannot be laid on a grid")


def _axis_size(axis: Axis) -> int:
    spec = axis.spec
    if isinstance(spec, GridRange):
        return spec.bounds()[2]
    if isinstance(spec, ValueList):
        return len(spec.values)
    raise TypeError(f"{axis.name}: a distribution cannot be laid on a grid")


def build_design(spec: SweepSpec, axes: list[Axis] | tuple[Axis, ...],
                 max_grid_points: int = MAX_GRID_POINTS) -> Design:
    """The design of ``spec`` over ``axes`` (in ``spec.varied`` order); no point is built.

    Raises
    ------
    DesignTooLarge
        If a grid has more than ``max_grid_points`` points.
    """
    axes = tuple(axes)
    names = tuple(a.name for a in axes)
    k = len(axes)
    if spec.sampler == "grid":
        sizes = tuple(_axis_size(a) for a in axes)
        total = math.prod(sizes)
        if total > max_grid_points:
            shape = " × ".join(f"{s:,}" for s in sizes)
            raise DesignTooLarge(
                f"the grid has {total:,} points ({shape}), above the limit of "
                f"{max_grid_points:,}; use fewer grid values, or raise the limit with "
                "--max-grid-points")
        return Design(names, axes, "grid", spec.seed, total, total, sizes)
    if spec.sampler == "sobol":
        return Design(names, axes, "sobol", spec.seed, spec.n, spec.n * (k + 2))
    return Design(names, axes, spec.sampler, spec.seed, spec.n, spec.n)
