"""The game lab's game: a normal form or a tree whose payoffs are expressions.

A :class:`LabGame` is what the editor edits and what the JSON form stores:
players, parameters with editable ranges, and either a payoff table
(:class:`NormalFormSpec`) or a tree (:class:`TreeSpec`) whose payoffs and
chance probabilities are expression strings (:mod:`sim.lab.expr`). It is
validated with pydantic on construction: sizes are capped, every expression
parses, and every name an expression uses is a declared parameter.

Limits: two players with up to 10 strategies each, or three or four players
with up to 4 strategies each; trees of at most :data:`MAX_TREE_NODES` nodes.
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from sim.lab.expr import NAME_PATTERN, Expression, ExpressionError, parse_expression

__all__ = [
    "SCHEMA",
    "VERSION",
    "MAX_TREE_NODES",
    "MAX_PARAMETERS",
    "Parameter",
    "NormalFormSpec",
    "Branch",
    "TreeNode",
    "TreeSpec",
    "LabGame",
    "parsed",
    "max_strategies",
]

SCHEMA = "coercion-sim/game-lab"
VERSION = 1
MAX_PARAMETERS = 12
MAX_TREE_NODES = 200
MAX_LABEL = 60
MAX_TEXT = 2000

_Label = Field(min_length=1, max_length=MAX_LABEL)


@lru_cache(maxsize=8192)
def parsed(text: str) -> Expression:
    """The parsed expression (cached: cells are re-read on every slider move)."""
    return parse_expression(text)


def max_strategies(n_players: int) -> int:
    """The largest number of strategies per player the lab accepts."""
    return 10 if n_players == 2 else 4


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Parameter(_Model):
    """A named parameter with its slider range."""

    name: str = Field(max_length=32)
    value: float
    lo: float
    hi: float
    step: float | None = None
    label: str = Field(default="", max_length=MAX_LABEL)

    @field_validator("name")
    @classmethod
    def _name(cls, v: str) -> str:
        if not NAME_PATTERN.match(v) or v in ("min", "max"):
            raise ValueError(f"{v!r} is not a parameter name: a letter, then letters, digits "
                             "or _ (at most 32), and not min or max")
        return v

    @model_validator(mode="after")
    def _range(self) -> Parameter:
        for what, v in (("value", self.value), ("lo", self.lo), ("hi", self.hi)):
            if not math.isfinite(v) or abs(v) > 1e9:
                raise ValueError(f"{what} of {self.name!r} must be a finite number up to 1e9")
        if not self.lo < self.hi:
            raise ValueError(f"range of {self.name!r}: lo {self.lo:g} must be below "
                             f"hi {self.hi:g}")
        if not self.lo <= self.value <= self.hi:
            raise ValueError(f"value of {self.name!r}: {self.value:g} is outside "
                             f"[{self.lo:g}, {self.hi:g}]")
        if self.step is not None and not 0 < self.step <= self.hi - self.lo:
            raise ValueError(f"step of {self.name!r} must be positive and at most hi - lo")
        return self

    @property
    def slider_step(self) -> float:
        """The step, or a hundredth of the range rounded to a 1-2-5 value."""
        if self.step is not None:
            return self.step
        raw = (self.hi - self.lo) / 100
        mag = 10 ** math.floor(math.log10(raw))
        for m in (1, 2, 5, 10):
            if raw <= m * mag:
                return float(m * mag)
        return float(10 * mag)  # pragma: no cover - the loop always returns


class NormalFormSpec(_Model):
    """Strategy labels per player and one payoff expression per player and profile.

    ``payoffs`` lists the profiles in row-major order (the last player's
    strategy changes fastest); each entry holds one expression per player.
    """

    strategies: list[list[str]] = Field(min_length=2, max_length=4)
    payoffs: list[list[str]]

    @field_validator("strategies")
    @classmethod
    def _labels(cls, v: list[list[str]]) -> list[list[str]]:
        top = max_strategies(len(v))
        for i, labels in enumerate(v):
            if not 1 <= len(labels) <= top:
                raise ValueError(f"player {i + 1} has {len(labels)} strategies; a game with "
                                 f"{len(v)} players allows 1 to {top}")
            for s in labels:
                if not s.strip() or len(s) > MAX_LABEL:
                    raise ValueError(f"player {i + 1}: strategy names must be 1 to "
                                     f"{MAX_LABEL} characters")
            if len({s.strip() for s in labels}) != len(labels):
                raise ValueError(f"player {i + 1}: strategy names must be distinct")
        return v

    @property
    def shape(self) -> tuple[int, ...]:
        return tuple(len(s) for s in self.strategies)


class Branch(_Model):
    """An edge of the tree: its action label, its child, and (at chance nodes) its probability."""

    action: str = _Label
    to: str = Field(min_length=1, max_length=40)
    prob: str | None = Field(default=None, max_length=200)


class TreeNode(_Model):
    """A node: a decision (of ``player``, in ``infoset``), a chance move, or a terminal."""

    id: str = Field(min_length=1, max_length=40)
    kind: Literal["decision", "chance", "terminal"]
    player: int | None = None
    infoset: str | None = Field(default=None, max_length=MAX_LABEL)
    label: str = Field(default="", max_length=MAX_LABEL)
    branches: list[Branch] = Field(default_factory=list, max_length=10)
    payoffs: list[str] = Field(default_factory=list, max_length=4)

    @model_validator(mode="after")
    def _shape(self) -> TreeNode:
        where = f"node {self.id!r}"
        if self.kind == "terminal":
            if self.branches:
                raise ValueError(f"{where}: a terminal node has no branches")
            if self.player is not None or self.infoset is not None:
                raise ValueError(f"{where}: a terminal node has no player or information set")
        else:
            if not self.branches:
                raise ValueError(f"{where}: a {self.kind} node needs at least one branch")
            if self.payoffs:
                raise ValueError(f"{where}: only terminal nodes have payoffs")
            if len({b.action for b in self.branches}) != len(self.branches):
                raise ValueError(f"{where}: action labels must be distinct")
        if self.kind == "decision":
            if self.player is None:
                raise ValueError(f"{where}: a decision node needs a player")
            if any(b.prob is not None for b in self.branches):
                raise ValueError(f"{where}: only chance branches have probabilities")
        if self.kind == "chance":
            if self.player is not None or self.infoset is not None:
                raise ValueError(f"{where}: a chance node has no player or information set")
            if any(b.prob is None for b in self.branches):
                raise ValueError(f"{where}: every chance branch needs a probability")
        return self


class TreeSpec(_Model):
    """A tree as a list of nodes; the first node is the root."""

    nodes: list[TreeNode] = Field(min_length=1, max_length=MAX_TREE_NODES)

    @model_validator(mode="after")
    def _is_tree(self) -> TreeSpec:
        ids = [n.id for n in self.nodes]
        if len(set(ids)) != len(ids):
            dup = next(i for i in ids if ids.count(i) > 1)
            raise ValueError(f"node id {dup!r} is used twice")
        known = set(ids)
        parent: dict[str, str] = {}
        for n in self.nodes:
            for b in n.branches:
                if b.to not in known:
                    raise ValueError(f"node {n.id!r}: branch {b.action!r} leads to unknown "
                                     f"node {b.to!r}")
                if b.to == ids[0]:
                    raise ValueError(f"node {n.id!r}: branch {b.action!r} leads back to the root")
                if b.to in parent:
                    raise ValueError(f"node {b.to!r} has two parents ({parent[b.to]!r} and "
                                     f"{n.id!r})")
                parent[b.to] = n.id
        orphans = [i for i in ids[1:] if i not in parent]
        if orphans:
            raise ValueError(f"node {orphans[0]!r} is not reachable from the root")
        return self

    def node(self, node_id: str) -> TreeNode:
        for n in self.nodes:
            if n.id == node_id:
                return n
        raise KeyError(node_id)


class LabGame(_Model):
    """A game of the lab: players, parameters, and a normal form or a tree.

    The JSON form is ``LabGame.model_dump(by_alias=True)``; ``schema`` and
    ``version`` identify it.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    schema_id: Literal["coercion-sim/game-lab"] = Field(default="coercion-sim/game-lab",
                                                        alias="schema")
    version: Literal[1] = 1
    title: str = Field(min_length=1, max_length=120)
    description: str = Field(default="", max_length=MAX_TEXT)
    source: str = Field(default="", max_length=MAX_TEXT)
    players: list[str] = Field(min_length=1, max_length=4)
    parameters: list[Parameter] = Field(default_factory=list, max_length=MAX_PARAMETERS)
    normal_form: NormalFormSpec | None = None
    tree: TreeSpec | None = None

    @field_validator("players")
    @classmethod
    def _players(cls, v: list[str]) -> list[str]:
        for p in v:
            if not p.strip() or len(p) > MAX_LABEL:
                raise ValueError(f"player names must be 1 to {MAX_LABEL} characters")
        if len({p.strip() for p in v}) != len(v):
            raise ValueError("player names must be distinct")
        return v

    @model_validator(mode="after")
    def _consistent(self) -> LabGame:
        if (self.normal_form is None) == (self.tree is None):
            raise ValueError("a game has either a normal_form or a tree, not both or neither")
        names = [p.name for p in self.parameters]
        if len(set(names)) != len(names):
            raise ValueError("parameter names must be distinct")
        n = len(self.players)
        if self.normal_form is not None:
            nf = self.normal_form
            if len(nf.strategies) != n:
                raise ValueError(f"normal_form: strategies for {len(nf.strategies)} players; "
                                 f"the game has {n}")
            cells = math.prod(nf.shape)
            if len(nf.payoffs) != cells:
                raise ValueError(f"normal_form: {len(nf.payoffs)} payoff cells; a "
                                 f"{'x'.join(map(str, nf.shape))} game has {cells}")
            for k, cell in enumerate(nf.payoffs):
                if len(cell) != n:
                    raise ValueError(f"normal_form: cell {k + 1} has {len(cell)} payoffs "
                                     f"for {n} players")
                for i, text in enumerate(cell):
                    self._check_expr(text, f"normal_form: cell {k + 1}, payoff of "
                                           f"{self.players[i]}", names)
        else:
            assert self.tree is not None
            for node in self.tree.nodes:
                where = f"tree: node {node.id!r}"
                if node.kind == "decision" and not 0 <= (node.player or 0) < n:
                    raise ValueError(f"{where}: player {node.player} does not exist "
                                     f"(players are numbered 0 to {n - 1})")
                if node.kind == "terminal":
                    if len(node.payoffs) != n:
                        raise ValueError(f"{where}: {len(node.payoffs)} payoffs for "
                                         f"{n} players")
                    for i, text in enumerate(node.payoffs):
                        self._check_expr(text, f"{where}, payoff of {self.players[i]}", names)
                for b in node.branches:
                    if b.prob is not None:
                        self._check_expr(b.prob, f"{where}, probability of {b.action!r}",
                                         names)
            self._check_infosets()
        return self

    @staticmethod
    def _check_expr(text: str, where: str, names: list[str]) -> None:
        try:
            e = parsed(text)
        except ExpressionError as exc:
            raise ValueError(f"{where}: {exc}") from None
        unknown = [x for x in e.names if x not in names]
        if unknown:
            raise ValueError(f"{where}: {text!r} uses {unknown[0]!r}, which is not a "
                             "parameter; add it to the parameters")

    def _check_infosets(self) -> None:
        assert self.tree is not None
        seen: dict[str, TreeNode] = {}
        for node in self.tree.nodes:
            if node.kind != "decision" or node.infoset is None:
                continue
            first = seen.setdefault(node.infoset, node)
            if first.player != node.player:
                raise ValueError(f"tree: information set {node.infoset!r} holds nodes of "
                                 "two players")
            if [b.action for b in first.branches] != [b.action for b in node.branches]:
                raise ValueError(f"tree: information set {node.infoset!r} holds nodes with "
                                 "different actions")

    # -- helpers ----------------------------------------------------------------
    @property
    def kind(self) -> Literal["normal", "tree"]:
        return "normal" if self.normal_form is not None else "tree"

    @property
    def values(self) -> dict[str, float]:
        """The parameters' current values."""
        return {p.name: p.value for p in self.parameters}

    def parameter(self, name: str) -> Parameter:
        for p in self.parameters:
            if p.name == name:
                return p
        raise KeyError(name)

    def to_json_dict(self) -> dict[str, object]:
        """The JSON form (``schema``, ``version`` first), with no empty optional parts."""
        return self.model_dump(by_alias=True, exclude_none=True, mode="json")
