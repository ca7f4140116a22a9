"""Bargaining solutions over a unit pie (models.md §4).

* Nash (1950) bargaining solution, symmetric and generalised (asymmetric,
  weight ``alpha`` on player 1): ``x`` maximises
  ``(u1(x) - d1)^alpha * (u2(1 - x) - d2)^(1 - alpha)`` over the individually
  rational set. Linear utilities give ``x = d1 + alpha (1 - d1 - d2)``;
  concave ones are solved by bounded scalar maximisation.
* Kalai & Smorodinsky (1975): the Pareto point on the segment from the
  disagreement point to the ideal point (each player's best IR utility).
* Rubinstein (1982) alternating offers: ``x1 = (1 - d2) / (1 - d1 d2)``; with
  war as a responder's outside option (Binmore, Shaked & Sutton 1989;
  Osborne & Rubinstein 1990, §3.12) the stationary SPE solves
  ``M1 = 1 - max(w2, d2 M2)``, ``M2 = 1 - max(w1, d1 M1)``, a contraction.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy.optimize import brentq, minimize_scalar

from sim.games.errors import GameError

__all__ = [
    "BargainingResult",
    "nash_bargaining_solve",
    "kalai_smorodinsky_solve",
    "rubinstein_solve",
    "power_utility",
]

Utility = Callable[[float], float]


@dataclass(frozen=True)
class BargainingResult:
    """A bargaining solution.

    Attributes
    ----------
    method
        ``"nash"``, ``"kalai_smorodinsky"`` or ``"rubinstein"``.
    parameters
        The inputs.
    x1, x2
        Shares of the pie (``x2 = 1 - x1``).
    u1, u2
        Utilities at the solution.
    binding
        Which constraint binds: ``"none"``, ``"outside_option_1"``,
        ``"outside_option_2"``, ``"both"``, ``"corner"`` (a share at 0 or 1)
        or ``"empty"`` (no individually rational agreement).
    notes
        Remarks (closed form or numerical method used, ...).
    """

    method: str
    parameters: Mapping[str, Any]
    x1: float
    x2: float
    u1: float
    u2: float
    binding: str = "none"
    notes: tuple[str, ...] = ()
    extra: Mapping[str, Any] = field(default_factory=dict)


def power_utility(r: float) -> Utility:
    """``u(z) = z ** r`` (risk averse for ``r < 1``), as in models.md §0."""
    if r <= 0:
        raise GameError(f"utility exponent must be positive, got {r}")
    return lambda z: float(max(z, 0.0)) ** r


def _ir_interval(u1: Utility, u2: Utility, d1: float, d2: float) -> tuple[float, float] | None:
    """Shares x with u1(x) >= d1 and u2(1-x) >= d2, for increasing utilities."""
    if u1(1.0) < d1 or u2(1.0) < d2:
        return None
    lo = 0.0 if u1(0.0) >= d1 else brentq(lambda x: u1(x) - d1, 0.0, 1.0, xtol=1e-15)
    hi = 1.0 if u2(0.0) >= d2 else 1.0 - brentq(lambda y: u2(y) - d2, 0.0, 1.0, xtol=1e-15)
    return (lo, hi) if lo <= hi + 1e-15 else None


def nash_bargaining_solve(
    d1: float,
    d2: float,
    alpha: float = 0.5,
    u1: Utility | None = None,
    u2: Utility | None = None,
) -> BargainingResult:
    """The (generalised) Nash bargaining solution of dividing a unit pie.

    Parameters
    ----------
    d1, d2
        Disagreement utilities (war payoffs ``p - c1``, ``1 - p - c2``).
    alpha
        Bargaining weight of player 1 (0.5 gives the symmetric NBS).
    u1, u2
        Increasing utilities of one's own share; linear when omitted.

    Returns
    -------
    BargainingResult
        ``binding="empty"`` (and NaN shares) when no agreement beats
        disagreement for both.
    """
    if not 0 <= alpha <= 1:
        raise GameError(f"alpha must be in [0, 1], got {alpha}")
    params = {"d1": d1, "d2": d2, "alpha": alpha, "linear": u1 is None and u2 is None}
    if u1 is None and u2 is None:
        if d1 + d2 > 1:
            return _empty("nash", params)
        x = d1 + alpha * (1 - d1 - d2)
        x_clip = float(np.clip(x, 0.0, 1.0))
        binding = "corner" if x_clip != x or x_clip in (0.0, 1.0) else "none"
        return BargainingResult("nash", params, x_clip, 1 - x_clip, x_clip, 1 - x_clip, binding,
                                ("closed form x = d1 + alpha (1 - d1 - d2)",))
    f1 = u1 or (lambda z: z)
    f2 = u2 or (lambda z: z)
    ir = _ir_interval(f1, f2, d1, d2)
    if ir is None:
        return _empty("nash", params)
    lo, hi = ir
    if hi - lo < 1e-14:
        x = (lo + hi) / 2
        return BargainingResult("nash", params, x, 1 - x, f1(x), f2(1 - x), "corner",
                                ("the individually rational set is a single point",))

    def neg_log_product(x: float) -> float:
        g1, g2 = f1(x) - d1, f2(1 - x) - d2
        if g1 <= 0 or g2 <= 0:
            return np.inf
        return -(alpha * np.log(g1) + (1 - alpha) * np.log(g2))

    res = minimize_scalar(neg_log_product, bounds=(lo, hi), method="bounded",
                          options={"xatol": 1e-12})
    x = float(res.x)
    return BargainingResult("nash", params, x, 1 - x, f1(x), f2(1 - x), "none",
                            ("bounded scalar maximisation of the log Nash product",))


def kalai_smorodinsky_solve(
    d1: float, d2: float, u1: Utility | None = None, u2: Utility | None = None
) -> BargainingResult:
    """The Kalai–Smorodinsky solution: equal fractions of each ideal gain.

    The ideal utility of player ``i`` is its best individually rational
    utility; the solution is the share at which
    ``(u1 - d1)/(I1 - d1) = (u2 - d2)/(I2 - d2)`` on the Pareto frontier.
    """
    params = {"d1": d1, "d2": d2, "linear": u1 is None and u2 is None}
    f1 = u1 or (lambda z: z)
    f2 = u2 or (lambda z: z)
    ir = _ir_interval(f1, f2, d1, d2)
    if ir is None:
        return _empty("kalai_smorodinsky", params)
    lo, hi = ir
    i1, i2 = f1(hi) - d1, f2(1 - lo) - d2
    if i1 <= 0 or i2 <= 0:
        x = (lo + hi) / 2
        return BargainingResult("kalai_smorodinsky", params, x, 1 - x, f1(x), f2(1 - x), "corner")

    def gap(x: float) -> float:
        return (f1(x) - d1) / i1 - (f2(1 - x) - d2) / i2

    x = float(brentq(gap, lo, hi, xtol=1e-15))
    return BargainingResult("kalai_smorodinsky", params, x, 1 - x, f1(x), f2(1 - x), "none",
                            (f"ideal gains ({i1:.6g}, {i2:.6g})",))


def rubinstein_solve(
    delta_1: float,
    delta_2: float,
    outside_options: tuple[float, float] | None = None,
    *,
    tol: float = 1e-15,
    max_iter: int = 100_000,
) -> BargainingResult:
    """Rubinstein's alternating-offers SPE share of the first proposer.

    Parameters
    ----------
    delta_1, delta_2
        Discount factors in [0, 1), at least one below 1.
    outside_options
        ``(w1, w2)``: payoff of opting out (war) as a responder (responder-only
        opt-out, Binmore, Shaked & Sutton 1989). ``None``: no options.

    Returns
    -------
    BargainingResult
        ``x1 = M1``; ``binding`` names the outside options that bind
        (``w2 > delta_2 M2`` binds player 2's, ``w1 > delta_1 M1`` player 1's).

    Examples
    --------
    Patient Russia's share (models.md §4b), capped by the West's war option:

    >>> round(rubinstein_solve(0.95, 0.8).x1, 4)
    0.8333
    >>> res = rubinstein_solve(0.95, 0.8, outside_options=(0.3, 0.3))
    >>> round(res.x1, 10), res.binding
    (0.7, 'outside_option_2')
    """
    for name, d in (("delta_1", delta_1), ("delta_2", delta_2)):
        if not 0 <= d <= 1:
            raise GameError(f"{name} must be in [0, 1], got {d}")
    if delta_1 * delta_2 >= 1:
        raise GameError("at least one discount factor must be below 1")
    base = (1 - delta_2) / (1 - delta_1 * delta_2)
    params: dict[str, Any] = {"delta_1": delta_1, "delta_2": delta_2,
                              "outside_options": outside_options}
    if outside_options is None:
        return BargainingResult("rubinstein", params, base, 1 - base, base, 1 - base, "none",
                                ("closed form x1 = (1 - d2) / (1 - d1 d2)",),
                                {"x1_without_options": base})
    w1, w2 = outside_options
    m1, m2 = base, (1 - delta_1) / (1 - delta_1 * delta_2)
    for _ in range(max_iter):
        n1 = 1 - max(w2, delta_2 * m2)
        n2 = 1 - max(w1, delta_1 * n1)
        done = abs(n1 - m1) <= tol and abs(n2 - m2) <= tol
        m1, m2 = n1, n2
        if done:
            break
    else:
        raise GameError("outside-option iteration did not converge")
    b2 = w2 > delta_2 * m2
    b1 = w1 > delta_1 * m1
    binding = "both" if b1 and b2 else "outside_option_2" if b2 else (
        "outside_option_1" if b1 else "none")
    notes: tuple[str, ...] = (
        "stationary contraction M1 = 1 - max(w2, d2 M2), M2 = 1 - max(w1, d1 M1)",
    )
    if m1 < 0 or m1 > 1:
        notes += ("no agreement share satisfies both options: opting out beats the pie",)
    return BargainingResult("rubinstein", params, m1, 1 - m1, m1, 1 - m1, binding, notes,
                            {"x1_without_options": base, "M2": m2, "w1": w1, "w2": w2,
                             "option_1_binding": b1, "option_2_binding": b2})


def _empty(method: str, params: Mapping[str, Any]) -> BargainingResult:
    nan = float("nan")
    return BargainingResult(method, params, nan, nan, nan, nan, "empty",
                            ("no agreement gives both players at least their disagreement payoff",))
