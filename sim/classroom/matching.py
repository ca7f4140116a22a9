"""Who meets whom in a round, and who plays which role: the matching protocols of a class.

Three protocols, as in experimental economics (Fischbacher 2007; Chen, Schonger &
Wickens 2016, oTree's ``group_randomly`` and fixed groups):

* ``random``: each round a fresh random matching;
* ``partners``: the same partner every round (new arrivals are paired among
  themselves);
* ``strangers``: perfect strangers, no pair meets twice while that can be
  avoided: each round's matching is a minimum-cost assignment in which a pair
  costs the number of times it has met, ties broken by the session's seeded
  randomiser (Kuhn 1955 via scipy's ``linear_sum_assignment``).

Roles are fixed (round-robin in join order) or rotate every round. The pairing
functions take plain ids and a numpy ``Generator``, so any game with roles can
reuse them; :func:`match_round` scores the pairs with a classroom game.

References
----------
Fischbacher, U. (2007). z-Tree: Zurich toolbox for ready-made economic
experiments. *Experimental Economics* 10(2): 171–178.
Chen, D. L., Schonger, M., & Wickens, C. (2016). oTree: An open-source platform
for laboratory, online, and field experiments. *J. Behav. Exp. Finance* 9: 88–97.
Kuhn, H. W. (1955). The Hungarian method for the assignment problem. *Naval
Research Logistics Quarterly* 2: 83–97.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from typing import Any

import numpy as np
from scipy.optimize import linear_sum_assignment

from sim.classroom.games import ClassroomGame

__all__ = ["PROTOCOLS", "PROTOCOL_LABELS", "check_protocol", "role_in_round", "pair_round",
           "match_round", "pair_key"]

PROTOCOLS = ("random", "partners", "strangers")
#: Plain-English names of the protocols, for pages.
PROTOCOL_LABELS = {"random": "Random rematching every round",
                   "partners": "Fixed partners",
                   "strangers": "Perfect strangers (no pair meets twice)"}


def check_protocol(protocol: str) -> str:
    if protocol not in PROTOCOLS:
        raise ValueError(f"unknown matching {protocol!r}; choose {', '.join(PROTOCOLS)}")
    return protocol


def role_in_round(roles: Sequence[str], ordinal: int, round_: int, rotate: bool) -> str:
    """The role of the student who joined ``ordinal``-th (from 0) in round ``round_`` (from 1)."""
    shift = (round_ - 1) if rotate else 0
    return roles[(ordinal + shift) % len(roles)]


def pair_key(a: Hashable, b: Hashable) -> frozenset[Hashable]:
    return frozenset((a, b))


def pair_round(protocol: str, first: Sequence[Hashable], second: Sequence[Hashable],
               met: Mapping[frozenset[Hashable], int], partner: Mapping[Hashable, Hashable],
               rng: np.random.Generator) -> list[tuple[Hashable, Hashable | None]]:
    """Pair the ids of one role with those of the other.

    Parameters
    ----------
    protocol
        ``random``, ``partners`` or ``strangers``.
    first, second
        The ids playing each of the two roles this round.
    met
        How often each unordered pair has met before.
    partner
        Each id's fixed partner, where it has one (``partners`` only).
    rng
        The session's seeded generator for this round.

    Returns
    -------
    list of (first id, second id or None)
        Every id of ``first`` once; an id of ``second`` appears at most once.
        ``None`` where ``second`` ran out (the caller reuses a partner).
    """
    check_protocol(protocol)
    a = [first[i] for i in rng.permutation(len(first))]
    b = [second[i] for i in rng.permutation(len(second))]
    if protocol == "random":
        return [(x, b[i] if i < len(b) else None) for i, x in enumerate(a)]
    if protocol == "partners":
        taken = set(b)
        out: list[tuple[Hashable, Hashable | None]] = []
        free_a, used = [], set()
        for x in a:
            y = partner.get(x)
            if y is not None and y in taken and y not in used:
                out.append((x, y))
                used.add(y)
            else:
                free_a.append(x)
        # students without a partner here: new pairs, preferring those without one at all
        free_b = sorted((y for y in b if y not in used), key=lambda y: y in partner)
        free_a.sort(key=lambda x: x in partner)
        out.extend((x, free_b[i] if i < len(free_b) else None) for i, x in enumerate(free_a))
        return out
    if not a or not b:
        return [(x, None) for x in a]
    cost = np.array([[met.get(pair_key(x, y), 0) for y in b] for x in a], dtype=float)
    rows, cols = linear_sum_assignment(cost)
    chosen = dict(zip(rows.tolist(), cols.tolist(), strict=True))
    return [(x, b[chosen[i]] if i in chosen else None) for i, x in enumerate(a)]


def match_round(game: ClassroomGame, by_role: dict[str, list[Any]], seed: int, round_: int,
                protocol: str = "random",
                met: Mapping[frozenset[Hashable], int] | None = None,
                partner: Mapping[Hashable, Hashable] | None = None) -> list[dict[str, Any]]:
    """Match and score the movers of one round; every mover is scored once.

    ``by_role`` maps each role to its movers (rows with ``player_id``, ``type`` and
    ``action``). With two roles the pairs follow ``protocol``; the role with more
    movers is paired first, and the shorter one reuses partners: a reused
    partner plays again but is scored only in its own match.
    """
    rng = np.random.default_rng([seed, round_])
    roles = game.roles
    if len(roles) != 2:  # pragma: no cover - the class games have two roles
        raise ValueError("matching needs a game with two roles")
    big, small = sorted(roles, key=lambda r: -len(by_role[r]))
    rows = {p.player_id: p for ps in by_role.values() for p in ps}
    pairs = pair_round(protocol, [p.player_id for p in by_role[big]],
                       [p.player_id for p in by_role[small]], met or {}, partner or {}, rng)
    spare = [p.player_id for p in by_role[small]]
    out: list[dict[str, Any]] = []
    for m, (x, y) in enumerate(pairs):
        reused = y is None
        if reused:
            y = spare[int(rng.integers(len(spare)))]
        members = {big: rows[x], small: rows[y]}
        label, pay = game.play({role: (p.type, p.action) for role, p in members.items()})
        for role, p in members.items():
            if role == small and reused:
                continue  # reused partner: scored in its own match
            other = members[small if role == big else big]
            out.append({"player_id": p.player_id, "match": m, "outcome": label,
                        "payoff": pay[role], "role": role, "opponent": other.player_id,
                        "partners": {r: q.action for r, q in members.items() if r != role}})
    return out
