"""Vectorised perfect Bayesian equilibria of two-type, two-message, two-response games.

The costly-signalling models (mobilisation, reassurance) share one game form.
Nature makes the sender type ``t0`` with probability ``pi`` (else ``t1``);
the sender sends message ``m0`` or ``m1``; the receiver sees the message,
forms a belief ``mu_j = P(t0 | m_j)`` and answers ``r0`` or ``r1``. Payoffs are
arrays ``S[t, j, r]`` (sender) and ``R[t, j, r]`` (receiver), each over ``n``
parameter points.

Every PBE candidate is checked at all points at once (Fudenberg & Tirole
1991, Def. 8.2):

* two pooling profiles, each supported off the path by a response that is a
  best reply to some belief;
* two separating profiles, with beliefs 0 and 1;
* four semi-separating (hybrid) profiles: one type sends one message for
  sure, the other mixes; the receiver mixes at the shared message, which
  pins its belief to the indifference belief ``mu*_j`` (so Bayes' rule fixes
  the mixer's probability), and its mixture leaves the mixer indifferent.

This list is complete for generic payoffs; a profile in which both types mix
needs the receiver to mix at both messages and is non-generic.

Refinement and selection. Pooling profiles are tested by the D1 criterion
(Cho & Kreps 1987; Banks & Sobel 1987): when both types prefer ``r0`` at the
unused message, the type that would deviate for the smaller set of receiver
replies is struck out, and the off-path reply must be a best reply to the
remaining type. Profiles without unused messages pass. Among the PBE that
pass, the one with the highest ex-ante sender payoff is reported (ties: the
order of :data:`TIE_ORDER`); ``multiple`` says that more than one PBE exists.

Tie rule (models.md §0): a receiver indifferent on the path answers ``r0``;
a decision margin within ``tol`` sets ``boundary``.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import numpy.typing as npt

from sim.games.extensive_form import Chance, Decision, Node

__all__ = [
    "KINDS",
    "TIE_ORDER",
    "SEPARATING",
    "REVERSE_SEPARATING",
    "POOL_M0",
    "POOL_M1",
    "HYBRID_T0_M0",
    "HYBRID_T0_M1",
    "HYBRID_T1_M0",
    "HYBRID_T1_M1",
    "solve_pbe",
    "signalling_tree",
]

#: Candidate profiles, in tie-break order. ``hybrid_tX_mJ``: type X sends m_J for
#: sure and the other type mixes.
KINDS: tuple[str, ...] = (
    "separating",
    "reverse_separating",
    "pooling_m0",
    "pooling_m1",
    "hybrid_t0_m0",
    "hybrid_t0_m1",
    "hybrid_t1_m0",
    "hybrid_t1_m1",
)
(SEPARATING, REVERSE_SEPARATING, POOL_M0, POOL_M1,
 HYBRID_T0_M0, HYBRID_T0_M1, HYBRID_T1_M0, HYBRID_T1_M1) = range(8)

#: Order in which payoff-equivalent candidates are preferred: the separating
#: profile, then pooling (on m1 first: in the models here m0 is the costly signal
#: and m1 its absence, so a tie goes to not signalling), then hybrids, and the
#: reversed separating profile last.
TIE_ORDER: tuple[int, ...] = (SEPARATING, POOL_M1, POOL_M0, HYBRID_T0_M0, HYBRID_T1_M1,
                              HYBRID_T0_M1, HYBRID_T1_M0, REVERSE_SEPARATING)

_TOL = 1e-12

Array = npt.NDArray[np.float64]


def _candidate(n: int) -> dict[str, np.ndarray]:
    return {
        "valid": np.zeros(n, dtype=bool),
        "d1": np.zeros(n, dtype=bool),
        "sigma": np.zeros((2, n)),  # P(m0 | type)
        "rho": np.zeros((2, n)),  # P(r0 | message), on and off the path
        "mu": np.full((2, n), np.nan),  # P(t0 | message); nan off the path
        "u": np.zeros((2, n)),  # each type's payoff
        "slack": np.full(n, np.inf),  # smallest decision margin
    }


def _pooling(pi: Array, S: Array, g: Array, j: int, tol: float) -> dict[str, np.ndarray]:
    n = pi.shape[0]
    c = _candidate(n)
    k = 1 - j
    d = pi * g[0, j] + (1 - pi) * g[1, j]
    b = d >= -tol  # r0 on the path when indifferent
    u = np.where(b, S[:, j, 0], S[:, j, 1])
    # Off-path replies that are a best reply to some belief, and whether they deter.
    sup = (np.maximum(g[0, k], g[1, k]) >= -tol, np.minimum(g[0, k], g[1, k]) <= tol)
    dev = [S[:, k, r] - u for r in range(2)]  # (2, n) each: gain from deviating
    det = [(dev[r] <= tol).all(axis=0) for r in range(2)]
    ok = [sup[r] & det[r] for r in range(2)]
    valid = ok[0] | ok[1]
    # D1: with both types preferring r0 at m_k, the type with the larger cut-off
    # P(r0) above which it would deviate is struck out.
    a = S[:, k, 0] - S[:, k, 1]
    monotone = (a > tol).all(axis=0)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        thr = np.where(a > tol, (u - S[:, k, 1]) / np.where(a > tol, a, 1.0), np.inf)
    lo = thr.min(axis=0)
    with np.errstate(invalid="ignore"):  # inf - inf where neither type would deviate
        apart = np.abs(thr[0] - thr[1]) > tol
    restricted = monotone & (lo <= 1 + tol) & apart
    survivor = np.where(thr[0] < thr[1], 0, 1)
    gs = np.where(survivor == 0, g[0, k], g[1, k])
    allowed = (gs >= -tol, gs <= tol)
    d1_ok = (allowed[0] & det[0]) | (allowed[1] & det[1])
    c["valid"] = valid
    c["d1"] = valid & np.where(restricted, d1_ok, True)
    # Reported off-path reply: the D1 one where it restricts, else resist first.
    off_r0 = np.where(restricted & d1_ok, allowed[0] & det[0] & ~(allowed[1] & det[1]),
                      ~ok[1] & ok[0])
    c["sigma"][:] = 1.0 if j == 0 else 0.0
    c["rho"][j] = b
    c["rho"][k] = off_r0
    c["mu"][j] = pi
    c["u"][:] = u
    chosen = np.where(off_r0, dev[0], dev[1])
    c["slack"] = np.minimum(np.abs(d), (-chosen).min(axis=0))
    return c


def _separating(pi: Array, S: Array, g: Array, a: int, tol: float) -> dict[str, np.ndarray]:
    n = pi.shape[0]
    c = _candidate(n)
    b = 1 - a  # t0 sends m_a, t1 sends m_b
    ra = g[0, a] >= -tol
    rb = g[1, b] >= -tol
    u0 = np.where(ra, S[0, a, 0], S[0, a, 1])
    u1 = np.where(rb, S[1, b, 0], S[1, b, 1])
    dev0 = np.where(rb, S[0, b, 0], S[0, b, 1]) - u0
    dev1 = np.where(ra, S[1, a, 0], S[1, a, 1]) - u1
    c["valid"] = (dev0 <= tol) & (dev1 <= tol)
    c["d1"] = c["valid"]
    c["sigma"][0] = 1.0 if a == 0 else 0.0
    c["sigma"][1] = 1.0 if b == 0 else 0.0
    c["rho"][a] = ra
    c["rho"][b] = rb
    c["mu"][a] = 1.0
    c["mu"][b] = 0.0
    c["u"][0], c["u"][1] = u0, u1
    c["slack"] = np.minimum.reduce([np.abs(g[0, a]), np.abs(g[1, b]), -dev0, -dev1])
    return c


def _hybrid(pi: Array, S: Array, g: Array, pure: int, j: int,
            tol: float) -> dict[str, np.ndarray]:
    """Type ``pure`` sends m_j for sure; the other type mixes; the receiver mixes at m_j."""
    n = pi.shape[0]
    c = _candidate(n)
    x = 1 - pure
    k = 1 - j
    # Only the mixer sends m_k: the receiver's reply there is its best reply to x.
    rk = g[x, k] >= -tol
    u_x = np.where(rk, S[x, k, 0], S[x, k, 1])
    interior = ((g[0, j] > tol) & (g[1, j] < -tol)) | ((g[0, j] < -tol) & (g[1, j] > tol))
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        mu_star = np.where(interior, g[1, j] / (g[1, j] - g[0, j]), np.nan)
        if pure == 0:  # t0 always at m_j, t1 with s: mu = pi / (pi + (1 - pi) s)
            s = pi * (1 - mu_star) / ((1 - pi) * mu_star)
        else:  # t1 always at m_j, t0 with s: mu = pi s / (pi s + 1 - pi)
            s = (1 - pi) * mu_star / (pi * (1 - mu_star))
        span = S[x, j, 0] - S[x, j, 1]
        rho = (u_x - S[x, j, 1]) / span
    ok = interior & (np.abs(span) > tol) & (s > tol) & (s < 1 - tol)
    ok &= (rho >= -tol) & (rho <= 1 + tol)
    rho = np.clip(np.where(ok, rho, 0.0), 0.0, 1.0)
    s = np.where(ok, s, 0.0)
    u_p = rho * S[pure, j, 0] + (1 - rho) * S[pure, j, 1]
    dev_p = np.where(rk, S[pure, k, 0], S[pure, k, 1]) - u_p
    ok &= dev_p <= tol
    c["valid"] = ok
    c["d1"] = ok
    c["sigma"][pure] = 1.0 if j == 0 else 0.0
    c["sigma"][x] = s if j == 0 else 1 - s
    c["rho"][j] = rho
    c["rho"][k] = rk
    c["mu"][j] = np.where(ok, mu_star, np.nan)
    c["mu"][k] = 1.0 if x == 0 else 0.0
    c["u"][pure], c["u"][x] = u_p, u_x
    c["slack"] = np.minimum.reduce([np.abs(g[x, k]), np.abs(np.where(ok, pi - mu_star, np.inf)),
                                    rho, 1 - rho, -dev_p])
    return c


def solve_pbe(pi: npt.ArrayLike, S: npt.ArrayLike, R: npt.ArrayLike,
              tol: float = _TOL) -> dict[str, np.ndarray]:
    """Every candidate PBE at every point, and the one selected.

    Parameters
    ----------
    pi
        ``(n,)`` prior probability of type ``t0``, in ``[0, 1]`` (at 0 or 1 the
        ``boundary`` flag is set: there is nothing to signal).
    S, R
        ``(2, 2, 2, n)`` sender and receiver payoffs ``[type, message, response]``.

    Returns
    -------
    dict of arrays
        ``kind`` (code into :data:`KINDS`), ``sigma`` ``(2, n)`` = P(m0 | type),
        ``rho`` ``(2, n)`` = P(r0 | message) (off-path replies included),
        ``mu`` ``(2, n)`` = P(t0 | message) (``nan`` off the path), ``u``
        ``(2, n)`` each type's payoff, ``eu_S`` and ``eu_R`` ex ante,
        ``P`` ``(2, 2, 2, n)`` = probability of each (type, message, response),
        ``valid`` ``(8, n)`` which candidates are PBE, ``d1`` ``(8, n)`` which
        of those pass D1, ``n_pbe``, ``multiple``, ``boundary`` and ``found``
        (False where no candidate is a PBE: a non-generic point).
    """
    pi = np.atleast_1d(np.asarray(pi, dtype=float))
    S = np.asarray(S, dtype=float)
    R = np.asarray(R, dtype=float)
    n = pi.shape[0]
    S = np.broadcast_to(S, (2, 2, 2, n))
    R = np.broadcast_to(R, (2, 2, 2, n))
    g = R[:, :, 0] - R[:, :, 1]  # (type, message, n): receiver's gain from r0
    cands = [
        _separating(pi, S, g, 0, tol),
        _separating(pi, S, g, 1, tol),
        _pooling(pi, S, g, 0, tol),
        _pooling(pi, S, g, 1, tol),
        _hybrid(pi, S, g, 0, 0, tol),
        _hybrid(pi, S, g, 0, 1, tol),
        _hybrid(pi, S, g, 1, 0, tol),
        _hybrid(pi, S, g, 1, 1, tol),
    ]
    valid = np.stack([c["valid"] for c in cands])
    d1 = np.stack([c["d1"] for c in cands])
    eu = np.stack([pi * c["u"][0] + (1 - pi) * c["u"][1] for c in cands])
    pool = np.where(d1.any(axis=0), d1, valid)
    score = np.where(pool, eu, -np.inf)
    best = score.max(axis=0)
    # Ties (payoff-equivalent profiles) go to the first in TIE_ORDER.
    top = (pool & (score >= best - 1e-9))[list(TIE_ORDER)]
    pick = np.asarray(TIE_ORDER)[np.argmax(top, axis=0)]
    found = valid.any(axis=0)
    cols = np.arange(n)

    sigma = np.stack([c["sigma"] for c in cands])[pick, :, cols].T
    rho = np.stack([c["rho"] for c in cands])[pick, :, cols].T
    mu = np.stack([c["mu"] for c in cands])[pick, :, cols].T
    u = np.stack([c["u"] for c in cands])[pick, :, cols].T
    slack = np.stack([c["slack"] for c in cands])[pick, cols]
    send = np.stack([sigma, 1 - sigma], axis=1)  # (type, message, n)
    reply = np.stack([rho, 1 - rho], axis=1)  # (message, response, n)
    prior = np.stack([pi, 1 - pi])
    P = prior[:, None, None, :] * send[:, :, None, :] * reply[None, :, :, :]
    eu_R = (P * R).sum(axis=(0, 1, 2))
    n_pbe = valid.sum(axis=0)
    # The prior on an indifference belief, or a margin of the reported profile at zero.
    boundary = found & (slack <= tol)
    boundary |= (pi <= tol) | (pi >= 1 - tol)  # one type has no weight: nothing to signal
    for j in range(2):
        a, b = g[0, j], g[1, j]
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            mstar = b / (b - a)
        boundary |= (a * b < 0) & (np.abs(pi - mstar) <= tol)
    return {
        "kind": pick.astype(np.int64),
        "sigma": sigma,
        "rho": rho,
        "mu": mu,
        "u": u,
        "eu_S": pi * u[0] + (1 - pi) * u[1],
        "eu_R": eu_R,
        "P": P,
        "valid": valid,
        "d1": d1,
        "n_pbe": n_pbe,
        "multiple": n_pbe >= 2,
        "boundary": boundary,
        "found": found,
    }


def signalling_tree(
    prior: float,
    types: tuple[str, str],
    messages: tuple[str, str],
    responses: tuple[str, str],
    leaf: Callable[[int, int, int], Node],
) -> Chance:
    """The game tree: chance over the sender's (player 0) type, then message, then reply.

    Information sets: the sender's are keyed ``"<type>"``, the receiver's
    (player 1) ``"after <message>"``; ``leaf(t, j, r)`` builds what follows
    the reply (a terminal node, or the sender's last move).
    """

    def sender(t: int) -> Decision:
        return Decision(0, tuple(
            (messages[j], Decision(1, tuple((responses[r], leaf(t, j, r)) for r in range(2)),
                                   infoset=f"after {messages[j]}"))
            for j in range(2)
        ), infoset=types[t])

    return Chance(((types[0], prior, sender(0)), (types[1], 1.0 - prior, sender(1))))
