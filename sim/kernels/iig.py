"""The International Interaction Game as vectorised backward recursions.

The tree of Bueno de Mesquita & Lalman (1992, ch. 3), with the node numbers
of Signorino (1999, fig. 2), is fixed: twelve binary decision nodes and eight
outcomes. Every function here takes utility arrays of shape ``(n, 8)`` (one
row per parameter point, columns in :data:`OUTCOMES` order) and works on all
rows at once:

* :func:`iig_spe` — subgame-perfect equilibrium by backward induction with
  the strict-escalation tie rule of docs/models/README.md (the escalatory action is
  taken only when strictly better);
* :func:`iig_agent_qre` — the agent logit QRE by Signorino's (1999)
  strategic-choice recursion, which is the unique agent QRE of a
  perfect-information tree (McKelvey & Palfrey 1998).

References
----------
Bueno de Mesquita, B. & Lalman, D. (1992). *War and Reason*. Yale UP, ch. 3.
Signorino, C. S. (1999). Strategic interaction and the statistical analysis
of international conflict. *APSR* 93(2), 279–297, fig. 2 and eq. (4)–(6).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.special import expit

from sim.games.extensive_form import Decision, ExtensiveFormGame, Node, Terminal

__all__ = [
    "OUTCOMES",
    "NODES",
    "MOVER",
    "ACTIONS",
    "CHILDREN",
    "BACKWARD_ORDER",
    "FORWARD_ORDER",
    "IIGSolution",
    "IIGQuantalResponse",
    "iig_spe",
    "iig_agent_qre",
    "utility_matrix",
    "bdml_assumptions_hold",
    "generated_utilities",
    "IIG_PLAYERS",
    "OUTCOME_LABELS",
    "IIG_REGIMES",
    "utility_vector_problem",
    "iig_utilities",
    "iig_batch_utilities",
    "iig_game",
    "iig_tree",
]

#: The eight outcomes; ACQ_X: X acquiesces, CAP_X: X capitulates, WAR_X: X strikes first.
OUTCOMES: tuple[str, ...] = ("SQ", "ACQ_A", "ACQ_B", "NEG", "CAP_A", "CAP_B", "WAR_A", "WAR_B")
_O = {o: k for k, o in enumerate(OUTCOMES)}

#: Node names ``n1`` … ``n12`` (Signorino 1999 numbering).
NODES: tuple[str, ...] = tuple(f"n{k}" for k in range(1, 13))

#: Who moves at each node: 0 = Side A, 1 = Side B.
MOVER: dict[int, int] = {1: 0, 2: 1, 3: 1, 4: 0, 5: 0, 10: 1, 9: 1, 12: 0,
                         6: 1, 8: 0, 7: 0, 11: 1}

#: ``(escalate, not)`` action labels; demands are D, force and retaliation F.
ACTIONS: dict[int, tuple[str, str]] = {
    k: (("D", "nD") if k <= 4 else ("F", "nF")) for k in range(1, 13)
}

#: ``(after escalate, after not)``: an int is a node, a str an outcome.
CHILDREN: dict[int, tuple[int | str, int | str]] = {
    1: (3, 2),
    2: (4, "SQ"),
    3: (5, "ACQ_B"),
    4: (6, "ACQ_A"),
    5: (10, 9),
    10: ("WAR_A", "CAP_B"),
    9: (12, "NEG"),
    12: ("WAR_B", "CAP_A"),
    6: (8, 7),
    8: ("WAR_B", "CAP_A"),
    7: (11, "NEG"),
    11: ("WAR_A", "CAP_B"),
}

#: Children before parents, for backward induction.
BACKWARD_ORDER: tuple[int, ...] = (10, 12, 9, 5, 8, 11, 7, 6, 3, 4, 2, 1)
#: Parents before children, for tracing paths.
FORWARD_ORDER: tuple[int, ...] = tuple(reversed(BACKWARD_ORDER))


def utility_matrix(u_a: np.ndarray, u_b: np.ndarray) -> np.ndarray:
    """Stack the two players' utilities into an array of shape ``(n, 2, 8)``."""
    a = np.atleast_2d(np.asarray(u_a, dtype=float))
    b = np.atleast_2d(np.asarray(u_b, dtype=float))
    a, b = np.broadcast_arrays(a, b)
    if a.shape[-1] != len(OUTCOMES):
        raise ValueError(f"utilities need {len(OUTCOMES)} columns, got {a.shape[-1]}")
    return np.stack([a, b], axis=1)


@dataclass(frozen=True)
class IIGSolution:
    """Backward-induction solution of ``n`` IIGs.

    Attributes
    ----------
    escalate
        ``(n, 12)`` bool: the SPE choice at nodes ``n1`` … ``n12`` (column k-1).
    margin
        ``(n, 12)``: the mover's utility of escalating minus not escalating,
        given equilibrium play below. Escalation iff ``margin > 0``.
    reached
        ``(n, 12)`` bool: the node is on the equilibrium path.
    outcome
        ``(n,)`` int index into :data:`OUTCOMES`.
    node_outcome
        ``(n, 12)`` int: the outcome the subgame at each node ends in.
    value
        ``(n, 2)``: both players' equilibrium utilities.
    """

    escalate: np.ndarray
    margin: np.ndarray
    reached: np.ndarray
    outcome: np.ndarray
    node_outcome: np.ndarray
    value: np.ndarray


def iig_spe(utilities: np.ndarray) -> IIGSolution:
    """Subgame-perfect equilibrium of the IIG by vectorised backward induction.

    Parameters
    ----------
    utilities
        ``(n, 2, 8)`` array from :func:`utility_matrix`.

    Notes
    -----
    At each node, in :data:`BACKWARD_ORDER`, the mover compares the outcome
    reached after escalating with the outcome reached otherwise (both
    already solved) and escalates only if strictly better (docs/models/README.md and
    §5). The result is the unique SPE selected by that tie rule.
    """
    u = np.asarray(utilities, dtype=float)
    n = u.shape[0]
    # Outcome-major, player-major layout: every slice below is contiguous.
    ut = np.ascontiguousarray(u.transpose(2, 1, 0))
    values: dict[int, np.ndarray] = {}
    outcome: dict[int, np.ndarray] = {}
    esc: dict[int, np.ndarray] = {}
    margin: dict[int, np.ndarray] = {}

    def reach(child: int | str) -> tuple[np.ndarray, np.ndarray | int]:
        if isinstance(child, str):
            return ut[_O[child]], _O[child]
        return values[child], outcome[child]

    for k in BACKWARD_ORDER:
        (v_up, o_up), (v_down, o_down) = (reach(c) for c in CHILDREN[k])
        m = v_up[MOVER[k]] - v_down[MOVER[k]]
        e = m > 0
        margin[k], esc[k] = m, e
        outcome[k] = np.where(e, o_up, o_down)
        values[k] = np.where(e, v_up, v_down)

    reached: dict[int, np.ndarray] = {1: np.ones(n, dtype=bool)}
    for k in FORWARD_ORDER:
        for j, child in enumerate(CHILDREN[k]):
            if isinstance(child, int):
                reached[child] = reached[k] & (esc[k] if j == 0 else ~esc[k])

    def cols(d: dict[int, np.ndarray], dtype: Any) -> np.ndarray:
        # Node-major storage, returned as an (n, 12) view.
        out = np.empty((12, n), dtype=dtype)
        for k in range(1, 13):
            out[k - 1] = d[k]
        return out.T

    return IIGSolution(cols(esc, bool), cols(margin, float), cols(reached, bool),
                       np.asarray(outcome[1], dtype=np.int64), cols(outcome, np.int64),
                       values[1].T)


@dataclass(frozen=True)
class IIGQuantalResponse:
    """Agent logit QRE of ``n`` IIGs.

    Attributes
    ----------
    escalate
        ``(n, 12)``: probability of the escalatory action at each node.
    outcome_probs
        ``(n, 8)``: probability of each outcome from the root.
    node_values
        ``(n, 12, 2)``: expected utility of each player in the subgame at
        each node.
    """

    escalate: np.ndarray
    outcome_probs: np.ndarray
    node_values: np.ndarray


def iig_agent_qre(utilities: np.ndarray, lam: np.ndarray | float) -> IIGQuantalResponse:
    """Agent logit QRE of the IIG by Signorino's backward recursion.

    Parameters
    ----------
    utilities
        ``(n, 2, 8)`` array from :func:`utility_matrix` (raw payoffs, as in
        Gambit's ``logit_solve_lambda``).
    lam
        Logit precision λ ≥ 0, a scalar or an array of length ``n``.

    Notes
    -----
    Signorino (1999, eq. 4–6): at each node the mover escalates with
    probability ``1 / (1 + exp(-λ (EU_esc - EU_not)))``, where the expected
    utilities are taken over the (already computed) quantal play below. In
    a perfect-information tree this is the unique agent QRE (McKelvey &
    Palfrey 1998), so no continuation in λ is needed. A forward pass then
    turns the choice probabilities into outcome probabilities.
    """
    u = np.asarray(utilities, dtype=float)
    n = u.shape[0]
    lam_arr = np.broadcast_to(np.asarray(lam, dtype=float), (n,))
    ut = np.ascontiguousarray(u.transpose(2, 1, 0))
    values: dict[int, np.ndarray] = {}
    esc: dict[int, np.ndarray] = {}

    def value(child: int | str) -> np.ndarray:
        return ut[_O[child]] if isinstance(child, str) else values[child]

    for k in BACKWARD_ORDER:
        v_up, v_down = (value(c) for c in CHILDREN[k])
        prob = expit(lam_arr * (v_up[MOVER[k]] - v_down[MOVER[k]]))
        esc[k] = prob
        values[k] = v_down + prob * (v_up - v_down)

    reach: dict[int, np.ndarray] = {1: np.ones(n)}
    probs = np.zeros((len(OUTCOMES), n))
    for k in FORWARD_ORDER:
        for j, child in enumerate(CHILDREN[k]):
            mass = reach[k] * (esc[k] if j == 0 else 1.0 - esc[k])
            if isinstance(child, str):
                probs[_O[child]] += mass
            else:
                reach[child] = mass
    escalate = np.empty((12, n))
    node_values = np.empty((12, 2, n))
    for k in range(1, 13):
        escalate[k - 1] = esc[k]
        node_values[k - 1] = values[k]
    return IIGQuantalResponse(escalate.T, probs.T, node_values.transpose(2, 0, 1))


def bdml_assumptions_hold(utilities: np.ndarray) -> np.ndarray:
    """Whether the BdM-L assumptions of docs/models/iig_complete_info.md hold, per row.

    Each side prefers negotiation to either war and acquiescing to
    capitulating: U_A(NEG) > U_A(WAR_A), U_A(WAR_B); U_A(ACQ_A) > U_A(CAP_A);
    U_B(NEG) > U_B(WAR_A), U_B(WAR_B); U_B(ACQ_B) > U_B(CAP_B).
    """
    u = np.asarray(utilities, dtype=float)
    a, b = u[:, 0, :], u[:, 1, :]
    ok = np.ones(u.shape[0], dtype=bool)
    for side, acq, cap in ((a, "ACQ_A", "CAP_A"), (b, "ACQ_B", "CAP_B")):
        ok &= side[:, _O["NEG"]] > side[:, _O["WAR_A"]]
        ok &= side[:, _O["NEG"]] > side[:, _O["WAR_B"]]
        ok &= side[:, _O[acq]] > side[:, _O[cap]]
    return ok


def generated_utilities(
    q: np.ndarray | float,
    x: np.ndarray | float,
    y: np.ndarray | float,
    p: np.ndarray | float,
    c_A: np.ndarray | float,
    c_B: np.ndarray | float,
    f: np.ndarray | float,
    h: np.ndarray | float,
) -> np.ndarray:
    """Outcome utilities from shares of the pie (docs/models/iig_complete_info.md generator).

    A simple convenience, not Bueno de Mesquita & Lalman's functional forms:
    A = Side A gets ``q`` at the status quo, its demand ``x`` when B
    acquiesces, B's counter-demand ``y`` when A acquiesces, and the war share
    ``p`` at a negotiated settlement; each side gets the rest of the pie of 1.
    A war is the p-lottery minus the war cost, and the side that is attacked
    pays an extra ``f`` (first-strike advantage). The side that capitulates
    gets nothing and pays the humiliation cost ``h``; the other gets the pie.

    Returns
    -------
    numpy.ndarray
        ``(n, 2, 8)`` utilities in :data:`OUTCOMES` order.
    """
    q, x, y, p, c_A, c_B, f, h = np.broadcast_arrays(
        *(np.atleast_1d(np.asarray(v, dtype=float)) for v in (q, x, y, p, c_A, c_B, f, h))
    )
    # Filled outcome-major and returned as an (n, 2, 8) view, the layout the
    # kernels read without copying.
    ut = np.empty((len(OUTCOMES), 2, q.shape[0]))
    rows_a = (q, y, x, p, -h, 1.0, p - c_A, p - c_A - f)
    rows_b = (1 - q, 1 - y, 1 - x, 1 - p, 1.0, -h, 1 - p - c_B - f, 1 - p - c_B)
    for k in range(len(OUTCOMES)):
        ut[k, 0] = rows_a[k]
        ut[k, 1] = rows_b[k]
    return ut.transpose(2, 1, 0)


IIG_PLAYERS: tuple[str, str] = ("Side A", "Side B")

#: Readable labels of the outcome codes.
OUTCOME_LABELS: dict[str, str] = {
    "SQ": "Status quo",
    "ACQ_A": "Side A acquiesces",
    "ACQ_B": "Side B acquiesces",
    "NEG": "Negotiation",
    "CAP_A": "Side A capitulates",
    "CAP_B": "Side B capitulates",
    "WAR_A": "War (Side A strikes first)",
    "WAR_B": "War (Side B strikes first)",
}

#: One regime per outcome code, same order as OUTCOMES.
IIG_REGIMES: tuple[str, ...] = (
    "status_quo",
    "side_a_acquiesces",
    "side_b_acquiesces",
    "negotiation",
    "side_a_capitulates",
    "side_b_capitulates",
    "war_side_a_first",
    "war_side_b_first",
)

def iig_utilities(p: Mapping[str, Any]) -> np.ndarray:
    """``(1, 2, 8)`` utilities at one validated parameter point."""
    if len(p["U_A"]):
        return utility_matrix(np.asarray(p["U_A"]), np.asarray(p["U_B"]))
    return generated_utilities(p["q"], p["x"], p["y"], p["p"], p["c_A"], p["c_B"],
                               p["f"], p["h"])


def iig_batch_utilities(batch: Mapping[str, Any]) -> np.ndarray:
    """``(n, 2, 8)`` utilities for a batch (explicit vectors repeat on every row)."""
    n = len(batch["q"])
    if len(batch["U_A"]):
        u = utility_matrix(np.asarray(batch["U_A"]), np.asarray(batch["U_B"]))
        return np.repeat(u, n, axis=0)
    return generated_utilities(batch["q"], batch["x"], batch["y"], batch["p"], batch["c_A"],
                               batch["c_B"], batch["f"], batch["h"])


def iig_tree(
    terminal: Callable[[str, Any], Node],
    infoset: Callable[[int, Any], str],
    expand: Callable[[int, Any, Callable[[Any], Node]], Node | None] | None = None,
) -> Node:
    """The IIG tree of :data:`CHILDREN`, built from the root ``n1``.

    One builder serves every version of the game. A *state* travels down the
    tree (``None`` at the root): ``terminal(outcome, state)`` makes each
    leaf and ``infoset(k, state)`` keys the information set of node ``n{k}``.
    ``expand(k, state, node)``, when given, may put something in front of
    node ``n{k}`` (the incomplete-information game draws the sides' types
    there): it returns a node, calling ``node(new_state)`` for the decision
    node itself, or ``None`` to leave ``n{k}`` as it is.
    """

    def decision(k: int, state: Any) -> Node:
        esc, nesc = ACTIONS[k]
        up, down = CHILDREN[k]
        return Decision(MOVER[k], ((esc, build(up, state)), (nesc, build(down, state))),
                        infoset=infoset(k, state), label=infoset(k, state))

    def build(child: int | str, state: Any) -> Node:
        if isinstance(child, str):
            return terminal(child, state)
        if expand is not None:
            k = child
            front = expand(k, state, lambda new: decision(k, new))
            if front is not None:
                return front
        return decision(child, state)

    return build(1, None)


def iig_game(u: np.ndarray, players: Sequence[str] = IIG_PLAYERS) -> ExtensiveFormGame:
    """The IIG tree with utilities ``u`` of shape ``(2, 8)``.

    Each decision node is its own information set, keyed and labelled
    ``n1`` … ``n12``; the escalatory action comes first.
    """

    def leaf(code: str, _: Any) -> Node:
        k = OUTCOMES.index(code)
        return Terminal((float(u[0, k]), float(u[1, k])), code)

    return ExtensiveFormGame(iig_tree(leaf, lambda k, _: f"n{k}"), players=players,
                             title="International Interaction Game (Bueno de Mesquita & Lalman)")


def utility_vector_problem(U_A: Sequence[float], U_B: Sequence[float]) -> str | None:
    """``None`` if explicit utility vectors are both empty or both complete, else why not."""
    if (len(U_A) == 0) != (len(U_B) == 0):
        return "U_A, U_B: give both utility vectors or neither"
    for name, vec in (("U_A", U_A), ("U_B", U_B)):
        if len(vec) not in (0, len(OUTCOMES)):
            return (f"{name}: expected {len(OUTCOMES)} utilities ({', '.join(OUTCOMES)}), "
                    f"got {len(vec)}")
    return None
