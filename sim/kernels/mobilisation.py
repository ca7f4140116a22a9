"""Costly signalling by military mobilisation: payoffs and thresholds over numpy arrays.

A challenger, resolved (it values the stakes at ``v_res``) with prior ``pi``
or irresolute (``v_irr <= v_res``), demands the stakes, either after a
build-up of size ``m`` in [0, 1] or without one. The target concedes or
resists; a resisted challenger fights or backs down. The build-up

* sinks a cost ``s m`` that is paid whatever happens (Fearon 1997, sinking
  costs);
* ties hands: backing down after it costs ``a m`` (Fearon 1997, tying hands);
* shifts the balance: the probability that the challenger wins a war rises
  from ``p`` to ``p_m = p + k m (1 - p)`` (Slantchev 2005).

Payoffs (stakes worth 1 to the target; the challenger's ``v`` per type):

==================  ==========================  ===========================
after message j     challenger of type t        target
==================  ==========================  ===========================
concession          ``v_t - s_j``               ``0``
war                 ``p_j v_t - c_A - s_j``     ``1 - p_j - c_B``
back down           ``-a_j - s_j``              ``1``
==================  ==========================  ===========================

with ``s_j, a_j = s m, a m`` after a build-up and ``0`` without one. A
resisted type fights iff ``p_j v_t - c_A > -a_j`` (strictly). The PBE is
found by :func:`sim.kernels.signalling_pbe.solve_pbe`.

Closed-form thresholds (the standard case: the resolved type fights, the
irresolute one does not without a build-up, and the target would concede
to a challenger it knew to be resolved):

* the target's indifference belief after message j,
  ``mu*_j = 1 / (p_j + c_B)`` (it concedes iff ``P(resolved) >= mu*_j``);
* the sunk-cost separation size ``m_cost = (v_irr - V_irr) / s``, where
  ``V_irr = max(p v_irr - c_A, 0)`` is the irresolute type's payoff when
  resisted without a build-up: above it, mimicking costs the bluffer more
  than a concession is worth (Fearon 1997, the costly-signal condition);
* the balance size ``m_bal = (1 - p - c_B) / (k (1 - p))`` above which the
  target would rather concede than fight a resolved challenger;
* ``m_sep = max(m_cost, m_bal, 0)``: the signal separates for
  ``m_sep <= m <= m_max = (v_res - V_res) / s``;
* ``m_fight = (c_A - p v_irr) / (k (1 - p) v_irr + a)``: above it the
  irresolute type would fight after a build-up (the build-up changes what it
  would do, not only what the target believes).

References
----------
Fearon, J. D. (1997). Signaling foreign policy interests: tying hands versus
sinking costs. *Journal of Conflict Resolution* 41(1), 68-90.
Slantchev, B. L. (2005). Military coercion in interstate crises. *APSR*
99(4), 533-547.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from sim.kernels import signalling_pbe as sp

__all__ = ["REGIMES", "OUTCOMES", "payoffs", "thresholds", "solve"]

#: Regime names, indexed by the codes of :func:`solve`.
REGIMES: tuple[str, ...] = (
    "separating",
    "semi_separating",
    "pooling_on_build_up_target_concedes",
    "pooling_on_build_up_target_resists",
    "no_build_up_target_concedes",
    "no_build_up_target_resists",
    "other_signalling",
)

#: Outcome labels: concession with or without a build-up, war, backing down.
OUTCOMES: tuple[str, ...] = ("Concession after a build-up", "Concession without a build-up",
                             "War", "Challenger backs down")

_TOL = 1e-12


def payoffs(
    p: npt.ArrayLike, k: npt.ArrayLike, m: npt.ArrayLike, s_A: npt.ArrayLike,
    a_A: npt.ArrayLike, v_res_A: npt.ArrayLike, v_irr_A: npt.ArrayLike,
    c_A: npt.ArrayLike, c_B: npt.ArrayLike, tol: float = _TOL,
) -> dict[str, np.ndarray]:
    """The reduced signalling game: ``S``, ``R`` of shape ``(2, 2, 2, n)`` and who fights.

    Types ``(resolved, irresolute)``, messages ``(build-up, none)``, replies
    ``(concede, resist)``; ``fights[t, j]`` says whether type t fights when
    resisted after message j, ``margin[t, j]`` is its war payoff minus its
    back-down payoff.
    """
    p, k, m, s, a, v_r, v_i, c_A, c_B = (np.atleast_1d(x).astype(float) for x in
                                         np.broadcast_arrays(p, k, m, s_A, a_A, v_res_A,
                                                             v_irr_A, c_A, c_B))
    n = p.shape[0]
    pj = np.stack([p + k * m * (1 - p), p])  # (message, n)
    sunk = np.stack([s * m, np.zeros(n)])
    aud = np.stack([a * m, np.zeros(n)])
    v = np.stack([v_r, v_i])  # (type, n)
    war = pj[None] * v[:, None] - c_A  # (type, message, n)
    margin = war + aud[None]
    fights = margin > tol
    resisted = np.where(fights, war, -aud[None])
    S = np.empty((2, 2, 2, n))
    S[:, :, 0] = v[:, None] - sunk[None]
    S[:, :, 1] = resisted - sunk[None]
    R = np.empty((2, 2, 2, n))
    R[:, :, 0] = 0.0
    R[:, :, 1] = np.where(fights, 1 - pj[None] - c_B, 1.0)
    return {"S": S, "R": R, "fights": fights, "margin": margin, "p_m": pj[0]}


def thresholds(
    p: npt.ArrayLike, k: npt.ArrayLike, s_A: npt.ArrayLike, a_A: npt.ArrayLike,
    v_res_A: npt.ArrayLike, v_irr_A: npt.ArrayLike, c_A: npt.ArrayLike,
    c_B: npt.ArrayLike, m: npt.ArrayLike,
) -> dict[str, np.ndarray]:
    """The build-up sizes of the module docstring (``inf`` where never reached)."""
    p, k, s, a, v_r, v_i, c_A, c_B, m = (np.atleast_1d(x).astype(float) for x in
                                         np.broadcast_arrays(p, k, s_A, a_A, v_res_A,
                                                             v_irr_A, c_A, c_B, m))
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        gain_irr = v_i - np.maximum(p * v_i - c_A, 0.0)
        gain_res = v_r - np.maximum(p * v_r - c_A, 0.0)
        m_cost = np.where(s > 0, gain_irr / s, np.where(gain_irr > 0, np.inf, 0.0))
        m_max = np.where(s > 0, gain_res / s, np.inf)
        lift = k * (1 - p)
        need = 1 - p - c_B
        m_bal = np.where(need <= 0, 0.0, np.where(lift > 0, need / lift, np.inf))
        shortfall = c_A - p * v_i
        slope = lift * v_i + a
        m_fight = np.where(shortfall < 0, 0.0,
                           np.where(slope > 0, shortfall / slope, np.inf))
        p_m = p + k * m * (1 - p)
        mu_build = np.where(p_m + c_B > 1, 1 / (p_m + c_B), np.nan)
        mu_none = np.where(p + c_B > 1, 1 / (p + c_B), np.nan)
    m_sep = np.maximum(np.maximum(m_cost, m_bal), 0.0)
    return {"m_cost": m_cost, "m_bal": m_bal, "m_sep": m_sep, "m_max": m_max,
            "m_fight": m_fight, "mu_star_build_up": mu_build, "mu_star_none": mu_none}


def solve(
    p: npt.ArrayLike, k: npt.ArrayLike, m: npt.ArrayLike, s_A: npt.ArrayLike,
    a_A: npt.ArrayLike, v_res_A: npt.ArrayLike, v_irr_A: npt.ArrayLike,
    c_A: npt.ArrayLike, c_B: npt.ArrayLike, pi: npt.ArrayLike, tol: float = _TOL,
) -> dict[str, np.ndarray]:
    """The selected PBE (D1, then sender-preferred), its outcome probabilities and regime.

    Returns the keys of :func:`sim.kernels.signalling_pbe.solve_pbe` plus
    ``regime`` (code into :data:`REGIMES`), ``probs`` ``(n, 4)`` over
    :data:`OUTCOMES`, ``p_war``, ``eu_A``, ``eu_B``, ``fights``,
    ``p_concede_resolved`` (the probability that the target concedes to a
    resolved challenger), ``p_build_up`` and the thresholds.
    """
    g = payoffs(p, k, m, s_A, a_A, v_res_A, v_irr_A, c_A, c_B, tol)
    n = g["S"].shape[-1]
    pi_a = np.broadcast_to(np.asarray(pi, dtype=float), (n,)).copy()
    r = sp.solve_pbe(pi_a, g["S"], g["R"], tol)
    P, fights = r["P"], g["fights"]
    conc_build = P[:, 0, 0].sum(axis=0)
    conc_none = P[:, 1, 0].sum(axis=0)
    war = (P[:, :, 1] * fights).sum(axis=(0, 1))
    back = (P[:, :, 1] * ~fights).sum(axis=(0, 1))
    probs = np.stack([conc_build, conc_none, war, back], axis=1)
    kind = r["kind"]
    on_build = r["rho"][0] >= 1 - tol
    on_none = r["rho"][1] >= 1 - tol
    regime = np.full(n, 6, dtype=np.int64)
    regime[kind == sp.SEPARATING] = 0
    regime[kind == sp.HYBRID_T0_M0] = 1
    regime[(kind == sp.POOL_M0) & on_build] = 2
    regime[(kind == sp.POOL_M0) & ~on_build] = 3
    regime[(kind == sp.POOL_M1) & on_none] = 4
    regime[(kind == sp.POOL_M1) & ~on_none] = 5
    sigma, rho = r["sigma"], r["rho"]
    p_concede_res = sigma[0] * rho[0] + (1 - sigma[0]) * rho[1]
    th = thresholds(p, k, s_A, a_A, v_res_A, v_irr_A, c_A, c_B, m)
    boundary = r["boundary"] | (np.abs(g["margin"]) <= tol).any(axis=(0, 1))
    return {**r, **th, "regime": regime, "probs": probs, "p_war": war,
            "eu_A": r["eu_S"], "eu_B": r["eu_R"], "fights": fights, "p_m": g["p_m"],
            "p_concede_resolved": p_concede_res,
            "p_build_up": pi_a * sigma[0] + (1 - pi_a) * sigma[1], "boundary": boundary}
