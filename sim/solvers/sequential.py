"""Nash equilibria of two-player trees, and sequential rationality checks.

:func:`nash_efg_solve` enumerates the extreme Nash equilibria of the reduced
normal form (:mod:`sim.games.reduced`, then :func:`enummixed_solve`) and
maps each to behaviour strategies by Kuhn's (1953) theorem.

:func:`check_sequential_rationality` asks, at every information set, whether
the behaviour there is a best response given beliefs and the continuation
play (Kreps & Wilson 1982, sequential rationality). Beliefs on the path of
play come from Bayes' rule; off the path they are taken as supplied or, when
none are supplied, a supporting belief is searched for by linear
programming. Passing at every set with Bayes-consistent on-path beliefs is a
weak perfect Bayesian equilibrium (Mas-Colell, Whinston & Green 1995,
Def. 9.C.3); it filters out Nash equilibria that rest on incredible threats.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np
from scipy.optimize import linprog

from sim.games.errors import GameError
from sim.games.extensive_form import ExtensiveFormGame, path_key
from sim.games.reduced import reduced_form
from sim.solvers.result import Equilibrium, SolveResult

__all__ = [
    "InfosetCheck",
    "SequentialCheck",
    "check_sequential_rationality",
    "bayes_beliefs",
    "nash_efg_solve",
]

Behavior = Mapping[str, Mapping[str, Any]]


@dataclass(frozen=True)
class InfosetCheck:
    """The verdict at one information set.

    ``source`` is ``"bayes"`` (reached with positive probability),
    ``"supplied"``, ``"found"`` (a supporting belief exists) or ``"none"``
    (no belief makes the behaviour optimal).
    """

    key: str
    player: int
    reached: bool
    beliefs: dict[str, Any]
    action_values: dict[str, Any]
    best_actions: tuple[str, ...]
    rational: bool
    source: str
    regret: Any


@dataclass(frozen=True)
class SequentialCheck:
    """Per-information-set verdicts; ``rational`` when all pass."""

    infosets: tuple[InfosetCheck, ...]

    @property
    def rational(self) -> bool:
        return all(c.rational for c in self.infosets)

    @property
    def failures(self) -> tuple[str, ...]:
        return tuple(c.key for c in self.infosets if not c.rational)

    def beliefs(self) -> dict[str, dict[str, Any]]:
        return {c.key: dict(c.beliefs) for c in self.infosets}


def bayes_beliefs(game: ExtensiveFormGame, behavior: Behavior) -> dict[str, dict[str, Any]]:
    """Beliefs by Bayes' rule at every information set reached with positive probability."""
    flat = game.flat()
    reach = flat.reach_probs(behavior)
    out: dict[str, dict[str, Any]] = {}
    for key, nodes in flat.members.items():
        total = sum(reach[x] for x in nodes)
        if total > 0:
            out[key] = {path_key(flat.path[x]): reach[x] / total for x in nodes}
    return out


def check_sequential_rationality(
    game: ExtensiveFormGame,
    behavior: Behavior,
    beliefs: Mapping[str, Mapping[str, Any]] | None = None,
    *,
    tol: float = 1e-9,
) -> SequentialCheck:
    """Check, information set by information set, that play is a best response.

    Parameters
    ----------
    game
        Any finite tree.
    behavior
        ``{infoset: {action: probability}}`` for every information set.
    beliefs
        Optional ``{infoset: {node: probability}}`` (nodes named by
        :func:`sim.games.extensive_form.path_key`) used off the path of
        play; on the path Bayes' rule overrides them.
    tol
        Slack allowed in payoff comparisons (0 is used for exact inputs).
    """
    flat = game.flat()
    values = flat.node_values(behavior)
    reach = flat.reach_probs(behavior)
    exact = flat.exact and all(
        isinstance(p, (int, Fraction)) for d in behavior.values() for p in d.values()
    )
    eps: Any = 0 if exact else tol
    checks = []
    for key, nodes in flat.members.items():
        who = flat.player[nodes[0]]
        acts = flat.actions[nodes[0]]
        names = [path_key(flat.path[x]) for x in nodes]
        # child_vals[n][a]: mover's payoff of action a at node n under continuation play
        child_vals = [[values[c][who] for c in flat.children[x]] for x in nodes]
        sigma = [behavior[key].get(a, 0) for a in acts]
        support = [k for k, p in enumerate(sigma) if p > 0]
        total = sum(reach[x] for x in nodes)
        source = "bayes"
        mu: list[Any] | None
        if total > 0:
            mu = [reach[x] / total for x in nodes]
        elif beliefs is not None and key in beliefs:
            mu = [beliefs[key].get(n, 0) for n in names]
            source = "supplied"
        else:
            mu = _supporting_belief(child_vals, support, eps, tol)
            source = "found" if mu is not None else "none"
        if mu is None:
            av = {a: None for a in acts}
            checks.append(InfosetCheck(key, who, False, {}, av, (), False, "none", None))
            continue
        u = [sum(m * row[k] for m, row in zip(mu, child_vals, strict=True))
             for k in range(len(acts))]
        best = max(u)
        current = sum(p * v for p, v in zip(sigma, u, strict=True))
        regret = best - current
        slack = tol if any(isinstance(m, float) for m in mu) else eps
        ok = all(best - u[k] <= slack for k in support)
        checks.append(InfosetCheck(
            key, who, total > 0, dict(zip(names, mu, strict=True)), dict(zip(acts, u, strict=True)),
            tuple(a for a, v in zip(acts, u, strict=True) if best - v <= slack), ok, source, regret,
        ))
    return SequentialCheck(tuple(checks))


def _supporting_belief(
    child_vals: list[list[Any]], support: list[int], eps: Any, tol: float
) -> list[Any] | None:
    """A belief under which every action in ``support`` is optimal.

    Point beliefs are tried first (exactly, so exact games get exact
    beliefs); otherwise a float belief is found by LP feasibility.
    """
    n = len(child_vals)
    candidates: list[list[Any]] = [[int(j == x) for j in range(n)] for x in range(n)]
    if n == 2:
        # Two nodes: the belief interval's ends are point masses or indifference points.
        (a0, b0) = child_vals
        for k in support:
            for j in range(len(a0)):
                slope = (a0[j] - a0[k]) - (b0[j] - b0[k])
                if j != k and slope != 0:
                    m = (b0[k] - b0[j]) / slope
                    if 0 <= m <= 1:
                        candidates.append([m, 1 - m])
    for mu in candidates:
        u = [sum(m * row[a] for m, row in zip(mu, child_vals, strict=True))
             for a in range(len(child_vals[0]))]
        if all(max(u) - u[k] <= eps for k in support):
            return [Fraction(m) if eps == 0 else float(m) for m in mu]
    if n <= 2:
        return None
    v = np.array([[float(x) for x in row] for row in child_vals])
    rows = []
    for k in support:
        for j in range(v.shape[1]):
            if j != k:
                rows.append(v[:, j] - v[:, k])  # sum mu (v_j - v_k) <= 0
    a_ub = np.array(rows) if rows else None
    b_ub = np.zeros(len(rows)) if rows else None
    res = linprog(np.zeros(n), A_ub=a_ub, b_ub=b_ub, A_eq=np.ones((1, n)), b_eq=[1.0],
                  bounds=[(0, 1)] * n, method="highs")
    if res.status != 0:
        return None
    return [float(m) for m in res.x]


def nash_efg_solve(game: ExtensiveFormGame) -> SolveResult:
    """Extreme Nash equilibria of a two-player tree, in behaviour strategies.

    Each equilibrium carries its reduced-normal-form profile, its behaviour
    strategies (Kuhn), on-path Bayes beliefs (off-path: a supporting belief
    when one exists) and a label saying whether it is sequentially rational
    with those beliefs. Requires perfect recall (Kuhn's theorem).
    """
    if game.n_players != 2:
        raise GameError(f"nash_efg_solve needs a two-player game, not {game.n_players} players")
    if not game.has_perfect_recall:
        raise GameError("nash_efg_solve needs perfect recall (Kuhn's theorem)")
    from sim.solvers.enummixed import enummixed_solve

    rf = reduced_form(game)
    nf = enummixed_solve(rf.game)
    out = []
    n_seq = 0
    for eq in nf.equilibria:
        behavior = rf.to_behavior(eq.profile)
        check = check_sequential_rationality(game, behavior)
        if check.rational:
            n_seq += 1
            label = "Nash, sequentially rational"
        else:
            label = "Nash, not sequentially rational at " + ", ".join(check.failures)
        out.append(Equilibrium(profile=eq.profile, payoffs=eq.payoffs, regret=eq.regret,
                               behavior=behavior, beliefs=check.beliefs(), label=label))
    notes = list(nf.notes) + [f"{n_seq} of {len(out)} equilibria are sequentially rational "
                              "with some beliefs (weak PBE)"]
    return SolveResult(method="nash_efg", parameters={"normal_form_method": nf.method},
                       game=game, equilibria=tuple(out), degenerate=nf.degenerate,
                       components=nf.components, notes=tuple(notes))
