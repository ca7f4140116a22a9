"""Sampling parameter points for sweeps: grid, random and Latin hypercube.

Every sampler draws points in the unit cube and maps each coordinate through
the inverse CDF of its parameter's distribution, so the three designs share
one notion of a varied parameter. Randomness comes only from an explicit
``seed`` (an integer or a :class:`numpy.random.Generator`).

References
----------
McKay, M. D., Beckman, R. J., & Conover, W. J. (1979). A comparison of three
methods for selecting values of input variables in the analysis of output
from a computer code. *Technometrics* 21(2): 239–245 (Latin hypercube).
SciPy documentation, ``scipy.stats.qmc.LatinHypercube``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from scipy.stats import qmc

__all__ = ["SAMPLERS", "DISTRIBUTIONS", "Varied", "unit_points", "sample"]

#: Sampling designs.
SAMPLERS: tuple[str, ...] = ("grid", "random", "lhs")
#: Distributions a varied parameter may follow on its range.
DISTRIBUTIONS: tuple[str, ...] = ("uniform", "triangular")

Sampler = Literal["grid", "random", "lhs"]


@dataclass(frozen=True)
class Varied:
    """A parameter varied over ``[lo, hi]``.

    Attributes
    ----------
    name
        Model parameter name.
    lo, hi
        Range (``lo <= hi``; equal bounds fix the parameter).
    dist
        ``"uniform"`` or ``"triangular"`` (peak at ``mode``).
    mode
        Peak of the triangular distribution; the midpoint if ``None``.
    integer
        Round sampled values to whole numbers (integer parameters).
    """

    name: str
    lo: float
    hi: float
    dist: Literal["uniform", "triangular"] = "uniform"
    mode: float | None = None
    integer: bool = False

    def __post_init__(self) -> None:
        if not (math.isfinite(self.lo) and math.isfinite(self.hi)) or self.lo > self.hi:
            raise ValueError(f"{self.name}: invalid range [{self.lo:g}, {self.hi:g}]")
        if self.dist not in DISTRIBUTIONS:
            raise ValueError(f"{self.name}: unknown distribution {self.dist!r}; "
                             f"choose one of {', '.join(DISTRIBUTIONS)}")
        if self.mode is not None and not self.lo <= self.mode <= self.hi:
            raise ValueError(f"{self.name}: mode {self.mode:g} is outside "
                             f"[{self.lo:g}, {self.hi:g}]")

    def ppf(self, u: np.ndarray) -> np.ndarray:
        """Map unit-interval points to parameter values (inverse CDF)."""
        width = self.hi - self.lo
        if self.dist == "uniform" or width == 0.0:
            x = self.lo + u * width
        else:
            # Inverse CDF of the triangular distribution on [lo, hi] with peak c.
            c = (self.mode if self.mode is not None else 0.5 * (self.lo + self.hi))
            f = (c - self.lo) / width
            left = self.lo + np.sqrt(u * width * (c - self.lo))
            right = self.hi - np.sqrt((1.0 - u) * width * (self.hi - c))
            x = np.where(u < f, left, right)
        if self.integer:
            x = np.round(x)
        return np.clip(x, self.lo, self.hi)


def _generator(seed: int | np.random.Generator | None) -> np.random.Generator:
    return seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)


def unit_points(sampler: Sampler, d: int, n: int,
                seed: int | np.random.Generator | None = 0) -> np.ndarray:
    """Points of the unit cube ``[0, 1]^d``, shape ``(m, d)``.

    ``grid`` uses ``k = max(2, round(n ** (1/d)))`` evenly spaced levels per
    dimension, endpoints included, so it returns ``k**d`` points (close to
    ``n``); ``random`` and ``lhs`` return exactly ``n`` points.
    """
    if d < 1:
        raise ValueError("vary at least one parameter")
    if n < 1:
        raise ValueError("the sample size must be at least 1")
    if sampler == "grid":
        k = max(2, round(n ** (1.0 / d)))
        axes = np.meshgrid(*[np.linspace(0.0, 1.0, k)] * d, indexing="ij")
        return np.stack([a.reshape(-1) for a in axes], axis=1)
    if sampler == "random":
        return _generator(seed).random((n, d))
    if sampler == "lhs":
        return qmc.LatinHypercube(d=d, rng=_generator(seed)).random(n)
    raise ValueError(f"unknown sampler {sampler!r}; choose one of {', '.join(SAMPLERS)}")


def sample(varied: Sequence[Varied], sampler: Sampler, n: int,
           seed: int | np.random.Generator | None = 0) -> dict[str, np.ndarray]:
    """Sampled values of each varied parameter, as columns of equal length."""
    names = [v.name for v in varied]
    if len(set(names)) != len(names):
        raise ValueError("a parameter is varied twice")
    u = unit_points(sampler, len(varied), n, seed)
    return {v.name: v.ppf(u[:, j]) for j, v in enumerate(varied)}
