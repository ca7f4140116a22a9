"""Schelling's one-shot brinkmanship window, vectorised (docs/models/brinkmanship_window.md).

The threatener (Challenger) picks a risk ``r``: the probability that defiance
ends in war. The target (Target) is soft with probability ``1 − π`` and
hard with probability ``π``; the hard type never complies. The threat must be

* effective: the soft type complies, ``r D_B,soft ≥ L``, i.e. ``r ≥ r_low``;
* acceptable: it pays, ``(1 − π) G − π r D_A > 0``, i.e. ``r < r_high``.

The best threat uses the least effective risk, ``r* = r_low``, when
``r_low ≤ 1`` and the profit margin is strictly positive; a margin within
``BOUNDARY_TOL`` of zero is a tie and, by the tie rule, no threat is made.

References
----------
Schelling, T. C. (1960). *The Strategy of Conflict*, ch. 8. Harvard UP.
Dixit, A., Skeath, S., & Reiley, D. (2015). *Games of Strategy*, 4th ed.,
ch. 14 (brinkmanship: the Cuban missile crisis). Norton.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from sim.kernels.tolerance import BOUNDARY_TOL

__all__ = ["brinkmanship_window"]

Array = npt.NDArray[np.float64]


def brinkmanship_window(
    G: npt.ArrayLike, L: npt.ArrayLike, D_A: npt.ArrayLike,
    D_B_soft: npt.ArrayLike, D_B_hard: npt.ArrayLike, pi_hard: npt.ArrayLike,
) -> dict[str, np.ndarray]:
    """The optimal threat and its consequences for a batch of parameter points.

    Returns
    -------
    dict of arrays
        ``r_low`` (least effective risk), ``r_high`` (largest acceptable
        risk; ``inf`` when the threat can never cost too much), ``margin``
        (profit of the least effective threat), ``regime`` (0 threat,
        1 no threat because unprofitable, 2 no threat because no risk up to 1
        makes the soft type comply), ``threat``, ``r_star`` (``nan`` without a
        threat), ``p_war``, ``p_comply``, ``eu_A``, ``eu_B``, ``pi_critical``
        (prior of a hard type at which Challenger is indifferent; ``nan`` when the
        threat is ineffective), ``boundary``.
    """
    G_, L_, DR, Ds, Dh, pi = np.broadcast_arrays(
        *(np.asarray(v, dtype=float) for v in (G, L, D_A, D_B_soft, D_B_hard, pi_hard)))
    r_low = L_ / Ds
    num = (1.0 - pi) * G_
    den = pi * DR
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        r_high = np.where(den > 0, num / np.where(den > 0, den, 1.0), np.inf)
        pi_crit_den = G_ + r_low * DR
        pi_critical = np.where(pi_crit_den > 0, G_ / np.where(pi_crit_den > 0, pi_crit_den, 1.0),
                               np.nan)
    effective = r_low <= 1.0
    margin = num - den * r_low
    threat = effective & (margin > BOUNDARY_TOL)
    regime = np.where(threat, 0, np.where(effective, 1, 2))
    r_star = np.where(threat, r_low, np.nan)
    r_used = np.where(threat, r_low, 0.0)
    p_war = np.where(threat, pi * r_used, 0.0)
    p_comply = np.where(threat, 1.0 - pi, 0.0)
    eu_A = np.where(threat, margin, 0.0)
    eu_B = np.where(threat, -(1.0 - pi) * L_ - pi * r_used * Dh, 0.0)
    # Challenger's profit margin and the soft type's feasibility margin are decisions.
    boundary = (effective & (np.abs(margin) <= BOUNDARY_TOL)) | (
        np.abs(r_low - 1.0) <= BOUNDARY_TOL)
    pi_critical = np.where(effective, pi_critical, np.nan)
    return {"r_low": r_low, "r_high": r_high, "margin": margin, "regime": regime,
            "threat": threat, "r_star": r_star, "p_war": p_war, "p_comply": p_comply,
            "eu_A": eu_A, "eu_B": eu_B, "pi_critical": pi_critical, "boundary": boundary}
