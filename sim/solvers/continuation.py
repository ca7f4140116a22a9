"""Pseudo-arclength continuation of a solution branch ``H(z, lam) = 0``.

The one path follower of the agent logit QRE (:mod:`sim.solvers.agent_qre`)
and of the tracers of a QRE branch of a model's own system
(:mod:`sim.solvers.ladder_logit`, the private-resolve escalation ladder). A
predictor step along the tangent of the branch is corrected by a chord Newton
iteration on the augmented system (Allgower & Georg 1990, *Numerical Continuation Methods*,
ch. 2; Turocy 2005, *GEB* 51(2)). The branch may turn back in ``lam``; it is
followed until it first reaches the target precision, or until a caller's
stopping rule says so.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from sim.games.errors import GameError

__all__ = ["BranchPoint", "follow_branch"]

Residual = Callable[[np.ndarray, float], np.ndarray]


@dataclass(frozen=True)
class BranchPoint:
    """Where tracing stopped: the point ``z`` at precision ``lam``.

    ``reached`` is True when ``lam`` is the target (the point is then
    interpolated between the last two branch points, for the caller to
    correct with ``lam`` fixed); False when the caller's stopping rule or a
    stalled branch ended tracing first.
    """

    lam: float
    z: np.ndarray
    reached: bool


def _jacobian(residual: Residual, x: np.ndarray, h0: np.ndarray) -> np.ndarray:
    """Forward-difference Jacobian of ``H(z, lam)`` with respect to ``(z, lam)``."""
    n = x.size - 1
    jac = np.empty((h0.size, n + 1))
    for k in range(n + 1):
        step = 1e-7 * max(1.0, abs(x[k]))
        y = x.copy()
        y[k] += step
        jac[:, k] = (residual(y[:n], float(y[n])) - h0) / step
    return jac


def _tangent(jac: np.ndarray, previous: np.ndarray | None) -> np.ndarray:
    t = np.linalg.svd(jac)[2][-1]
    if previous is None:
        return t if t[-1] > 0 else -t
    return t if t @ previous > 0 else -t


def follow_branch(
    residual: Residual,
    z0: np.ndarray,
    lam0: float,
    target: float,
    tol: float,
    *,
    accept: Callable[[np.ndarray], bool] | None = None,
    stop: Callable[[float, np.ndarray], bool] | None = None,
    residual_scale: float = 1.0,
    h0: float = 0.03,
    max_steps: int = 100_000,
) -> BranchPoint:
    """Follow ``H(z, lam) = 0`` from ``(z0, lam0)`` towards ``lam = target``.

    Parameters
    ----------
    residual
        ``H(z, lam)``, one equation per unknown of ``z``.
    z0, lam0
        A point on the branch.
    target
        The precision to reach.
    tol
        Largest residual accepted at a corrected point. Residuals carry
        ``lam`` times payoff terms, so ``1e-14 · lam · residual_scale`` is
        allowed for their rounding.
    accept
        Extra test a corrected ``z`` must pass (for instance that
        log-probabilities are at most 0); a failing step is halved.
    stop
        Called after every step with ``(lam, z)``; True ends tracing.
    """
    n = z0.size
    x = np.append(np.asarray(z0, dtype=float), float(lam0))
    if target <= lam0:
        return BranchPoint(float(lam0), x[:n], True)
    t_prev: np.ndarray | None = None
    h = h0
    slow = 0
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        for _ in range(max_steps):
            r0 = residual(x[:n], float(x[n]))
            jac = _jacobian(residual, x, r0)
            t = _tangent(jac, t_prev)
            accepted: tuple[np.ndarray, int] | None = None
            while h > 1e-12:
                pred = x + h * t
                y = pred.copy()
                # Chord corrector: the Jacobian at the last point, refreshed once if slow.
                big = np.vstack([jac, t])
                for it in range(16):
                    r = residual(y[:n], float(y[n]))
                    if not np.all(np.isfinite(r)):
                        break
                    if np.max(np.abs(r)) < max(tol, 1e-14 * y[n] * residual_scale):
                        accepted = (y, it)
                        break
                    if it == 6:
                        big = np.vstack([_jacobian(residual, y, r), t])
                    rhs = np.append(r, t @ (y - pred))
                    try:
                        y = y - np.linalg.solve(big, rhs)
                    except np.linalg.LinAlgError:
                        break
                # Accept only a nearby point on the same branch (no jump to another
                # sheet, no crossing below the starting precision).
                if (accepted is not None and accepted[0][n] >= lam0
                        and (accept is None or accept(accepted[0][:n]))
                        and np.linalg.norm(accepted[0] - pred) <= 0.5 * h + 1e-9):
                    break
                accepted = None
                h /= 2
            if accepted is None:
                raise GameError(f"continuation failed near lambda={x[n]:.6g}")
            y, iters = accepted
            if y[n] >= target:
                w = (target - x[n]) / (y[n] - x[n])
                return BranchPoint(float(target), x[:n] + w * (y[:n] - x[:n]), True)
            slow = slow + 1 if y[n] - x[n] <= 1e-9 * max(1.0, x[n]) else 0
            x, t_prev = y, t
            h = min(h * (1.5 if iters <= 4 else 1.0), max(1.0, 0.5 * x[n]))
            if slow >= 50:
                # lam no longer grows: the branch is numerically exhausted here.
                return BranchPoint(float(x[n]), x[:n], False)
            if stop is not None and stop(float(x[n]), x[:n]):
                return BranchPoint(float(x[n]), x[:n], False)
    raise GameError("continuation took too many steps")
