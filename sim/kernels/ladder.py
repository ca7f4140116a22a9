"""Backward induction on Powell's escalation ladder, vectorised.

See docs/models/escalation_ladder_complete.md.

Steps ``k = 1 … K``; Challenger moves at odd steps, Target at even steps. The
mover Quits (it gets 0, the opponent ``v_opp``) or Escalates; escalating at
step ``k`` ends in disaster ``(−d_A, −d_B)`` with probability ``r_k`` and
otherwise passes the move on. ``r_K = 1``. By the tie rule a mover escalates
only when strictly better off; a margin within ``BOUNDARY_TOL`` of zero is a
tie (quit) and is reported as a boundary case.

References
----------
Powell, R. (1987). Crisis Bargaining, Escalation, and MAD. *APSR* 81(3):
717–735.
Powell, R. (1990). *Nuclear Deterrence Theory*, ch. 2–3. Cambridge UP.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any

import numpy as np
import numpy.typing as npt

from sim.games.extensive_form import Chance, Decision, Node, Terminal
from sim.kernels.tolerance import BOUNDARY_TOL

__all__ = ["ladder_schedule", "ladder_spe", "ladder_risks", "ladder_tree", "mover", "exact"]


def ladder_schedule(K: npt.ArrayLike, r_1: npt.ArrayLike, r_step: npt.ArrayLike,
                    k_max: int | None = None) -> np.ndarray:
    """Risks ``r_k = min(1, r_1 + (k − 1) r_step)`` for ``k < K`` and ``r_K = 1``.

    Returns an array of shape ``(n, k_max)``; steps beyond a point's ``K``
    hold ``nan``.
    """
    K_, r1, dr = (np.asarray(v, dtype=float).reshape(-1)
                  for v in np.broadcast_arrays(*(np.asarray(x, dtype=float)
                                                 for x in (K, r_1, r_step))))
    kmax = int(K_.max()) if k_max is None else k_max
    k = np.arange(1, kmax + 1, dtype=float)[None, :]
    risks = np.minimum(1.0, r1[:, None] + (k - 1.0) * dr[:, None])
    risks = np.where(k == K_[:, None], 1.0, risks)
    return np.where(k > K_[:, None], np.nan, risks)


def ladder_spe(risks: npt.ArrayLike, K: npt.ArrayLike, v_A: npt.ArrayLike, v_B: npt.ArrayLike,
               d_A: npt.ArrayLike, d_B: npt.ArrayLike) -> dict[str, np.ndarray]:
    """Subgame-perfect equilibrium of a batch of complete-information ladders.

    Parameters
    ----------
    risks
        ``(n, k_max)`` risk schedules (entries beyond ``K`` ignored).
    K
        Number of steps per point.
    v_A, v_B, d_A, d_B
        Values of winning the issue and costs of disaster.

    Returns
    -------
    dict of arrays
        ``escalate`` ``(n, k_max)`` (bool, the SPE action at every step),
        ``margin`` ``(n, k_max)`` (mover's value of escalating minus quitting),
        ``eu_A``, ``eu_B`` (values at step 1), ``p_disaster``,
        ``p_challenger_quits``, ``p_target_quits``, ``path_length`` and
        ``boundary``.
    """
    r = np.atleast_2d(np.asarray(risks, dtype=float))
    n, kmax = r.shape
    K_, vR, vW, dR, dW = (np.broadcast_to(np.asarray(x, dtype=float), (n,)).copy()
                          for x in (K, v_A, v_B, d_A, d_B))
    esc = np.zeros((n, kmax), dtype=bool)
    margin = np.full((n, kmax), np.nan)
    uR = np.zeros(n)
    uW = np.zeros(n)
    for k in range(kmax, 0, -1):
        live = k <= K_
        rk = np.where(live, r[:, k - 1], 1.0)
        last = k == K_
        # After escalating at the last step there is no continuation (r_K = 1).
        nR = np.where(last, 0.0, uR)
        nW = np.where(last, 0.0, uW)
        eR = -rk * dR + (1.0 - rk) * nR
        eW = -rk * dW + (1.0 - rk) * nW
        challenger = k % 2 == 1
        m = eR if challenger else eW
        e = live & (m > BOUNDARY_TOL)
        quit_A, quit_B = (np.zeros(n), vW) if challenger else (vR, np.zeros(n))
        uR = np.where(live, np.where(e, eR, quit_A), uR)
        uW = np.where(live, np.where(e, eW, quit_B), uW)
        esc[:, k - 1] = e
        margin[:, k - 1] = np.where(live, m, np.nan)
    reach = np.ones(n)
    p_dis = np.zeros(n)
    p_rq = np.zeros(n)
    p_wq = np.zeros(n)
    length = np.zeros(n, dtype=np.int64)
    for k in range(1, kmax + 1):
        live = (k <= K_) & (reach > 0)
        rk = np.where(live, r[:, k - 1], 0.0)
        e = esc[:, k - 1] & live
        q = live & ~esc[:, k - 1]
        length += live
        p_dis += np.where(e, reach * rk, 0.0)
        if k % 2 == 1:
            p_rq += np.where(q, reach, 0.0)
        else:
            p_wq += np.where(q, reach, 0.0)
        reach = np.where(e, reach * (1.0 - rk), np.where(live, 0.0, reach))
    boundary = np.any(np.abs(np.nan_to_num(margin, nan=1.0)) <= BOUNDARY_TOL, axis=1)
    return {"escalate": esc, "margin": margin, "eu_A": uR, "eu_B": uW, "p_disaster": p_dis,
            "p_challenger_quits": p_rq, "p_target_quits": p_wq, "path_length": length,
            "boundary": boundary}


def mover(k: int) -> str:
    """Who moves at step ``k`` (1-based)."""
    return "Challenger" if k % 2 == 1 else "Target"


def ladder_risks(p: Mapping[str, Any]) -> tuple[float, ...]:
    """The risk schedule of one parameter point."""
    if p["risks"]:
        return tuple(float(r) for r in p["risks"])
    row = ladder_schedule(p["K"], p["r_1"], p["r_step"])[0]
    return tuple(float(r) for r in row)


def exact(v: float) -> Fraction:
    """``v`` as the exact fraction of its shortest decimal representation."""
    return Fraction(repr(float(v)))


def ladder_tree(risks: Sequence[float], v_A: Fraction, v_B: Fraction, d_A: Fraction,
                d_B: Fraction, *, suffix: str = "", shared: bool = False) -> Node:
    """The ladder from step 1 as a tree; ``suffix`` names Target's type.

    With ``shared`` Challenger's decision nodes carry information-set labels
    ``"A<k>"`` (shared across Target's types) and Target's ``"B<k><suffix>"``.
    """
    node: Node | None = None
    zero = Fraction(0)
    for k in range(len(risks), 0, -1):
        rk = exact(risks[k - 1])
        challenger = k % 2 == 1
        disaster = Terminal((-d_A, -d_B), "Disaster")
        if node is None or rk == 1:
            escalate: Node = disaster
        else:
            escalate = Chance((("Disaster", rk, disaster), ("Continue", 1 - rk, node)))
        quit_ = (Terminal((zero, v_B), "Back down") if challenger
                 else Terminal((v_A, zero), "Concession"))
        infoset = (f"A{k}" if challenger else f"B{k}{suffix}") if shared else None
        node = Decision(0 if challenger else 1, (("Quit", quit_), ("Escalate", escalate)),
                        infoset=infoset, label=f"step {k}")
    assert node is not None
    return node
