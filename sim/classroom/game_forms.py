"""Any finite game as a classroom game: normal forms played at once, trees played in turn.

:func:`from_normal_form` makes every player of a normal-form game a role that
moves simultaneously; the prediction is an equilibrium (the limit of the
principal logit QRE branch where there are several, McKelvey & Palfrey 1995).

:func:`from_tree` keeps the tree: the class plays it move by move, every
information set is one agent (Kuhn 1953; the agent form of Selten 1975),
private types are the chance moves a role observes (:mod:`sim.classroom.turns`)
and the prediction is the limit of the principal agent-QRE branch, a
sequential equilibrium (McKelvey & Palfrey 1998, Theorem 5). It is computed
when first needed, since a large tree takes a while to solve.

:func:`model_game` builds either from a registry model's ``game()``.

References
----------
Kuhn, H. W. (1953). Extensive games and the problem of information.
*Contributions to the Theory of Games* II: 193–216.
McKelvey, R. D., & Palfrey, T. R. (1998). Quantal response equilibria for
extensive form games. *Experimental Economics* 1(1): 9–41.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping
from typing import Any

import numpy as np

from sim.classroom.games import Agent, ClassroomGame
from sim.classroom.turns import chance_types
from sim.games.errors import GameError
from sim.games.extensive_form import Chance, Decision, ExtensiveFormGame, Node, Terminal
from sim.games.normal_form import NormalFormGame

__all__ = ["from_normal_form", "from_tree", "model_game", "playable_models", "relabel_tree",
           "MAX_CLASS_INFOSETS", "agent_key", "nf_prediction"]

#: The largest tree (information sets) a class plays: its prediction must be quick to solve.
MAX_CLASS_INFOSETS = 400
_MAX_OUTCOME = 64


def agent_key(role: str, where: str) -> str:
    """The name of a tree's agent: its role and where it moves."""
    return f"{role}, {where}"


def _cut(label: str) -> str:
    return label if len(label) <= _MAX_OUTCOME else label[:_MAX_OUTCOME - 1] + "…"


def from_normal_form(nf: NormalFormGame, *, name: str, title: str, description: str,
                     roles: tuple[str, ...] | None = None,
                     outcome: Any = None, params: Mapping[str, float] | None = None,
                     prediction: Mapping[str, Mapping[str, float]] | None = None,
                     source: str = "") -> ClassroomGame:
    """A simultaneous-move classroom game of ``nf``; ``roles`` rename its players.

    ``outcome(indices)`` names the outcome of a profile of strategy indices
    (default: the strategies joined by " / ").
    """
    roles = tuple(roles or nf.players)
    strategies = tuple(tuple(str(s) for s in labels) for labels in nf.strategies)
    arrays = [np.asarray(np.asarray(a, dtype=object), dtype=float) for a in nf.to_arrays()]
    index = [{s: k for k, s in enumerate(labels)} for labels in strategies]
    name_of = outcome or (lambda idx: _cut(" / ".join(strategies[i][k]
                                                       for i, k in enumerate(idx))))

    def payoffs(moves: Mapping[str, tuple[str | None, str]]) -> tuple[str, dict[str, float]]:
        idx = tuple(index[i][moves[role][1]] for i, role in enumerate(roles))
        return name_of(idx), {role: float(arrays[i][idx]) for i, role in enumerate(roles)}

    game = NormalFormGame.from_arrays(*arrays, players=roles, strategies=strategies)
    if prediction is None:
        prediction = nf_prediction(game, strategies)
    labels = tuple(dict.fromkeys(name_of(idx) for idx in np.ndindex(*arrays[0].shape)))
    return ClassroomGame(
        name=name, title=title, description=description, roles=roles,
        agents=tuple(Agent(role, None, strategies[i]) for i, role in enumerate(roles)),
        params=dict(params or {}), normal_form=game, prediction=prediction,
        outcome_labels=labels, source=source, _payoffs=payoffs)


def nf_prediction(nf: NormalFormGame, labels: tuple[tuple[str, ...], ...]
                  ) -> dict[str, dict[str, float]]:
    """An equilibrium of ``nf`` per player and strategy label.

    With several equilibria, the one selected by the limit of the principal
    logit QRE branch (McKelvey & Palfrey 1995; Turocy 2005), which does not
    depend on the order a solver lists them in; where that branch cannot be
    traced to its end, the solver's first.
    """
    from sim.lab.solve import solve_engine
    from sim.solvers.logit_nash import logit_solve

    try:
        found = [eq.profile for eq in solve_engine(nf).equilibria]
    except GameError:
        found = []  # too large to enumerate: the logit limit alone
    profile = found[0] if len(found) == 1 else None
    if profile is None:
        try:
            profile = logit_solve(nf.as_float()).equilibria[0].profile
        except GameError as exc:
            if not found:
                raise GameError(f"no equilibrium of this game could be computed for the "
                                    f"class's prediction: {exc}") from None
            profile = found[0]  # the branch was not traced to its end
    return {player: {s: float(p) for s, p in zip(labels[i], np.asarray(profile[i], dtype=float),
                                                 strict=True)}
            for i, player in enumerate(nf.players)}



def relabel_tree(tree: ExtensiveFormGame, players: tuple[str, ...] | None = None,
                 actions: Mapping[str, str] | None = None,
                 infosets: Mapping[str, str] | None = None) -> ExtensiveFormGame:
    """The same tree with players renamed and some action and information-set labels replaced."""
    swap = dict(actions or {})
    names = dict(infosets or {})

    def walk(node: Node) -> Node:
        if isinstance(node, Terminal):
            return node
        if isinstance(node, Decision):
            iset = names.get(node.infoset, node.infoset) if node.infoset else None
            return Decision(node.player, tuple((swap.get(a, a), walk(c)) for a, c in node.actions),
                            iset, node.label)
        assert isinstance(node, Chance)
        return Chance(tuple((swap.get(a, a), p, walk(c)) for a, p, c in node.branches),
                      node.label)

    return ExtensiveFormGame(walk(tree.root), players or tree.players, tree.title)


class _Behaviour(Mapping[str, Mapping[str, float]]):
    """The tree's predicted behaviour per agent, solved on first use."""

    def __init__(self, tree: ExtensiveFormGame, keys: Mapping[str, str]) -> None:
        self._tree, self._keys = tree, dict(keys)  # agent key -> information set

    @functools.cached_property
    def _values(self) -> dict[str, dict[str, float]]:
        from sim.solvers.agent_qre import agent_qre_at, agent_qre_limit

        try:
            behaviour = agent_qre_limit(self._tree).behavior
        except GameError:
            # the branch could not be followed to its end: the QRE at the largest of a few
            # precisions that can be reached, close to equilibrium play
            behaviour = {}
            for lam in (200.0, 50.0, 10.0, 1.0):
                try:
                    behaviour = agent_qre_at(self._tree, lam).behavior
                    break
                except GameError:
                    continue
            if not behaviour:
                raise
        return {agent: {a: float(np.round(p, 6)) for a, p in behaviour[iset].items()}
                for agent, iset in self._keys.items()}

    def __getitem__(self, key: str) -> Mapping[str, float]:
        return self._values[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)


def from_tree(tree: ExtensiveFormGame, *, name: str, title: str, description: str,
              params: Mapping[str, float] | None = None, source: str = "") -> ClassroomGame:
    """A classroom game that plays ``tree`` in turn, one agent per information set.

    Raises
    ------
    GameError
        If the tree has fewer than two players, lacks perfect recall, or has
        more than :data:`MAX_CLASS_INFOSETS` information sets.
    """
    from sim.lab.solve import infoset_name

    if tree.n_players < 2:
        raise GameError("a class game needs at least two players")
    if not tree.has_perfect_recall:
        raise GameError("this tree cannot be played in class: a player forgets what they knew")
    if len(tree.infosets) > MAX_CLASS_INFOSETS:
        raise GameError(f"this tree has {len(tree.infosets)} points of decision; a class plays "
                        f"trees with at most {MAX_CLASS_INFOSETS}")
    roles = tuple(tree.players)
    agents, keys = [], {}
    for key, info in tree.infosets.items():
        where = infoset_name(tree, key)
        agent = Agent(roles[info.player], None, tuple(info.actions), infoset=key,
                      where=where)
        agents.append(agent)
        keys[agent.key] = key
    if len(keys) != len(agents):
        raise GameError("two information sets of one player have the same name")
    labels = tuple(dict.fromkeys(_cut(t.label or "/".join(path)) for path, t in tree.terminals()))
    return ClassroomGame(
        name=name, title=title, description=description, roles=roles, agents=tuple(agents),
        params=dict(params or {}), normal_form=None, prediction=_Behaviour(tree, keys),
        outcome_labels=labels, source=source, tree=tree,
        _types={role: chance_types(tree, i) for i, role in enumerate(roles)})


@functools.lru_cache(maxsize=1)
def playable_models() -> dict[str, str]:
    """Registry models whose game a class can play: name to plain title."""
    from sim.models.registry import all_models

    out = {}
    for name, model in all_models().items():
        try:
            game = model.game(model.validate({}))
        except Exception:  # noqa: BLE001 - a model without a finite game at its defaults
            continue
        simultaneous = isinstance(game, NormalFormGame) and len(game.players) == 2
        tree = isinstance(game, ExtensiveFormGame) and len(game.infosets) <= MAX_CLASS_INFOSETS
        if simultaneous or tree:
            out[name] = str(getattr(model, "title", "") or name)
    return out


def model_game(model_name: str, params: Mapping[str, float] | None = None) -> ClassroomGame:
    """The registry model ``model_name``'s game at ``params``, as a classroom game."""
    from sim.models.registry import get_model

    model = get_model(model_name)
    p = model.validate(dict(params or {}))
    game = model.game(p)
    title = str(getattr(model, "title", "") or model_name)
    text = str(getattr(model, "summary", "") or getattr(model, "description", "") or "")
    values = {k: float(v) for k, v in p.items() if isinstance(v, int | float)}
    if isinstance(game, ExtensiveFormGame):
        return from_tree(game, name=model_name, title=title[:120],
                         description=text or _tree_text(game), params=values)
    if isinstance(game, NormalFormGame):
        return from_normal_form(game, name=model_name, title=title[:120],
                                description=text or "Each side chooses at the same time.",
                                params=values)
    raise GameError(f"the model {model_name!r} has no finite game to play in class")


def _tree_text(tree: ExtensiveFormGame) -> str:
    return (f"{' and '.join(tree.players)} move in turn. When it is your move the page says "
            "so and shows what you have seen so far.")
