"""Subgame-perfect equilibria of perfect-information games by backward induction.

Zermelo's backward induction (Osborne & Rubinstein 1994, Prop. 99.2; Kuhn
1953): at every decision node, working up from the leaves, the mover picks an
action that maximises its payoff given the choices already fixed below. Every
SPE of a finite perfect-information game arises this way; several arise
exactly when some mover is indifferent. Chance nodes take expectations.

Tie rules
---------
``ties="models_md"`` returns one SPE, breaking each tie by
``preferred_on_tie`` — a mapping ``{infoset key: action label}`` or a callable
``(infoset key, tied action labels) -> action label``. This expresses the tie
rule of docs/models/README.md (a responder accepts when indifferent; an escalatory
action is taken only if strictly better). A tie the rule does not cover is
broken by action order and said so in ``notes``. ``ties="all"`` enumerates
every SPE. Margins within ``tol`` of zero count as ties and set ``boundary``.

The certificate ``regret`` is the largest gain from a one-shot deviation at
any node, on or off the path; it is 0 exactly for a subgame-perfect profile
(one-shot deviation principle, Osborne & Rubinstein 1994, Lemma 98.2).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Literal

from sim.games.errors import GameError
from sim.games.extensive_form import ExtensiveFormGame, FlatTree
from sim.solvers.result import Equilibrium, SolveResult

__all__ = ["SpeResult", "spe_solve", "node_regret", "play_path"]

TieRule = Mapping[str, str] | Callable[[str, Sequence[str]], str]


@dataclass(frozen=True)
class SpeResult(SolveResult):
    """A :class:`SolveResult` with the equilibrium paths and tie diagnostics.

    Attributes
    ----------
    paths
        For each equilibrium, the ``"infoset:action"`` choices made at the
        decision nodes reached with positive probability, depth first.
    boundary
        Some decision margin is within ``tol`` of zero (a tie or near-tie).
    tie_nodes
        Information-set keys of the nodes where a mover was indifferent.
    """

    paths: tuple[tuple[str, ...], ...] = ()
    boundary: bool = False
    tie_nodes: tuple[str, ...] = ()


def node_regret(flat: FlatTree, behavior: Mapping[str, Mapping[str, Any]]) -> Any:
    """Largest one-shot deviation gain at any decision node (0 for an SPE)."""
    values = flat.node_values(behavior)
    worst: Any = Fraction(0) if flat.exact else 0.0
    for i in flat.decisions:
        p = flat.player[i]
        best = max(values[c][p] for c in flat.children[i])
        worst = max(worst, best - values[i][p])
    return worst


def play_path(flat: FlatTree, behavior: Mapping[str, Mapping[str, Any]]) -> tuple[str, ...]:
    """The ``"infoset:action"`` choices at decision nodes reached with positive probability."""
    reach = flat.reach_probs(behavior)
    out = []
    for i in flat.decisions:
        if reach[i] > 0:
            for a, p in zip(flat.actions[i], flat.move_probs(i, behavior), strict=True):
                if p > 0:
                    out.append(f"{flat.infoset[i]}:{a}")
    return tuple(out)


def _pick(rule: TieRule | None, key: str, tied: Sequence[str]) -> str | None:
    if rule is None:
        return None
    choice = rule(key, tied) if callable(rule) else rule.get(key)
    return choice if choice in tied else None


def spe_solve(
    game: ExtensiveFormGame,
    ties: Literal["models_md", "all"] = "models_md",
    preferred_on_tie: TieRule | None = None,
    *,
    tol: float = 1e-12,
    max_equilibria: int = 10_000,
) -> SpeResult:
    """Subgame-perfect equilibria of a perfect-information game.

    Parameters
    ----------
    game
        A game in which every information set is a singleton (chance moves
        allowed).
    ties
        ``"models_md"``: one SPE, ties broken by ``preferred_on_tie``;
        ``"all"``: every pure SPE.
    preferred_on_tie
        Mapping ``{infoset key: action}`` or callable ``(key, tied labels) ->
        label`` choosing among tied best actions.
    tol
        Payoff differences up to ``tol`` count as ties (float games).
    max_equilibria
        Stop enumerating after this many (``notes`` says so).

    Returns
    -------
    SpeResult
        Behaviour strategies at every node (on and off the path), payoffs,
        paths, regret (0 for an SPE), ``boundary`` and ``tie_nodes``.

    Raises
    ------
    GameError
        If the game has imperfect information.

    Examples
    --------
    Entry deterrence: the threat to fight is not credible.

    >>> from sim.games.extensive_form import Decision, ExtensiveFormGame, Terminal
    >>> fight = Decision(1, (("Fight", Terminal((-1, -1))), ("Accommodate", Terminal((1, 1)))))
    >>> game = ExtensiveFormGame(Decision(0, (("Out", Terminal((0, 2))), ("In", fight))), "EI")
    >>> spe_solve(game).paths
    (('#root:In', '#In:Accommodate'),)
    """
    if not game.is_perfect_information:
        raise GameError(
            "spe_solve needs perfect information; use nash_efg_solve or agent QRE instead"
        )
    if ties not in ("models_md", "all"):
        raise GameError(f"unknown tie rule {ties!r}; use 'models_md' or 'all'")
    flat = game.flat()
    exact = flat.exact
    eps: Any = 0 if exact else tol
    notes: list[str] = []
    tie_nodes: list[str] = []
    boundary = False
    truncated = False
    # solutions[i]: list of (payoff vector, {infoset key: action}) for the subtree at i
    solutions: list[list[tuple[tuple[Any, ...], dict[str, str]]]] = [[] for _ in range(len(flat))]
    zero: Any = Fraction(0) if exact else 0.0
    for i in range(len(flat) - 1, -1, -1):
        kind = flat.kind[i]
        if kind == "t":
            solutions[i] = [(flat.payoffs[i], {})]
            continue
        kids = flat.children[i]
        combos = itertools.product(*(solutions[c] for c in kids))
        out: list[tuple[tuple[Any, ...], dict[str, str]]] = []
        for combo in combos:
            merged: dict[str, str] = {}
            for _, choice in combo:
                merged.update(choice)
            if kind == "c":
                total = [zero] * flat.n_players
                for p, (v, _) in zip(flat.probs[i], combo, strict=True):
                    total = [t + p * x for t, x in zip(total, v, strict=True)]
                out.append((tuple(total), merged))
            else:
                key = flat.infoset[i]
                assert key is not None
                mover = flat.player[i]
                own = [v[mover] for v, _ in combo]
                best = max(own)
                tied = [a for a, u in zip(flat.actions[i], own, strict=True) if best - u <= eps]
                others = [u for u in own if best - u > eps]
                if len(tied) > 1 or (others and best - max(others) <= tol):
                    boundary = True
                if len(tied) > 1:
                    if key not in tie_nodes:
                        tie_nodes.append(key)
                    if ties == "models_md":
                        pick = _pick(preferred_on_tie, key, tied)
                        if pick is None:
                            pick = tied[0]
                            note = f"tie at {key} among {tied} broken by action order: {pick}"
                        else:
                            note = f"tie at {key} among {tied} broken by the tie rule: {pick}"
                        if note not in notes:
                            notes.append(note)
                        tied = [pick]
                for a in tied:
                    k = flat.actions[i].index(a)
                    out.append((combo[k][0], {**merged, key: a}))
            if len(out) >= max_equilibria:
                truncated = True
                break
        solutions[i] = out[:max_equilibria]
    if truncated:
        notes.append(f"enumeration stopped at {max_equilibria} equilibria")
    equilibria = []
    paths = []
    one: Any = Fraction(1) if exact else 1.0
    for values, choice in solutions[0]:
        behavior = {
            key: {a: (one if a == choice[key] else zero) for a in flat.actions[nodes[0]]}
            for key, nodes in flat.members.items()
        }
        regret = node_regret(flat, behavior)
        equilibria.append(
            Equilibrium(profile=(), payoffs=tuple(values), regret=regret, behavior=behavior,
                        label="SPE")
        )
        paths.append(play_path(flat, behavior))
    if tie_nodes:
        notes.append("indifferent movers at: " + ", ".join(tie_nodes))
    return SpeResult(
        method="spe",
        parameters={"ties": ties, "tol": tol, "max_equilibria": max_equilibria,
                    "preferred_on_tie": _describe(preferred_on_tie)},
        game=game,
        equilibria=tuple(equilibria),
        notes=tuple(notes),
        paths=tuple(paths),
        boundary=boundary,
        tie_nodes=tuple(tie_nodes),
    )


def _describe(rule: TieRule | None) -> Any:
    if rule is None or callable(rule):
        return None if rule is None else getattr(rule, "__name__", "callable")
    return dict(rule)
