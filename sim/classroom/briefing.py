"""What a student is told: their payoffs, the prior over private types, and each round's debrief.

Pure functions of a :class:`~sim.classroom.games.ClassroomGame`; the pages
only lay them out. Payoff cells read "yours / theirs".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from sim.classroom.games import ClassroomGame

__all__ = ["PayoffTable", "payoff_tables", "tree_table", "MAX_TREE_ROWS", "prior_sentences",
           "round_debrief", "other_role"]


@dataclass(frozen=True)
class PayoffTable:
    """One payoff table: the student's actions against the opponent's (the longer list as rows).

    Cells read "yours / theirs" whichever way the table is turned.
    """

    title: str
    table: pd.DataFrame


def other_role(game: ClassroomGame, role: str) -> str:
    """The opponent's role in a two-role game."""
    others = [r for r in game.roles if r != role]
    if len(others) != 1:
        raise ValueError("payoff tables are drawn for two-role games")
    return others[0]


def _fmt(x: float) -> str:
    return f"{x:.2f}".replace("-", "−")


#: The most ways a tree may end for its payoff list to be shown on a phone.
MAX_TREE_ROWS = 40


def tree_table(game: ClassroomGame, role: str, type_: str | None) -> PayoffTable | None:
    """Every way a tree can end that the student's type allows, with the payoffs.

    Rows read the moves in order ("Russia: Demand → United States: Resist"), nature's
    moves included where they are not the student's own type; ``None`` when
    the tree has more than :data:`MAX_TREE_ROWS` ends.
    """
    from sim.classroom.turns import observed_steps

    tree = game.tree
    assert tree is not None
    flat = tree.flat()
    me = game.roles.index(role)
    mine = observed_steps(flat, me)
    rows: dict[str, list[str]] = {"How it ends": [], "Outcome": []}
    cols = [f"{'You' if i == me else r}" for i, r in enumerate(game.roles)]
    for c in cols:
        rows[f"Payoff: {c}"] = []
    wanted = [t.strip() for t in type_.split(",")] if type_ else []
    for i, kind in enumerate(flat.kind):
        if kind != "t":
            continue
        path = flat.path[i]
        if any(path[k] != wanted[n] for n, k in enumerate(mine) if n < len(wanted)):
            continue  # an end another type of this role would reach
        parts, node = [], 0
        for k, action in enumerate(path):
            who = ("Nature" if flat.kind[node] == "c" else
                   "You" if flat.player[node] == me else game.roles[flat.player[node]])
            if not (flat.kind[node] == "c" and k in mine):
                parts.append(f"{who}: {action}")
            node = flat.children[node][flat.actions[node].index(action)]
        rows["How it ends"].append(" → ".join(parts))
        rows["Outcome"].append(getattr(flat.nodes[i], "label", "") or "End")
        for c, v in zip(cols, flat.payoffs[i], strict=True):
            rows[f"Payoff: {c}"].append(_fmt(float(v)))
        if len(rows["Outcome"]) > MAX_TREE_ROWS:
            return None
    title = (f"How the game can end, as {role} ({type_})" if type_
             else f"How the game can end, as {role}")
    return PayoffTable(title, pd.DataFrame(rows))


def payoff_tables(game: ClassroomGame, role: str, type_: str | None) -> list[PayoffTable]:
    """The student's payoff tables, one per private type the opponent may have.

    For a tree, one table of the ways the game can end (:func:`tree_table`).
    """
    if game.tree is not None:
        table = tree_table(game, role, type_)
        return [] if table is None else [table]
    mine = game.agent(role, type_)
    opp = other_role(game, role)
    tables = []
    for agent in (a for a in game.agents if a.role == opp):
        cells = {}
        for theirs in agent.actions:
            column = []
            for action in mine.actions:
                _, pay = game.play({role: (type_, action), opp: (agent.type, theirs)})
                column.append(f"{_fmt(pay[role])} / {_fmt(pay[opp])}")
            cells[f"{opp}: {theirs}"] = column
        frame = pd.DataFrame(cells, index=pd.Index([f"You: {a}" for a in mine.actions],
                                                    name=f"You ({role})"))
        if len(agent.actions) > len(mine.actions):
            frame = frame.T  # the longer list down the side: narrow enough for a phone
            frame.index.name = opp
        title = (f"If {opp} is {agent.type} (probability {agent.prior:.2f})"
                 if agent.type is not None else f"Against {opp}")
        tables.append(PayoffTable(title, frame))
    return tables


def prior_sentences(game: ClassroomGame) -> list[str]:
    """Plain sentences stating the prior over each role's private types."""
    out = []
    for role in game.roles:
        types = game.types_of(role)
        if len(types) > 1:
            parts = [f"{t} with probability {p:.2f}" for t, p in types]
            out.append(f"{role} is {' or '.join(parts)}. Only the {role} player knows which.")
    return out


def round_debrief(game: ClassroomGame, role: str, type_: str | None, round_: int, action: str,
                  partners: Mapping[str, str], outcome: str, payoff: float) -> str:
    """A short debrief of one closed round, for the student's phone."""
    others = "; ".join(f"{r} chose {a}" for r, a in partners.items()) or "no opponent moved"
    if game.tree is not None:
        return (f"Round {round_}: you chose {action}; {others}. Outcome: {outcome}. "
                f"Your payoff: {_fmt(payoff)}.")
    key = game.agent(role, type_).key
    share = game.prediction.get(key, {}).get(action)
    told = (f" In equilibrium, {key} chooses {action} with probability {share:.2f}."
            if share is not None else "")
    return (f"Round {round_}: you chose {action}; {others}. Outcome: {outcome}. "
            f"Your payoff: {_fmt(payoff)}.{told}")
