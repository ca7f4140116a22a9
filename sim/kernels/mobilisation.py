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

__all__ = ["REGIMES", "OUTCOMES", "CONTINUOUS_REGIMES", "payoffs", "outcome_payoffs",
           "thresholds", "solve", "solve_continuous"]

#: Regime names, indexed by the codes of :func:`solve`.
REGIMES: tuple[str, ...] = (
    "separating",
    "semi_separating",
    "build_up_to_fight",
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
    c_A: npt.ArrayLike, c_B: npt.ArrayLike, *, tol: float = _TOL,
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


def outcome_payoffs(
    p: float, k: float, m: float, s_A: float, a_A: float, v: float, c_A: float, c_B: float,
    build_up: bool,
) -> dict[str, tuple[float, float]]:
    """(challenger, target) payoffs of each outcome for a type valuing the stakes at ``v``.

    The table of the module docstring, for one point; :func:`payoffs` is its
    vectorised, reduced form and the game tree of the model is built from it.
    """
    pj = p + k * m * (1 - p) if build_up else p
    sunk = s_A * m if build_up else 0.0
    aud = a_A * m if build_up else 0.0
    return {"concede": (v - sunk, 0.0),
            "war": (pj * v - c_A - sunk, 1 - pj - c_B),
            "back_down": (-aud - sunk, 1.0)}


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
    c_A: npt.ArrayLike, c_B: npt.ArrayLike, pi: npt.ArrayLike, *, tol: float = _TOL,
) -> dict[str, np.ndarray]:
    """The selected PBE (D1, then sender-preferred), its outcome probabilities and regime.

    Returns the keys of :func:`sim.kernels.signalling_pbe.solve_pbe` plus
    ``regime`` (code into :data:`REGIMES`), ``probs`` ``(n, 4)`` over
    :data:`OUTCOMES`, ``p_war``, ``eu_A``, ``eu_B``, ``fights``,
    ``p_concede_resolved`` (the probability that the target concedes to a
    resolved challenger), ``p_build_up`` and the thresholds.
    """
    g = payoffs(p, k, m, s_A, a_A, v_res_A, v_irr_A, c_A, c_B, tol=tol)
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
    regime = np.full(n, 7, dtype=np.int64)
    regime[(kind == sp.SEPARATING) & on_build] = 0
    regime[kind == sp.HYBRID_T0_M0] = 1
    # Only the resolved type builds up, and is resisted anyway: it builds up to fight.
    regime[(kind == sp.SEPARATING) & ~on_build] = 2
    regime[(kind == sp.POOL_M0) & on_build] = 3
    regime[(kind == sp.POOL_M0) & ~on_build] = 4
    regime[(kind == sp.POOL_M1) & on_none] = 5
    regime[(kind == sp.POOL_M1) & ~on_none] = 6
    sigma, rho = r["sigma"], r["rho"]
    p_concede_res = sigma[0] * rho[0] + (1 - sigma[0]) * rho[1]
    th = thresholds(p, k, s_A, a_A, v_res_A, v_irr_A, c_A, c_B, m)
    boundary = r["boundary"] | (np.abs(g["margin"]) <= tol).any(axis=(0, 1))
    return {**r, **th, "regime": regime, "probs": probs, "p_war": war,
            "eu_A": r["eu_S"], "eu_B": r["eu_R"], "fights": fights, "p_m": g["p_m"],
            "p_concede_resolved": p_concede_res,
            "p_build_up": pi_a * sigma[0] + (1 - pi_a) * sigma[1], "boundary": boundary}


# -- continuous types ---------------------------------------------------------------

#: Regime names of :func:`solve_continuous`, indexed by its codes.
CONTINUOUS_REGIMES: tuple[str, ...] = (
    "no_build_up_target_concedes",
    "cutoff_separating",
    "cutoff_semi_separating",
    "build_up_to_fight",
    "pooling_on_build_up_target_concedes",
    "pooling_on_build_up_target_resists",
    "no_build_up_target_resists",
)
(C_POOL_N_CONCEDE, C_CUTOFF, C_SEMI, C_FIGHT, C_POOL_M_CONCEDE, C_POOL_M_RESIST,
 C_POOL_N_RESIST) = range(7)


def _overlap(lo: np.ndarray, hi: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Length of ``[lo, hi]`` above ``w``."""
    return np.clip(hi - np.maximum(lo, w), 0.0, None) * (hi > lo)


def _int_max_linear(lo: np.ndarray, hi: np.ndarray, slope: np.ndarray, icept: np.ndarray,
                    floor: np.ndarray) -> np.ndarray:
    """Exact integral over ``[lo, hi]`` of ``max(slope v - icept, floor)`` (slope >= 0)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        kink = np.where(slope > 0, (icept + floor) / slope, np.inf)
    k = np.clip(kink, lo, hi)
    below = floor * (k - lo)
    above = slope * (hi ** 2 - k ** 2) / 2 - icept * (hi - k)
    return below + above


def solve_continuous(
    p: npt.ArrayLike, k: npt.ArrayLike, m: npt.ArrayLike, s_A: npt.ArrayLike,
    a_A: npt.ArrayLike, c_A: npt.ArrayLike, c_B: npt.ArrayLike, v_lo_A: npt.ArrayLike,
    v_hi_A: npt.ArrayLike, *, tol: float = _TOL,
) -> dict[str, np.ndarray]:
    """Cut-off PBE when the challenger's value of the stakes is uniform on ``[v_lo, v_hi]``.

    The game is that of :func:`payoffs`, with a continuum of types. A type v
    fights after message j iff ``p_j v - c_A > -a_j``, i.e. ``v > w_j =
    (c_A - a_j)/p_j``. The target concedes after j iff the share of fighters
    among the types that send j is at least ``mu*_j = 1/(p_j + c_B)``. Because
    a type's gain from building up rises with v, every equilibrium is a cut-off:
    types above ``v*`` build up. Candidates, in the order reported:

    * nobody builds up and the target concedes (the prior share of fighters is
      at least ``mu*_none``);
    * cut-off separation: the target concedes to a build-up and resists
      otherwise; ``v*`` solves ``v - max(p v - c_A, 0) = s_A m`` (the marginal
      type's gain from a concession equals the sunk cost; Fearon 1997);
    * cut-off semi-separation: the share of fighters above ``v*`` equals
      ``mu*_build``, ``v* = v_hi - (v_hi - w_m)/mu*_build``, and the target
      concedes to a build-up with the probability that leaves ``v*`` indifferent;
    * building up to fight: the target resists whatever it sees, and the types
      above ``v*`` build up because the better odds are worth the cost in the
      war they will fight (Slantchev 2005); ``v*`` solves
      ``max(p_m v - c_A, -a m) - s_A m = max(p v - c_A, 0)``;
    * everybody builds up (the target concedes, or resists);
    * nobody builds up and the target resists.

    Pooling candidates must pass D1: off the path the target's belief sits on
    the type most eager to deviate (the highest type for a build-up, the
    lowest for its absence).

    Returns
    -------
    dict of arrays
        ``regime`` (code into :data:`CONTINUOUS_REGIMES`), ``v_star`` (the
        cut-off; ``nan`` when nobody or everybody builds up), ``rho_build``,
        ``rho_none`` (P(concede) after each message), ``probs`` ``(n, 4)`` over
        :data:`OUTCOMES`, ``p_war``, ``p_build_up``, ``eu_A``, ``eu_B``,
        ``w_build``, ``w_none``, ``mu_star_build_up``, ``mu_star_none``,
        ``valid`` ``(7, n)`` (which candidates are D1 equilibria), ``n_pbe``
        (PBE found, including a no-build-up PBE that fails D1, flagged by
        ``no_build_up_fails_d1``), ``multiple`` and ``boundary``.
    """
    p, k, m, s, a, c_A, c_B, lo, hi = (np.atleast_1d(x).astype(float) for x in
                                       np.broadcast_arrays(p, k, m, s_A, a_A, c_A, c_B,
                                                           v_lo_A, v_hi_A))
    n = p.shape[0]
    pm = p + k * m * (1 - p)
    sig = s * m
    aud = a * m
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        w_m = np.where(pm > 0, (c_A - aud) / pm, np.where(c_A - aud < 0, -np.inf, np.inf))
        w_n = np.where(p > 0, c_A / p, np.where(c_A < 0, -np.inf, np.inf))
    width = hi - lo

    def share(a_: np.ndarray, b_: np.ndarray, w: np.ndarray) -> np.ndarray:
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(b_ > a_, _overlap(a_, b_, w) / (b_ - a_), (b_ > w).astype(float))

    def concedes(phi: np.ndarray, pj: np.ndarray) -> np.ndarray:
        return 1 - phi * (pj + c_B) <= tol  # resist payoff 1 - phi (p_j + c_B) <= 0

    margins = []
    # Nobody builds up; the target concedes on its prior.
    phi0 = share(lo, hi, w_n)
    pool_n_concede = concedes(phi0, p)
    margins.append(np.abs(1 - phi0 * (p + c_B)))
    # Cut-off separation: v* solves v - max(p v - c_A, 0) = sigma.
    v_cut = np.where(sig <= w_n, sig, (sig - c_A) / np.where(p < 1, 1 - p, np.nan))
    inside = (v_cut > lo + tol) & (v_cut < hi - tol)
    phi_m = share(v_cut, hi, w_m)
    phi_n = share(lo, v_cut, w_n)
    cutoff = inside & concedes(phi_m, pm) & (1 - phi_n * (p + c_B) > tol)
    # Semi-separation: the share of fighters above v* equals mu*_build.
    with np.errstate(divide="ignore", invalid="ignore"):
        mu_b = np.where(pm + c_B > 1, 1 / (pm + c_B), np.nan)
        mu_n = np.where(p + c_B > 1, 1 / (p + c_B), np.nan)
        v_semi = hi - (hi - w_m) / mu_b
        v_safe = np.where(np.isfinite(v_semi), v_semi, lo)
        v_n = np.maximum(p * v_safe - c_A, 0.0)
        rho_semi = (v_n + sig + aud) / (v_safe + aud)
    semi = np.isfinite(v_semi) & (v_semi > lo + tol) & (v_semi < w_m - tol) & (w_m < hi)
    semi &= (rho_semi >= -tol) & (rho_semi <= 1 + tol)
    semi &= 1 - share(lo, v_safe, w_n) * (p + c_B) > tol
    rho_semi = np.clip(np.where(semi, rho_semi, 0.0), 0.0, 1.0)
    # Everybody builds up.
    phi_all_m = share(lo, hi, w_m)
    conc_all_m = concedes(phi_all_m, pm)
    lowest_resisted = 1 - (lo > w_n) * (p + c_B) > tol  # the target resists type v_lo at N
    gain_lo = lo - np.maximum(p * lo - c_A, 0.0)  # the lowest type's gain from a concession
    pool_m_concede = conc_all_m & (gain_lo >= sig - tol) & lowest_resisted
    # Resisted after either message, a type gains d(v) = max(p_m v - c, -a m) - sigma
    # - max(p v - c, 0) by building up; d is non-decreasing, so it has one root.
    def gain_resisted(v: np.ndarray) -> np.ndarray:
        return np.maximum(pm * v - c_A, -aud) - sig - np.maximum(p * v - c_A, 0.0)

    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        v_mid = (c_A + sig) / pm  # root where the type fights only after a build-up
        v_top = sig / (pm - p)  # root where it fights either way
    v_fight = np.where((v_mid >= w_m) & (v_mid <= w_n), v_mid,
                       np.where(v_top >= w_n, v_top, np.nan))
    v_fight = np.where(np.isfinite(v_fight), v_fight, np.nan)
    vf = np.where(np.isfinite(v_fight), v_fight, lo)
    fight_cut = (np.isfinite(v_fight) & (v_fight > lo + tol) & (v_fight < hi - tol)
                 & (1 - share(vf, hi, w_m) * (pm + c_B) > tol)
                 & (1 - share(lo, vf, w_n) * (p + c_B) > tol))
    pool_m_resist = ~conc_all_m & (gain_resisted(lo) >= -tol) & lowest_resisted
    # Nobody builds up, the target resists. A build-up is deterred by resisting it if
    # some belief supports resistance (a type that would back down after it, or a
    # target that would fight even a fighter), and D1 puts the belief on v_hi.
    resist_ok = (lo <= w_m) | (pm + c_B < 1 - tol)
    deterred = resist_ok & (gain_resisted(hi) <= tol)
    deterred |= ~resist_ok & (hi - sig <= np.maximum(p * hi - c_A, 0.0) + tol)
    v_hi_gains = hi - sig > np.maximum(p * hi - c_A, 0.0) + tol
    hi_conceded = (hi > w_m) & (pm + c_B >= 1 - tol)
    pool_n_resist_pbe = ~pool_n_concede & deterred
    pool_n_resist = pool_n_resist_pbe & ~(v_hi_gains & hi_conceded)
    valid = np.stack([pool_n_concede, cutoff, semi, fight_cut, pool_m_concede, pool_m_resist,
                      pool_n_resist])
    n_pbe = np.stack([pool_n_concede, cutoff, semi, fight_cut, pool_m_concede, pool_m_resist,
                      pool_n_resist_pbe]).sum(axis=0)
    regime = np.argmax(valid, axis=0).astype(np.int64)
    found = valid.any(axis=0)
    regime = np.where(found, regime, C_POOL_N_RESIST)

    v_star = np.full(n, np.nan)
    rho_b = np.zeros(n)
    rho_n = np.zeros(n)
    cut_lo = hi.copy()  # the types in [cut_lo, hi] build up
    for code, vs, rb, rn in ((C_POOL_N_CONCEDE, hi, 0.0, 1.0), (C_CUTOFF, v_cut, 1.0, 0.0),
                             (C_SEMI, v_semi, rho_semi, 0.0), (C_FIGHT, v_fight, 0.0, 0.0),
                             (C_POOL_M_CONCEDE, lo, 1.0, 0.0),
                             (C_POOL_M_RESIST, lo, 0.0, 0.0), (C_POOL_N_RESIST, hi, 0.0, 0.0)):
        sel = regime == code
        cut_lo = np.where(sel, vs, cut_lo)
        rho_b = np.where(sel, rb, rho_b)
        rho_n = np.where(sel, rn, rho_n)
    interior = (regime == C_CUTOFF) | (regime == C_SEMI) | (regime == C_FIGHT)
    v_star = np.where(interior, cut_lo, np.nan)
    # Off-path replies where nobody (everybody) builds up: concession (resistance).
    rho_b = np.where(regime == C_POOL_N_CONCEDE, 1.0, rho_b)
    mass_m = np.where(width > 0, (hi - cut_lo) / width, 0.0)
    mass_n = 1 - mass_m
    fight_m = np.where(width > 0, _overlap(cut_lo, hi, w_m) / width, 0.0)
    fight_n = np.where(width > 0, _overlap(lo, cut_lo, w_n) / width, 0.0)
    probs = np.stack([
        mass_m * rho_b,
        mass_n * rho_n,
        (1 - rho_b) * fight_m + (1 - rho_n) * fight_n,
        (1 - rho_b) * (mass_m - fight_m) + (1 - rho_n) * (mass_n - fight_n),
    ], axis=1)
    # Ex-ante payoffs, integrated exactly over the uniform prior.
    with np.errstate(divide="ignore", invalid="ignore"):
        inv = np.where(width > 0, 1 / width, 0.0)
    int_m = (rho_b * (hi ** 2 - cut_lo ** 2) / 2
             + (1 - rho_b) * _int_max_linear(cut_lo, hi, pm, c_A, -aud)
             - sig * (hi - cut_lo))
    int_n = (rho_n * (cut_lo ** 2 - lo ** 2) / 2
             + (1 - rho_n) * _int_max_linear(lo, cut_lo, p, c_A, np.zeros(n)))
    eu_A = (int_m + int_n) * inv
    eu_B = ((1 - rho_b) * (fight_m * (1 - pm - c_B) + (mass_m - fight_m))
            + (1 - rho_n) * (fight_n * (1 - p - c_B) + (mass_n - fight_n)))
    boundary = ~found | (inside & (np.abs(1 - phi_m * (pm + c_B)) <= tol))
    boundary |= (regime == C_POOL_N_CONCEDE) & (margins[0] <= tol)
    boundary |= interior & (np.abs(cut_lo - lo) <= tol)
    return {"regime": regime, "v_star": v_star, "rho_build": rho_b, "rho_none": rho_n,
            "probs": probs, "p_war": probs[:, 2], "p_build_up": mass_m, "eu_A": eu_A,
            "eu_B": eu_B, "w_build": w_m, "w_none": w_n, "mu_star_build_up": mu_b,
            "mu_star_none": mu_n, "valid": valid, "n_pbe": n_pbe, "multiple": n_pbe >= 2,
            "no_build_up_fails_d1": pool_n_resist_pbe & ~pool_n_resist,
            "boundary": boundary, "found": found, "p_m": pm}
