"""The International Interaction Game with hawks and doves, over numpy arrays.

Bueno de Mesquita & Lalman (1992, *War and Reason*, chs. 4-5) ask how the
IIG changes when neither side knows whether the other is a hawk or a dove.
Here the tree of :func:`sim.kernels.iig.iig_tree` is kept, with utilities
from :func:`sim.kernels.iig.generated_utilities`, and each crisis subgame
(``n5``, Side A moves first; ``n6``, Side B first) opens with a chance move
that draws both sides' types independently: Side A is a hawk with
probability ``pi_A`` (Side B's prior), Side B with probability ``pi_B``
(Side A's prior). Each side then knows its own type, not the other's.

A dove pays a political cost ``k`` for every outcome that follows its own
first use of force (the other side's capitulation, a war it started); a
hawk pays nothing. So a hawk prefers forcing the other to capitulate to a
negotiated settlement, and a dove with ``k`` large enough prefers to
negotiate. Capitulating, retaliating and negotiating cost the types the
same, so retaliation (``n8``, ``n10``, ``n11``, ``n12``) does not depend on
type and is common knowledge.

Sequential equilibrium (crisis in which side i moves first, j second):

* j retaliates after i's force iff ``U_j(WAR_i) > U_j(CAP_j)``; i likewise.
  ``o1`` is the outcome of i's force, ``o2`` that of j's force;
* j of type t forces when i waits iff ``U_j^t(o2) > U_j(NEG)`` (``F_t``),
  whatever j believes, because i's reply does not depend on i's type;
* i of type s uses force first iff

      ``U_i^s(o1) > (1 - e) U_i(NEG) + e U_i(o2)``,  ``e = pi_j F_H + (1 - pi_j) F_D``,

  the probability that j would exploit a passive i: war from fear of
  exploitation becomes war from the *belief* that the other is a hawk.
  The prior at which type s is indifferent is its fear threshold;
* j's belief at ``n9`` (``n7``) that i is a hawk follows from i's strike
  by Bayes' rule (the prior off the path, where it does not matter).

Before the crisis nobody knows any type yet, so the demands ``n1`` … ``n4``
are chosen by backward induction on the crisis values expected over the
four type pairs. Every choice is strict escalation (docs/models/README.md).
Specification: ``docs/models/iig_incomplete_info.md``.

References
----------
Bueno de Mesquita, B. & Lalman, D. (1992). *War and Reason*, ch. 3 (the
game), chs. 4-5 (limited information, hawks and doves).
Kreps, D. M. & Wilson, R. (1982). Sequential equilibria. *Econometrica*
50(4), 863-894.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from sim.games.extensive_form import Chance, Node, Terminal
from sim.kernels.iig import (
    MOVER,
    OUTCOMES,
    bdml_assumptions_hold,
    generated_utilities,
    iig_tree,
)
from sim.kernels.tolerance import BOUNDARY_TOL

__all__ = [
    "TYPES",
    "REGIMES",
    "CRISIS_NODES",
    "IIGTypesSolution",
    "type_utilities",
    "solve",
    "game_tree",
]

#: Type 0 is the hawk, type 1 the dove.
TYPES: tuple[str, str] = ("hawk", "dove")

REGIMES: tuple[str, ...] = (
    "status_quo",
    "side_a_acquiesces",
    "side_b_acquiesces",
    "negotiation",
    "coercion",
    "war_side_a_first",
    "war_side_b_first",
)

#: The nodes of each crisis: (first force, second force, after first force, after second).
CRISIS_NODES: dict[int, tuple[int, int, int, int]] = {5: (5, 9, 10, 12), 6: (6, 7, 8, 11)}

_O = {o: k for k, o in enumerate(OUTCOMES)}
# Outcomes that follow side i's own first use of force: a dove pays k there.
_INITIATED = (("CAP_B", "WAR_A"), ("CAP_A", "WAR_B"))


def type_utilities(base: np.ndarray, k_A: np.ndarray, k_B: np.ndarray) -> np.ndarray:
    """``(n, 2, 2, 8)`` utilities: point, side, type (hawk, dove), outcome."""
    u = np.repeat(base[:, :, None, :], 2, axis=2)
    for side, k in ((0, k_A), (1, k_B)):
        for code in _INITIATED[side]:
            u[:, side, 1, _O[code]] -= k
    return u


@dataclass(frozen=True)
class _Crisis:
    """One crisis subgame solved for all points: arrays over (n,) or (type, n)."""

    retaliate_second: np.ndarray  # j retaliates after i's force
    retaliate_first: np.ndarray  # i retaliates after j's force
    margin_retaliate: np.ndarray  # (2, n): j's, then i's retaliation margin
    force_second: np.ndarray  # (2, n) by j's type
    margin_second: np.ndarray
    force_first: np.ndarray  # (2, n) by i's type
    margin_first: np.ndarray
    exploit: np.ndarray  # e: probability j forces if i waits
    threshold: np.ndarray  # (2, n): prior on j's hawk at which i's type is indifferent
    probs: np.ndarray  # (n, 8)
    value: np.ndarray  # (n, 2): ex-ante expected utility of A and B
    belief_second: np.ndarray  # j's belief that i is a hawk after i waits


def _crisis(u: np.ndarray, first: int, prior: np.ndarray) -> _Crisis:
    """Solve the crisis in which side ``first`` moves first; ``prior[s]`` is P(side s hawk)."""
    i, j = first, 1 - first
    n = u.shape[0]
    war_i, war_j = ("WAR_A", "WAR_B") if i == 0 else ("WAR_B", "WAR_A")
    cap_i, cap_j = ("CAP_A", "CAP_B") if i == 0 else ("CAP_B", "CAP_A")
    base = u[:, :, 0, :]  # retaliation and negotiation utilities do not depend on type
    m_ret_j = base[:, j, _O[war_i]] - base[:, j, _O[cap_j]]
    m_ret_i = base[:, i, _O[war_j]] - base[:, i, _O[cap_i]]
    ret_j, ret_i = m_ret_j > 0, m_ret_i > 0
    o1 = np.where(ret_j, _O[war_i], _O[cap_j])
    o2 = np.where(ret_i, _O[war_j], _O[cap_i])
    rows = np.arange(n)
    neg = _O["NEG"]
    # j's force when i waits, by j's type
    u_j_o2 = u[rows, j, :, o2].T  # (2, n)
    m_second = u_j_o2 - base[:, j, neg]
    f_second = m_second > 0
    pj = prior[j]
    exploit = pj * f_second[0] + (1 - pj) * f_second[1]
    u_i_o1 = u[rows, i, :, o1].T  # (2, n)
    u_i_o2 = base[rows, i, o2]
    u_i_neg = base[:, i, neg]
    wait = (1 - exploit) * u_i_neg + exploit * u_i_o2
    m_first = u_i_o1 - wait
    f_first = m_first > 0
    # Fear threshold: the prior pi_j at which m_first = 0 (linear in pi_j).
    slope = (f_second[0].astype(float) - f_second[1]) * (u_i_neg - u_i_o2)
    with np.errstate(divide="ignore", invalid="ignore"):
        thr = (u_i_neg - u_i_o1 - f_second[1] * (u_i_neg - u_i_o2)) / slope
    thr = np.where((slope != 0) & (thr >= 0) & (thr <= 1), thr, np.nan)
    # Outcome by type pair (s of i, t of j), then the distribution.
    probs = np.zeros((n, len(OUTCOMES)))
    value = np.zeros((n, 2))
    pi_i = prior[i]
    for s in range(2):
        ps = pi_i if s == 0 else 1 - pi_i
        for t in range(2):
            pt = pj if t == 0 else 1 - pj
            code = np.where(f_first[s], o1, np.where(f_second[t], o2, neg))
            w = ps * pt
            probs[rows, code] += w
            types = {i: s, j: t}
            for side in (0, 1):
                value[:, side] += w * u[rows, side, types[side], code]
    wait_mass = pi_i * ~f_first[0] + (1 - pi_i) * ~f_first[1]
    with np.errstate(divide="ignore", invalid="ignore"):
        belief = np.where(wait_mass > 0, pi_i * ~f_first[0] / wait_mass, pi_i)
    return _Crisis(ret_j, ret_i, np.stack([m_ret_j, m_ret_i]), f_second, m_second, f_first,
                   m_first, exploit, thr, probs, value, belief)


@dataclass(frozen=True)
class IIGTypesSolution:
    """The sequential equilibrium of ``n`` IIGs with hawks and doves.

    Attributes
    ----------
    demand
        ``(n, 4)`` bool: the choice at ``n1`` … ``n4`` (demand, counter-demand).
    demand_margin
        ``(n, 4)``: the mover's gain from escalating there (expected over types).
    crisis
        The two crisis subgames, keyed 5 (Side A first) and 6 (Side B first).
    reached
        ``(n, 2)`` bool: the crisis at ``n5``, ``n6`` is reached.
    probs
        ``(n, 8)`` outcome probabilities in :data:`OUTCOMES` order.
    payoffs
        ``(n, 2)`` ex-ante expected utilities of Side A and Side B.
    regime
        ``(n,)`` codes into :data:`REGIMES`.
    boundary, multiple, violated
        ``(n,)`` flags: a margin within the tolerance, a margin exactly zero,
        the book's assumptions failing for some type.
    utilities
        ``(n, 2, 2, 8)`` from :func:`type_utilities`.
    """

    demand: np.ndarray
    demand_margin: np.ndarray
    crisis: Mapping[int, Any]
    reached: np.ndarray
    probs: np.ndarray
    payoffs: np.ndarray
    regime: np.ndarray
    boundary: np.ndarray
    multiple: np.ndarray
    violated: np.ndarray
    utilities: np.ndarray


def solve(q: npt.ArrayLike, x: npt.ArrayLike, y: npt.ArrayLike, p: npt.ArrayLike,
          c_A: npt.ArrayLike, c_B: npt.ArrayLike, f: npt.ArrayLike, h: npt.ArrayLike,
          pi_A: npt.ArrayLike, pi_B: npt.ArrayLike, k_A: npt.ArrayLike,
          k_B: npt.ArrayLike, *, tol: float = BOUNDARY_TOL) -> IIGTypesSolution:
    """Solve the game at every point; every argument broadcasts to shape ``(n,)``."""
    args = np.broadcast_arrays(*(np.atleast_1d(np.asarray(v, dtype=float)) for v in
                                 (q, x, y, p, c_A, c_B, f, h, pi_A, pi_B, k_A, k_B)))
    base = generated_utilities(*args[:8])
    pi = np.stack(args[8:10])
    u = type_utilities(np.ascontiguousarray(base), args[10], args[11])
    n = base.shape[0]
    a_first, b_first = _crisis(u, 0, pi), _crisis(u, 1, pi)
    bu = u[:, :, 0, :]
    # n3: B counter-demands iff the A-first crisis beats acquiescing; n4 mirrors it.
    m3 = a_first.value[:, 1] - bu[:, 1, _O["ACQ_B"]]
    d3 = m3 > 0
    v3 = np.where(d3[:, None], a_first.value, bu[:, :, _O["ACQ_B"]])
    m4 = b_first.value[:, 0] - bu[:, 0, _O["ACQ_A"]]
    d4 = m4 > 0
    v4 = np.where(d4[:, None], b_first.value, bu[:, :, _O["ACQ_A"]])
    m2 = v4[:, 1] - bu[:, 1, _O["SQ"]]
    d2 = m2 > 0
    v2 = np.where(d2[:, None], v4, bu[:, :, _O["SQ"]])
    m1 = v3[:, 0] - v2[:, 0]
    d1 = m1 > 0
    payoffs = np.where(d1[:, None], v3, v2)
    reach5 = d1 & d3
    reach6 = ~d1 & d2 & d4
    probs = (reach5[:, None] * a_first.probs + reach6[:, None] * b_first.probs)
    rows = np.arange(n)
    for mask, code in ((d1 & ~d3, "ACQ_B"), (~d1 & ~d2, "SQ"), (~d1 & d2 & ~d4, "ACQ_A")):
        probs[rows[mask], _O[code]] = 1.0
    regime = np.select(
        [~d1 & ~d2, ~d1 & d2 & ~d4, d1 & ~d3,
         (probs[:, _O["WAR_A"]] > 0) & (probs[:, _O["WAR_A"]] >= probs[:, _O["WAR_B"]]),
         probs[:, _O["WAR_B"]] > 0,
         probs[:, _O["CAP_A"]] + probs[:, _O["CAP_B"]] > 0],
        [0, 1, 2, 5, 6, 4], default=3)
    margins = np.concatenate(
        [np.stack([m1, m2, m3, m4])]
        + [np.concatenate([c.margin_retaliate, c.margin_second, c.margin_first])
           for c in (a_first, b_first)])
    boundary = (np.abs(margins) <= tol).any(axis=0)
    multiple = (margins == 0.0).any(axis=0)
    violated = np.zeros(n, dtype=bool)
    for s in range(2):
        for t in range(2):
            violated |= ~bdml_assumptions_hold(np.stack([u[:, 0, s], u[:, 1, t]], axis=1))
    # A dove that still prefers forcing the other's capitulation to negotiating is no dove.
    violated |= u[:, 0, 1, _O["CAP_B"]] >= bu[:, 0, _O["NEG"]]
    violated |= u[:, 1, 1, _O["CAP_A"]] >= bu[:, 1, _O["NEG"]]
    return IIGTypesSolution(np.stack([d1, d2, d3, d4], axis=1),
                            np.stack([m1, m2, m3, m4], axis=1),
                            {5: a_first, 6: b_first}, np.stack([reach5, reach6], axis=1),
                            probs, payoffs, regime, boundary, multiple, violated, u)


def game_tree(u: np.ndarray, pi_A: float, pi_B: float, players: tuple[str, str],
              ) -> Node:
    """The tree at one point: the IIG with a chance move over types before each crisis.

    ``u`` is ``(2, 2, 8)`` (side, type, outcome). Crisis nodes are keyed by
    the mover and its own type (``"n5, Side A hawk"``); the demand nodes
    ``n1`` … ``n4`` are their own information sets.
    """
    prior = {"A": pi_A, "B": pi_B}

    def leaf(code: str, state: Any) -> Node:
        s, t = state if state is not None else (0, 0)
        k = _O[code]
        return Terminal((float(u[0, s, k]), float(u[1, t, k])), code)

    def infoset(k: int, state: Any) -> str:
        if state is None:
            return f"n{k}"
        mover = MOVER[k]
        return f"n{k}, {players[mover]} {TYPES[state[mover]]}"

    def expand(k: int, state: Any, node: Callable[[Any], Node]) -> Node | None:
        if k not in CRISIS_NODES or state is not None:
            return None
        branches = []
        for s in range(2):
            for t in range(2):
                pa = prior["A"] if s == 0 else 1 - prior["A"]
                pb = prior["B"] if t == 0 else 1 - prior["B"]
                label = f"{players[0]} {TYPES[s]}, {players[1]} {TYPES[t]}"
                branches.append((label, pa * pb, node((s, t))))
        return Chance(tuple(branches), label=f"types before n{k}")

    return iig_tree(leaf, infoset, expand)
