"""Matching the students who moved in a round, by the session's seeded randomiser."""

from __future__ import annotations

from typing import Any

import numpy as np

from sim.classroom.games import ClassroomGame

__all__ = ["match_round"]


def match_round(game: ClassroomGame, by_role: dict[str, list[Any]], seed: int, round_: int
                ) -> list[dict[str, Any]]:
    """Random matching by the session's seeded randomiser; every mover is scored once.

    Roles with fewer movers reuse partners: a reused partner plays again but is
    scored only in its own match.
    """
    rng = np.random.default_rng([seed, round_])
    shuffled = {role: [by_role[role][i] for i in rng.permutation(len(by_role[role]))]
                for role in game.roles}
    n_matches = max(len(v) for v in shuffled.values())
    out: list[dict[str, Any]] = []
    for m in range(n_matches):
        members = {role: shuffled[role][m % len(shuffled[role])] for role in game.roles}
        label, pay = game.play({role: (p.type, p.action) for role, p in members.items()})
        for role, p in members.items():
            if m >= len(shuffled[role]):
                continue  # reused partner: scored in its own match
            out.append({"player_id": p.player_id, "match": m, "outcome": label,
                        "payoff": pay[role],
                        "partners": {r: q.action for r, q in members.items() if r != role}})
    return out
