"""Fearon's bargaining range and take-it-or-leave-it offers, vectorised.

Closed forms of docs/models/fearon_bargaining_range.md (Fearon 1995, "Rationalist Explanations for
War", *International Organization* 49(3), pp. 386–390 for the range and
pp. 393–395 for the risk–return trade-off). Every function takes numpy
arrays (or scalars) and broadcasts.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import numpy.typing as npt

from sim.kernels.tolerance import BOUNDARY_TOL

__all__ = ["bargaining_range", "fearon_range_outcome", "RANGE_REGIMES", "tioli_private_costs",
           "responder_eu_private_costs", "believed_upper"]



def bargaining_range(
    p: npt.ArrayLike, c_A: npt.ArrayLike, c_B: npt.ArrayLike,
    r_A: npt.ArrayLike = 1.0, r_B: npt.ArrayLike = 1.0,
) -> dict[str, np.ndarray]:
    """The set of shares ``x`` both sides prefer to war (docs/models/fearon_bargaining_range.md).

    With ``u_A(x) = x**r_A`` and ``u_B(1 - x) = (1 - x)**r_B`` the range is
    ``[max(0, p - c_A)**(1/r_A), 1 - max(0, 1 - p - c_B)**(1/r_B)]``; with
    linear utility ``[p - c_A, p + c_B]`` (Fearon 1995, p. 388, fig. 1).

    Returns
    -------
    dict of arrays
        ``lower``, ``upper`` (uncut bounds: negative costs can push them out
        of ``[0, 1]``), ``nonempty`` and ``width`` (0 when empty), and the
        war payoffs ``war_A = p - c_A`` and ``war_B = 1 - p - c_B``.
    """
    p, c_A, c_B, r_A, r_B = (np.asarray(a, dtype=float)
                             for a in np.broadcast_arrays(p, c_A, c_B, r_A, r_B))
    war_A = p - c_A
    war_B = 1.0 - p - c_B
    lower = np.maximum(war_A, 0.0) ** (1.0 / r_A)
    upper = 1.0 - np.maximum(war_B, 0.0) ** (1.0 / r_B)
    tol = BOUNDARY_TOL
    nonempty = (lower <= upper + tol) & (lower <= 1.0 + tol) & (upper >= -tol)
    width = np.where(nonempty, np.maximum(upper - lower, 0.0), 0.0)
    return {
        "lower": lower,
        "upper": upper,
        "nonempty": nonempty,
        "width": width,
        "war_A": war_A,
        "war_B": war_B,
    }


def believed_upper(p: npt.ArrayLike, o_A: npt.ArrayLike, c_B: npt.ArrayLike,
                   r_B: npt.ArrayLike = 1.0) -> np.ndarray:
    """The most side A expects B to concede when A overestimates ``p`` by ``o_A``.

    A believes it wins with ``p_A = min(1, p + o_A)`` and that B, sharing that
    belief, accepts any share up to ``1 - max(0, 1 - p_A - c_B)**(1/r_B)``: A's
    optimal take-it-or-leave-it demand. With ``o_A = 0`` it is the top of the
    bargaining range; with ``o_A > 0`` B, knowing ``p``, rejects it and war
    follows from optimism, not from an ill-chosen demand (Blainey 1973;
    Fearon 1995, pp. 390–393).
    """
    p, o_A, c_B, r_B = (np.asarray(a, dtype=float) for a in np.broadcast_arrays(p, o_A, c_B, r_B))
    p_A = np.minimum(1.0, p + o_A)
    return np.clip(1.0 - np.maximum(1.0 - p_A - c_B, 0.0) ** (1.0 / r_B), 0.0, 1.0)


def tioli_private_costs(
    p: npt.ArrayLike, c: npt.ArrayLike, c_lo: npt.ArrayLike, c_hi: npt.ArrayLike,
) -> dict[str, np.ndarray]:
    """Optimal take-it-or-leave-it demand against a responder with private costs.

    The proposer wins a war with probability ``p`` at known cost ``c``; the
    responder's cost is ``U[c_lo, c_hi]`` and it accepts a demand ``y`` iff
    its cost is at least ``y - p``. The proposer maximises
    ``U(y) = y (1 - F(y - p)) + (p - c) F(y - p)`` (Fearon 1995, pp. 393–395;
    docs/models/fearon_tioli_private_costs.md), giving

    ``y* = min(1, clip(p + (c_hi - c) / 2, p + c_lo, p + c_hi))``.

    Returns
    -------
    dict of arrays
        ``demand`` (the proposer's share ``y*``), ``interior`` (the unclipped
        optimum ``p + (c_hi - c)/2``), ``p_war`` ``= F(y* - p)``, ``eu_proposer``,
        ``eu_responder`` (ex ante over its cost), ``regime`` (0 interior,
        1 safe offer ``p + c_lo``, 2 corner ``y* = 1``), ``safe_margin``
        (``c - (c_hi - 2 c_lo)``: the safe offer is optimal iff it is >= 0),
        ``corner_margin`` (``interior - 1``) and ``boundary``.
    """
    p, c, c_lo, c_hi = (np.asarray(a, dtype=float)
                        for a in np.broadcast_arrays(p, c, c_lo, c_hi))
    interior = p + (c_hi - c) / 2.0
    clipped = np.clip(interior, p + c_lo, p + c_hi)
    demand = np.minimum(1.0, clipped)
    p_war = _uniform_cdf(demand - p, c_lo, c_hi)
    eu_proposer = demand * (1.0 - p_war) + (p - c) * p_war
    eu_responder = responder_eu_private_costs(p, demand, c_lo, c_hi)
    safe_margin = c - (c_hi - 2.0 * c_lo)
    corner_margin = clipped - 1.0
    regime = np.where(corner_margin > BOUNDARY_TOL, 2,
                      np.where(interior <= p + c_lo + BOUNDARY_TOL, 1, 0))
    boundary = (np.abs(safe_margin) <= BOUNDARY_TOL) | (np.abs(corner_margin) <= BOUNDARY_TOL)
    return {
        "demand": demand,
        "interior": interior,
        "p_war": p_war,
        "eu_proposer": eu_proposer,
        "eu_responder": eu_responder,
        "regime": regime.astype(np.int64),
        "safe_margin": safe_margin,
        "corner_margin": corner_margin,
        "boundary": boundary,
    }


def responder_eu_private_costs(
    p: npt.ArrayLike, demand: npt.ArrayLike, c_lo: npt.ArrayLike, c_hi: npt.ArrayLike,
) -> np.ndarray:
    """Responder's ex-ante expected utility facing ``demand`` (costs ``U[c_lo, c_hi]``).

    It accepts (gets ``1 - demand``) when its cost is at least ``k = demand - p``
    and fights (gets ``1 - p - cost``) otherwise:
    ``(1 - demand)(1 - F(k)) + ∫_{c_lo}^{k} (1 - p - t) dt / (c_hi - c_lo)``.
    """
    p, y, c_lo, c_hi = (np.asarray(a, dtype=float)
                        for a in np.broadcast_arrays(p, demand, c_lo, c_hi))
    k = np.clip(y - p, c_lo, c_hi)
    span = c_hi - c_lo
    fight = ((1.0 - p) * (k - c_lo) - (k * k - c_lo * c_lo) / 2.0) / span
    return (1.0 - y) * (1.0 - (k - c_lo) / span) + fight


def _uniform_cdf(t: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    return np.clip((t - lo) / (hi - lo), 0.0, 1.0)


#: Regimes of :func:`fearon_range_outcome`, indexed by its ``regime`` codes.
RANGE_REGIMES: tuple[str, ...] = ("demand_accepted", "demand_rejected", "status_quo_kept",
                                  "tioli_revision", "empty_range")
_ACCEPT, _REJECT, _KEPT, _REVISED, _EMPTY = range(5)


def fearon_range_outcome(b: Mapping[str, Any]) -> dict[str, np.ndarray]:
    """The bargaining game at the range: the demand answered, or the status quo revised.

    ``b`` holds arrays ``p``, ``c_A``, ``c_B``, ``r_A``, ``r_B``, ``q``, ``x``,
    ``proposer`` (0 side A, 1 side B) and ``use_demand``. With ``use_demand``
    side B accepts ``x`` iff it is at most the upper end of the range (it
    accepts when indifferent); otherwise ``q`` stands if it lies in the range
    and is revised to the proposer's take-it-or-leave-it offer (the far end
    of the range) if not. An empty range (a negative cost) means war.

    Returns
    -------
    dict of arrays
        The :func:`bargaining_range` arrays, both offers ``offer_A`` and
        ``offer_B``, ``accepted``, ``demand_inside``, ``q_inside``, ``regime``
        (codes into ``RANGE_REGIMES``), the ``share`` agreed, ``war``, the
        payoffs ``payoff_A`` and ``payoff_B``, ``boundary`` and ``violated``.
    """
    p, c_A, c_B, r_A, r_B, q, x = (np.asarray(b[k], dtype=float)
                                   for k in ("p", "c_A", "c_B", "r_A", "r_B", "q", "x"))
    prop = np.asarray(b["proposer"], dtype=float)
    use = np.asarray(b["use_demand"], dtype=float)
    rng = bargaining_range(p, c_A, c_B, r_A, r_B)
    lo, hi, ok = rng["lower"], rng["upper"], rng["nonempty"]
    offer_A = np.clip(hi, 0.0, 1.0)
    offer_B = np.clip(lo, 0.0, 1.0)
    offer = np.where(prop > 0.5, offer_B, offer_A)
    accepted = x <= hi + BOUNDARY_TOL
    q_inside = (q >= lo - BOUNDARY_TOL) & (q <= hi + BOUNDARY_TOL)
    regime = np.where(
        ~ok, _EMPTY,
        np.where(use > 0.5, np.where(accepted, _ACCEPT, _REJECT),
                 np.where(q_inside, _KEPT, _REVISED)))
    share = np.select([regime == _ACCEPT, regime == _KEPT], [x, q], offer)
    war = (regime == _REJECT) | (regime == _EMPTY)
    pay_A = np.where(war, rng["war_A"], share ** r_A)
    pay_B = np.where(war, rng["war_B"], (1.0 - share) ** r_B)
    boundary = (np.abs(hi - lo) <= BOUNDARY_TOL) | np.where(
        use > 0.5, np.abs(x - hi) <= BOUNDARY_TOL,
        (np.abs(q - lo) <= BOUNDARY_TOL) | (np.abs(q - hi) <= BOUNDARY_TOL))
    return {
        **rng,
        "offer_A": offer_A,
        "offer_B": offer_B,
        "accepted": accepted,
        "demand_inside": accepted & (x >= lo - BOUNDARY_TOL),
        "q_inside": q_inside,
        "regime": regime.astype(np.int64),
        "share": share,
        "war": war,
        "payoff_A": pay_A,
        "payoff_B": pay_B,
        "boundary": boundary & ok,
        "violated": (c_A < 0) | (c_B < 0),
    }
