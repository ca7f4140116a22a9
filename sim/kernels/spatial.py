"""Multi-actor spatial bargaining on one issue (docs/models/spatial_weighted_median_bdm.md).

Actors have positions ``x`` on a 0–100 scale, capabilities ``c`` and
saliences ``s``; weights are ``w = c·s``.

* :func:`weighted_median` — Black's (1948) median voter: the Condorcet
  winner under linear loss;
* :func:`weighted_mean` — the compromise model (Achen 2006);
* :func:`weighted_sd` — the cohesion metric (weight-weighted standard
  deviation over a subset of actors, e.g. the members of a coalition);
* :func:`bdm_probability` / :func:`bdm_expected_utility` — the dyadic terms
  of Bueno de Mesquita's expected-utility model as reconstructed by
  Scholz, Calbert & Smith (2011): votes
  v_k(i,j) = c_k s_k (|x_k−x_j|^r − |x_k−x_i|^r)/range^r,
  P(i beats j) = Σ_k max(0, v_k)/Σ_k |v_k|, and
  EU_i(challenge j) = s_j[P U_s + (1−P) U_f] + (1−s_j) U_s − Q U_sq with
  U_s = 2−4(½−½d)^r, U_f = 2−4(½+½d)^r, U_sq = 2−4(½)^r, d = |x_i−x_j|/range;
* :func:`bdm_dynamics` — an optional *heuristic* iteration of offers. The
  published replications disagree on its details and it need not converge;
  it is off by default and never used by the static predictors.

References
----------
Black, D. (1948). On the rationale of group decision-making. *JPE* 56(1).
Achen, C. H. (2006). Evaluating political decision-making models. In
Thomson et al. (eds), *The European Union Decides*, ch. 10.
Scholz, J. B., Calbert, G. J. & Smith, G. A. (2011). Unravelling Bueno de
Mesquita's group decision model. *J. Theoretical Politics* 23(4), 510–531,
eq. (1)–(6).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

__all__ = [
    "weighted_median",
    "weighted_mean",
    "weighted_sd",
    "bdm_probability",
    "bdm_expected_utility",
    "BDMRound",
    "bdm_dynamics",
]

#: Relative tolerance for an exact half-weight split in the median.
_HALF_TOL = 1e-12


def weighted_median(x: npt.ArrayLike, w: npt.ArrayLike) -> tuple[float, bool]:
    """Weighted median and whether it is an exact half-weight tie.

    The median is the position m with at least half the total weight at or
    below m and at least half at or above m. When the weight at or below
    some position is exactly half the total, every point between it and the
    next position qualifies; the midpoint is returned and the tie flag set.
    """
    xs = np.asarray(x, dtype=float)
    ws = np.asarray(w, dtype=float)
    order = np.argsort(xs, kind="stable")
    xs, ws = xs[order], ws[order]
    total = ws.sum()
    if total <= 0:
        raise ValueError("the total weight must be positive")
    cum = np.cumsum(ws)
    half = total / 2.0
    k = int(np.searchsorted(cum, half - _HALF_TOL * total, side="left"))
    if abs(cum[k] - half) <= _HALF_TOL * total:
        above = xs[k + 1:][ws[k + 1:] > 0]
        if above.size and above[0] > xs[k]:
            return float((xs[k] + above[0]) / 2.0), True
    return float(xs[k]), False


def weighted_mean(x: npt.ArrayLike, w: npt.ArrayLike) -> float:
    """Σ w x / Σ w."""
    ws = np.asarray(w, dtype=float)
    return float(np.dot(ws, np.asarray(x, dtype=float)) / ws.sum())


def weighted_sd(x: npt.ArrayLike, w: npt.ArrayLike) -> float:
    """Weight-weighted (population) standard deviation of positions."""
    xs, ws = np.asarray(x, dtype=float), np.asarray(w, dtype=float)
    m = np.dot(ws, xs) / ws.sum()
    return float(np.sqrt(np.dot(ws, (xs - m) ** 2) / ws.sum()))


def bdm_probability(x: npt.ArrayLike, c: npt.ArrayLike, s: npt.ArrayLike,
                    r: npt.ArrayLike = 1.0, rows: npt.ArrayLike | None = None) -> np.ndarray:
    """P(i beats j) for every dyad, vectorised over risk values ``r``.

    Parameters
    ----------
    x, c, s
        Positions, capabilities and saliences of the ``N`` actors.
    r
        Risk exponent, a scalar or an array of shape ``(n,)``.
    rows
        Indices of the challengers i to compute (default: every actor).

    Returns
    -------
    numpy.ndarray
        ``(n, I, N)`` (or ``(I, N)`` for scalar ``r``), ``I`` = number of
        rows; entry ``[i, j]`` is P(i beats j). The diagonal, and any dyad
        with no votes at all, is ½.
    """
    xs = np.asarray(x, dtype=float)
    w = np.asarray(c, dtype=float) * np.asarray(s, dtype=float)
    scalar = np.ndim(r) == 0
    rr = np.atleast_1d(np.asarray(r, dtype=float))[:, None, None, None]
    span = xs.max() - xs.min()
    scale = span if span > 0 else 1.0
    # dist[k, i] = |x_k - x_i| / range
    dist = np.abs(xs[:, None] - xs[None, :]) / scale
    sel = np.arange(xs.size) if rows is None else np.atleast_1d(np.asarray(rows, dtype=int))
    powd = dist[None, :, :] ** rr[..., 0]  # (n, k, i)
    # votes[n, k, i, j] = w_k (|x_k - x_j|^r - |x_k - x_i|^r) / range^r
    votes = w[None, :, None, None] * (powd[:, :, None, :] - powd[:, :, sel, None])
    pos = np.maximum(votes, 0.0).sum(axis=1)
    tot = np.abs(votes).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        prob = np.where(tot > 0, pos / tot, 0.5)
    return prob[0] if scalar else prob


def bdm_expected_utility(x: npt.ArrayLike, s: npt.ArrayLike, prob: np.ndarray,
                         r: npt.ArrayLike = 1.0, q: npt.ArrayLike = 1.0,
                         rows: npt.ArrayLike | None = None) -> np.ndarray:
    """EU_i(challenge j) for every dyad (Scholz, Calbert & Smith 2011, eq. 5–6).

    ``prob`` is the output of :func:`bdm_probability` (``(I, N)`` or
    ``(n, I, N)``) for the challengers ``rows``; ``r`` and ``q`` broadcast
    against its leading axis. EU_i(challenge i) is set to 0.
    """
    xs = np.asarray(x, dtype=float)
    sal = np.asarray(s, dtype=float)
    scalar = prob.ndim == 2
    pr = prob[None] if scalar else prob
    rr = np.broadcast_to(np.asarray(r, dtype=float), pr.shape[:1])[:, None, None]
    qq = np.broadcast_to(np.asarray(q, dtype=float), pr.shape[:1])[:, None, None]
    span = xs.max() - xs.min()
    sel = np.arange(xs.size) if rows is None else np.atleast_1d(np.asarray(rows, dtype=int))
    d = (np.abs(xs[sel, None] - xs[None, :]) / (span if span > 0 else 1.0))[None]
    u_s = 2.0 - 4.0 * (0.5 - 0.5 * d) ** rr
    u_f = 2.0 - 4.0 * (0.5 + 0.5 * d) ** rr
    u_sq = 2.0 - 4.0 * 0.5 ** rr
    sj = sal[None, None, :]
    eu = sj * (pr * u_s + (1.0 - pr) * u_f) + (1.0 - sj) * u_s - qq * u_sq
    eu[:, np.arange(sel.size), sel] = 0.0
    return eu[0] if scalar else eu


@dataclass(frozen=True)
class BDMRound:
    """One round of the heuristic dynamics: positions before it, and the moves made."""

    positions: tuple[float, ...]
    weighted_median: float
    moved: tuple[bool, ...]


def bdm_dynamics(x: npt.ArrayLike, c: npt.ArrayLike, s: npt.ArrayLike, *,
                 rounds: int = 10, r: float = 1.0, q: float = 1.0) -> list[BDMRound]:
    """HEURISTIC multi-round BDM offers; not part of any equilibrium result.

    Each round, every actor j looks at the challenges it receives: i makes a
    credible offer to j when EU_i(challenge j) > 0 and EU_i(challenge j) >
    EU_j(challenge i) (i expects to win the confrontation or j to
    capitulate). Actor j moves to the position of the credible challenger
    with the highest EU (a capitulation; a compromise would move it part of
    the way — replications disagree, so we keep the simplest rule). The
    iteration stops early when no actor moves. Convergence is not
    guaranteed (Scholz, Calbert & Smith 2011, §4).
    """
    pos = np.asarray(x, dtype=float).copy()
    cap = np.asarray(c, dtype=float)
    sal = np.asarray(s, dtype=float)
    history: list[BDMRound] = []
    for _ in range(max(0, int(rounds))):
        prob = bdm_probability(pos, cap, sal, r)
        eu = bdm_expected_utility(pos, sal, prob, r, q)
        credible = (eu > 0) & (eu > eu.T)
        new = pos.copy()
        moved = np.zeros(pos.size, dtype=bool)
        for j in range(pos.size):
            challengers = np.flatnonzero(credible[:, j])
            if challengers.size:
                best = challengers[np.argmax(eu[challengers, j])]
                if pos[best] != pos[j]:
                    new[j] = pos[best]
                    moved[j] = True
        history.append(BDMRound(tuple(pos.tolist()), weighted_median(pos, cap * sal)[0],
                                tuple(moved.tolist())))
        pos = new
        if not moved.any():
            break
    return history
