"""Logit quantal response equilibria of 2×2 games, vectorised over a batch.

Let ``p`` be the row player's probability of its second strategy and ``q``
the column player's. With raw payoffs (Gambit's convention, docs/models/logit_qre_normal_form.md)
the row player's payoff advantage of its second strategy is linear in ``q``,
``Δ_R(q) = α_R + β_R q``, and the column player's is ``Δ_W(p) = α_W + β_W p``.
A logit QRE at precision λ solves (McKelvey & Palfrey 1995, eq. 4)::

    p = σ(λ Δ_R(q)),    q = σ(λ Δ_W(p)),    σ(t) = 1 / (1 + e^{−t}).

Working with the log-odds ``t = logit p`` keeps probabilities such as
``1e-13`` accurate, and eliminating ``q`` leaves one scalar equation::

    H(t) = λ Δ_R(σ(λ Δ_W(σ(t)))) − t = 0,
    H'(t) = λ² β_R β_W σ'(λ Δ_W(σ(t))) σ'(t) − 1.

The roots of ``H`` lie in ``[λ min(α_R, α_R + β_R), λ max(α_R, α_R + β_R)]``.

The principal branch is followed from λ = 0 (where p = q = ½ and H' = −1) by
continuation in λ with Newton corrections (Turocy 2005). On that branch
``H' < 0``. Steps are sized per point so that the branch is never left for
another root; where ``H'`` reaches 0 (a fold or, in a symmetric game, the
pitchfork bifurcation of docs/models/logit_qre_normal_form.md) the step size collapses and the
point is flagged.
For symmetric games use :func:`qre2x2_symmetric` (the symmetric QRE, unique
when β < 0 as in Chicken) or :func:`qre2x2_all` (every QRE at one λ).

References
----------
McKelvey, R. D., & Palfrey, T. R. (1995). Quantal Response Equilibria for
Normal Form Games. *Games and Economic Behavior* 10(1): 6–38.
Turocy, T. L. (2005). A dynamic homotopy interpretation of the logistic
quantal response equilibrium correspondence. *Games and Economic Behavior*
51(2): 243–263.
"""

from __future__ import annotations

import threading
from typing import NamedTuple

import numpy as np
import numpy.typing as npt
from scipy.optimize import brentq
from scipy.special import expit

__all__ = [
    "QRE2x2",
    "advantage_coefficients",
    "qre2x2_principal",
    "qre2x2_symmetric",
    "qre2x2_all",
    "qre2x2_limit",
]

Array = npt.NDArray[np.float64]

#: Newton stops when every |H(t)| is below this (in log-odds units).
_TOL = 1e-13

#: Batches at least this large are followed by the compiled kernel.
COMPILED_MIN = 256

#: Batches at least this large are spread over numba's threads.
PARALLEL_MIN = 4096

_PARALLEL_LOCK = threading.Lock()


class QRE2x2(NamedTuple):
    """A batch of 2×2 logit QRE.

    ``p``/``q`` are the probabilities of the second strategy of the row and
    column player; ``fold`` marks points whose continuation could not reach
    the requested λ (a fold or bifurcation of the branch: the values are the
    last point reached); ``residual`` is the final ``|H(t)|``. For symmetric
    games use :func:`qre2x2_symmetric` or :func:`qre2x2_all`.
    """

    p: Array
    q: Array
    fold: npt.NDArray[np.bool_]
    residual: Array


def advantage_coefficients(
    A: npt.ArrayLike, B: npt.ArrayLike
) -> tuple[Array, Array, Array, Array]:
    """``α_R, β_R, α_W, β_W`` from payoff arrays of shape ``(..., 2, 2)``.

    ``A[..., i, j]`` and ``B[..., i, j]`` are the row and column player's
    payoffs when row plays ``i`` and column plays ``j``.
    """
    a = np.asarray(A, dtype=float)
    b = np.asarray(B, dtype=float)
    alpha_A = a[..., 1, 0] - a[..., 0, 0]
    beta_A = (a[..., 1, 1] - a[..., 0, 1]) - alpha_A
    alpha_B = b[..., 0, 1] - b[..., 0, 0]
    beta_B = (b[..., 1, 1] - b[..., 1, 0]) - alpha_B
    return alpha_A, beta_A, alpha_B, beta_B


def _h(t: Array, lam: Array, aR: Array, bR: Array, aW: Array, bW: Array
       ) -> tuple[Array, Array, Array]:
    p = expit(t)
    tw = lam * (aW + bW * p)
    q = expit(tw)
    h = lam * (aR + bR * q) - t
    dh = lam * lam * bR * bW * q * (1.0 - q) * p * (1.0 - p) - 1.0
    return h, dh, tw


def qre2x2_principal(
    alpha_A: npt.ArrayLike, beta_A: npt.ArrayLike,
    alpha_B: npt.ArrayLike, beta_B: npt.ArrayLike,
    lam: npt.ArrayLike, *, max_iter: int = 5000, compiled: bool | None = None,
) -> QRE2x2:
    """The principal-branch logit QRE at precision ``lam``, for a batch.

    Each point follows its own branch from λ = 0 with a tangent predictor and
    Newton corrector (Turocy 2005), with step-size control: a step is kept
    only if Newton converges, the new root has ``H' < 0`` (the principal
    branch of a generic game never has ``H' ≥ 0``; a root with ``H' > 0`` is
    the middle branch) and neither probability moves by more than 0.05 (a
    jump to the far outer branch would move one by nearly 1). Kept steps
    double the step size, rejected ones halve it.

    Parameters
    ----------
    alpha_A, beta_A, alpha_B, beta_B
        Payoff-advantage coefficients (see :func:`advantage_coefficients`).
    lam
        Precision λ ≥ 0 (raw payoffs).
    max_iter
        Limit on predictor–corrector rounds for the whole batch.
    compiled
        Follow the branches with the compiled kernel of
        :mod:`sim.kernels.qre2x2_compiled` (one loop per point, on numba's
        threads) rather than in numpy lockstep. The default, ``None``, compiles
        for batches of :data:`COMPILED_MIN` points or more, where the
        lockstep's rounds cost more than loading numba. Both give the same
        values to rounding.

    Returns
    -------
    QRE2x2
        ``fold`` marks points whose branch met a fold (it turns back in λ and
        forward again: the point continues on the root left beyond the fold,
        as arclength continuation would) or bifurcates, as in a symmetric
        game, or ran out of rounds; a point that could not continue keeps the
        last value reached, which may not be at ``lam``.
    """
    aR, bR, aW, bW, lam_ = np.broadcast_arrays(
        *(np.asarray(v, dtype=float) for v in (alpha_A, beta_A, alpha_B, beta_B, lam)))
    aR, bR, aW, bW, lam_ = (np.ascontiguousarray(v, dtype=float).reshape(-1)
                            for v in (aR, bR, aW, bW, lam_))
    n = lam_.shape[0]
    if compiled or (compiled is None and n >= COMPILED_MIN):
        return _principal_compiled(aR, bR, aW, bW, lam_, max_iter)
    t = np.zeros(n)
    cur = np.zeros(n)
    # First step: about a tenth of a logit unit of payoff differences.
    scale = np.maximum.reduce([np.abs(aR), np.abs(aR + bR), np.abs(aW), np.abs(aW + bW),
                               np.full(n, 1e-12)])
    h = np.minimum(lam_, 0.1 / scale)
    fold = np.zeros(n, dtype=bool)
    active = np.flatnonzero(cur < lam_)
    for _ in range(max_iter):
        if active.size == 0:
            break
        ia = active
        a1, b1, a2, b2 = aR[ia], bR[ia], aW[ia], bW[ia]
        t0, l0, target = t[ia], cur[ia], lam_[ia]
        step = np.minimum(h[ia], target - l0)
        l1 = np.where(target - l0 - step <= 1e-12 * target, target, l0 + step)
        step = l1 - l0
        # Tangent predictor dt/dλ = −H_λ / H_t at the current point.
        p0 = expit(t0)
        q0 = expit(l0 * (a2 + b2 * p0))
        h_lam = (a1 + b1 * q0) + l0 * b1 * q0 * (1 - q0) * (a2 + b2 * p0)
        h_t = l0 * l0 * b1 * b2 * q0 * (1 - q0) * p0 * (1 - p0) - 1.0
        tt = t0 - step * h_lam / np.where(h_t < -1e-12, h_t, -1e-12)
        for _ in range(8):
            hv, dh, _ = _h(tt, l1, a1, b1, a2, b2)
            # Converged points stay put, so a point's result does not depend on
            # the rest of the batch.
            done = np.abs(hv) <= 1e-12 * (1.0 + np.abs(tt))
            if done.all():
                break
            tt = np.where(done, tt, tt - hv / np.where(dh < -1e-12, dh, -1e-12))
        hv, dh, tw = _h(tt, l1, a1, b1, a2, b2)
        p1, q1 = expit(tt), expit(tw)
        ok = ((np.abs(hv) <= 1e-10 * (1.0 + np.abs(tt))) & (dh < 0.0)
              & (np.abs(p1 - p0) <= 0.05) & (np.abs(q1 - q0) <= 0.05) & np.isfinite(tt))
        t[ia] = np.where(ok, tt, t0)
        cur[ia] = np.where(ok, l1, l0)
        h[ia] = np.where(ok, step * 2.0, step * 0.5)
        collapsed = ~ok & (step <= 1e-10 * (1.0 + target))
        if collapsed.any():
            # A fold: the branch and the middle root annihilate, and the branch
            # continues on the one root left beyond them (in the direction it
            # was moving), which Gambit's arclength continuation reaches by
            # turning back and forth in λ.
            ic = ia[collapsed]
            # Evaluate just past the fold, where the pair has disappeared.
            past = np.minimum(cur[ic] + 1e-6 * (1.0 + cur[ic]), lam_[ic])
            jumped, t_new = _jump(t[ic], past, -h_lam[collapsed] / h_t[collapsed],
                                  aR[ic], bR[ic], aW[ic], bW[ic])
            t[ic] = np.where(jumped, t_new, t[ic])
            cur[ic] = np.where(jumped, past, cur[ic])
            h[ic] = np.where(jumped, 1e-3 * (1.0 + cur[ic]), h[ic])
            fold[ic] = True
            stuck = np.zeros(ia.shape, dtype=bool)
            stuck[collapsed] = ~jumped
            collapsed = stuck
        active = ia[(cur[ia] < target) & ~collapsed]
    fold[active] = True
    h_fin, _, tw = _h(t, cur, aR, bR, aW, bW)
    return QRE2x2(expit(t), expit(tw), fold, np.abs(h_fin))


def _principal_compiled(aR: Array, bR: Array, aW: Array, bW: Array, lam: Array,
                        max_iter: int) -> QRE2x2:
    from sim.kernels import qre2x2_compiled as kernels

    n = lam.shape[0]
    p, q, residual = np.empty(n), np.empty(n), np.empty(n)
    fold = np.empty(n, dtype=bool)
    args = (aR, bR, aW, bW, lam, int(max_iter), p, q, fold, residual)
    if n >= PARALLEL_MIN:
        # numba's fallback threading layer (workqueue) aborts when two threads, such as
        # two dashboard sessions, launch parallel kernels at once: take turns.
        with _PARALLEL_LOCK:
            kernels.principal_into_parallel(*args)
    else:
        kernels.principal_into(*args)
    return QRE2x2(p, q, fold, residual)


def _jump(t: Array, lam: Array, direction: Array, aR: Array, bR: Array, aW: Array,
          bW: Array) -> tuple[npt.NDArray[np.bool_], Array]:
    """The root of ``H`` beyond a fold at ``(t, lam)``, found by bisection.

    Returns whether a sign change was found between ``t`` and the bound of
    the root interval in ``direction``, and the root.
    """
    lo_b = lam * np.minimum(aR, aR + bR) - 1.0
    hi_b = lam * np.maximum(aR, aR + bR) + 1.0
    up = direction > 0
    a = np.where(up, t + 1e-9 * (1 + np.abs(t)), lo_b)
    b = np.where(up, hi_b, t - 1e-9 * (1 + np.abs(t)))
    ha = _h(a, lam, aR, bR, aW, bW)[0]
    hb = _h(b, lam, aR, bR, aW, bW)[0]
    found = (ha > 0) & (hb < 0)
    for _ in range(200):
        mid = 0.5 * (a + b)
        pos = _h(mid, lam, aR, bR, aW, bW)[0] > 0
        a = np.where(pos, mid, a)
        b = np.where(pos, b, mid)
    return found, 0.5 * (a + b)


def qre2x2_symmetric(alpha: npt.ArrayLike, beta: npt.ArrayLike, lam: npt.ArrayLike) -> Array:
    """The symmetric QRE ``p = q`` of a symmetric 2×2 game, for a batch.

    Solves ``t = λ(α + β σ(t))`` by bisection followed by Newton. With
    ``β < 0`` (anti-coordination, as in Chicken) the right-hand side falls in
    ``t``, so the symmetric QRE is unique at every λ and continues the
    principal branch through the bifurcation (docs/models/logit_qre_normal_form.md).

    Returns
    -------
    numpy.ndarray
        The common probability of the second strategy.
    """
    a, b, lam_ = (np.ascontiguousarray(v, dtype=float).reshape(-1)
                  for v in np.broadcast_arrays(*(np.asarray(x, dtype=float)
                                                 for x in (alpha, beta, lam))))
    lo = lam_ * np.minimum(a, a + b) - 1.0
    hi = lam_ * np.maximum(a, a + b) + 1.0

    def g(t: Array) -> Array:
        return lam_ * (a + b * expit(t)) - t

    for _ in range(80):
        mid = 0.5 * (lo + hi)
        pos = g(mid) > 0
        lo = np.where(pos, mid, lo)
        hi = np.where(pos, hi, mid)
    t = 0.5 * (lo + hi)
    for _ in range(5):
        p = expit(t)
        dg = lam_ * b * p * (1.0 - p) - 1.0
        t = t - g(t) / np.where(np.abs(dg) > 1e-300, dg, -1.0)
    return np.asarray(expit(t), dtype=float)


def qre2x2_all(alpha_A: float, beta_A: float, alpha_B: float, beta_B: float,
               lam: float, *, grid: int = 4001) -> list[tuple[float, float]]:
    """Every logit QRE of one 2×2 game at precision ``lam``.

    Scans ``H`` on a grid of log-odds covering the interval that must hold
    every root, then refines each sign change with Brent's method. A root
    where ``H`` only touches zero (exactly at a fold) can be missed; roots
    are returned in increasing ``p``.

    Returns
    -------
    list of (p, q)
    """
    lo = lam * min(alpha_A, alpha_A + beta_A) - 1.0
    hi = lam * max(alpha_A, alpha_A + beta_A) + 1.0
    lam_a = np.array([lam])
    coef = [np.array([v]) for v in (alpha_A, beta_A, alpha_B, beta_B)]

    def h(t: float) -> float:
        return float(_h(np.array([t]), lam_a, *coef)[0][0])

    ts = np.linspace(lo, hi, grid)
    hs = _h(ts, np.full_like(ts, lam), *(np.full_like(ts, c[0]) for c in coef))[0]
    roots: list[float] = []
    for k in range(grid - 1):
        if hs[k] == 0.0:
            roots.append(float(ts[k]))
        elif hs[k] * hs[k + 1] < 0.0:
            roots.append(float(brentq(h, ts[k], ts[k + 1], xtol=1e-15, rtol=1e-15)))
    out = []
    for t in roots:
        p = float(expit(t))
        q = float(expit(lam * (alpha_B + beta_B * p)))
        out.append((p, q))
    return out


def qre2x2_limit(
    alpha_A: npt.ArrayLike, beta_A: npt.ArrayLike,
    alpha_B: npt.ArrayLike, beta_B: npt.ArrayLike, *, reach: float = 40.0,
) -> tuple[Array, Array, npt.NDArray[np.bool_], Array]:
    """Where the principal branch goes as λ → ∞ (its Nash equilibrium).

    The branch is followed to ``λ_max = reach / g``, where ``g`` is the
    smallest non-zero payoff gap ``|α|, |α + β|`` of either player: there a
    strict pure equilibrium's off-path action has probability about
    ``e^{−reach}``. The selection is not invariant to rescaling one player's
    payoffs (raw payoffs share one λ), so it can differ from Harsanyi–Selten
    risk dominance.

    Returns
    -------
    p, q, fold, lam_max
        The branch point at ``λ_max``, the fold flag of
        :func:`qre2x2_principal` and ``λ_max``.
    """
    aR, bR, aW, bW = (np.ascontiguousarray(v, dtype=float).reshape(-1)
                      for v in np.broadcast_arrays(*(np.asarray(x, dtype=float)
                                                     for x in (alpha_A, beta_A,
                                                               alpha_B, beta_B))))
    gaps = np.abs(np.stack([aR, aR + bR, aW, aW + bW]))
    gaps = np.where(gaps > 0, gaps, np.inf).min(axis=0)
    lam_max = reach / np.where(np.isfinite(gaps), gaps, 1.0)
    res = qre2x2_principal(aR, bR, aW, bW, lam_max)
    return res.p, res.q, res.fold, lam_max
