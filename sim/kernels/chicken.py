"""Closed forms of 2×2 Chicken, vectorised over numpy arrays.

Player i's payoffs are ``w_i`` (i Firm, other Swerves), ``s_i`` (both
Swerve), ``l_i`` (i Swerves, other Firm) and ``d_i`` (both Firm, war), with
``w > s > l > d`` (docs/models/chicken_2x2.md). Every function broadcasts its arguments.

References
----------
Schelling, T. C. (1966). *Arms and Influence*, ch. 3.
Osborne, M. J. (2004). *An Introduction to Game Theory*, §4.7 (mixed
equilibria of 2×2 games from the opponent's indifference).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any

import numpy as np
import numpy.typing as npt

from sim.games.normal_form import NormalFormGame
from sim.kernels.qre2x2 import qre2x2_limit

__all__ = ["PAYOFF_NAMES", "chicken_arrays", "chicken_order_holds", "chicken_order_violation",
           "chicken_game", "chicken_gaps", "chicken_mixed", "chicken_qre_limit"]

Array = npt.NDArray[np.float64]

#: Payoff parameter names, side A's then side B's.
PAYOFF_NAMES: tuple[str, ...] = ("w_A", "s_A", "l_A", "d_A", "w_B", "s_B", "l_B", "d_B")


def chicken_arrays(values: Mapping[str, Any]) -> tuple[np.ndarray, np.ndarray]:
    """Bimatrix ``(A, B)``: rows are side A's [Swerve, Firm], columns side B's."""
    v = values
    A = [[v["s_A"], v["l_A"]], [v["w_A"], v["d_A"]]]
    B = [[v["s_B"], v["w_B"]], [v["l_B"], v["d_B"]]]
    return np.asarray(A), np.asarray(B)


def chicken_order_violation(values: Mapping[str, Any]) -> str | None:
    """``None`` if ``w > s > l > d`` holds for both sides, else the message saying why not."""
    for side in ("A", "B"):
        w, s, l, d = (float(values[f"{k}_{side}"]) for k in "wsld")  # noqa: E741
        if not (w > s > l > d):
            return (f"Chicken needs w_{side} > s_{side} > l_{side} > d_{side}; "
                    f"got {w:g}, {s:g}, {l:g}, {d:g}")
    return None


def chicken_order_holds(values: Mapping[str, Any]) -> npt.NDArray[np.bool_]:
    """Where ``w > s > l > d`` holds for both sides, over broadcast payoff arrays.

    The vectorised form of :func:`chicken_order_violation`: ``True`` exactly
    where that function returns ``None`` (ties and NaN break the order).
    """
    cols = np.broadcast_arrays(*(np.asarray(values[k], dtype=float) for k in PAYOFF_NAMES))
    w_A, s_A, l_A, d_A, w_B, s_B, l_B, d_B = cols
    return np.asarray((w_A > s_A) & (s_A > l_A) & (l_A > d_A)
                      & (w_B > s_B) & (s_B > l_B) & (l_B > d_B), dtype=bool)


def chicken_game(values: Mapping[str, Any], players: Sequence[str]) -> NormalFormGame:
    """The bimatrix game with exact rational payoffs (decimal values kept)."""
    A, B = chicken_arrays(values)

    def exact(a: np.ndarray) -> np.ndarray:
        return np.array([[Fraction(repr(float(v))) for v in row] for row in a], dtype=object)

    return NormalFormGame.from_arrays(
        exact(A), exact(B), players=tuple(players),
        strategies=(("Swerve", "Firm"), ("Swerve", "Firm")), title="Chicken")


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
    w_A: npt.ArrayLike, s_A: npt.ArrayLike, l_A: npt.ArrayLike, d_A: npt.ArrayLike,
    w_B: npt.ArrayLike, s_B: npt.ArrayLike, l_B: npt.ArrayLike, d_B: npt.ArrayLike,
) -> dict[str, Array]:
    """The completely mixed Nash equilibrium of Chicken (docs/models/chicken_2x2.md).

    Each player mixes so that the *opponent* is indifferent:
    ``firm_A = (w_B − s_B) / ((w_B − s_B) + (l_B − d_B))`` and symmetrically
    for ``firm_B``; ``p_war = firm_A · firm_B`` and player i's payoff is
    ``(1 − firm_j) s_i + firm_j l_i``.

    Returns
    -------
    dict
        ``firm_A``, ``firm_B``, ``p_war``, ``eu_A``, ``eu_B`` as arrays.
    """
    gain_A, loss_A = chicken_gaps(w_A, s_A, l_A, d_A)
    gain_B, loss_B = chicken_gaps(w_B, s_B, l_B, d_B)
    firm_A = gain_B / (gain_B + loss_B)
    firm_B = gain_A / (gain_A + loss_A)
    eu_A = (1.0 - firm_B) * np.asarray(s_A, dtype=float) + firm_B * np.asarray(l_A, dtype=float)
    eu_B = (1.0 - firm_A) * np.asarray(s_B, dtype=float) + firm_A * np.asarray(l_B, dtype=float)
    return {"firm_A": firm_A, "firm_B": firm_B, "p_war": firm_A * firm_B,
            "eu_A": eu_A, "eu_B": eu_B}



def chicken_qre_limit(
    w_A: npt.ArrayLike, s_A: npt.ArrayLike, l_A: npt.ArrayLike, d_A: npt.ArrayLike,
    w_B: npt.ArrayLike, s_B: npt.ArrayLike, l_B: npt.ArrayLike, d_B: npt.ArrayLike,
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.bool_]]:
    """The equilibrium selected by the logit-QRE principal branch as λ → ∞.

    The branch is followed numerically (:func:`sim.kernels.qre2x2.qre2x2_limit`)
    once per distinct payoff vector. Symmetric games select the mixed
    equilibrium: their symmetric branch tends to it (docs/models/logit_qre_normal_form.md).

    Returns
    -------
    code, fold
        ``code`` is 0 (mixed), 1 (Challenger Firm, Target Swerve) or 2 (Challenger
        Swerve, Target Firm); ``fold`` marks branches that bifurcate
        (strategically symmetric games) or could not be followed reliably.
    """
    gain_A, loss_A = chicken_gaps(w_A, s_A, l_A, d_A)
    gain_B, loss_B = chicken_gaps(w_B, s_B, l_B, d_B)
    cols = np.broadcast_arrays(gain_A, loss_A, gain_B, loss_B)
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
