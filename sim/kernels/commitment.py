"""Shifting power and preventive war as vectorised closed forms.

See docs/models/commitment_shifting_power.md.

A declining state D and a rising state R split a
pie of 1 every period with common discount factor δ; payoffs are normalised
averages (1−δ)Σδ^t u_t. D wins a war begun now with probability p0 and a
war begun later with probability p1 < p0; war is absorbing and costs c_D,
c_U (average units). Peace survives only if D can get, peacefully, at least
its war value now, p0 − c_D.

* D proposes every period (the most favourable protocol for D; Powell 2006,
  proposition 1): the most D can get peacefully is the whole pie today and
  at most min(1, p1 + c_U) afterwards, because R cannot commit to give more
  once it is strong. Peace iff p0 − c_D ≤ (1−δ) + δ·min(1, p1 + c_U). If this
  fails, every SPE under every protocol has preventive war.
* R proposes every period (take-it-or-leave-it): peace iff
  p0 − c_D ≤ (1−δ) + δ(p1 − c_D), the bound stated in docs/models/commitment_shifting_power.md.
* Guarantee extension (not in Powell): a legally binding guarantee is
  honoured with probability κ, and then it freezes the shift in power: D
  keeps p0 and can secure min(1, p0 + c_U) per period in future. Peace iff
  p0 − c_D ≤ (1−δ) + δ[κ·min(1, p0 + c_U) + (1−κ)·min(1, p1 + c_U)].
  (The earlier reading, in which an honoured guarantee cedes D
  the whole pie, is kept as ``cedes=True``.)

References
----------
Powell, R. (2006). War as a commitment problem. *International
Organization* 60(1), 169–203, section "Large, rapid shifts in power".
Fearon, J. D. (1995). Rationalist explanations for war. *International
Organization* 49(3), 379–414 (preventive war).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["ShiftingPower", "shifting_power", "Guarantee", "guarantee"]

Array = np.ndarray


@dataclass(frozen=True)
class ShiftingPower:
    """Closed-form quantities of the shifting-power game (arrays).

    ``margin_*`` is D's war value minus the best peace it can get under that
    protocol; war iff the margin is strictly positive (peace on a tie).
    ``delta_critical_*`` is the discount factor above which war occurs
    (``inf`` when no δ < 1 gives war; ≤ 0 when every δ does).
    """

    war_payoff_D: Array
    war_payoff_R: Array
    best_peace_D_best_case: Array
    best_peace_D_R_proposes: Array
    margin_best_case: Array
    margin_R_proposes: Array
    war_best_case: Array
    war_R_proposes: Array
    p1_critical_best_case: Array
    p1_critical_R_proposes: Array
    delta_critical_best_case: Array
    delta_critical_R_proposes: Array
    peace_payoff_D_best_case: Array
    peace_payoff_D_R_proposes: Array


def _delta_critical(war_value: Array, future: Array) -> Array:
    """δ* solving war_value = (1−δ) + δ·future: war iff δ > δ* (when future < 1)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        d = (1.0 - war_value) / (1.0 - future)
    return np.where(future < 1.0, d, np.inf)


def shifting_power(delta: Array, p0: Array, p1: Array, c_D: Array, c_U: Array) -> ShiftingPower:
    """Both protocols of the shifting-power game at once (all arguments broadcast)."""
    delta, p0, p1, c_D, c_U = np.broadcast_arrays(
        *(np.atleast_1d(np.asarray(v, dtype=float)) for v in (delta, p0, p1, c_D, c_U))
    )
    war_d = p0 - c_D
    future_best = np.minimum(1.0, p1 + c_U)
    future_r = p1 - c_D
    best = (1.0 - delta) + delta * future_best
    r_prop = (1.0 - delta) + delta * future_r
    core = (p0 - c_D - (1.0 - delta)) / delta
    m_best = war_d - best
    m_r = war_d - r_prop
    return ShiftingPower(
        war_payoff_D=war_d,
        war_payoff_R=1.0 - p0 - c_U,
        best_peace_D_best_case=best,
        best_peace_D_R_proposes=r_prop,
        margin_best_case=m_best,
        margin_R_proposes=m_r,
        war_best_case=m_best > 0,
        war_R_proposes=m_r > 0,
        p1_critical_best_case=core - c_U,
        p1_critical_R_proposes=core + c_D,
        delta_critical_best_case=_delta_critical(war_d, future_best),
        delta_critical_R_proposes=_delta_critical(war_d, future_r),
        # R's period-0 participation caps what D extracts at p0 + c_U.
        peace_payoff_D_best_case=np.minimum(best, p0 + c_U),
        # R offers D exactly its war value.
        peace_payoff_D_R_proposes=war_d,
    )


@dataclass(frozen=True)
class Guarantee:
    """Closed-form quantities of the guarantee extension (arrays).

    ``kappa_critical`` is κ* = (p0−c_D−(1−δ)−δm)/(δ(M−m)) with
    m = min(1, p1 + c_U), D's future share when the guarantee fails, and
    M = min(1, p0 + c_U) when an honoured guarantee freezes the power shift
    (M = 1 when it cedes the pie). It is ``-inf``/0 when M = m and peace
    holds anyway, and ``inf`` when M = m and war follows whatever κ.
    Peace iff κ ≥ κ* (``margin`` ≤ 0).
    """

    kappa_critical: Array
    kappa_needed: Array
    best_peace_D: Array
    margin: Array
    war: Array
    war_payoff_D: Array
    war_payoff_R: Array
    peace_payoff_D: Array


def guarantee(delta: Array, p0: Array, p1: Array, c_D: Array, c_U: Array,
              kappa: Array, cedes: Array | bool = False) -> Guarantee:
    """The legally-binding-guarantee extension (docs/models/commitment_guarantee_extension.md).

    An honoured guarantee freezes the power shift, so D's future share is
    M = min(1, p0 + c_U) instead of m = min(1, p1 + c_U); where ``cedes`` is
    true it is the whole pie, M = 1 (the earlier reading).
    """
    delta, p0, p1, c_D, c_U, kappa, cedes = np.broadcast_arrays(
        *(np.atleast_1d(np.asarray(v, dtype=float))
          for v in (delta, p0, p1, c_D, c_U, kappa, cedes))
    )
    m = np.minimum(1.0, p1 + c_U)
    big = np.where(cedes > 0.5, 1.0, np.minimum(1.0, p0 + c_U))
    war_d = p0 - c_D
    num = war_d - (1.0 - delta) - delta * m
    den = delta * (big - m)
    with np.errstate(divide="ignore", invalid="ignore"):
        # With no gap between M and m a guarantee changes nothing: κ* is 0 when
        # peace holds anyway and unreachable (inf) when war follows regardless.
        k_star = np.where(den > 0, num / den, np.where(num > 0, np.inf, 0.0))
    best = (1.0 - delta) + delta * (kappa * big + (1.0 - kappa) * m)
    margin = war_d - best
    return Guarantee(
        kappa_critical=k_star,
        kappa_needed=np.maximum(k_star, 0.0),
        best_peace_D=best,
        margin=margin,
        war=margin > 0,
        war_payoff_D=war_d,
        war_payoff_R=1.0 - p0 - c_U,
        peace_payoff_D=np.minimum(best, p0 + c_U),
    )
