"""Closed forms of 2×2 Chicken, vectorised over numpy arrays.

Player i's payoffs are ``w_i`` (i Firm, other Swerves), ``s_i`` (both
Swerve), ``l_i`` (i Swerves, other Firm) and ``d_i`` (both Firm, war), with
``w > s > l > d`` (models.md §3a). Every function broadcasts its arguments.

References
----------
Schelling, T. C. (1966). *Arms and Influence*, ch. 3.
Osborne, M. J. (2004). *An Introduction to Game Theory*, §4.7 (mixed
equilibria of 2×2 games from the opponent's indifference).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from sim.kernels.qre2x2 import qre2x2_limit

__all__ = ["chicken_gaps", "chicken_mixed", "chicken_qre_limit"]

Array = npt.NDArray[np.float64]


def chicken_gaps(w: npt.ArrayLike, s: npt.ArrayLike, l: npt.ArrayLike,  # noqa: E741
                 d: npt.ArrayLike) -> tuple[Array, Array]:
    """The two deviation gains that drive a player's incentives.

    Returns
    -------
    gain, loss
        ``gain = w − s`` (what standing firm earns against a swerving
        opponent) and ``loss = l − d`` (what swerving saves against a firm
        opponent). Both are positive under ``w > s > l > d``.
    """
    w_, s_, l_, d_ = (np.asarray(v, dtype=float) for v in (w, s, l, d))
    return w_ - s_, l_ - d_


def chicken_mixed(
    w_R: npt.ArrayLike, s_R: npt.ArrayLike, l_R: npt.ArrayLike, d_R: npt.ArrayLike,
    w_W: npt.ArrayLike, s_W: npt.ArrayLike, l_W: npt.ArrayLike, d_W: npt.ArrayLike,
) -> dict[str, Array]:
    """The completely mixed Nash equilibrium of Chicken (models.md §3a).

    Each player mixes so that the *opponent* is indifferent:
    ``firm_R = (w_W − s_W) / ((w_W − s_W) + (l_W − d_W))`` and symmetrically
    for ``firm_W``; ``p_war = firm_R · firm_W`` and player i's payoff is
    ``(1 − firm_j) s_i + firm_j l_i``.

    Returns
    -------
    dict
        ``firm_R``, ``firm_W``, ``p_war``, ``eu_R``, ``eu_W`` as arrays.
    """
    gain_R, loss_R = chicken_gaps(w_R, s_R, l_R, d_R)
    gain_W, loss_W = chicken_gaps(w_W, s_W, l_W, d_W)
    firm_R = gain_W / (gain_W + loss_W)
    firm_W = gain_R / (gain_R + loss_R)
    eu_R = (1.0 - firm_W) * np.asarray(s_R, dtype=float) + firm_W * np.asarray(l_R, dtype=float)
    eu_W = (1.0 - firm_R) * np.asarray(s_W, dtype=float) + firm_R * np.asarray(l_W, dtype=float)
    return {"firm_R": firm_R, "firm_W": firm_W, "p_war": firm_R * firm_W,
            "eu_R": eu_R, "eu_W": eu_W}



def chicken_qre_limit(
    w_R: npt.ArrayLike, s_R: npt.ArrayLike, l_R: npt.ArrayLike, d_R: npt.ArrayLike,
    w_W: npt.ArrayLike, s_W: npt.ArrayLike, l_W: npt.ArrayLike, d_W: npt.ArrayLike,
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.bool_]]:
    """The equilibrium selected by the logit-QRE principal branch as λ → ∞.

    The branch is followed numerically (:func:`sim.kernels.qre2x2.qre2x2_limit`)
    once per distinct payoff vector. Symmetric games select the mixed
    equilibrium: their symmetric branch tends to it (models.md §9).

    Returns
    -------
    code, fold
        ``code`` is 0 (mixed), 1 (Russia Firm, West Swerve) or 2 (Russia
        Swerve, West Firm); ``fold`` marks branches that bifurcate
        (strategically symmetric games) or could not be followed reliably.
    """
    gain_R, loss_R = chicken_gaps(w_R, s_R, l_R, d_R)
    gain_W, loss_W = chicken_gaps(w_W, s_W, l_W, d_W)
    cols = np.broadcast_arrays(gain_R, loss_R, gain_W, loss_W)
    table = np.stack([np.asarray(c, dtype=float).reshape(-1) for c in cols], axis=1)
    rows, inverse = np.unique(table, axis=0, return_inverse=True)
    inverse = inverse.reshape(-1)
    gR, lR, gW, lW = rows.T
    p, q, fold, _ = qre2x2_limit(gR, -(gR + lR), gW, -(gW + lW))
    code = np.zeros(len(rows), dtype=np.int64)
    code[(p > 0.5) & (q < 0.5)] = 1
    code[(p < 0.5) & (q > 0.5)] = 2
    symmetric = (np.abs(gR - gW) <= 1e-12) & (np.abs(lR - lW) <= 1e-12)
    code[symmetric] = 0
    return code[inverse], (fold | symmetric)[inverse]
