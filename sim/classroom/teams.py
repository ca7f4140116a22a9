"""Teams: several students share one role of a group, and the first move sent counts.

A game played by teams (:attr:`~sim.classroom.games.ClassroomGame.teams`)
forms groups of one team per role. With ``n`` students present, there are
``max(1, n // (roles * TEAM_SIZE))`` groups, so teams have about
:data:`TEAM_SIZE` members; each role's students are dealt to the groups in
turn (shuffled by the round's seeded randomiser unless partners are fixed).
A group's member record names the team (``team``: the player ids) and its
first member (``player``), who is also who the record stands for elsewhere.

Any member of the team may send the team's move; the first one sent is played
and the page of every other member shows it. A later move for the same step
is refused with :data:`TAKEN_MESSAGE`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

__all__ = ["TEAM_SIZE", "TEAM_RULE", "TAKEN_MESSAGE", "seat_ids", "deal_teams", "group_count"]

#: The members a team has when the class is large enough.
TEAM_SIZE = 3
#: What a team member's page says about who moves.
TEAM_RULE = "The first move sent for your team counts; your team mates see it."
TAKEN_MESSAGE = ("your team's move has already been sent; the first move sent for your team "
                 "counts")


def seat_ids(member: Mapping[str, Any]) -> list[int]:
    """The player ids sitting in a group's seat: its team, or its one player."""
    team = member.get("team")
    return [int(i) for i in team] if team else [int(member["player"])]


def group_count(n_students: int, n_roles: int) -> int:
    """How many groups a class of ``n_students`` forms, one team per role in each."""
    return max(1, n_students // (n_roles * TEAM_SIZE))


def deal_teams(by_role: Mapping[str, Sequence[int]], n_groups: int, shuffle: bool,
               rng: np.random.Generator) -> list[dict[str, list[int]]]:
    """Each group's team for each role: role's students dealt to the groups in turn.

    Parameters
    ----------
    by_role
        The ids of the students playing each role this round, in join order.
    n_groups
        How many groups to form.
    shuffle
        Whether to shuffle each role's students first (new teams every round).
    rng
        The round's seeded generator.

    Returns
    -------
    list of dict
        One mapping per group, role to the ids of its team (possibly empty).
    """
    out: list[dict[str, list[int]]] = [{role: [] for role in by_role} for _ in range(n_groups)]
    for role, ids in by_role.items():
        order = [int(i) for i in ids]
        if shuffle:
            order = [order[int(k)] for k in rng.permutation(len(order))]
        for k, pid in enumerate(order):
            out[k % n_groups][role].append(pid)
    return out
