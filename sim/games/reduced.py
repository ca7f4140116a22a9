"""The reduced normal form of an extensive-form game, and Kuhn's map back.

A reduced pure strategy chooses one action at every information set that the
player's own earlier choices do not rule out; strategies that differ only at
information sets they themselves make unreachable are merged (they give equal
payoffs against every opponent play). This is the reduced strategic form that
Gambit builds; unreached information sets are written ``*`` in its labels
(Gambit manual, "Representing games"; Osborne & Rubinstein 1994, §11.2).

For a game with perfect recall, Kuhn's (1953) theorem maps each mixed reduced
strategy to an outcome-equivalent behaviour strategy:
``b(a | h) = sum of sigma(s) over s reaching h with s(h) = a``, divided by
the sum over s reaching h.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from sim.games.errors import GameTooLarge
from sim.games.extensive_form import ExtensiveFormGame, FlatTree
from sim.games.normal_form import NormalFormGame

__all__ = [
    "ReducedForm",
    "count_reduced_strategies",
    "reduced_normal_form",
    "reduced_form",
    "reduced_strategies",
]

Plan = dict[str, str]


def reduced_strategies(
    flat: FlatTree, player: int, *, max_plans: int | None = None
) -> list[Plan]:
    """Every reduced pure strategy of ``player`` as ``{infoset: action}``.

    Information sets are visited in depth-first order of first visit, so for
    perfect recall each is decided after the own moves that lead to it.

    Raises
    ------
    GameError
        If ``player`` has more than ``max_plans`` reduced strategies (checked
        as they are built, so an exponential count costs no more than the cap).
    """
    order = [k for k in dict.fromkeys(flat.infoset[i] for i in flat.decisions)
             if k is not None and flat.player[flat.members[k][0]] == player]
    plans: list[Plan] = []

    def reachable(key: str, plan: Plan) -> bool:
        for node in flat.members[key]:
            child, up = node, flat.parent[node]
            ok = True
            while up >= 0:
                if flat.kind[up] == "d" and flat.player[up] == player:
                    want = plan.get(flat.infoset[up] or "")
                    if want != flat.actions[up][flat.children[up].index(child)]:
                        ok = False
                        break
                child, up = up, flat.parent[up]
            if ok:
                return True
        return False

    def extend(plan: Plan, start: int) -> None:
        for pos in range(start, len(order)):
            key = order[pos]
            if key not in plan and reachable(key, plan):
                actions = flat.actions[flat.members[key][0]]
                for a in actions:
                    extend({**plan, key: a}, pos + 1)
                return
        if max_plans is not None and len(plans) >= max_plans:
            raise GameTooLarge(
                f"player {player + 1} has more than {max_plans:,} reduced strategies"
            )
        plans.append(plan)

    extend({}, 0)
    return plans


def count_reduced_strategies(flat: FlatTree, player: int) -> int:
    """The number of reduced pure strategies of ``player``, without listing them.

    With perfect recall, every information set ``h`` of the player follows one
    sequence ``s(h)`` of the player's own moves, and the count is ``N(())``
    where ``N(s) = prod over h with s(h) = s of sum over a of N(s + (h, a))``
    (the sequence form's plan count; von Stengel 1996, Games and Economic
    Behavior 14). Without perfect recall the value is only an estimate.
    """
    followers: dict[tuple[tuple[str, str], ...], list[str]] = {}
    for key, nodes in flat.members.items():
        if flat.player[nodes[0]] == player:
            followers.setdefault(flat.own_history(nodes[0]), []).append(key)
    memo: dict[tuple[tuple[str, str], ...], int] = {}
    # Children before parents: a longer sequence never precedes its prefix.
    for seq in sorted(followers, key=len, reverse=True):
        total = 1
        for key in followers[seq]:
            total *= sum(memo.get(seq + ((key, a),), 1)
                         for a in flat.actions[flat.members[key][0]])
        memo[seq] = total
    return memo.get((), 1)


def _big(count: int) -> str:
    # str() of an integer beyond 4,300 digits raises; such counts need no digits.
    return str(count) if count < 10**15 else "more than 10^15"


@dataclass(frozen=True)
class ReducedForm:
    """A reduced normal form with its strategies as plans.

    Attributes
    ----------
    game
        The normal-form game.
    plans
        ``plans[i][s]`` maps each information set decided by strategy ``s``
        of player ``i`` to its action.
    infosets
        ``infosets[i]``: player ``i``'s information-set keys in order.
    """

    game: NormalFormGame
    plans: tuple[tuple[Plan, ...], ...]
    infosets: tuple[tuple[str, ...], ...]
    tree: ExtensiveFormGame

    def to_behavior(self, profile: Sequence[npt.ArrayLike]) -> dict[str, dict[str, Any]]:
        """Kuhn's map: a mixed profile over reduced strategies to behaviour.

        Information sets a player's own mixture never reaches get the
        uniform distribution (any choice there is payoff-irrelevant).
        """
        exact = self.game.is_exact
        flat = self.tree.flat()
        out: dict[str, dict[str, Any]] = {}
        for i, keys in enumerate(self.infosets):
            probs = list(np.asarray(profile[i], dtype=object))
            for key in keys:
                actions = flat.actions[flat.members[key][0]]
                zero: Any = Fraction(0) if exact else 0.0
                mass = {a: zero for a in actions}
                for plan, p in zip(self.plans[i], probs, strict=True):
                    if key in plan:
                        mass[plan[key]] += p
                total = sum(mass.values(), zero)
                if total == 0:
                    n = len(actions)
                    out[key] = {a: (Fraction(1, n) if exact else 1.0 / n) for a in actions}
                else:
                    out[key] = {a: m / total for a, m in mass.items()}
        return out


def _label(plan: Plan, keys: Sequence[str], flat: FlatTree, style: str) -> str:
    parts = []
    for key in keys:
        if key not in plan:
            parts.append("*")
        elif style == "gambit":
            parts.append(str(flat.actions[flat.members[key][0]].index(plan[key]) + 1))
        else:
            parts.append(plan[key])
    return "".join(parts) if style == "gambit" else ",".join(parts)


def reduced_form(
    game: ExtensiveFormGame,
    labels: Literal["actions", "gambit"] = "actions",
    *,
    max_cells: int = 2_000_000,
) -> ReducedForm:
    """Build the reduced normal form and keep the plans behind each strategy.

    Parameters
    ----------
    game
        Any finite extensive-form game.
    labels
        ``"actions"``: a strategy is labelled by its actions at the player's
        information sets in order, comma-separated, ``*`` where unreached
        (``"Demand,*"``); ``"gambit"``: action numbers as Gambit writes them
        (``"12*"``).
    max_cells
        Refuse tables with more strategy profiles than this (tic-tac-toe's
        tree has 16,529 x 668,360).

    Raises
    ------
    GameError
        If the table would exceed ``max_cells``.

    Notes
    -----
    Expected payoffs are summed over terminal nodes: terminal ``t`` (with
    chance weight ``w_t``) contributes ``w_t * u(t)`` to every profile whose
    strategies are all consistent with the path to ``t``.
    """
    flat = game.flat()
    n = game.n_players
    counts = [count_reduced_strategies(flat, i) for i in range(n)]
    n_cells = 1
    for c in counts:
        n_cells *= c
    if n_cells > max_cells:
        raise GameTooLarge(
            f"the reduced normal form has {' x '.join(_big(c) for c in counts)} = "
            f"{_big(n_cells)} strategy profiles, more than max_cells={max_cells}"
        )
    plans = [reduced_strategies(flat, i, max_plans=max_cells) for i in range(n)]
    if counts != [len(p) for p in plans]:
        # Imperfect recall: the count was an estimate; check the real sizes.
        counts = [len(p) for p in plans]
        n_cells = int(np.prod(counts, dtype=object))
        if n_cells > max_cells:
            raise GameTooLarge(
                f"the reduced normal form has {' x '.join(map(str, counts))} = {n_cells} "
                f"strategy profiles, more than max_cells={max_cells}"
            )
    keys = []
    for i in range(n):
        own = [flat.infoset[j] for j in flat.decisions if flat.player[j] == i]
        keys.append(tuple(dict.fromkeys(h for h in own if h is not None)))
    shape = tuple(len(p) for p in plans)
    exact = game.is_exact
    arrays = [np.zeros(shape, dtype=object if exact else float) for _ in range(n)]
    if exact:
        for a in arrays:
            a.reshape(-1)[:] = [Fraction(0)] * a.size
    for t in range(len(flat)):
        if flat.kind[t] != "t":
            continue
        weight: Any = Fraction(1) if exact else 1.0
        need: list[list[tuple[str, str]]] = [[] for _ in range(n)]
        child, up = t, flat.parent[t]
        while up >= 0:
            k = flat.children[up].index(child)
            if flat.kind[up] == "c":
                weight = weight * flat.probs[up][k]
            else:
                key = flat.infoset[up]
                assert key is not None
                need[flat.player[up]].append((key, flat.actions[up][k]))
            child, up = up, flat.parent[up]
        if weight == 0:
            continue
        index = [
            [s for s, plan in enumerate(plans[i]) if all(plan.get(h) == a for h, a in need[i])]
            for i in range(n)
        ]
        if any(not ix for ix in index):
            continue
        cells = np.ix_(*index)
        for i in range(n):
            arrays[i][cells] = arrays[i][cells] + weight * flat.payoffs[t][i]
    strategies = []
    for i in range(n):
        labs = [_label(p, keys[i], flat, labels) for p in plans[i]]
        if len(set(labs)) != len(labs):
            # Action labels containing commas can collide; numbers cannot.
            labs = [_label(p, keys[i], flat, "gambit") for p in plans[i]]
        strategies.append(labs)
    nfg = NormalFormGame(arrays, game.players, strategies, game.title, exact=exact)
    return ReducedForm(nfg, tuple(tuple(p) for p in plans), tuple(keys), game)


def reduced_normal_form(
    game: ExtensiveFormGame,
    labels: Literal["actions", "gambit"] = "actions",
    *,
    max_cells: int = 2_000_000,
) -> NormalFormGame:
    """The reduced normal form of ``game`` (see :func:`reduced_form`)."""
    return reduced_form(game, labels, max_cells=max_cells).game
