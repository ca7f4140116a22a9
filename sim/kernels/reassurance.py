"""Costly reassurance under a security dilemma: payoffs and thresholds over numpy arrays.

Side A is a security seeker with prior ``pi`` or greedy; Side B does not
know which (Kydd 1997, *World Politics* 49(3); Kydd 2005, *Trust and Mistrust
in International Relations*, ch. 7). The game:

1. Side A restrains itself (a reassuring gesture that costs it ``r_A``
   whatever happens) or expands;
2. Side B, having seen the move, trusts (cooperates) or arms (defects);
3. a trusted Side A cooperates or exploits the trust.

Payoffs (the spiral of mutual arming is worth 0 to both):

=================  ====================  ======================  =========
outcome            security seeker A     greedy A                Side B
=================  ====================  ======================  =========
mutual cooperation ``u_A``               ``0``                   ``1``
exploitation       ``0``                 ``g_A``                 ``-l_B``
spiral             ``0``                 ``0``                   ``0``
=================  ====================  ======================  =========

minus ``r_A`` for Side A after restraint. A trusted security seeker
cooperates iff ``u_A > 0``, a greedy one exploits iff ``g_A > 0`` (an
escalatory move only when strictly better). Side B trusts iff its belief
that Side A is a security seeker is at least the trust threshold

    ``t* = l_B / (1 + l_B)``.

Equilibria (by :func:`sim.kernels.signalling_pbe.solve_pbe`):

* ``pi >= t*``: trust without reassurance (nobody restrains, B trusts);
* ``pi < t*`` and ``g_A <= r_A <= u_A``: costly reassurance separates: only
  the security seeker restrains, B trusts restraint and arms otherwise;
* ``pi < t*`` and ``r_A < g_A <= u_A``: partial reassurance; the greedy type
  mimics with ``beta = pi (1 - t*) / ((1 - pi) t*)`` and B trusts restraint
  with ``rho = r_A / g_A``;
* otherwise the spiral: nobody can afford to reassure, B arms, and even a
  security seeker ends in mutual arming (Kydd 1997's spiral).

Reassurance is possible only if ``u_A >= g_A``: the security seeker must
value cooperation more than the greedy type values exploiting it.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from sim.kernels import signalling_pbe as sp

__all__ = ["REGIMES", "OUTCOMES", "outcome_payoffs", "payoffs", "solve"]

#: Regime names, indexed by the codes of :func:`solve`.
REGIMES: tuple[str, ...] = (
    "reassurance_separates",
    "partial_reassurance",
    "trust_without_reassurance",
    "spiral",
    "pooling_on_restraint",
    "other_signalling",
)

#: Outcome labels.
OUTCOMES: tuple[str, ...] = ("Mutual cooperation", "Exploitation", "Spiral")

_TOL = 1e-12


def outcome_payoffs(r_A: float, u_A: float, g_A: float, l_B: float, security_seeker: bool,
                    restrained: bool) -> dict[str, tuple[float, float]]:
    """(Side A, Side B) payoffs of each outcome for one type and move, at one point.

    The table of the module docstring; :func:`payoffs` is its vectorised,
    reduced form and the game tree of the model is built from it.
    """
    cost = r_A if restrained else 0.0
    coop, expl = (u_A, 0.0) if security_seeker else (0.0, g_A)
    return {"cooperation": (coop - cost, 1.0), "exploitation": (expl - cost, -l_B),
            "spiral": (-cost, 0.0)}


def payoffs(r_A: npt.ArrayLike, u_A: npt.ArrayLike, g_A: npt.ArrayLike, l_B: npt.ArrayLike,
            *, tol: float = _TOL) -> dict[str, np.ndarray]:
    """The reduced signalling game: ``S``, ``R`` of shape ``(2, 2, 2, n)``.

    Types ``(security seeker, greedy)``, messages ``(restrain, expand)``,
    replies ``(trust, arm)``; ``exploits[t]`` says whether a trusted type t
    exploits.
    """
    r, u, g, l_B = (np.atleast_1d(x).astype(float) for x in np.broadcast_arrays(r_A, u_A, g_A,
                                                                               l_B))
    n = r.shape[0]
    coop = np.stack([u, np.zeros(n)])  # each type's mutual-cooperation payoff
    expl = np.stack([np.zeros(n), g])  # each type's exploitation payoff
    exploits = expl - coop > tol
    trusted = np.where(exploits, expl, coop)
    cost = np.stack([r, np.zeros(n)])  # by message
    S = np.empty((2, 2, 2, n))
    S[:, :, 0] = trusted[:, None] - cost[None]
    S[:, :, 1] = -cost[None]
    R = np.zeros((2, 2, 2, n))
    R[:, :, 0] = np.where(exploits, -l_B, 1.0)[:, None]
    return {"S": S, "R": R, "exploits": exploits,
            "margin": expl - coop}


def solve(pi: npt.ArrayLike, r_A: npt.ArrayLike, u_A: npt.ArrayLike, g_A: npt.ArrayLike,
          l_B: npt.ArrayLike, *, tol: float = _TOL) -> dict[str, np.ndarray]:
    """The selected PBE (D1, then Side A's preferred), outcome probabilities and regime.

    Returns the keys of :func:`sim.kernels.signalling_pbe.solve_pbe` plus
    ``regime`` (code into :data:`REGIMES`), ``probs`` ``(n, 3)`` over
    :data:`OUTCOMES`, ``p_spiral``, ``p_spiral_secure`` (the probability that
    a security seeker ends in the spiral), ``p_restraint``, ``t_star``,
    ``beta_star``, ``rho_star``, ``eu_A``, ``eu_B``.
    """
    g = payoffs(r_A, u_A, g_A, l_B, tol=tol)
    n = g["S"].shape[-1]
    pi_a = np.broadcast_to(np.asarray(pi, dtype=float), (n,)).copy()
    r = sp.solve_pbe(pi_a, g["S"], g["R"], tol)
    P, ex = r["P"], g["exploits"]
    trust = P[:, :, 0].sum(axis=1)  # (type, n)
    coop = (trust * ~ex).sum(axis=0)
    expl = (trust * ex).sum(axis=0)
    spiral = P[:, :, 1].sum(axis=(0, 1))
    probs = np.stack([coop, expl, spiral], axis=1)
    kind, rho = r["kind"], r["rho"]
    regime = np.full(n, 5, dtype=np.int64)
    regime[kind == sp.SEPARATING] = 0
    regime[kind == sp.HYBRID_T0_M0] = 1
    regime[(kind == sp.POOL_M1) & (rho[1] >= 1 - tol)] = 2
    regime[(kind == sp.POOL_M1) & (rho[1] < 1 - tol)] = 3
    regime[kind == sp.POOL_M0] = 4
    l_b = np.broadcast_to(np.asarray(l_B, dtype=float), (n,))
    t_star = l_b / (1 + l_b)
    g_a = np.broadcast_to(np.asarray(g_A, dtype=float), (n,))
    r_a = np.broadcast_to(np.asarray(r_A, dtype=float), (n,))
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        beta = np.where(pi_a < t_star, pi_a * (1 - t_star) / ((1 - pi_a) * t_star), 1.0)
        rho_star = np.where(g_a > 0, r_a / g_a, np.nan)
    sigma = r["sigma"]
    boundary = r["boundary"] | (np.abs(g["margin"]) <= tol).any(axis=0)
    return {**r, "regime": regime, "probs": probs, "p_spiral": spiral,
            "p_spiral_secure": (sigma[0] * (1 - rho[0]) + (1 - sigma[0]) * (1 - rho[1])),
            "p_restraint": pi_a * sigma[0] + (1 - pi_a) * sigma[1],
            "t_star": t_star, "beta_star": beta, "rho_star": rho_star,
            "exploits": ex, "eu_A": r["eu_S"], "eu_B": r["eu_R"], "boundary": boundary}
