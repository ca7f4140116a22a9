"""Rubinstein bargaining, war as an outside option, and the Nash solution.

Vectorised closed forms of docs/models/rubinstein.md:

* Rubinstein (1982), *Econometrica* 50(1), Theorem: the proposer's share
  ``(1 - d2) / (1 - d1 d2)``;
* the outside-option principle (Binmore, Shaked & Sutton 1989; Osborne &
  Rubinstein 1990, §3.12): responders may opt out to war;
* the (asymmetric) Nash bargaining solution (Nash 1950; Kalai 1977) with the
  war payoffs as disagreement point, solved for concave power utilities by
  bisection on the derivative of the strictly concave log Nash product;
* the Kalai & Smorodinsky (1975) solution: the Pareto point on the segment
  from the disagreement point to the ideal point.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from sim.kernels.tolerance import BOUNDARY_TOL

__all__ = ["rubinstein_share", "outside_option_shares", "OO_REGIMES", "nash_share",
           "kalai_smorodinsky_share"]


#: Regime names of :func:`outside_option_shares`, indexed by its codes.
OO_REGIMES: tuple[str, ...] = ("no_option_binds", "option_2_binds", "option_1_binds",
                               "both_bind")


def rubinstein_share(d1: npt.ArrayLike, d2: npt.ArrayLike) -> np.ndarray:
    """Share of the first proposer in Rubinstein's unique SPE: ``(1-d2)/(1-d1 d2)``."""
    d1 = np.asarray(d1, dtype=float)
    d2 = np.asarray(d2, dtype=float)
    return (1.0 - d2) / (1.0 - d1 * d2)


def outside_option_shares(
    d1: npt.ArrayLike, d2: npt.ArrayLike, w1: npt.ArrayLike, w2: npt.ArrayLike,
) -> dict[str, np.ndarray]:
    """Stationary SPE with responders able to opt out to war payoffs ``(w1, w2)``.

    ``M1 = 1 - max(w2, d2 M2)`` and ``M2 = 1 - max(w1, d1 M1)``
    (docs/models/rubinstein_outside_option.md)
    is a contraction with modulus ``d1 d2`` and so has a unique fixed point;
    each of its four linear pieces is solved in closed form and the one whose
    conditions hold is kept:

    ============== ==================== ==========================
    regime          M1                   M2
    ============== ==================== ==========================
    neither binds   (1-d2)/(1-d1 d2)     (1-d1)/(1-d1 d2)
    only 2 binds    1 - w2               1 - d1 (1 - w2)
    only 1 binds    1 - d2 (1 - w1)      1 - w1
    both bind       1 - w2               1 - w1
    ============== ==================== ==========================

    An option binds when it is strictly better than continuing to bargain.

    Returns
    -------
    dict of arrays
        ``x1`` (= ``M1``, player 1's share; agreement is immediate), ``M2``,
        ``regime`` (code into ``OO_REGIMES``), ``binding_1``, ``binding_2``,
        ``margin_1`` = ``w1 - d1 M1``, ``margin_2`` = ``w2 - d2 M2``,
        ``rubinstein`` (the share without options) and ``boundary``.
    """
    d1, d2, w1, w2 = (np.asarray(a, dtype=float) for a in np.broadcast_arrays(d1, d2, w1, w2))
    den = 1.0 - d1 * d2
    cand = (
        ((1.0 - d2) / den, (1.0 - d1) / den),
        (1.0 - w2, 1.0 - d1 * (1.0 - w2)),
        (1.0 - d2 * (1.0 - w1), 1.0 - w1),
        (1.0 - w2, 1.0 - w1),
    )
    m1 = np.empty_like(d1)
    m2 = np.empty_like(d1)
    regime = np.full(d1.shape, -1, dtype=np.int64)
    for code, (c1, c2) in enumerate(cand):
        b2 = w2 > d2 * c2
        b1 = w1 > d1 * c1
        want = (b2 == (code in (1, 3))) & (b1 == (code in (2, 3)))
        ok = want & (regime < 0)
        m1[ok] = c1[ok]
        m2[ok] = c2[ok]
        regime[ok] = code
    # The four pieces partition parameter space up to ties at a kink, where
    # neighbouring pieces agree; fall back to iterating the map there.
    left = regime < 0
    if left.any():
        a1, a2 = _iterate(d1[left], d2[left], w1[left], w2[left])
        m1[left] = a1
        m2[left] = a2
        regime[left] = np.where(w2[left] > d2[left] * a2, 1, 0) + np.where(
            w1[left] > d1[left] * a1, 2, 0
        )
    margin_1 = w1 - d1 * m1
    margin_2 = w2 - d2 * m2
    return {
        "x1": m1,
        "M2": m2,
        "regime": regime,
        "binding_1": (regime == 2) | (regime == 3),
        "binding_2": (regime == 1) | (regime == 3),
        "margin_1": margin_1,
        "margin_2": margin_2,
        "rubinstein": (1.0 - d2) / den,
        "boundary": (np.abs(margin_1) <= BOUNDARY_TOL) | (np.abs(margin_2) <= BOUNDARY_TOL),
    }


def _iterate(
    d1: np.ndarray, d2: np.ndarray, w1: np.ndarray, w2: np.ndarray, steps: int = 100_000
) -> tuple[np.ndarray, np.ndarray]:
    m1 = np.ones_like(d1)
    m2 = np.ones_like(d1)
    for _ in range(steps):
        n1 = 1.0 - np.maximum(w2, d2 * m2)
        n2 = 1.0 - np.maximum(w1, d1 * m1)
        if np.all(np.abs(n1 - m1) + np.abs(n2 - m2) <= 1e-15):
            return n1, n2
        m1, m2 = n1, n2
    return m1, m2


def nash_share(
    d1: npt.ArrayLike, d2: npt.ArrayLike, alpha: npt.ArrayLike,
    r1: npt.ArrayLike = 1.0, r2: npt.ArrayLike = 1.0,
    lower: npt.ArrayLike | None = None, upper: npt.ArrayLike | None = None,
) -> np.ndarray:
    """Player 1's share in the asymmetric Nash bargaining solution.

    Maximises ``(u1(x) - d1)**alpha * (u2(1 - x) - d2)**(1 - alpha)`` over the
    bargaining range ``[lower, upper]`` (where both factors are non-negative),
    with ``u_i(z) = z**r_i``, ``0 < r_i <= 1`` (docs/models/nash_bargaining.md). With linear
    utilities this is ``d1 + alpha (1 - d1 - d2)``. Otherwise the log of the
    product is strictly concave on the range, so its derivative
    ``alpha u1'/(u1 - d1) - (1 - alpha) u2'/(u2 - d2)`` falls from ``+inf`` to
    ``-inf``; 64 bisection steps halve the range below double precision.
    """
    d1, d2, alpha, r1, r2 = (np.asarray(a, dtype=float)
                             for a in np.broadcast_arrays(d1, d2, alpha, r1, r2))
    lo = (np.maximum(d1, 0.0) ** (1.0 / r1) if lower is None
          else np.broadcast_to(np.asarray(lower, dtype=float), d1.shape).copy())
    hi = (1.0 - np.maximum(d2, 0.0) ** (1.0 / r2) if upper is None
          else np.broadcast_to(np.asarray(upper, dtype=float), d1.shape).copy())
    lo = np.clip(lo, 0.0, 1.0)
    hi = np.clip(hi, 0.0, 1.0)
    linear = (r1 == 1.0) & (r2 == 1.0)
    x = np.where(linear, np.clip(d1 + alpha * (1.0 - d1 - d2), lo, hi), np.nan)
    concave = ~linear
    if concave.any():
        c = concave
        x[c] = _nash_root(lo[c], hi[c], alpha[c], d1[c], d2[c], r1[c], r2[c])
    return x


def _nash_root(lo: np.ndarray, hi: np.ndarray, alpha: np.ndarray, d1: np.ndarray,
               d2: np.ndarray, r1: np.ndarray, r2: np.ndarray) -> np.ndarray:
    """Root of the log-Nash-product derivative on ``[lo, hi]``.

    Inside the range the derivative has the sign of
    ``h(x) = alpha r1 u1 (1 - x)(u2 - d2) - (1 - alpha) r2 u2 x (u1 - d1)``
    (multiply by the positive ``x (1 - x)(u1 - d1)(u2 - d2)``), which is finite
    everywhere and changes sign once. The bracket is closed by the
    Illinois variant of regula falsi (Dowell & Jarratt 1971; superlinear),
    iterating only on the points not yet converged, and falling back to
    bisection whenever the secant step leaves the bracket.
    """
    w1 = np.where(alpha > 0, alpha * r1, 0.0)
    w2 = np.where(alpha < 1, (1.0 - alpha) * r2, 0.0)
    out = 0.5 * (lo + hi)
    k = np.flatnonzero(hi - lo > 1e-14)
    # Parameters of the points still iterating, compacted as they converge.
    P = [w1[k], w2[k], d1[k], d2[k], r1[k], r2[k], lo[k], hi[k]]

    def h(x: np.ndarray) -> np.ndarray:
        c1, c2, e1, e2, q1, q2 = P[:6]
        u1 = x**q1
        u2 = (1.0 - x) ** q2
        return c1 * u1 * (1.0 - x) * (u2 - e2) - c2 * u2 * x * (u1 - e1)

    a, b = P[6].copy(), P[7].copy()
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        # h vanishes at an end where x, 1 - x or a gain is zero; an end value
        # without the expected sign is unknown (nan), forcing bisection steps
        # until that end has moved inside.
        fa, fb = h(a), h(b)
        fa = np.where(fa > 0, fa, np.nan)
        fb = np.where(fb < 0, fb, np.nan)
        side = np.zeros(k.shape, dtype=np.int8)
        for _ in range(200):
            if k.size == 0:
                break
            sec = (a * fb - b * fa) / (fb - fa)
            inside = (sec > a) & (sec < b)
            # With end values of opposite signs the secant lies in [a, b]; it
            # reaches an end only once that end is the root to rounding.
            at_end = ~inside & np.isfinite(sec)
            x = np.where(inside, sec, 0.5 * (a + b))
            fx = h(x)
            up = fx > 0
            a = np.where(up, x, a)
            b = np.where(up, b, x)
            fa = np.where(up, fx, np.where(side == -1, 0.5 * fa, fa))
            fb = np.where(up, np.where(side == 1, 0.5 * fb, fb), fx)
            side = np.where(up, 1, -1).astype(np.int8)
            hit = (fx == 0) & inside
            done = hit | at_end | (b - a <= 1e-14)
            if done.any():
                res = np.where(hit, x, np.where(at_end, np.clip(sec, P[6], P[7]), 0.5 * (a + b)))
                out[k[done]] = res[done]
                keep = ~done
                k, a, b, fa, fb, side = k[keep], a[keep], b[keep], fa[keep], fb[keep], side[keep]
                P = [v[keep] for v in P]
        out[k] = 0.5 * (a + b)
    return out


def kalai_smorodinsky_share(
    d1: npt.ArrayLike, d2: npt.ArrayLike, r1: npt.ArrayLike = 1.0, r2: npt.ArrayLike = 1.0,
) -> np.ndarray:
    """Player 1's share in the Kalai–Smorodinsky solution (Kalai & Smorodinsky 1975).

    With ``u_i(z) = z**r_i`` and disagreement point ``(d1, d2)``, each
    player's ideal utility is its best individually rational one,
    ``I1 = u1(hi)`` and ``I2 = u2(1 - lo)`` on the bargaining range
    ``[lo, hi]``; the solution equalises the relative gains
    ``(u1(x) - d1)/(I1 - d1) = (u2(1 - x) - d2)/(I2 - d2)``. The difference
    rises in ``x``, so 200 bisection steps find it. ``nan`` where the range is
    empty.
    """
    d1, d2, r1, r2 = (np.asarray(a, dtype=float) for a in np.broadcast_arrays(d1, d2, r1, r2))
    lo = np.clip(np.maximum(d1, 0.0) ** (1.0 / r1), 0.0, 1.0)
    hi = np.clip(1.0 - np.maximum(d2, 0.0) ** (1.0 / r2), 0.0, 1.0)
    empty = lo > hi + BOUNDARY_TOL
    g1 = np.where(empty, 1.0, hi**r1 - d1)
    g2 = np.where(empty, 1.0, (1.0 - lo) ** r2 - d2)
    a, b = lo.copy(), np.maximum(hi, lo)
    with np.errstate(divide="ignore", invalid="ignore"):
        for _ in range(200):
            x = 0.5 * (a + b)
            up = (x**r1 - d1) / g1 < ((1.0 - x) ** r2 - d2) / g2
            a = np.where(up, x, a)
            b = np.where(up, b, x)
    return np.where(empty, np.nan, 0.5 * (a + b))
