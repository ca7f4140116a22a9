"""Agent logit quantal response equilibria of extensive-form games.

In an agent QRE (McKelvey & Palfrey 1998) every information set is played by
its own agent, who chooses action ``a`` with probability proportional to
``exp(lam * U_h(a))``, where ``U_h(a)`` is the agent's expected payoff of
``a`` given beliefs over the nodes of ``h`` from Bayes' rule and the others'
behaviour. Payoffs are raw (unnormalised), Gambit's convention.

* Perfect-information trees: the agent QRE is unique and computed by
  Signorino's (1999) backward logit recursion (:func:`signorino_qre`).
* General trees: the fixed point is followed from the centroid at
  ``lam = 0`` by continuation in ``lam`` (McKelvey & Palfrey 1998; Turocy
  2005), solving the equations in log-probabilities with a Newton-type
  method at each step (:func:`agent_qre_at`). Its limit as ``lam -> inf`` is
  a sequential equilibrium (McKelvey & Palfrey 1998, Theorem 5), as in
  Gambit's ``logit_solve`` on trees (:func:`agent_qre_limit`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from scipy.optimize import root

from sim.games.errors import GameError
from sim.games.extensive_form import ExtensiveFormGame, FlatTree, path_key
from sim.solvers.continuation import follow_branch
from sim.solvers.result import Equilibrium, SolveResult

__all__ = [
    "signorino_qre",
    "agent_qre_at",
    "agent_qre_limit",
    "agent_qre_solve",
    "AgentQRE",
]


@dataclass(frozen=True)
class AgentQRE:
    """An agent QRE at one ``lam``: behaviour, beliefs and payoffs (floats)."""

    lam: float
    behavior: dict[str, dict[str, float]]
    beliefs: dict[str, dict[str, float]]
    payoffs: tuple[float, ...]
    regret: float


class _Layout:
    """Index of every (information set, action) pair into one flat vector."""

    def __init__(self, flat: FlatTree) -> None:
        self.flat = flat
        self.keys = list(flat.members)
        self.offset: dict[str, int] = {}
        n = 0
        for key in self.keys:
            self.offset[key] = n
            n += len(flat.actions[flat.members[key][0]])
        self.size = n
        self.payoffs = [
            np.array([float(v) for v in p]) if flat.kind[i] == "t" else None
            for i, p in enumerate(flat.payoffs)
        ]
        self._vectorise()

    def _vectorise(self) -> None:
        """Edge and level index arrays so that the residual needs no Python loop over nodes."""
        flat = self.flat
        n_nodes = len(flat)
        chance: list[float] = []
        src = np.zeros(n_nodes, dtype=np.int64)  # index into concat(probs, chance probs)
        slot = np.full(n_nodes, -1, dtype=np.int64)  # (infoset, action) slot of the edge
        depth = np.zeros(n_nodes, dtype=np.int64)
        for i in range(n_nodes):
            kids = flat.children[i]
            if not kids:
                continue
            depth[kids] = depth[i] + 1
            if flat.kind[i] == "c":
                for c, p in zip(kids, flat.probs[i], strict=True):
                    src[c] = self.size + len(chance)
                    chance.append(float(p))
            else:
                key = flat.infoset[i]
                assert key is not None
                for k, c in enumerate(kids):
                    src[c] = slot[c] = self.offset[key] + k
        self.chance = np.array(chance)
        self.src = src
        self.slot = slot
        self.parent = np.array(flat.parent, dtype=np.int64)
        self.levels = [np.flatnonzero(depth == d) for d in range(int(depth.max()) + 1)]
        self.terminal = np.array([k == "t" for k in flat.kind])
        self.pay = np.zeros((n_nodes, flat.n_players))
        for i, p in enumerate(self.payoffs):
            if p is not None:
                self.pay[i] = p
        self.mover = np.array([max(pl, 0) for pl in flat.player], dtype=np.int64)
        self.slot_iset = np.zeros(self.size, dtype=np.int64)
        self.iset_of_node = np.full(n_nodes, -1, dtype=np.int64)
        self.first_slot = np.zeros(len(self.keys), dtype=np.int64)
        self.n_members = np.zeros(len(self.keys))
        for h, key in enumerate(self.keys):
            o = self.offset[key]
            k = len(flat.actions[flat.members[key][0]])
            self.slot_iset[o:o + k] = h
            self.first_slot[h] = o
            self.iset_of_node[flat.members[key]] = h
            self.n_members[h] = len(flat.members[key])
        self.edges = np.flatnonzero(slot >= 0)
        span = float(self.pay.max() - self.pay.min()) if n_nodes else 0.0
        self.scale = span or 1.0

    def slot_values(self, probs: np.ndarray) -> np.ndarray:
        """Conditional value of every (infoset, action) slot to its mover (Bayes beliefs)."""
        ext = np.concatenate([probs, self.chance])
        n_nodes = len(self.parent)
        reach = np.zeros(n_nodes)
        reach[0] = 1.0
        for level in self.levels[1:]:
            reach[level] = reach[self.parent[level]] * ext[self.src[level]]
        values = np.where(self.terminal[:, None], self.pay, 0.0)
        for level in reversed(self.levels[1:]):
            np.add.at(values, self.parent[level], ext[self.src[level]][:, None] * values[level])
        e = self.edges
        par = self.parent[e]
        den = np.zeros(len(self.keys))
        dec = self.iset_of_node >= 0
        np.add.at(den, self.iset_of_node[dec], reach[dec])
        weight = reach[par]
        unreached = den[self.iset_of_node[par]] <= 0
        # Unreachable sets (zero-probability chance): uniform beliefs.
        weight = np.where(unreached, 1.0 / self.n_members[self.iset_of_node[par]], weight)
        den = np.where(den > 0, den, 1.0)
        num = np.zeros(self.size)
        np.add.at(num, self.slot[e], weight * values[e, self.mover[par]])
        return num / den[self.slot_iset]

    def behavior(self, probs: np.ndarray) -> dict[str, dict[str, float]]:
        out = {}
        for key in self.keys:
            acts = self.flat.actions[self.flat.members[key][0]]
            o = self.offset[key]
            out[key] = {a: float(probs[o + k]) for k, a in enumerate(acts)}
        return out

    def move(self, i: int, probs: np.ndarray) -> np.ndarray:
        flat = self.flat
        if flat.kind[i] == "c":
            return np.array([float(p) for p in flat.probs[i]])
        key = flat.infoset[i]
        assert key is not None
        o = self.offset[key]
        return probs[o:o + len(flat.actions[i])]

    def values_and_reach(self, probs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        flat = self.flat
        n = len(flat)
        values = np.zeros((n, flat.n_players))
        for i in range(n - 1, -1, -1):
            pay = self.payoffs[i]
            if pay is not None:
                values[i] = pay
            else:
                values[i] = self.move(i, probs) @ values[flat.children[i]]
        reach = np.zeros(n)
        reach[0] = 1.0
        for i in range(n):
            if flat.kind[i] != "t":
                reach[flat.children[i]] = reach[i] * self.move(i, probs)
        return values, reach

    def action_values(
        self, probs: np.ndarray
    ) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray], np.ndarray]:
        """Conditional action values and Bayes beliefs at every information set."""
        flat = self.flat
        values, reach = self.values_and_reach(probs)
        out: dict[str, np.ndarray] = {}
        beliefs: dict[str, np.ndarray] = {}
        for key in self.keys:
            nodes = flat.members[key]
            who = flat.player[nodes[0]]
            w = reach[nodes]
            total = w.sum()
            # Unreachable (zero-probability chance) sets: uniform beliefs.
            mu = w / total if total > 0 else np.full(len(nodes), 1.0 / len(nodes))
            beliefs[key] = mu
            child_vals = np.array([values[flat.children[x], who] for x in nodes])
            out[key] = mu @ child_vals
        return out, beliefs, values[0]


def _check(game: ExtensiveFormGame, lam: float) -> None:
    if lam < 0 or not np.isfinite(lam):
        raise GameError(f"lambda must be a finite number >= 0, got {lam}")


def signorino_qre(game: ExtensiveFormGame, lam: float) -> AgentQRE:
    """The unique agent QRE of a perfect-information tree (Signorino 1999).

    Working up from the leaves, the mover at node ``x`` chooses action ``a``
    with probability ``exp(lam * V_i(a)) / sum_b exp(lam * V_i(b))``, where
    ``V(a)`` is the expected payoff vector of the subtree after ``a`` under the
    choices already computed below.
    """
    _check(game, lam)
    if not game.is_perfect_information:
        raise GameError("signorino_qre needs a perfect-information game; use agent_qre_at")
    lay = _Layout(game.flat())
    flat = lay.flat
    probs = np.zeros(lay.size)
    values = np.zeros((len(flat), flat.n_players))
    for i in range(len(flat) - 1, -1, -1):
        pay = lay.payoffs[i]
        if pay is not None:
            values[i] = pay
            continue
        kids = values[flat.children[i]]
        if flat.kind[i] == "d":
            u = lam * kids[:, flat.player[i]]
            e = np.exp(u - u.max())
            sigma = e / e.sum()
            key = flat.infoset[i]
            assert key is not None
            o = lay.offset[key]
            probs[o:o + len(sigma)] = sigma
        else:
            sigma = lay.move(i, probs)
        values[i] = sigma @ kids
    return _result(lay, lam, probs)


def _result(lay: _Layout, lam: float, probs: np.ndarray) -> AgentQRE:
    flat = lay.flat
    vals, beliefs, root_value = lay.action_values(probs)
    regret = 0.0
    for key in lay.keys:
        o = lay.offset[key]
        u = vals[key]
        regret = max(regret, float(u.max() - probs[o:o + len(u)] @ u))
    bel = {
        key: {path_key(flat.path[x]): float(m) for x, m in zip(flat.members[key], beliefs[key],
                                                                strict=True)}
        for key in lay.keys
    }
    return AgentQRE(float(lam), lay.behavior(probs), bel, tuple(float(v) for v in root_value),
                    regret)


def _residual(lay: _Layout, z: np.ndarray, lam: float) -> np.ndarray:
    """``z_a - z_first - lam (U_a - U_first)`` per action; ``sum exp z - 1`` per infoset."""
    probs = np.exp(z)
    u = lay.slot_values(probs)
    first = lay.first_slot[lay.slot_iset]
    res = (z - z[first]) - lam * (u - u[first])
    totals = np.zeros(len(lay.keys))
    np.add.at(totals, lay.slot_iset, probs)
    res[lay.first_slot] = totals - 1.0
    return res


def _solve_at(lay: _Layout, z0: np.ndarray, lam: float, tol: float) -> np.ndarray | None:
    # Trial points far off the branch overflow; they simply count as failures.
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        sol = root(lambda z: _residual(lay, z, lam), z0, method="hybr", options={"xtol": 1e-13})
        err = np.max(np.abs(_residual(lay, sol.x, lam)))
    if not sol.success or not err <= tol or np.any(sol.x > 1e-9):
        return None
    return np.asarray(sol.x)


def _centroid(lay: _Layout) -> np.ndarray:
    z = np.empty(lay.size)
    for key in lay.keys:
        k = len(lay.flat.actions[lay.flat.members[key][0]])
        o = lay.offset[key]
        z[o:o + k] = -np.log(k)
    return z


def _follow(lay: _Layout, target: float, tol: float, stop: Any = None) -> tuple[float, np.ndarray]:
    """Continuation of the principal branch from the centroid at ``lam = 0``.

    The branch is followed by :func:`sim.solvers.continuation.follow_branch`
    until it first reaches ``target`` (or ``stop`` says so), then corrected
    at ``lam = target``.
    """
    z0 = _centroid(lay)
    if target == 0:
        return 0.0, z0
    point = follow_branch(lambda z, lam: _residual(lay, z, lam), z0, 0.0, target, tol,
                          accept=lambda z: bool(np.all(z <= 1e-9)), stop=stop,
                          residual_scale=lay.scale)
    if not point.reached:
        return point.lam, point.z
    z = _solve_at(lay, point.z, target, tol)
    return target, (z if z is not None else point.z)


def agent_qre_at(
    game: ExtensiveFormGame,
    lam: float,
    *,
    method: Literal["auto", "recursion", "continuation"] = "auto",
    tol: float = 1e-10,
) -> AgentQRE:
    """The agent logit QRE at ``lam`` on the principal branch.

    ``method="auto"`` uses the exact recursion on perfect-information games
    and continuation from ``lam = 0`` otherwise; the other values force one.
    """
    _check(game, lam)
    if method not in ("auto", "recursion", "continuation"):
        raise GameError(f"unknown method {method!r}")
    if method == "recursion" or (method == "auto" and game.is_perfect_information):
        return signorino_qre(game, lam)
    lay = _Layout(game.flat())
    lam_end, z = _follow(lay, lam, tol)
    return _result(lay, lam_end, np.exp(z))


def agent_qre_limit(
    game: ExtensiveFormGame, *, max_regret: float = 1e-8, lam_max: float = 1e7
) -> AgentQRE:
    """Follow the principal branch until the agents' max regret is small.

    The stopping rule is Gambit's: regret at most ``max_regret`` times the
    range of payoffs. The limit approximates a sequential equilibrium.
    """
    lay = _Layout(game.flat())
    pays = np.array([p for p in lay.payoffs if p is not None])
    scale = float(pays.max() - pays.min()) or 1.0

    def small(lam: float, z: np.ndarray) -> bool:
        return _result(lay, lam, np.exp(z)).regret <= max_regret * scale

    if game.is_perfect_information:
        lam = 1.0
        while lam < lam_max:
            res = signorino_qre(game, lam)
            if res.regret <= max_regret * scale:
                return res
            lam *= 1.5
        return signorino_qre(game, lam_max)
    lam_end, z = _follow(lay, lam_max, 1e-9, stop=small)
    return _result(lay, lam_end, np.exp(z))


def agent_qre_solve(game: ExtensiveFormGame, lam: float | None = None) -> SolveResult:
    """Agent QRE as a :class:`SolveResult`: at ``lam``, or the limit when ``None``."""
    res = agent_qre_at(game, lam) if lam is not None else agent_qre_limit(game)
    eq = Equilibrium(profile=(), payoffs=res.payoffs, regret=res.regret,
                     behavior=res.behavior, beliefs=res.beliefs,
                     label=f"agent QRE lambda={res.lam:.6g}")
    return SolveResult(method="agent_qre", parameters={"lam": lam, "lam_reached": res.lam},
                       game=game, equilibria=(eq,))
