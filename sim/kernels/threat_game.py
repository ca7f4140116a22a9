"""Closed forms of the generic threat game, vectorised over payoff arrays.

The game (docs/models/threat_game_complete_info.md; Fearon 1994; Schultz 2001; Kydd 2015 ch. 8):

1. the threatener C chooses the status quo or a demand backed by a threat;
2. the target T concedes or resists;
3. after resistance C executes the threat or backs down.

Every function works on generic payoffs, so the compellence game (§2) and
the sanctions game (§7, Lacy & Niou 2004) share them:

========  ==========  ==========
outcome   C's payoff  T's payoff
========  ==========  ==========
SQ        ``s_C``     ``s_T``
give in   ``g_C``     ``g_T``
execute   ``e_C``     ``e_T``
back down ``b_C``     ``b_T``
========  ==========  ==========

Tie rules (docs/models/README.md): T concedes when indifferent; C executes, and
challenges, only when strictly better off. A margin within ``BOUNDARY_TOL``
of zero sets the boundary flag.

Outcome codes used throughout: ``0`` status quo, ``1`` give in (concession
or compliance), ``2`` execute (war or imposition), ``3`` back down.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import numpy.typing as npt

from sim.games.extensive_form import Chance, Decision, Terminal
from sim.kernels.tolerance import BOUNDARY_TOL

__all__ = [
    "SQ",
    "GIVE",
    "EXECUTE",
    "BACK_DOWN",
    "CI_REGIMES",
    "II_REGIMES",
    "complete_info",
    "incomplete_info",
    "outside_signalling",
    "THREAT_OUTCOMES",
    "SANCTION_OUTCOMES",
    "SANCTION_ACTIONS",
    "threat_tree",
    "signalling_tree",
    "sanctions_tree",
]

SQ, GIVE, EXECUTE, BACK_DOWN = 0, 1, 2, 3

#: Regime names of :func:`complete_info`, indexed by its ``regime`` codes.
CI_REGIMES: tuple[str, ...] = ("status_quo", "concession", "war", "back_down")

#: Regime names of :func:`incomplete_info`, indexed by its ``regime`` codes.
II_REGIMES: tuple[str, ...] = (
    "pooling",
    "semi_separating",
    "boundary",
    "target_concedes_regardless",
    "target_resists_regardless",
    "no_gain_from_demand",
    "separating",
)
POOLING, SEMI, BOUNDARY, ALWAYS_CONCEDE, ALWAYS_RESIST, NO_GAIN, SEPARATING = range(7)


Array = npt.NDArray[np.float64]


def _arrays(*args: npt.ArrayLike) -> list[Array]:
    return [np.asarray(a, dtype=float) for a in np.broadcast_arrays(*args)]


def complete_info(
    s_C: npt.ArrayLike, g_C: npt.ArrayLike, e_C: npt.ArrayLike, b_C: npt.ArrayLike,
    s_T: npt.ArrayLike, g_T: npt.ArrayLike, e_T: npt.ArrayLike, b_T: npt.ArrayLike,
    tol: float = BOUNDARY_TOL,
) -> dict[str, np.ndarray]:
    """Subgame-perfect equilibrium of the complete-information threat game.

    Backward induction (docs/models/threat_game_complete_info.md): C executes iff ``e_C > b_C``
    (credibility); T concedes iff ``g_T`` is at least its payoff from
    resisting; C challenges iff what follows beats ``s_C`` strictly.

    Returns
    -------
    dict of arrays
        ``executes``, ``concedes``, ``challenges`` (bool: each player's choice
        at its node, on or off the path), ``outcome`` (code), ``payoff_C``,
        ``payoff_T``, margins ``credibility`` (``e_C - b_C``), ``concession``
        (``g_T`` minus T's resist payoff), ``challenge`` (C's payoff from
        challenging minus ``s_C``) and ``boundary``.
    """
    s_C, g_C, e_C, b_C, s_T, g_T, e_T, b_T = _arrays(s_C, g_C, e_C, b_C, s_T, g_T, e_T, b_T)
    credibility = e_C - b_C
    executes = credibility > tol
    resist_C = np.where(executes, e_C, b_C)
    resist_T = np.where(executes, e_T, b_T)
    concession = g_T - resist_T
    concedes = concession >= -tol
    challenge_C = np.where(concedes, g_C, resist_C)
    challenge_T = np.where(concedes, g_T, resist_T)
    challenge = challenge_C - s_C
    challenges = challenge > tol
    after = np.where(concedes, GIVE, np.where(executes, EXECUTE, BACK_DOWN))
    outcome = np.where(challenges, after, SQ)
    boundary = (np.abs(credibility) <= tol) | (np.abs(concession) <= tol) | (
        np.abs(challenge) <= tol
    )
    return {
        "executes": executes,
        "concedes": concedes,
        "challenges": challenges,
        "outcome": outcome.astype(np.int64),
        "payoff_C": np.where(challenges, challenge_C, s_C),
        "payoff_T": np.where(challenges, challenge_T, s_T),
        "credibility": credibility,
        "concession": concession,
        "challenge": challenge,
        "boundary": boundary,
    }


def incomplete_info(
    s_C: npt.ArrayLike, g_C: npt.ArrayLike, b_C: npt.ArrayLike,
    e_res: npt.ArrayLike, e_irr: npt.ArrayLike, prior_res: npt.ArrayLike,
    s_T: npt.ArrayLike, g_T: npt.ArrayLike, e_T: npt.ArrayLike, b_T: npt.ArrayLike,
    tol: float = BOUNDARY_TOL,
) -> dict[str, np.ndarray]:
    """PBE of the threat game with private information about C's resolve.

    Nature makes C of type "res" (war payoff ``e_res``) with probability
    ``prior_res`` and of type "irr" (``e_irr``) otherwise; T sees only
    whether C challenged. The standard case
    (docs/models/threat_game_incomplete_info.md; Fearon 1994,
    Schultz 2001, Kydd 2015) has one type that would execute and one that
    would back down, ``g_C > s_C > b_C`` and ``e_T < g_T < b_T``:

    * T's indifference belief ``mu* = (b_T - g_T) / (b_T - e_T)``;
    * the resistance that leaves the bluffer indifferent
      ``rho* = (g_C - s_C) / (g_C - b_C)``;
    * prior above ``mu*``: pooling, both challenge, T concedes;
    * prior below ``mu*``: semi-separating, the bluffer challenges with
      ``beta* = pi (1 - mu*) / ((1 - pi) mu*)``, T resists with ``rho*``;
    * prior equal to ``mu*``: a continuum; the tie rule (T concedes)
      picks the pooling profile and the boundary flag is set.

    Where the resolute type's war payoff is not above ``s_C``, a second
    PBE in which nobody challenges exists, held up by pessimistic
    off-path beliefs; it fails D1 (Cho & Kreps 1987; Banks & Sobel 1987),
    so the equilibrium above is reported and ``no_threat_also`` is set
    (docs/models/sanctions_complete_info.md). With ``b_C == s_C`` (no audience cost) the bluffer is
    indifferent at ``rho* = 1`` and every ``beta`` in ``[beta*, 1]`` is an
    equilibrium; ``beta*`` is reported and ``multiple`` is set.

    Outside the standard case the equilibrium follows directly: if T's
    best reply does not depend on its belief, T concedes (or resists)
    whatever it believes and each type challenges iff that beats ``s_C``
    strictly; if ``g_C <= s_C`` nobody challenges; and if T would rather
    fight the resolute type than concede (but concede rather than see a
    bluffer back down), either both types challenge and T concedes (prior
    at most T's switching belief; the separating profile below then also
    exists when the resolute type's war payoff beats ``s_C``, so
    ``multiple`` is set) or only the resolute type challenges and is
    resisted (regime ``separating``).

    Returns
    -------
    dict of arrays
        ``regime`` (code into ``II_REGIMES``), ``beta_res``, ``beta_irr``
        (challenge probabilities), ``rho`` (resistance probability),
        ``mu`` (T's posterior after a challenge; ``nan`` if off path),
        ``mu_star``, ``rho_star``, ``beta_star``, ``executes_res``,
        ``executes_irr``, ``prior_hi`` (prior of the type that would execute,
        the resolute one), ``beta_bluff`` (challenge probability of the
        other type), ``mu_switch`` (T's switching belief in the reversed
        case), ``gain`` (``g_C - s_C``), outcome probabilities ``P_sq``, ``P_give``,
        ``P_execute``, ``P_back_down``, payoffs ``eu_res``, ``eu_irr``,
        ``eu_C`` (ex ante), ``eu_T``, and flags ``boundary``, ``multiple``,
        ``no_threat_also``.
    """
    s_C, g_C, b_C, e_res, e_irr, pi, s_T, g_T, e_T, b_T = _arrays(
        s_C, g_C, b_C, e_res, e_irr, prior_res, s_T, g_T, e_T, b_T
    )
    ex_res = e_res - b_C > tol
    ex_irr = e_irr - b_C > tol
    v_res = np.where(ex_res, e_res, b_C)  # C's payoff when resisted, by type
    v_irr = np.where(ex_irr, e_irr, b_C)
    d_res = np.where(ex_res, e_T, b_T) - g_T  # T's gain from resisting, by type
    d_irr = np.where(ex_irr, e_T, b_T) - g_T
    boundary = (np.abs(e_res - b_C) <= tol) | (np.abs(e_irr - b_C) <= tol)
    boundary |= (np.abs(d_res) <= tol) | (np.abs(d_irr) <= tol)

    # Signalling case: exactly one type executes, T prefers conceding to war
    # and resisting to a bluff. Label that type "hi" (the resolute one).
    signalling = ex_res != ex_irr
    hi_is_res = ex_res
    pi_hi = np.where(hi_is_res, pi, 1.0 - pi)
    v_hi = np.where(hi_is_res, v_res, v_irr)
    d_hi = np.where(hi_is_res, d_res, d_irr)
    d_lo = np.where(hi_is_res, d_irr, d_res)
    signalling &= (d_hi <= tol) & (d_lo > tol)
    gain = g_C - s_C
    gains = gain > tol
    boundary |= np.abs(gain) <= tol

    with np.errstate(divide="ignore", invalid="ignore"):
        mu_star = (b_T - g_T) / (b_T - e_T)
        rho_star = gain / (g_C - b_C)
        beta_star = pi_hi * (1.0 - mu_star) / ((1.0 - pi_hi) * mu_star)
    margin = pi_hi - mu_star
    at_mu = signalling & gains & (np.abs(margin) <= tol)
    pooling = signalling & gains & (margin > tol)
    semi = signalling & gains & (margin < -tol)

    n = pi.shape
    beta_hi = np.zeros(n)
    beta_lo = np.zeros(n)
    rho = np.zeros(n)
    regime = np.full(n, NO_GAIN, dtype=np.int64)
    # Pooling and the boundary: everyone challenges, T concedes (tie rule).
    pool_like = pooling | at_mu
    beta_hi[pool_like] = 1.0
    beta_lo[pool_like] = 1.0
    regime[pooling] = POOLING
    regime[at_mu] = BOUNDARY
    beta_hi[semi] = 1.0
    beta_lo[semi] = beta_star[semi]
    rho[semi] = rho_star[semi]
    regime[semi] = SEMI
    # Belief-free cases: T's best reply does not depend on who challenges.
    concede_all = ~signalling & (d_res <= tol) & (d_irr <= tol)
    resist_all = ~signalling & ~concede_all & (d_res > tol) & (d_irr > tol)
    regime[concede_all & gains] = ALWAYS_CONCEDE
    beta_hi[concede_all] = gains[concede_all]
    beta_lo[concede_all] = gains[concede_all]
    regime[resist_all] = ALWAYS_RESIST
    rho[resist_all] = 1.0
    v_lo = np.where(hi_is_res, v_irr, v_res)
    beta_hi[resist_all] = v_hi[resist_all] - s_C[resist_all] > tol
    beta_lo[resist_all] = v_lo[resist_all] - s_C[resist_all] > tol
    boundary |= resist_all & (
        (np.abs(v_res - s_C) <= tol) | (np.abs(v_irr - s_C) <= tol)
    )
    # Reversed signalling: T would rather fight the type that executes than
    # concede, yet concede rather than see the other back down (its war
    # payoff beats its back-down payoff). T resists iff its belief exceeds
    # mu_rev; the bluffer never gains from being resisted, so either both
    # challenge and T concedes (prior at most mu_rev) or only the resolute
    # type challenges, is identified and resisted.
    reversed_ = (ex_res != ex_irr) & (d_hi > tol) & (d_lo <= tol) & ~resist_all
    with np.errstate(divide="ignore", invalid="ignore"):
        mu_rev = -d_lo / (d_hi - d_lo)
    rev_pool = reversed_ & gains & (pi_hi - mu_rev <= tol)
    rev_sep = reversed_ & ~rev_pool
    regime[rev_pool] = POOLING
    beta_hi[rev_pool] = 1.0
    beta_lo[rev_pool] = 1.0
    regime[rev_sep] = SEPARATING
    rho[rev_sep] = 1.0
    beta_hi[rev_sep] = v_hi[rev_sep] - s_C[rev_sep] > tol
    boundary |= reversed_ & (np.abs(pi_hi - mu_rev) <= tol)
    rev_multiple = rev_pool & (v_hi - s_C > tol)
    boundary |= at_mu

    beta_res = np.where(hi_is_res, beta_hi, beta_lo)
    beta_irr = np.where(hi_is_res, beta_lo, beta_hi)
    p_chal_res = pi * beta_res
    p_chal_irr = (1.0 - pi) * beta_irr
    p_chal = p_chal_res + p_chal_irr
    with np.errstate(divide="ignore", invalid="ignore"):
        mu = np.where(p_chal > 0, p_chal_res / p_chal, np.nan)
    P_give = p_chal * (1.0 - rho)
    P_execute = (p_chal_res * ex_res + p_chal_irr * ex_irr) * rho
    P_back_down = (p_chal_res * ~ex_res + p_chal_irr * ~ex_irr) * rho
    P_sq = 1.0 - p_chal
    chal_res = (1.0 - rho) * g_C + rho * v_res
    chal_irr = (1.0 - rho) * g_C + rho * v_irr
    eu_res = beta_res * chal_res + (1.0 - beta_res) * s_C
    eu_irr = beta_irr * chal_irr + (1.0 - beta_irr) * s_C
    resist_T_res = np.where(ex_res, e_T, b_T)
    resist_T_irr = np.where(ex_irr, e_T, b_T)
    eu_T = (
        P_sq * s_T
        + P_give * g_T
        + rho * (p_chal_res * resist_T_res + p_chal_irr * resist_T_irr)
    )
    no_threat_also = (semi | pool_like) & (v_hi - s_C <= tol)
    multiple = no_threat_also | at_mu | rev_multiple | (semi & (np.abs(b_C - s_C) <= tol))
    return {
        "regime": regime,
        "signalling": signalling,
        "beta_res": beta_res,
        "beta_irr": beta_irr,
        "rho": rho,
        "mu": mu,
        "mu_star": np.where(signalling, mu_star, np.nan),
        "rho_star": np.where(signalling, rho_star, np.nan),
        "beta_star": np.where(semi, beta_star, np.where(pool_like, 1.0, np.nan)),
        "executes_res": ex_res,
        "executes_irr": ex_irr,
        "prior_hi": pi_hi,
        "beta_bluff": beta_lo,
        "mu_switch": np.where(reversed_, mu_rev, np.nan),
        "gain": gain,
        "P_sq": P_sq,
        "P_give": P_give,
        "P_execute": P_execute,
        "P_back_down": P_back_down,
        "eu_res": eu_res,
        "eu_irr": eu_irr,
        "eu_C": pi * eu_res + (1.0 - pi) * eu_irr,
        "eu_T": eu_T,
        "boundary": boundary,
        "multiple": multiple,
        "no_threat_also": no_threat_also,
    }


# -- trees ------------------------------------------------------------------------

#: Outcome labels of the compellence threat game, by outcome code.
THREAT_OUTCOMES = ("Status quo", "Concession", "War", "Back down")
#: Outcome labels of the sanctions game, by outcome code.
SANCTION_OUTCOMES = ("Status quo", "Compliance", "Imposition", "Back down")
#: Action labels for the sanctions tree: threaten, comply, defy, impose, back down.
SANCTION_ACTIONS = ("Threaten", "Comply", "Defy", "Impose", "Back down")


def outside_signalling(r: Mapping[str, npt.ArrayLike]) -> npt.NDArray[np.bool_]:
    """Where a result of :func:`incomplete_info` falls outside the signalling setup.

    The setup needs a resolved type that carries out its threat, an irresolute
    one that does not, and a target whose reply depends on its belief; a target
    that concedes or resists whatever it believes leaves nothing to signal.
    """
    regime = np.asarray(r["regime"])
    degenerate = (regime == ALWAYS_RESIST) | (regime == ALWAYS_CONCEDE)
    return ~np.asarray(r["executes_res"]) | np.asarray(r["executes_irr"]) | degenerate


def threat_tree(
    payoffs: dict[str, tuple[float, float]],
    labels: tuple[str, str, str, str] = THREAT_OUTCOMES,
    demand: str = "Demand",
    give: str = "Concede",
    resist: str = "Resist",
    execute: str = "Execute",
    back_down: str = "Back down",
) -> Decision:
    """The perfect-information threat-game tree (threatener 0, target 1).

    ``payoffs`` maps ``"sq"``, ``"give"``, ``"execute"``, ``"back_down"`` to
    (threatener, target) payoff pairs; ``labels`` names the four outcomes.
    The decision nodes are the information sets ``"threatener"``,
    ``"target"`` and ``"threatener after resistance"``.
    """
    return Decision(0, (
        ("Status quo", Terminal(payoffs["sq"], labels[0])),
        (demand, Decision(1, (
            (give, Terminal(payoffs["give"], labels[1])),
            (resist, Decision(0, (
                (execute, Terminal(payoffs["execute"], labels[2])),
                (back_down, Terminal(payoffs["back_down"], labels[3])),
            ), infoset="threatener after resistance")),
        ), infoset="target")),
    ), infoset="threatener")


def signalling_tree(
    prior: float,
    payoffs_res: dict[str, tuple[float, float]],
    payoffs_irr: dict[str, tuple[float, float]],
    labels: tuple[str, str, str, str],
    type_labels: tuple[str, str] = ("Resolved", "Irresolute"),
    actions: tuple[str, str, str, str, str] = ("Demand", "Concede", "Resist", "Execute",
                                               "Back down"),
) -> Chance:
    """Threat-game tree with a chance move over the threatener's type.

    The target (player 1) cannot tell the two types' demands apart (one
    information set ``"target"``); each type's later move is its own.
    """
    demand, give, resist, execute, back = actions

    def branch(tag: str, pay: dict[str, tuple[float, float]]) -> Decision:
        return Decision(0, (
            ("Status quo", Terminal(pay["sq"], labels[0])),
            (demand, Decision(1, (
                (give, Terminal(pay["give"], labels[1])),
                (resist, Decision(0, (
                    (execute, Terminal(pay["execute"], labels[2])),
                    (back, Terminal(pay["back_down"], labels[3])),
                ), infoset=f"{tag}: after resistance")),
            ), infoset="target")),
        ), infoset=f"{tag}: start")

    return Chance((
        (type_labels[0], prior, branch(type_labels[0], payoffs_res)),
        (type_labels[1], 1.0 - prior, branch(type_labels[1], payoffs_irr)),
    ))


def sanctions_tree(v: Mapping[str, Any], k_S: float, k_T: float) -> Decision:
    """The complete-information sanctions tree for imposition costs ``k_S``, ``k_T``."""
    a = SANCTION_ACTIONS
    return threat_tree(
        {"sq": (0.0, 0.0), "give": (v["V_S"], -v["V_T"]), "execute": (-k_S, -k_T),
         "back_down": (-v["a_S"], v["b_T"])},
        SANCTION_OUTCOMES, demand=a[0], give=a[1], resist=a[2], execute=a[3], back_down=a[4],
    )
