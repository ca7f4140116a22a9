"""A tree played in turn by one group: nature's draws, whose move it is, what a player sees.

Pure functions of an :class:`~sim.games.extensive_form.ExtensiveFormGame`'s
:class:`~sim.games.extensive_form.FlatTree` (node numbers) and plain data,
so the store can keep a group's state as a node number, its path of actions
and nature's draws.

Private types are the chance moves at the top of the tree (before anyone
moves, as in Harsanyi's 1967 construction): a role *observes* a chance move
when none of its information sets holds two nodes that differ in that move.
The type of a role is the list of chance moves it observes; the others see
only that nature moved.

What a player sees at a move is its information set: a step of the path is
shown when every node of the set agrees on it (Kuhn 1953).

References
----------
Harsanyi, J. C. (1967). Games with incomplete information played by
"Bayesian" players, I. *Management Science* 14(3): 159–182.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from sim.games.extensive_form import ExtensiveFormGame, FlatTree

__all__ = ["Step", "draw_nature", "settle", "child", "chance_depth", "observed_steps",
           "chance_types", "type_of", "view", "path_nodes"]


@dataclass(frozen=True)
class Step:
    """One step of the path as a player sees it: who moved, and what, if it was seen."""

    mover: str
    action: str | None
    chance: bool = False

    @property
    def seen(self) -> bool:
        return self.action is not None


def draw_nature(flat: FlatTree, rng: np.random.Generator) -> dict[int, int]:
    """A branch of every chance node (node number to branch index), drawn from ``rng``."""
    out = {}
    for i, kind in enumerate(flat.kind):
        if kind == "c":
            probs = np.array([float(p) for p in flat.probs[i]], dtype=float)
            out[i] = int(rng.choice(len(probs), p=probs / probs.sum()))
    return out


def settle(flat: FlatTree, node: int, nature: Mapping[int, int]) -> int:
    """Follow nature's draws from ``node`` to the next decision or terminal node."""
    while flat.kind[node] == "c":
        node = flat.children[node][nature[node]]
    return node


def child(flat: FlatTree, node: int, action: str) -> int:
    """The node that ``action`` at decision node ``node`` leads to."""
    return flat.children[node][flat.actions[node].index(action)]


def path_nodes(flat: FlatTree, node: int) -> list[int]:
    """The nodes from the root to ``node``, ``node`` excluded."""
    out = []
    while flat.parent[node] >= 0:
        node = flat.parent[node]
        out.append(node)
    return out[::-1]


def chance_depth(flat: FlatTree) -> int:
    """How many chance moves come before anyone moves, on every branch (the types' depth)."""
    depth = 0
    level = [0]
    while level and all(flat.kind[i] == "c" for i in level):
        depth += 1
        level = [c for i in level for c in flat.children[i]]
    return depth


def observed_steps(flat: FlatTree, player: int) -> tuple[int, ...]:
    """The top chance moves (by depth) that ``player`` observes; none if it never moves."""
    depth = chance_depth(flat)
    sets = [nodes for key, nodes in flat.members.items() if flat.player[nodes[0]] == player]
    if not sets:
        return ()
    return tuple(k for k in range(depth)
                 if all(len({flat.path[i][k] for i in nodes}) == 1 for nodes in sets))


def type_of(flat: FlatTree, player: int, top_path: Sequence[str]) -> str | None:
    """The private type ``player`` holds when nature's top moves are ``top_path``."""
    steps = observed_steps(flat, player)
    return ", ".join(top_path[k] for k in steps) if steps else None


def chance_types(tree: ExtensiveFormGame, player: int) -> list[tuple[str | None, float]]:
    """Each type ``player`` may hold with its prior probability; ``[(None, 1.0)]`` if none."""
    flat = tree.flat()
    depth = chance_depth(flat)
    if not observed_steps(flat, player):
        return [(None, 1.0)]
    level = [(0, 1.0)]
    for _ in range(depth):
        level = [(c, p * float(q)) for i, p in level
                 for c, q in zip(flat.children[i], flat.probs[i], strict=True)]
    prior: dict[str | None, float] = {}
    for i, p in level:
        label = type_of(flat, player, flat.path[i])
        prior[label] = prior.get(label, 0.0) + p
    return list(prior.items())


def view(flat: FlatTree, node: int, roles: Sequence[str]) -> list[Step]:
    """The path to decision node ``node`` as its mover sees it (their information set)."""
    key = flat.infoset[node]
    assert key is not None
    members = flat.members[key]
    path = flat.path[node]
    out = []
    for k, at in enumerate(path_nodes(flat, node)):
        agreed = all(len(flat.path[m]) > k and flat.path[m][k] == path[k] for m in members)
        chance = flat.kind[at] == "c"
        who = "Chance" if chance else roles[flat.player[at]]
        out.append(Step(who, path[k] if agreed else None, chance))
    return out
