"""What a student is told: their payoffs, the prior over private types, and each round's debrief.

Pure functions of a :class:`~sim.classroom.games.ClassroomGame`; the pages
only lay them out. Payoff cells read "yours / theirs".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from sim.classroom.games import ClassroomGame

__all__ = ["PayoffTable", "payoff_tables", "prior_sentences", "round_debrief", "other_role"]


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


def payoff_tables(game: ClassroomGame, role: str, type_: str | None) -> list[PayoffTable]:
    """The student's payoff tables, one per private type the opponent may have."""
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
    key = game.agent(role, type_).key
    share = game.prediction.get(key, {}).get(action)
    told = (f" In equilibrium, {key} chooses {action} with probability {share:.2f}."
            if share is not None else "")
    return (f"Round {round_}: you chose {action}; {others}. Outcome: {outcome}. "
            f"Your payoff: {_fmt(payoff)}.{told}")
