"""Finite games in extensive form: trees with chance moves and information sets.

A tree is built from three immutable node types:

* :class:`Terminal` — an outcome with one payoff per player;
* :class:`Decision` — a player chooses one of its labelled actions; nodes that
  share an ``infoset`` label form one information set (the player cannot tell
  them apart), so they must belong to the same player and offer the same
  action labels;
* :class:`Chance` — nature chooses a branch with given probabilities.

Players are referred to by their 0-based index into ``ExtensiveFormGame.players``.

Examples
--------
A two-move threat game (challenger 0, target 1):

>>> tree = Decision(0, (
...     ("Status quo", Terminal((0.2, 0.8), "SQ")),
...     ("Demand", Decision(1, (
...         ("Concede", Terminal((0.9, 0.1), "Concede")),
...         ("Resist", Terminal((0.5, 0.25), "War")),
...     ))),
... ))
>>> g = ExtensiveFormGame(tree, players=("Russia", "US/NATO"))
>>> g.is_perfect_information
True
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from numbers import Rational, Real
from typing import Any

from sim.games.errors import GameError

__all__ = [
    "Terminal",
    "Decision",
    "Chance",
    "Node",
    "ExtensiveFormGame",
    "Infoset",
    "FlatTree",
    "path_key",
]

Number = float | int | Fraction


@dataclass(frozen=True)
class Terminal:
    """A terminal node: ``payoffs[i]`` is player ``i``'s payoff."""

    payoffs: tuple[Number, ...]
    label: str = ""


@dataclass(frozen=True)
class Decision:
    """A decision node of ``player`` with ``(action label, child)`` pairs.

    ``infoset`` names the information set; ``None`` gives the node a
    singleton information set of its own, keyed by ``"#"`` followed by the
    node's path of action labels (see :func:`path_key`).
    """

    player: int
    actions: tuple[tuple[str, Node], ...]
    infoset: str | None = None
    label: str = ""


@dataclass(frozen=True)
class Chance:
    """A chance node with ``(action label, probability, child)`` branches."""

    branches: tuple[tuple[str, Number, Node], ...]
    label: str = ""


Node = Terminal | Decision | Chance


@dataclass(frozen=True)
class Infoset:
    """An information set: its player, its action labels and its member nodes."""

    key: str
    player: int
    actions: tuple[str, ...]
    nodes: tuple[Decision, ...] = field(repr=False)


_PROB_TOL = 1e-9


class ExtensiveFormGame:
    """A finite extensive-form game, validated at construction.

    Parameters
    ----------
    root
        The root node of the tree.
    players
        Player names; their order fixes payoff order and player indices.
    title
        A short title, written to Gambit files.

    Raises
    ------
    GameError
        If a payoff vector has the wrong length or a non-finite entry, a
        player index is out of range, a node has no actions or repeated
        action labels, chance probabilities are negative or do not sum to 1,
        or an information set mixes players or action sets.
    """

    __slots__ = ("_root", "_players", "_title", "_infosets", "_exact", "_flat")

    def __init__(self, root: Node, players: Sequence[str], title: str = "") -> None:
        self._players = tuple(str(p) for p in players)
        if not self._players:
            raise GameError("a game needs at least one player")
        if len(set(self._players)) != len(self._players):
            raise GameError("player names must be distinct")
        self._root = root
        self._title = str(title)
        self._infosets: dict[str, Infoset] = {}
        self._exact = True
        self._flat: FlatTree | None = None
        members: dict[str, list[Decision]] = {}
        for path, node in _walk(root, ()):
            where = "root" if not path else "node " + "/".join(path)
            if isinstance(node, Terminal):
                self._check_payoffs(node, where)
            elif isinstance(node, Decision):
                if not 0 <= node.player < len(self._players):
                    raise GameError(f"{where}: player index {node.player} out of range")
                _check_labels([a for a, _ in node.actions], where)
                key = node.infoset if node.infoset is not None else "#" + path_key(path)
                members.setdefault(key, []).append(node)
            elif isinstance(node, Chance):
                _check_labels([a for a, _, _ in node.branches], where)
                self._check_probs(node, where)
            else:
                raise GameError(f"{where}: {type(node).__name__} is not a node")
        for key, nodes in members.items():
            first = nodes[0]
            labels = tuple(a for a, _ in first.actions)
            for other in nodes[1:]:
                if other.player != first.player:
                    raise GameError(f"information set {key!r} mixes players")
                if tuple(a for a, _ in other.actions) != labels:
                    raise GameError(f"information set {key!r} has nodes with different actions")
            self._infosets[key] = Infoset(key, first.player, labels, tuple(nodes))

    def _check_payoffs(self, node: Terminal, where: str) -> None:
        if len(node.payoffs) != len(self._players):
            raise GameError(
                f"{where}: {len(node.payoffs)} payoffs for {len(self._players)} players"
            )
        for v in node.payoffs:
            if isinstance(v, bool) or not isinstance(v, Real) or not _finite(v):
                raise GameError(f"{where}: payoff {v!r} is not a finite real number")
            if not isinstance(v, Rational):
                self._exact = False

    def _check_probs(self, node: Chance, where: str) -> None:
        probs = [p for _, p, _ in node.branches]
        for v in probs:
            if isinstance(v, bool) or not isinstance(v, Real) or not _finite(v) or v < 0:
                raise GameError(f"{where}: chance probability {v!r} is not in [0, 1]")
        total = sum(probs)
        if all(isinstance(v, Rational) for v in probs):
            if total != 1:
                raise GameError(f"{where}: chance probabilities sum to {total}, not 1")
        else:
            self._exact = False
            if abs(float(total) - 1.0) > _PROB_TOL:
                raise GameError(f"{where}: chance probabilities sum to {float(total):g}, not 1")

    # -- properties ---------------------------------------------------------
    @property
    def root(self) -> Node:
        return self._root

    @property
    def players(self) -> tuple[str, ...]:
        return self._players

    @property
    def title(self) -> str:
        return self._title

    @property
    def n_players(self) -> int:
        return len(self._players)

    @property
    def is_exact(self) -> bool:
        """True when every payoff and chance probability is an int or Fraction."""
        return self._exact

    @property
    def infosets(self) -> dict[str, Infoset]:
        """Information sets keyed by label, in depth-first order of first visit."""
        return dict(self._infosets)

    @property
    def is_perfect_information(self) -> bool:
        return all(len(s.nodes) == 1 for s in self._infosets.values())

    def infoset_of(self, node: Decision) -> Infoset:
        """The information set that contains ``node`` (its first occurrence)."""
        if node.infoset is not None:
            return self._infosets[node.infoset]
        for key, info in self._infosets.items():
            if any(n is node for n in info.nodes):
                return self._infosets[key]
        raise GameError("node is not in this game")

    @property
    def has_perfect_recall(self) -> bool:
        """Each player remembers its own past information sets and actions.

        Checked as in Kuhn (1953): all nodes of an information set have the
        same sequence of (own information set, own action) pairs on their path.
        """
        flat = self.flat()
        seen: dict[str, tuple[tuple[str, str], ...]] = {}
        for i in flat.decisions:
            own = flat.own_history(i)
            key = flat.infoset[i]
            assert key is not None
            if seen.setdefault(key, own) != own:
                return False
        return True

    def flat(self) -> FlatTree:
        """The tree as flat arrays in depth-first order (computed once)."""
        if self._flat is None:
            self._flat = FlatTree(self)
        return self._flat

    def expected_payoffs(self, behavior: Mapping[str, Mapping[str, Any]]) -> tuple[Any, ...]:
        """Expected payoffs under a behaviour profile ``{infoset: {action: prob}}``.

        Exact when the game and the probabilities are exact.
        """
        values = self.flat().node_values(behavior)
        return tuple(values[0])

    def nodes(self) -> Iterator[tuple[tuple[str, ...], Node]]:
        """Every node with its path of action labels from the root, depth first."""
        return _walk(self._root, ())

    def terminals(self) -> Iterator[tuple[tuple[str, ...], Terminal]]:
        for path, node in self.nodes():
            if isinstance(node, Terminal):
                yield path, node

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ExtensiveFormGame):
            return NotImplemented
        return (
            self._players == other._players
            and self._title == other._title
            and _canonical(self._root) == _canonical(other._root)
        )

    def __hash__(self) -> int:
        return hash((self._players, self._title))

    def __repr__(self) -> str:
        n = sum(1 for _ in self.nodes())
        return f"ExtensiveFormGame({n} nodes, players={list(self._players)})"


def path_key(path: Sequence[str]) -> str:
    """A node's name: its action labels from the root joined by ``"/"``.

    The root is ``"root"``.
    """
    return "/".join(path) if path else "root"


class FlatTree:
    """A game tree as parallel lists indexed by node number (depth-first order).

    Solvers work on this form: ``children[i]`` are child node numbers,
    ``actions[i]`` their labels, ``player[i]`` the mover (``-1`` for chance
    and terminal nodes), ``infoset[i]`` the information-set key of a decision
    node, ``probs[i]`` the chance probabilities and ``payoffs[i]`` the payoffs
    of a terminal node.
    """

    def __init__(self, game: ExtensiveFormGame) -> None:
        self.n_players = game.n_players
        self.kind: list[str] = []
        self.path: list[tuple[str, ...]] = []
        self.parent: list[int] = []
        self.children: list[list[int]] = []
        self.actions: list[tuple[str, ...]] = []
        self.player: list[int] = []
        self.infoset: list[str | None] = []
        self.probs: list[tuple[Any, ...]] = []
        self.payoffs: list[tuple[Any, ...]] = []
        self.nodes: list[Node] = []
        stack: list[tuple[int, tuple[str, ...], Node]] = [(-1, (), game.root)]
        while stack:
            parent, path, node = stack.pop()
            i = len(self.kind)
            self.nodes.append(node)
            self.path.append(path)
            self.parent.append(parent)
            self.children.append([])
            if parent >= 0:
                self.children[parent].append(i)
            if isinstance(node, Terminal):
                self.kind.append("t")
                self.actions.append(())
                self.player.append(-1)
                self.infoset.append(None)
                self.probs.append(())
                self.payoffs.append(tuple(node.payoffs))
            elif isinstance(node, Decision):
                self.kind.append("d")
                self.actions.append(tuple(a for a, _ in node.actions))
                self.player.append(node.player)
                key = node.infoset if node.infoset is not None else "#" + path_key(path)
                self.infoset.append(key)
                self.probs.append(())
                self.payoffs.append(())
                stack.extend((i, path + (a,), c) for a, c in reversed(node.actions))
            else:
                self.kind.append("c")
                self.actions.append(tuple(a for a, _, _ in node.branches))
                self.player.append(-1)
                self.infoset.append(None)
                self.probs.append(tuple(p for _, p, _ in node.branches))
                self.payoffs.append(())
                stack.extend((i, path + (a,), c) for a, _, c in reversed(node.branches))
        self.decisions = [i for i, k in enumerate(self.kind) if k == "d"]
        self.members: dict[str, list[int]] = {}
        for i in self.decisions:
            iset = self.infoset[i]
            assert iset is not None
            self.members.setdefault(iset, []).append(i)
        self.exact = game.is_exact

    def __len__(self) -> int:
        return len(self.kind)

    def own_history(self, i: int) -> tuple[tuple[str, str], ...]:
        """The (information set, action) pairs of node ``i``'s mover on its path."""
        who = self.player[i]
        out: list[tuple[str, str]] = []
        child, node = i, self.parent[i]
        while node >= 0:
            if self.kind[node] == "d" and self.player[node] == who:
                key = self.infoset[node]
                assert key is not None
                out.append((key, self.actions[node][self.children[node].index(child)]))
            child, node = node, self.parent[node]
        return tuple(reversed(out))

    def move_probs(self, i: int, behavior: Mapping[str, Mapping[str, Any]]) -> list[Any]:
        """Probability of each branch at node ``i`` under ``behavior``."""
        if self.kind[i] == "c":
            return list(self.probs[i])
        key = self.infoset[i]
        assert key is not None
        try:
            dist = behavior[key]
        except KeyError:
            raise GameError(f"behaviour profile has no entry for information set {key!r}") from None
        return [dist.get(a, 0) for a in self.actions[i]]

    def node_values(self, behavior: Mapping[str, Mapping[str, Any]]) -> list[tuple[Any, ...]]:
        """Expected payoff vector of the subtree at every node under ``behavior``."""
        values: list[tuple[Any, ...]] = [()] * len(self)
        zero: Any = Fraction(0) if self.exact else 0.0
        for i in range(len(self) - 1, -1, -1):
            if self.kind[i] == "t":
                values[i] = self.payoffs[i]
                continue
            total = [zero] * self.n_players
            for p, c in zip(self.move_probs(i, behavior), self.children[i], strict=True):
                if p:
                    total = [t + p * v for t, v in zip(total, values[c], strict=True)]
            values[i] = tuple(total)
        return values

    def reach_probs(self, behavior: Mapping[str, Mapping[str, Any]]) -> list[Any]:
        """Probability that play reaches every node under ``behavior``."""
        reach: list[Any] = [0] * len(self)
        reach[0] = Fraction(1) if self.exact else 1.0
        for i in range(len(self)):
            if self.kind[i] == "t":
                continue
            for p, c in zip(self.move_probs(i, behavior), self.children[i], strict=True):
                reach[c] = reach[i] * p
        return reach


def _walk(node: Node, path: tuple[str, ...]) -> Iterator[tuple[tuple[str, ...], Node]]:
    stack: list[tuple[tuple[str, ...], Node]] = [(path, node)]
    while stack:
        p, n = stack.pop()
        yield p, n
        if isinstance(n, Decision):
            stack.extend((p + (a,), c) for a, c in reversed(n.actions))
        elif isinstance(n, Chance):
            stack.extend((p + (a,), c) for a, _, c in reversed(n.branches))


def _check_labels(labels: list[str], where: str) -> None:
    if not labels:
        raise GameError(f"{where}: a move needs at least one action")
    if len(set(labels)) != len(labels):
        raise GameError(f"{where}: action labels must be distinct")


def _finite(v: Real) -> bool:
    f = float(v)
    return f == f and abs(f) != float("inf")


def _canonical(node: Node) -> object:
    """A structure equal for equal trees, with singleton infosets anonymised."""
    if isinstance(node, Terminal):
        return ("T", tuple(node.payoffs), node.label)
    if isinstance(node, Decision):
        return (
            "D",
            node.player,
            node.infoset,
            node.label,
            tuple((a, _canonical(c)) for a, c in node.actions),
        )
    return ("C", node.label, tuple((a, p, _canonical(c)) for a, p, c in node.branches))
