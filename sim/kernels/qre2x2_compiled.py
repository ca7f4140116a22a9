"""Compiled (numba) principal-branch continuation of 2×2 logit QRE.

The same predictor–corrector as :func:`sim.kernels.qre2x2.qre2x2_principal`,
step for step and with the same tolerances, written as one loop per point.
The numpy version advances the whole batch in lockstep, so a map pays for as
many rounds as its slowest point needs, over arrays that shrink as points
finish; here each point runs its own rounds, and the points are spread over
numba's threads. Imported on first use by :mod:`sim.kernels.qre2x2`, so that
importing the models does not load numba; compiled with ``cache=True``, so the
machine code is kept beside this file for later processes.

The two agree to rounding (``exp`` and division may differ in the last bit),
which tests/models/test_qre2x2_compiled.py checks to 1e-8 on grids and on
seeded random games.
"""

from __future__ import annotations

import math

import numba
import numpy as np
from numba import prange

__all__ = ["principal_into", "principal_into_parallel"]


@numba.njit(cache=True, error_model="numpy", inline="always")
def _expit(x: float) -> float:
    # scipy.special.expit's formula, so that both paths round alike
    return 1.0 / (1.0 + math.exp(-x))


@numba.njit(cache=True, error_model="numpy", inline="always")
def _h(t: float, lam: float, aR: float, bR: float, aW: float, bW: float
       ) -> tuple[float, float, float]:
    p = _expit(t)
    tw = lam * (aW + bW * p)
    q = _expit(tw)
    h = lam * (aR + bR * q) - t
    dh = lam * lam * bR * bW * q * (1.0 - q) * p * (1.0 - p) - 1.0
    return h, dh, tw


@numba.njit(cache=True, error_model="numpy", inline="always")
def _jump(t: float, lam: float, direction: float, aR: float, bR: float, aW: float,
          bW: float) -> tuple[bool, float]:
    """The root beyond a fold by bisection (``sim.kernels.qre2x2._jump``)."""
    lo_b = lam * min(aR, aR + bR) - 1.0
    hi_b = lam * max(aR, aR + bR) + 1.0
    if direction > 0:
        a = t + 1e-9 * (1 + abs(t))
        b = hi_b
    else:
        a = lo_b
        b = t - 1e-9 * (1 + abs(t))
    ha = _h(a, lam, aR, bR, aW, bW)[0]
    hb = _h(b, lam, aR, bR, aW, bW)[0]
    found = (ha > 0) and (hb < 0)
    for _ in range(200):
        mid = 0.5 * (a + b)
        if _h(mid, lam, aR, bR, aW, bW)[0] > 0:
            a = mid
        else:
            b = mid
    return found, 0.5 * (a + b)


@numba.njit(cache=True, error_model="numpy")
def _point(aR: float, bR: float, aW: float, bW: float, lam: float, max_iter: int
           ) -> tuple[float, float, bool]:
    """One point's continuation from λ = 0: final log-odds ``t``, λ reached, fold."""
    t = 0.0
    cur = 0.0
    scale = max(abs(aR), abs(aR + bR), abs(aW), abs(aW + bW), 1e-12)
    h = min(lam, 0.1 / scale)
    fold = False
    active = cur < lam
    for _ in range(max_iter):
        if not active:
            break
        t0, l0, target = t, cur, lam
        step = min(h, target - l0)
        l1 = target if target - l0 - step <= 1e-12 * target else l0 + step
        step = l1 - l0
        # Tangent predictor dt/dλ = −H_λ / H_t at the current point.
        p0 = _expit(t0)
        q0 = _expit(l0 * (aW + bW * p0))
        h_lam = (aR + bR * q0) + l0 * bR * q0 * (1 - q0) * (aW + bW * p0)
        h_t = l0 * l0 * bR * bW * q0 * (1 - q0) * p0 * (1 - p0) - 1.0
        tt = t0 - step * h_lam / (h_t if h_t < -1e-12 else -1e-12)
        for _ in range(8):
            hv, dh, _tw = _h(tt, l1, aR, bR, aW, bW)
            if abs(hv) <= 1e-12 * (1.0 + abs(tt)):
                break
            tt = tt - hv / (dh if dh < -1e-12 else -1e-12)
        hv, dh, tw = _h(tt, l1, aR, bR, aW, bW)
        p1 = _expit(tt)
        q1 = _expit(tw)
        ok = (abs(hv) <= 1e-10 * (1.0 + abs(tt)) and dh < 0.0 and abs(p1 - p0) <= 0.05
              and abs(q1 - q0) <= 0.05 and math.isfinite(tt))
        if ok:
            t = tt
            cur = l1
            h = step * 2.0
        else:
            h = step * 0.5
        collapsed = (not ok) and step <= 1e-10 * (1.0 + target)
        if collapsed:
            # A fold: continue on the one root left beyond it (see qre2x2_principal).
            past = min(cur + 1e-6 * (1.0 + cur), lam)
            jumped, t_new = _jump(t, past, -h_lam / h_t, aR, bR, aW, bW)
            if jumped:
                t = t_new
                cur = past
                h = 1e-3 * (1.0 + cur)
            fold = True
            collapsed = not jumped
        active = cur < target and not collapsed
    if active:
        fold = True
    return t, cur, fold


@numba.njit(cache=True, error_model="numpy", inline="always")
def _finish(k: int, aR: np.ndarray, bR: np.ndarray, aW: np.ndarray, bW: np.ndarray,
            lam: np.ndarray, max_iter: int, p: np.ndarray, q: np.ndarray, fold: np.ndarray,
            residual: np.ndarray) -> None:
    t, cur, fl = _point(aR[k], bR[k], aW[k], bW[k], lam[k], max_iter)
    hv, _dh, tw = _h(t, cur, aR[k], bR[k], aW[k], bW[k])
    p[k] = _expit(t)
    q[k] = _expit(tw)
    fold[k] = fl
    residual[k] = abs(hv)


@numba.njit(cache=True, error_model="numpy")
def principal_into(aR: np.ndarray, bR: np.ndarray, aW: np.ndarray, bW: np.ndarray,
                   lam: np.ndarray, max_iter: int, p: np.ndarray, q: np.ndarray,
                   fold: np.ndarray, residual: np.ndarray) -> None:
    """Fill ``p, q, fold, residual`` (length ``n``) for the ``n`` games, one thread."""
    for k in range(lam.shape[0]):
        _finish(k, aR, bR, aW, bW, lam, max_iter, p, q, fold, residual)


@numba.njit(cache=True, error_model="numpy", parallel=True)
def principal_into_parallel(aR: np.ndarray, bR: np.ndarray, aW: np.ndarray, bW: np.ndarray,
                            lam: np.ndarray, max_iter: int, p: np.ndarray, q: np.ndarray,
                            fold: np.ndarray, residual: np.ndarray) -> None:
    """:func:`principal_into` with the games spread over numba's threads."""
    for k in prange(lam.shape[0]):
        _finish(k, aR, bR, aW, bW, lam, max_iter, p, q, fold, residual)
