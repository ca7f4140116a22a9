"""Extended deterrence with a probabilistic commitment, vectorised over parameter arrays.

The game (Fearon 1997; Crawford 2003, *Pivotal Deterrence*; Benson 2012,
*Constructing International Security*, ch. 2-3): a challenger C makes a
demand on a client K, which a patron P may defend.

1. C keeps the status quo or demands ``x``;
2. K concedes or resists;
3. after resistance C attacks or backs down;
4. after an attack the patron's commitment binds with probability
   ``kappa`` (it is drawn in automatically, as by a tripwire force);
   otherwise the patron chooses to intervene or stay out.

===================  ===================  ==================  ============================
outcome              C                    K                   P
===================  ===================  ==================  ============================
status quo           ``q``                ``1 - q``           ``v_P (1 - q)``
concession           ``x``                ``1 - x``           ``v_P (1 - x)``
C backs down         ``q - a_C``          ``1 - q``           ``v_P (1 - q)``
K fights alone       ``p - c_C``          ``1 - p - c_K``     ``v_P (1 - p) - a_P``
war with the patron  ``p_J - c_C - e_C``  ``1 - p_J - c_K``   ``v_P (1 - p_J) - c_P``
===================  ===================  ==================  ============================

Backward induction, with the tie rules of models.md §0 (a responder concedes
when indifferent; an escalatory move only when strictly better):

* a free patron intervenes iff ``m_P = v_P (p - p_J) + a_P - c_P > 0``, so the
  probability of intervention is ``phi = kappa + (1 - kappa) [m_P > 0]``;
* C attacks iff ``E_C = (1 - phi)(p - c_C) + phi (p_J - c_C - e_C) > q - a_C``;
* K resists an attack it expects iff ``phi > phi_K = (p + c_K - x)/(p - p_J)``
  (K's resolve: a lower war cost ``c_K`` lowers ``phi_K``);
* C demands iff what follows beats ``q``; when K would resist that needs
  ``phi < phi_C = (p - c_C - q)/(p - p_J + e_C)``.

A commitment that raises ``phi`` past ``phi_K`` but not past ``phi_C``
emboldens the client without deterring the challenger: war, which the client
fights alone with probability ``1 - phi`` (Crawford's and Benson's point that
a firmer commitment can make war more likely). Outcome codes: ``0`` status quo,
``1`` concession, ``2`` backs down, ``3`` the client fights alone, ``4`` war with
the patron.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

__all__ = ["REGIMES", "NO_GAIN", "CONCEDES", "NOT_CREDIBLE", "DETERRED", "WAR_ALONE",
           "WAR_MAYBE", "WAR_JOINT", "solve"]

#: Regime names, indexed by the ``regime`` codes of :func:`solve`.
REGIMES: tuple[str, ...] = (
    "no_gain_from_demand",
    "client_concedes",
    "threat_not_credible",
    "challenger_deterred",
    "war_client_alone",
    "war_patron_may_intervene",
    "war_patron_intervenes",
)
NO_GAIN, CONCEDES, NOT_CREDIBLE, DETERRED, WAR_ALONE, WAR_MAYBE, WAR_JOINT = range(7)

_TOL = 1e-12


def solve(
    q: npt.ArrayLike, x: npt.ArrayLike, p: npt.ArrayLike, p_J: npt.ArrayLike,
    c_C: npt.ArrayLike, e_C: npt.ArrayLike, a_C: npt.ArrayLike, c_K: npt.ArrayLike,
    v_P: npt.ArrayLike, c_P: npt.ArrayLike, a_P: npt.ArrayLike, kappa: npt.ArrayLike,
    *, tol: float = _TOL,
) -> dict[str, np.ndarray]:
    """Subgame-perfect equilibrium of the extended-deterrence game at every point.

    Returns
    -------
    dict of arrays
        ``regime`` (code into :data:`REGIMES`); choices ``demands``,
        ``concedes``, ``attacks``, ``free_intervenes`` (bool, on or off the
        path); ``phi`` (probability the patron fights if C attacks); the
        thresholds ``phi_K`` and ``phi_C`` (``nan`` when ``p <= p_J``) and the
        commitment levels ``kappa_K``, ``kappa_C`` that reach them (``nan`` when
        unreachable by ``kappa`` alone); outcome probabilities ``P_sq``,
        ``P_concede``, ``P_back_down``, ``P_alone``, ``P_joint``; payoffs ``u_C``,
        ``u_K``, ``u_P``; margins ``m_patron``, ``m_credible``, ``m_concede``,
        ``m_demand``; and flags ``boundary``, ``violated``.
    """
    arrays = np.broadcast_arrays(*(np.asarray(a, dtype=float) for a in (
        q, x, p, p_J, c_C, e_C, a_C, c_K, v_P, c_P, a_P, kappa)))
    q, x, p, p_J, c_C, e_C, a_C, c_K, v_P, c_P, a_P, kappa = arrays
    # Patron (if its commitment does not bind): fight only if strictly better.
    m_patron = v_P * (p - p_J) + a_P - c_P
    free = m_patron > tol
    phi = kappa + (1.0 - kappa) * free
    # Challenger after resistance.
    war_C = (1.0 - phi) * (p - c_C) + phi * (p_J - c_C - e_C)
    m_credible = war_C - (q - a_C)
    attacks = m_credible > tol
    # Client after the demand: concede when indifferent.
    war_K = (1.0 - phi) * (1.0 - p - c_K) + phi * (1.0 - p_J - c_K)
    resist_K = np.where(attacks, war_K, 1.0 - q)
    m_concede = (1.0 - x) - resist_K
    concedes = m_concede >= -tol
    # Challenger at the start.
    after_C = np.where(concedes, x, np.where(attacks, war_C, q - a_C))
    m_demand = after_C - q
    demands = m_demand > tol

    war = demands & ~concedes & attacks
    P_concede = (demands & concedes).astype(float)
    P_back_down = (demands & ~concedes & ~attacks).astype(float)
    P_alone = war * (1.0 - phi)
    P_joint = war * phi
    P_sq = 1.0 - P_concede - P_back_down - P_alone - P_joint

    regime = np.full(q.shape, NO_GAIN, dtype=np.int64)  # no demand: conceding gains C nothing
    regime[demands & concedes] = CONCEDES
    regime[~demands & ~concedes & ~attacks] = NOT_CREDIBLE
    regime[~demands & ~concedes & attacks] = DETERRED
    regime[war & (phi <= tol)] = WAR_ALONE
    regime[war & (phi > tol) & (phi < 1.0 - tol)] = WAR_MAYBE
    regime[war & (phi >= 1.0 - tol)] = WAR_JOINT

    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        gap = p - p_J
        phi_K = np.where(gap > tol, (p + c_K - x) / gap, np.nan)
        phi_C = np.where(gap + e_C > tol, (p - c_C - q) / (gap + e_C), np.nan)

    def reach(level: np.ndarray) -> np.ndarray:
        # kappa at which phi hits ``level``: only a patron that stays out by choice
        # leaves phi = kappa; one that would intervene anyway makes phi = 1.
        return np.where(~free & (level >= 0) & (level <= 1), level, np.nan)

    u_C = P_sq * q + P_concede * x + P_back_down * (q - a_C) + P_alone * (p - c_C) \
        + P_joint * (p_J - c_C - e_C)
    u_K = (P_sq + P_back_down) * (1.0 - q) + P_concede * (1.0 - x) \
        + P_alone * (1.0 - p - c_K) + P_joint * (1.0 - p_J - c_K)
    u_P = (P_sq + P_back_down) * v_P * (1.0 - q) + P_concede * v_P * (1.0 - x) \
        + P_alone * (v_P * (1.0 - p) - a_P) + P_joint * (v_P * (1.0 - p_J) - c_P)

    boundary = (np.abs(m_credible) <= tol) | (np.abs(m_concede) <= tol) \
        | (np.abs(m_demand) <= tol) | ((np.abs(m_patron) <= tol) & (kappa < 1.0))
    return {
        "regime": regime,
        "demands": demands,
        "concedes": concedes,
        "attacks": attacks,
        "free_intervenes": free,
        "phi": phi,
        "phi_K": phi_K,
        "phi_C": phi_C,
        "kappa_K": reach(phi_K),
        "kappa_C": reach(phi_C),
        "P_sq": P_sq,
        "P_concede": P_concede,
        "P_back_down": P_back_down,
        "P_alone": P_alone,
        "P_joint": P_joint,
        "u_C": u_C,
        "u_K": u_K,
        "u_P": u_P,
        "m_patron": m_patron,
        "m_credible": m_credible,
        "m_concede": m_concede,
        "m_demand": m_demand,
        "boundary": boundary,
        "violated": p_J > p + tol,
    }
