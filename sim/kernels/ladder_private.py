"""Powell's escalation ladder with the target's resolve privately known: the equations.

See docs/models/escalation_ladder_incomplete.md.

The ladder of :mod:`sim.kernels.ladder`, except that Target's disaster cost is
``d_B_res`` (resolute) with probability ``prior_res`` and ``d_B_irr``
otherwise. Challenger's information set at odd step ``k`` spans both types
and holds the belief ``μ_k`` that Target is resolute.

Two pieces live here:

- :func:`evaluate`, the value of every action of a behaviour profile. It is
  written in plain arithmetic over *columns*, so one call serves a single
  point (columns are floats, as the logit tracer of
  :mod:`sim.solvers.ladder_logit` needs) and a batch (columns are arrays).
- :func:`skimming_equilibrium`, the sequential equilibrium of many points at
  once by backward induction on Challenger's belief. Single crossing holds
  (the type with the lower disaster cost gains more from escalating against
  any continuation), so at each of Target's steps the tougher type escalates
  whenever the weaker one does, and play takes one of four shapes: both types
  escalate (pooling), both quit, only the tougher one escalates (separating),
  or the weaker one bluffs with the probability that leaves Challenger
  indifferent at its next step, where Challenger mixes to leave the weaker
  type indifferent (Powell 1987, 1988). The belief that makes Challenger
  indifferent at a step depends only on the continuation, so it is found once
  per step (Illinois regula falsi on a piecewise-affine margin). After both
  types quit, Challenger's belief is that it faces the tougher type, the limit
  of logit trembles (the tougher type's margin is the larger).

References
----------
Powell, R. (1987). Crisis Bargaining, Escalation, and MAD. *APSR* 81(3):
717–735.
Powell, R. (1988). Nuclear Brinkmanship with Two-Sided Incomplete Information.
*APSR* 82(1): 155–178.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from sim.kernels.tolerance import BOUNDARY_TOL

__all__ = ["LadderPoint", "beliefs_from_logb", "evaluate", "infosets", "playable", "regret",
           "skimming_equilibrium"]

_TYPES = ("res", "irr")


def playable(risks: Sequence[float]) -> list[float]:
    """The risk schedule up to its first rung of risk 1 (later rungs are never reached)."""
    risks = [float(r) for r in risks]
    return risks[: risks.index(1.0) + 1] if 1.0 in risks else risks


def infosets(L: int) -> list[tuple[str, int, str | None]]:
    """``(key, step, type)`` of each information set of an ``L``-step ladder, in order.

    Challenger's are ``A<k>`` (type ``None``); Target's ``B<k>_res`` and ``B<k>_irr``.
    """
    out: list[tuple[str, int, str | None]] = []
    for k in range(1, L + 1):
        if k % 2 == 1:
            out.append((f"A{k}", k, None))
        else:
            out.extend(((f"B{k}_res", k, "res"), (f"B{k}_irr", k, "irr")))
    return out


@dataclass(frozen=True)
class LadderPoint:
    """Payoffs of one ladder, or of a batch when the fields are arrays.

    ``risks`` holds one entry (or column) per step, the last equal to 1.
    """

    risks: Any
    v_A: Any
    v_B: Any
    d_A: Any
    d_B_res: Any
    d_B_irr: Any
    prior_res: Any

    def d_B(self, t: str) -> Any:
        return self.d_B_res if t == "res" else self.d_B_irr


def _action(k: int, t: str) -> int:
    """Index of the information set that moves at step ``k`` on type ``t``'s branch."""
    return 3 * (k // 2) if k % 2 == 1 else 3 * (k // 2) - 2 + (t == "irr")


def evaluate(g: LadderPoint, a: Sequence[Any], mu: Sequence[Any]) -> dict[str, Any]:
    """Values, margins and outcome probabilities of a behaviour profile.

    Parameters
    ----------
    g
        The ladder.
    a
        Escalation probability at each information set, in :func:`infosets` order.
    mu
        Challenger's belief that Target is resolute at each of its steps.

    Returns
    -------
    dict
        ``margin`` (value of escalating over quitting, per information set),
        ``eu`` (``{type: (Challenger's value, Target's value)}`` from step 1),
        ``p_disaster``, ``p_challenger_quits`` and ``p_target_quits``.
    """
    L = len(g.risks)
    esc_val: dict[str, list[tuple[Any, Any]]] = {}
    eu: dict[str, tuple[Any, Any]] = {}
    for t in _TYPES:
        nA: Any = 0.0
        nB: Any = 0.0
        vals: list[tuple[Any, Any]] = [(0.0, 0.0)] * (L + 1)
        for k in range(L, 0, -1):
            rk = g.risks[k - 1]
            eA = -rk * g.d_A + (1 - rk) * nA
            eB = -rk * g.d_B(t) + (1 - rk) * nB
            vals[k] = (eA, eB)
            pk = a[_action(k, t)]
            if k % 2 == 1:
                nA, nB = pk * eA, pk * eB + (1 - pk) * g.v_B
            else:
                nA, nB = pk * eA + (1 - pk) * g.v_A, pk * eB
        esc_val[t] = vals
        eu[t] = (nA, nB)
    margin: list[Any] = []
    for _key, k, side in infosets(L):
        if side is None:
            m = mu[k // 2]
            margin.append(m * esc_val["res"][k][0] + (1 - m) * esc_val["irr"][k][0])
        else:
            margin.append(esc_val[side][k][1])
    weight = {"res": g.prior_res, "irr": 1 - g.prior_res}
    reach: dict[str, Any] = {"res": 1.0, "irr": 1.0}
    p_dis: Any = 0.0
    quits: list[Any] = [0.0, 0.0]
    for k in range(1, L + 1):
        for t in _TYPES:
            pk = a[_action(k, t)]
            rk = g.risks[k - 1]
            p_dis = p_dis + weight[t] * reach[t] * pk * rk
            quits[k % 2] = quits[k % 2] + weight[t] * reach[t] * (1 - pk)
            reach[t] = reach[t] * pk * (1 - rk)
    return {"margin": margin, "eu": eu, "p_disaster": p_dis,
            "p_challenger_quits": quits[1], "p_target_quits": quits[0]}


def beliefs_from_logb(prior: float, logb: Sequence[float]) -> list[float]:
    """Challenger's beliefs from the log escalation probabilities of Target's types.

    Bayes' rule on log-odds, so that a belief after moves both types make
    with vanishing probability is the limit of their trembles, not 0/0.
    """
    if 0 < prior < 1:
        logodds = math.log(prior / (1 - prior))
    else:
        logodds = math.inf if prior >= 1 else -math.inf
    out = []
    for j in range(0, len(logb), 3):
        if not math.isfinite(logodds):
            out.append(float(logodds > 0))
        elif logodds >= 0:
            out.append(1.0 / (1.0 + math.exp(-logodds)))
        else:
            out.append(math.exp(logodds) / (1.0 + math.exp(logodds)))
        if j + 2 < len(logb):
            logodds += logb[j + 1] - logb[j + 2]
    return out


def regret(margin: npt.ArrayLike, a: npt.ArrayLike, mixing: npt.ArrayLike) -> Any:
    """Largest gain from switching action at any information set (0 at an equilibrium)."""
    gain = np.where(np.asarray(mixing), np.abs(np.asarray(margin)),
                    np.where(np.asarray(a) > 0.5, -np.asarray(margin), np.asarray(margin)))
    return np.maximum(0.0, gain.max(axis=0))


# -- the batch equilibrium ----------------------------------------------------

class _Skimming:
    """Backward induction on the belief ``ν`` that Target is the tougher type.

    Arrays have one entry per point; ``T`` is the tougher type (lower disaster
    cost), ``W`` the weaker. ``frozen`` points keep their belief whatever
    Target does (both types alike, or a prior of 0 or 1).
    """

    def __init__(self, r: np.ndarray, v_A: np.ndarray, v_B: np.ndarray, d_A: np.ndarray,
                 d_T: np.ndarray, d_W: np.ndarray, frozen: np.ndarray) -> None:
        self.r, self.L = r, r.shape[1]
        self.v_A, self.v_B, self.d_A, self.d_T, self.d_W = v_A, v_B, d_A, d_T, d_W
        self.frozen = frozen
        self.at_one: dict[int, dict[str, np.ndarray]] = {}
        self.at_hat: dict[int, dict[str, np.ndarray]] = {}
        self.hat: dict[int, np.ndarray] = {}

    def node_a(self, j: int, nu: np.ndarray) -> dict[str, np.ndarray]:
        """Challenger's step ``j`` at belief ``nu``: its margin and the values of escalating."""
        rj = self.r[:, j - 1]
        if j == self.L:
            zero = np.zeros_like(nu)
            b = {"A_T": zero, "A_W": zero, "T": zero, "W": zero}
        else:
            b = self.node_b(j + 1, nu)
        out = {"A_T": -rj * self.d_A + (1 - rj) * b["A_T"],
               "A_W": -rj * self.d_A + (1 - rj) * b["A_W"],
               "T": -rj * self.d_T + (1 - rj) * b["T"],
               "W": -rj * self.d_W + (1 - rj) * b["W"]}
        out["M"] = nu * out["A_T"] + (1 - nu) * out["A_W"]
        return out

    def _target_esc(self, k: int, a: np.ndarray, nxt: dict[str, np.ndarray], t: str) -> np.ndarray:
        rk = self.r[:, k - 1]
        d = self.d_T if t == "T" else self.d_W
        return -rk * d + (1 - rk) * (a * nxt[t] + (1 - a) * self.v_B)

    def node_b(self, k: int, nu: np.ndarray, full: bool = False) -> dict[str, np.ndarray]:
        """Target's step ``k`` entered with belief ``nu``: conditional values (and play)."""
        n = nu.shape[0]
        if k == self.L:
            # Escalating is disaster for sure: a type quits, or is indifferent at no cost.
            b_T, b_W = self.tie(self.d_T), self.tie(self.d_W)
            out = {"A_T": b_T * -self.d_A + (1 - b_T) * self.v_A,
                   "A_W": b_W * -self.d_A + (1 - b_W) * self.v_A, "T": np.zeros(n),
                   "W": np.zeros(n)}
            if full:
                out.update(b_T=b_T, b_W=b_W, mix_T=b_T > 0, mix_W=b_W > 0,
                           next=np.where(self.frozen, nu, 1.0), a_next=np.zeros(n),
                           a_mixed=np.zeros(n, dtype=bool))
            return out
        rk = self.r[:, k - 1]
        pool = self.node_a(k + 1, nu)
        one = {key: np.where(self.frozen, v, self.at_one[k + 1][key]) for key, v in pool.items()}
        hat = self.at_hat[k + 1]
        a_pool, a_one = self.act(k + 1, pool["M"]), self.act(k + 1, one["M"])
        ew_pool = self._target_esc(k, a_pool, pool, "W")
        et_one = self._target_esc(k, a_one, one, "T")
        ew_one = self._target_esc(k, a_one, one, "W")
        is_pool = ew_pool > BOUNDARY_TOL
        is_quit = ~is_pool & (et_one <= BOUNDARY_TOL)
        is_sep = ~is_pool & ~is_quit & (ew_one <= BOUNDARY_TOL)
        is_mix = ~(is_pool | is_quit | is_sep)
        mh = self.hat[k + 1]
        with np.errstate(divide="ignore", invalid="ignore"):
            a_mix = (-rk * self.d_W + (1 - rk) * self.v_B) / ((1 - rk) * (self.v_B - hat["W"]))
            b_mix = nu * (1 - mh) / ((1 - nu) * mh)
        a_mix = np.where(is_mix, a_mix, 0.0)
        b_mix = np.where(is_mix, b_mix, 0.0)
        lose = -rk * self.d_A
        # Both quit, but a type to which escalating is worth exactly nothing: 1/2 (see act).
        t_tie = is_quit & (np.abs(et_one) <= BOUNDARY_TOL)
        w_tie = is_quit & (np.abs(ew_one) <= BOUNDARY_TOL)
        b_T_quit, b_W_quit = np.where(t_tie, 0.5, 0.0), np.where(w_tie, 0.5, 0.0)

        def pick(p: Any, q: Any, s: Any, m: Any) -> np.ndarray:
            return np.where(is_pool, p, np.where(is_quit, q, np.where(is_sep, s, m)))

        esc_one_T = lose + (1 - rk) * a_one * one["A_T"]
        out = {
            "A_T": pick(lose + (1 - rk) * a_pool * pool["A_T"],
                        b_T_quit * esc_one_T + (1 - b_T_quit) * self.v_A, esc_one_T,
                        lose + (1 - rk) * a_mix * hat["A_T"]),
            "A_W": pick(lose + (1 - rk) * a_pool * pool["A_W"],
                        b_W_quit * (lose + (1 - rk) * a_one * one["A_W"])
                        + (1 - b_W_quit) * self.v_A, self.v_A,
                        b_mix * (lose + (1 - rk) * a_mix * hat["A_W"])
                        + (1 - b_mix) * self.v_A),
            "T": pick(self._target_esc(k, a_pool, pool, "T"), 0.0, et_one,
                      self._target_esc(k, a_mix, hat, "T")),
            "W": np.where(is_pool, ew_pool, 0.0),
        }
        if full:
            out.update(b_T=np.where(is_pool | is_sep | is_mix, 1.0, b_T_quit),
                       b_W=np.where(is_pool, 1.0, np.where(is_quit, b_W_quit, b_mix)),
                       mix_T=t_tie, mix_W=is_mix | w_tie,
                       next=pick(nu, np.where(self.frozen | w_tie, nu, 1.0),
                                 np.where(self.frozen, nu, 1.0), mh),
                       a_next=pick(a_pool, a_one, a_one, a_mix))
            out["a_mixed"] = is_mix | (out["a_next"] == 0.5)
        return out

    def tie(self, d: np.ndarray) -> np.ndarray:
        """Escalation probability at the last step: 1/2 when disaster costs nothing.

        There the margin is 0 for every profile, so logit play stays uniform.
        """
        return np.where(d == 0, 0.5, 0.0)

    def act(self, j: int, margin: np.ndarray) -> np.ndarray:
        """Challenger's play at step ``j``: pure, or 1/2 on a tie.

        A margin that is exactly zero against pure continuation play is
        approached by logit play through margins of order ``e^{-λ}``, so the
        logit limit escalates with probability 1/2 there (see :meth:`tie`).
        """
        if j == self.L:
            return np.where(self.d_A == 0, 0.5, (margin > BOUNDARY_TOL).astype(float))
        return np.where(np.abs(margin) <= BOUNDARY_TOL, 0.5, (margin > BOUNDARY_TOL).astype(float))

    def indifference(self, j: int) -> np.ndarray:
        """The belief at which Challenger is indifferent at step ``j`` (``nan`` if none).

        The margin is piecewise affine in the belief; Illinois regula falsi on
        ``[0, 1]`` reaches a root of it in a few steps. A sign change at a jump
        of the margin is no root and gives ``nan``.
        """
        n = self.r.shape[0]
        lo, hi = np.zeros(n), np.ones(n)
        f_lo, f_hi = self.node_a(j, lo)["M"], self.at_one[j]["M"]
        searching = (f_lo > 0) & (f_hi < 0)  # points whose root is bracketed, not yet found
        scale = np.maximum.reduce([self.v_A, self.v_B, self.d_A, self.d_T, self.d_W])
        # Indifferent only when sure of the tougher type (a free last step, d_A = 0, makes
        # escalating against it worth exactly nothing): the root is the end of the range.
        x = np.where((f_lo > 0) & (np.abs(f_hi) <= 1e-15 * scale), 1.0, np.nan)
        for _ in range(200):
            if not searching.any():
                break
            with np.errstate(divide="ignore", invalid="ignore"):
                c = (lo * f_hi - hi * f_lo) / (f_hi - f_lo)
            c = np.where(searching & np.isfinite(c), np.clip(c, 0.0, 1.0), 0.5)
            fc = self.node_a(j, c)["M"]
            done = searching & ((np.abs(fc) <= 1e-15 * scale) | (np.abs(hi - lo) <= 1e-15))
            x = np.where(done, c, x)
            searching &= ~done
            flip = fc * f_hi < 0
            lo, f_lo = np.where(flip, hi, lo), np.where(flip, f_hi, f_lo / 2)
            hi, f_hi = c, fc
        bad = ~(np.abs(self.node_a(j, np.nan_to_num(x))["M"]) <= 1e-12 * scale)
        return np.where(bad, np.nan, x)


def skimming_equilibrium(g: LadderPoint) -> dict[str, np.ndarray]:
    """Sequential equilibrium of a batch of ladders of one length, by backward induction.

    Parameters
    ----------
    g
        Fields are arrays of ``n`` points; ``risks`` is ``(n, L)`` with
        ``risks[:, L-1] = 1``.

    Returns
    -------
    dict of arrays
        ``esc`` ``(n, m)`` escalation probabilities in :func:`infosets` order,
        ``mixing`` ``(n, m)``, ``mu`` ``(n, A)`` beliefs that Target is
        resolute at Challenger's steps. A point whose construction breaks
        down (the indifference belief does not exist, or a probability leaves
        ``[0, 1]``) has ``valid`` False and must be solved otherwise.
    """
    r = np.asarray(g.risks, dtype=float)
    n, L = r.shape
    d_res, d_irr = np.asarray(g.d_B_res, float), np.asarray(g.d_B_irr, float)
    prior = np.asarray(g.prior_res, float)
    res_tough = d_res <= d_irr
    frozen = (d_res == d_irr) | (prior <= 0) | (prior >= 1)
    sk = _Skimming(r, np.asarray(g.v_A, float), np.asarray(g.v_B, float),
                   np.asarray(g.d_A, float), np.minimum(d_res, d_irr), np.maximum(d_res, d_irr),
                   frozen)
    a_steps = list(range(1, L + 1, 2))
    for j in reversed(a_steps[1:]):
        sk.at_one[j] = sk.node_a(j, np.ones(n))
        sk.hat[j] = sk.indifference(j) if j < L else np.full(n, np.nan)
        sk.at_hat[j] = sk.node_a(j, np.nan_to_num(sk.hat[j], nan=0.5))
    m = len(infosets(L))
    esc = np.zeros((n, m))
    mixing = np.zeros((n, m), dtype=bool)
    mu = np.zeros((n, len(a_steps)))
    valid = np.ones(n, dtype=bool)
    nu = np.where(res_tough, prior, 1 - prior)
    a_now = sk.act(1, sk.node_a(1, nu)["M"])
    mixed_now = a_now == 0.5
    for i, j in enumerate(a_steps):
        col = 3 * i
        esc[:, col], mixing[:, col] = a_now, mixed_now
        mu[:, i] = np.where(res_tough, nu, 1 - nu)
        if j == L:
            break
        b = sk.node_b(j + 1, nu, full=True)
        esc[:, col + 1] = np.where(res_tough, b["b_T"], b["b_W"])
        esc[:, col + 2] = np.where(res_tough, b["b_W"], b["b_T"])
        mixing[:, col + 1] = np.where(res_tough, b["mix_T"], b["mix_W"])
        mixing[:, col + 2] = np.where(res_tough, b["mix_W"], b["mix_T"])
        valid &= ~b["mix_W"] | (np.isfinite(b["b_W"]) & np.isfinite(b["a_next"])
                                & (b["b_W"] >= 0) & (b["b_W"] < 1))
        # b_W = 0 with the weaker type indifferent: the indifference belief is 1, so the
        # mixing meets separation (the logit limit of a free last step, d_A = 0).
        valid &= ~b["a_mixed"] | ((b["a_next"] > 0) & (b["a_next"] < 1))
        nu = np.nan_to_num(b["next"], nan=0.5)
        a_now, mixed_now = b["a_next"], b["a_mixed"]
    return {"esc": np.nan_to_num(esc), "mixing": mixing, "mu": mu, "valid": valid}


def mixes_on_path(esc: np.ndarray, mixing: np.ndarray) -> np.ndarray:
    """Whether an information set reached with positive probability mixes, per point.

    ``esc`` and ``mixing`` are ``(n, m)`` in :func:`infosets` order.
    """
    esc, mixing = np.atleast_2d(esc), np.atleast_2d(mixing)
    L = 2 * (esc.shape[1] // 3) + esc.shape[1] % 3
    reach = {t: np.ones(esc.shape[0]) for t in _TYPES}
    out = np.zeros(esc.shape[0], dtype=bool)
    for k in range(1, L + 1):
        for t in _TYPES:
            j = _action(k, t)
            out |= (reach[t] > 0) & mixing[:, j]
            reach[t] = reach[t] * esc[:, j]
    return out
