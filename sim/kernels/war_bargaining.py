"""Bargaining while fighting: learning from battles, then a final offer (finite horizon).

The game (after Powell 2004, *AJPS* 48(2), and Slantchev 2003, *APSR* 97(4)):
side B is strong with prior ``pi`` or weak; it wins each battle, and a war
fought to a decision, with probability ``p_hi`` if strong and ``p_lo`` if
weak. Side A does not know B's type. Before each of at most ``T`` battles,
A either fights on (each battle costs ``k_A`` and ``k_B``) or makes its final
take-it-or-leave-it offer; a rejected offer ends the talks and the war is
fought to a decision at costs ``c_A``, ``c_B``. Battles are informative:
after ``k`` wins of B in ``t`` battles A's belief that B is strong is

``mu(t, k) = pi L_hi / (pi L_hi + (1 - pi) L_lo)``, ``L = p^k (1 - p)^(t - k)``.

A type accepts a share ``y`` iff ``y >= p - c_B`` (its value of a war to a
decision; sunk costs do not count). So A's best final offer is the tough
type's reservation ``y_hi = max(0, p_hi - c_B)`` (both accept: generous
terms) or the weak type's ``y_lo = max(0, p_lo - c_B)`` (only the weak type
accepts; the strong type fights on to a decision), worth

``G = 1 - y_hi`` and ``S(mu) = mu (1 - p_hi - c_A) + (1 - mu)(1 - y_lo)``.

Tough terms beat generous ones iff ``mu < mu_hat = (y_hi - y_lo)/(p_hi + c_A - y_lo)``
(``(p_hi - p_lo)/(p_hi - p_lo + c_A + c_B)`` in the interior). Backward
induction over the belief states ``(t, k)``:

``V_T = N(mu) = max(G, S(mu))``,
``V_t = max(N(mu), -k_A + P(B wins | mu) V_{t+1}(k + 1) + P(A wins | mu) V_{t+1}(k))``.

``N`` is convex with a kink at ``mu_hat``, so the value of a battle's news is
highest near it: A fights on while its belief is close to ``mu_hat`` and
settles when the battles have moved it far enough away; with a strong
(weak) B the belief drifts up (down), so the talks end as beliefs converge
on the truth (Slantchev's principle of convergence). Tie rules: A fights on,
and makes the tough offer, only when strictly better; B accepts when
indifferent.

Outcome codes: ``0`` generous terms accepted, ``1`` tough terms accepted,
``2`` talks fail and the war is fought to a decision.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

__all__ = ["REGIMES", "SETTLE", "SCREEN", "FIGHT", "T_MAX", "solve", "posterior"]

#: Regime names (A's first move), indexed by the ``regime`` codes of :func:`solve`.
REGIMES: tuple[str, ...] = ("settle_at_once", "tough_offer_at_once", "fight_to_learn")
SETTLE, SCREEN, FIGHT = range(3)

#: Longest horizon (battles) the model accepts.
T_MAX = 10

_TOL = 1e-12


def posterior(pi: np.ndarray, p_hi: np.ndarray, p_lo: np.ndarray, t: int, k: int) -> np.ndarray:
    """A's belief that B is strong after B won ``k`` of ``t`` battles (the prior if impossible)."""
    like_hi = pi * p_hi ** k * (1.0 - p_hi) ** (t - k)
    like_lo = (1.0 - pi) * p_lo ** k * (1.0 - p_lo) ** (t - k)
    total = like_hi + like_lo
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(total > 0, like_hi / total, pi)


def solve(
    p_hi: npt.ArrayLike, p_lo: npt.ArrayLike, pi: npt.ArrayLike, c_A: npt.ArrayLike,
    c_B: npt.ArrayLike, k_A: npt.ArrayLike, k_B: npt.ArrayLike, T: npt.ArrayLike,
    *, tol: float = _TOL,
) -> dict[str, np.ndarray]:
    """The equilibrium of the fight-and-learn game at every parameter point.

    Returns
    -------
    dict of arrays (length ``n``; per-round arrays have shape ``(n, max(T) + 1)``)
        ``regime``; ``y_generous``, ``y_tough`` (B's shares in the two offers);
        ``mu_hat``; outcome probabilities ``P_generous``, ``P_tough``,
        ``P_war``; payoffs ``u_A``, ``u_B`` (ex ante, net of fighting costs);
        ``duration`` (expected battles before the final offer) and its value
        by type, ``duration_hi``, ``duration_lo``; per round ``t``:
        ``P_end_at`` (final offer after ``t`` battles), ``P_settled_by``
        (an accepted offer after at most ``t`` battles), ``terms_at`` (B's
        expected share in a settlement after ``t`` battles; ``nan`` if none);
        ``margin0`` (A's gain from fighting the first battle over its best
        offer; ``nan`` when ``T = 0``), ``screen_margin0``, ``mu_end_hi``,
        ``mu_end_lo`` (A's expected belief when the offer is made, by type);
        flags ``boundary``, ``violated``; ``accepts_tough`` (strong, weak);
        and, as lists over rounds ``t`` of arrays of shape ``(t + 1, n)`` over
        B's wins ``k``, the decisions ``fight`` and ``tough`` and ``reach``
        (the probability that A decides after ``k`` wins of B in ``t`` battles).
    """
    arrays = np.broadcast_arrays(*(np.asarray(a, dtype=float) for a in (
        p_hi, p_lo, pi, c_A, c_B, k_A, k_B, T)))
    p_hi, p_lo, pi, c_A, c_B, k_A, k_B, T = arrays
    horizon = np.rint(T).astype(np.int64)
    n = p_hi.shape[0] if p_hi.ndim else 1
    p_hi, p_lo, pi, c_A, c_B, k_A, k_B = (np.reshape(a, n) for a in (
        p_hi, p_lo, pi, c_A, c_B, k_A, k_B))
    horizon = np.reshape(horizon, n)
    y_hi = np.maximum(p_hi - c_B, 0.0)
    y_lo = np.maximum(p_lo - c_B, 0.0)
    swap = y_lo > y_hi  # the "weak" type is the tougher bargainer: labels reversed
    y_pool = np.maximum(y_hi, y_lo)
    y_scr = np.minimum(y_hi, y_lo)
    distinct = y_pool - y_scr > tol
    p_tough = np.where(swap, p_lo, p_hi)
    generous = 1.0 - y_pool
    with np.errstate(divide="ignore", invalid="ignore"):
        mu_hat = np.where(distinct, (y_pool - y_scr) / (p_tough + c_A - y_scr), np.nan)

    # State-major layout: arrays are (states, n) so that every operation runs over
    # contiguous points; ``row`` broadcasts a per-point parameter over the states.
    row = (None, slice(None))

    def offer_values(mu: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """A's best final offer and the tough offer's margin at beliefs ``mu`` (states, n)."""
        mu_t = np.where(swap[row], 1.0 - mu, mu)  # belief on the tougher type
        screen = mu_t * (1.0 - p_tough[row] - c_A[row]) + (1.0 - mu_t) * (1.0 - y_scr[row])
        margin = np.where(distinct[row], screen - generous[row], -np.inf)
        return np.where(margin > tol, screen, generous[row]), margin

    last = int(horizon.max()) if n else 0
    size = last + 1
    # Per round t, arrays of shape (t + 1, n) over the states k = B's wins so far.
    fight: list[np.ndarray] = [np.zeros((0, n), dtype=bool)] * size
    tough: list[np.ndarray] = [np.zeros((0, n), dtype=bool)] * size
    near: list[np.ndarray] = [np.zeros((0, n), dtype=bool)] * size
    belief: list[np.ndarray] = [np.zeros((0, n))] * size
    # Likelihood factors p^k and (1 - p)^k, k = 0..last, by cumulative products.
    powers = {}
    for tag, prob in (("hi", p_hi), ("lo", p_lo)):
        for side, base in (("win", prob), ("loss", 1.0 - prob)):
            stack = np.ones((size, n))
            for i in range(1, size):
                stack[i] = stack[i - 1] * base
            powers[tag, side] = stack
    margin0 = np.full(n, np.nan)
    value_next = np.zeros((1, n))
    tm = np.zeros((1, n))
    for t in range(last, -1, -1):
        like_hi = pi[row] * powers["hi", "win"][:t + 1] * powers["hi", "loss"][t::-1]
        like_lo = (1.0 - pi[row]) * powers["lo", "win"][:t + 1] * powers["lo", "loss"][t::-1]
        total = like_hi + like_lo
        with np.errstate(divide="ignore", invalid="ignore"):
            m = np.where(total > 0, like_hi / total, pi[row])
        belief[t] = m
        best_offer, tm = offer_values(m)
        tough[t] = tm > tol
        near[t] = np.abs(tm) <= tol
        if t < last:
            win = m * p_hi[row] + (1.0 - m) * p_lo[row]
            cont = -k_A[row] + win * value_next[1:] + (1.0 - win) * value_next[:-1]
            margin = np.where(t < horizon[row], cont - best_offer, np.nan)
            go = margin > tol  # nan (at the horizon) compares False
            fight[t] = go
            near[t] = near[t] | (np.abs(margin) <= tol)
            value_next = np.where(go, cont, best_offer)
            if t == 0:
                margin0 = margin[0]
        else:
            fight[t] = np.zeros((t + 1, n), dtype=bool)
            value_next = best_offer
    screen_margin0 = tm[0]

    # Forward pass: each type's probability of reaching each state, and where talks end.
    p_type = {"hi": p_hi[row], "lo": p_lo[row]}
    prior = {"hi": pi[row], "lo": 1.0 - pi[row]}
    # A type accepts the tough offer unless it is strictly the tougher bargainer.
    accepts_tough = {"hi": ~(distinct & ~swap), "lo": ~(distinct & swap)}
    reach = {"hi": np.ones((1, n)), "lo": np.ones((1, n))}
    P_end_at = np.zeros((size, n))
    P_settled_at = np.zeros((size, n))
    share_at = np.zeros((size, n))
    P_gen = np.zeros(n)
    P_tgh = np.zeros(n)
    P_war = np.zeros(n)
    u_A = np.zeros(n)
    u_B = np.zeros(n)
    duration = {"hi": np.zeros(n), "lo": np.zeros(n)}
    mu_end = {"hi": np.zeros(n), "lo": np.zeros(n)}
    boundary = np.zeros(n, dtype=bool)
    reach_mix: list[np.ndarray] = []
    for t in range(size):
        f = fight[t]
        s = tough[t]
        gen = ~f & ~s  # A makes its generous offer here
        tgh = ~f & s  # A makes its tough offer here
        mix = prior["hi"] * reach["hi"] + prior["lo"] * reach["lo"]
        reach_mix.append(mix)
        boundary |= ((mix > 0) & near[t]).any(axis=0)
        nxt = {}
        for j, here in reach.items():
            # Per point: the type's probability that the offer is made here, by kind.
            w_gen = (here * gen).sum(axis=0)
            w_tgh = (here * tgh).sum(axis=0)
            acc = accepts_tough[j]
            p_j = p_type[j][0]
            a_gen, a_tgh = prior[j][0] * w_gen, prior[j][0] * w_tgh
            settled = a_gen + a_tgh * acc
            P_end_at[t] += a_gen + a_tgh
            P_settled_at[t] += settled
            share_at[t] += a_gen * y_pool + a_tgh * acc * y_scr
            P_gen += a_gen
            P_tgh += a_tgh * acc
            P_war += a_tgh * ~acc
            u_A += a_gen * (1.0 - y_pool) + a_tgh * np.where(acc, 1.0 - y_scr, 1.0 - p_j - c_A) \
                - t * k_A * (a_gen + a_tgh)
            u_B += a_gen * y_pool + a_tgh * np.where(acc, y_scr, p_j - c_B) \
                - t * k_B * (a_gen + a_tgh)
            duration[j] += t * (w_gen + w_tgh)
            mu_end[j] += (here * ~f * belief[t]).sum(axis=0)
            go = here * f
            step = np.zeros((t + 2, n))
            step[1:] = go * p_type[j]
            step[:-1] += go * (1.0 - p_type[j])
            nxt[j] = step
        reach = nxt
    P_end_at, P_settled_at, share_at = P_end_at.T, P_settled_at.T, share_at.T
    with np.errstate(divide="ignore", invalid="ignore"):
        terms_at = np.where(P_settled_at > 0, share_at / P_settled_at, np.nan)
    first = np.where(fight[0][0], FIGHT, np.where(tough[0][0], SCREEN, SETTLE))
    return {
        "regime": first.astype(np.int64),
        "y_generous": y_pool,
        "y_tough": y_scr,
        "mu_hat": mu_hat,
        "P_generous": P_gen,
        "P_tough": P_tgh,
        "P_war": P_war,
        "u_A": u_A,
        "u_B": u_B,
        "duration": pi * duration["hi"] + (1.0 - pi) * duration["lo"],
        "duration_hi": duration["hi"],
        "duration_lo": duration["lo"],
        "P_end_at": P_end_at,
        "P_settled_by": np.cumsum(P_settled_at, axis=1),
        "terms_at": terms_at,
        "margin0": margin0,
        "screen_margin0": screen_margin0,
        "mu_end_hi": mu_end["hi"],
        "mu_end_lo": mu_end["lo"],
        "fight": fight,
        "tough": tough,
        "reach": reach_mix,
        "accepts_tough": np.stack([accepts_tough["hi"], accepts_tough["lo"]], axis=1),
        "boundary": boundary,
        "violated": p_hi < p_lo - tol,
        "distinct": distinct,
    }
