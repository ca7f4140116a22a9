"""Rounds of a tree played in turn: groups, moves, timers, in the class database.

Each function runs inside one write transaction of the store (the session's
row is locked), so a move, a timer's default move and a close never
interleave. A round of a tree:

1. **start**: the players present are grouped (:mod:`sim.classroom.matching`'s
   protocols), one computer player taking any empty seat; nature's draws are made
   by the session's seeded randomiser, and each member's private type is what
   its role observes of them (:mod:`sim.classroom.turns`);
2. **moves**: the member whose role moves at the group's node moves; simulated
   students move at once by their policy; a move past the time limit, or of a
   removed student, is the default move, flagged as timed out;
3. **close**: groups that have not reached the end get their default moves, and
   each member is scored with the terminal payoff of their role.

In a game played by teams (:mod:`sim.classroom.teams`) each seat of a group is
a team: any member may make its move, the first one sent is played, and every
member is scored with the role's payoff.

Expired moves are resolved whenever a page or the close touches the session:
no background thread is needed, and resolving twice changes nothing.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Hashable, Sequence
from types import SimpleNamespace
from typing import Any

import numpy as np
import sqlalchemy as sa

from sim.classroom.bots import parse_policy
from sim.classroom.games import ClassroomGame
from sim.classroom.matching import pair_key, pair_round, role_in_round
from sim.classroom.names import name_key
from sim.classroom.schema import groups, moves, players, results, steps
from sim.classroom.teams import TAKEN_MESSAGE, deal_teams, group_count, seat_ids
from sim.classroom.turns import chance_depth, child, draw_nature, settle, type_of, view

__all__ = ["DEFAULT_POLICY", "start_groups", "play_move", "resolve_expired", "finish_round",
           "deadline", "group_row", "seen_sentences", "HOUSE_NAME", "step_count", "own_moves",
           "NO_MOVE"]

#: What a round's summary records for a member who never had to move.
NO_MOVE = "No move"
#: The default move when the instructor set none: the equilibrium.
DEFAULT_POLICY = "nash"
HOUSE_NAME = "Computer player"


def deadline(s: Any, g: Any) -> float | None:
    """When the group's current move falls due (``None``: no limit, or the session is paused)."""
    if s.time_limit is None or s.paused is not None or g.finished is not None:
        return None
    return float(g.turn_started) + float(s.time_limit)


def _rng(s: Any, *key: int) -> np.random.Generator:
    return np.random.default_rng([int(s.seed), *key])


def _house(conn: sa.Connection, s: Any, now: float, hash_: Any) -> int:
    row = conn.execute(sa.select(players.c.id).where(players.c.session_id == s.id,
                                                     players.c.bot.like("house:%"))).first()
    if row is not None:
        return int(row.id)
    count = int(conn.execute(sa.select(sa.func.count()).select_from(players)
                             .where(players.c.session_id == s.id)).scalar_one())
    key = name_key(HOUSE_NAME)
    if conn.execute(sa.select(players.c.id).where(players.c.session_id == s.id,
                                                  players.c.name_key == key)).first():
        key += "#house"
    new = conn.execute(players.insert().values(
        session_id=s.id, ordinal=count, name=HOUSE_NAME, name_key=key,
        token_hash=hash_(secrets.token_urlsafe(16)), role="", type=None, joined=now,
        bot="house:nash")).inserted_primary_key
    assert new is not None
    return int(new[0])


def _history(conn: sa.Connection, s: Any, before: int
             ) -> tuple[dict[frozenset[Hashable], int], dict[int, list[int]]]:
    """How often each pair shared a group before round ``before``; each player's last group."""
    met: dict[frozenset[Hashable], int] = {}
    last: dict[int, list[int]] = {}
    for g in conn.execute(sa.select(groups.c.members).where(
            groups.c.session_id == s.id, groups.c.round < before).order_by(groups.c.round)):
        ids = [i for m in json.loads(g.members) if m.get("bot") is None
               or not str(m["bot"]).startswith("house:") for i in seat_ids(m)]
        for i, a in enumerate(ids):
            last[a] = [b for b in ids if b != a]
            for b in ids[i + 1:]:
                met[pair_key(a, b)] = met.get(pair_key(a, b), 0) + 1
    return met, last


def start_groups(conn: sa.Connection, s: Any, game: ClassroomGame, now: float,
                 hash_: Any) -> int:
    """Form the open round's groups among the players present; returns how many."""
    assert game.tree is not None
    flat = game.tree.flat()
    round_ = int(s.round)
    present = conn.execute(sa.select(players).where(
        players.c.session_id == s.id, players.c.removed.is_(None),
        sa.or_(players.c.bot.is_(None), sa.not_(players.c.bot.like("house:%"))))
        .order_by(players.c.ordinal)).all()
    by_role: dict[str, list[Any]] = {role: [] for role in game.roles}
    for p in present:
        by_role[role_in_round(game.roles, int(p.ordinal), round_, bool(s.rotate))].append(p)
    rows = {int(p.id): p for p in present}
    rng = _rng(s, round_)
    met, last = _history(conn, s, round_)
    anchor = max(game.roles, key=lambda r: len(by_role[r]))
    anchors = [int(p.id) for p in by_role[anchor]]
    seats: dict[str, dict[int, int | None]] = {anchor: {a: a for a in anchors}}
    for role in game.roles:
        if role == anchor:
            continue
        ids = [int(p.id) for p in by_role[role]]
        partner = {a: next((b for b in last.get(a, []) if b in ids), None) for a in anchors}
        pairs = pair_round(s.matching or "random", anchors, ids, met,
                           {a: b for a, b in partner.items() if b is not None}, rng)
        seats[role] = {int(a): (None if b is None else int(b)) for a, b in pairs}  # type: ignore[call-overload]
    order = list(seats[anchor])
    teams: list[dict[str, list[int]]] = []
    if game.teams:
        teams = deal_teams({r: [int(p.id) for p in by_role[r]] for r in game.roles},
                           group_count(len(present), len(game.roles)),
                           (s.matching or "random") != "partners", rng)
        order = list(range(len(teams)))
    house: int | None = None
    depth = chance_depth(flat)
    for k, a in enumerate(order):
        nature = draw_nature(flat, _rng(s, 4_000_037, round_, k))
        node, top = 0, []
        for _ in range(depth):
            top.append(flat.actions[node][nature[node]])
            node = flat.children[node][nature[node]]
        members = []
        for i, role in enumerate(game.roles):
            team = teams[k][role] if teams else []
            pid = (team[0] if team else None) if teams else seats[role].get(a)
            bot: str | None
            if pid is None:
                house = house if house is not None else _house(conn, s, now, hash_)
                pid, bot = house, "house:nash"
            elif team:
                # a team moves by itself only when every member is a simulated student
                bots = [rows[t].bot for t in team]
                bot = bots[0] if all(b is not None for b in bots) else None
            else:
                bot = rows[pid].bot
            member = {"role": role, "player": pid, "type": type_of(flat, i, top), "bot": bot}
            if team:
                member["team"] = team
            members.append(member)
        conn.execute(groups.insert().values(
            session_id=s.id, round=round_, grp=k, members=json.dumps(members),
            nature=json.dumps({str(n): b for n, b in nature.items()}),
            node=settle(flat, 0, nature), turn_started=now))
        _advance(conn, s, game, _group(conn, s.id, round_, k), now, step=0)
    return len(order)


def _group(conn: sa.Connection, session_id: int, round_: int, grp: int) -> Any:
    return conn.execute(sa.select(groups).where(
        groups.c.session_id == session_id, groups.c.round == round_,
        groups.c.grp == grp)).one()


def _seated(player_id: int) -> sa.ColumnElement[bool]:
    """Groups whose members' JSON may seat ``player_id``, as ``json.dumps`` writes it:
    ``"player": 12,`` or 12 in a team's list. A superset, checked exactly after."""
    text = groups.c.members
    return sa.or_(*(text.contains(f"{a}{player_id}{b}", autoescape=True)
                    for a in (" ", "[") for b in (",", "]")))


def group_row(conn: sa.Connection, session_id: int, round_: int, player_id: int) -> Any:
    """The group of ``player_id`` in round ``round_`` (``None`` if it has none)."""
    for g in conn.execute(sa.select(groups).where(groups.c.session_id == session_id,
                                                  groups.c.round == round_,
                                                  _seated(player_id))
                          .order_by(groups.c.grp)):
        if any(player_id in seat_ids(m) for m in json.loads(g.members)):
            return g
    return None


def _nature(g: Any) -> dict[int, int]:
    return {int(k): int(v) for k, v in json.loads(g.nature).items()}


def step_count(conn: sa.Connection, g: Any) -> int:
    return int(conn.execute(sa.select(sa.func.count()).select_from(steps).where(
        steps.c.session_id == g.session_id, steps.c.round == g.round,
        steps.c.grp == g.grp)).scalar_one())


def _record(conn: sa.Connection, s: Any, game: ClassroomGame, g: Any, step: int, action: str,
            now: float, timed_out: bool, player_id: int | None = None) -> Any:
    """Play ``action`` as move ``step`` at the group's node and move on to the next decision
    (or the end); returns the group as it now is."""
    assert game.tree is not None
    flat = game.tree.flat()
    node = int(g.node)
    member = json.loads(g.members)[flat.player[node]]
    start = float(g.turn_started)
    conn.execute(steps.insert().values(
        session_id=s.id, round=g.round, grp=g.grp, step=step,
        player_id=int(member["player"]) if player_id is None else int(player_id),
        role=member["role"], type=member["type"],
        infoset=flat.infoset[node], action=action, submitted=now,
        taken=max(0.0, now - start), timed_out=timed_out))
    nxt = settle(flat, child(flat, node, action), _nature(g))
    values: dict[str, Any] = {"node": nxt, "turn_started": now}
    if flat.kind[nxt] == "t":
        terminal = game.tree.flat().nodes[nxt]
        label = getattr(terminal, "label", "") or "/".join(flat.path[nxt])
        values.update(finished=now, outcome=label[:64],
                      payoffs=json.dumps([float(x) for x in flat.payoffs[nxt]]))
    conn.execute(groups.update().where(groups.c.session_id == s.id,
                                       groups.c.round == g.round, groups.c.grp == g.grp)
                 .values(**values))
    now_row = vars(g) if isinstance(g, SimpleNamespace) else dict(g._mapping)
    return SimpleNamespace(**{**now_row, **values})


def _default(s: Any, game: ClassroomGame, g: Any, infoset: str, step: int,
             policy: str | None = None) -> str:
    text = policy or s.default_move or DEFAULT_POLICY
    member = json.loads(g.members)
    assert game.tree is not None
    role = member[game.tree.flat().player[int(g.node)]]
    rng = _rng(s, 3_000_017, int(g.round), int(g.grp), step)
    return parse_policy(text, game).choose(game, role["role"], role["type"], rng, infoset)


def _advance(conn: sa.Connection, s: Any, game: ClassroomGame, g: Any, now: float,
             force: bool = False, step: int | None = None) -> int:
    """Play the moves no student needs to make: simulated students' and expired ones.

    ``step`` is the number of moves already made in the group, when the caller
    knows it; returns the number after.
    """
    assert game.tree is not None
    flat = game.tree.flat()
    step = step_count(conn, g) if step is None else step
    for _ in range(len(flat)):
        if g.finished is not None:
            return step
        node = int(g.node)
        member = json.loads(g.members)[flat.player[node]]
        infoset = flat.infoset[node]
        assert infoset is not None
        due = deadline(s, g)
        if member["bot"] is not None:
            policy = "nash" if str(member["bot"]).startswith("house:") else member["bot"]
            g = _record(conn, s, game, g, step, _default(s, game, g, infoset, step, policy),
                        now, False)
        elif force or (due is not None and now >= due) or _all_removed(conn, member):
            g = _record(conn, s, game, g, step, _default(s, game, g, infoset, step), now, True)
        else:
            return step
        step += 1
    return step


def _all_removed(conn: sa.Connection, member: Any) -> bool:
    """Whether the instructor removed every student in a seat."""
    ids = seat_ids(member)
    gone = conn.execute(sa.select(sa.func.count()).select_from(players).where(
        players.c.id.in_(ids), players.c.removed.is_not(None))).scalar_one()
    return int(gone) == len(ids)


def play_move(conn: sa.Connection, s: Any, game: ClassroomGame, p: Any, action: str,
              step: int | None, now: float) -> None:
    """Student ``p`` plays ``action`` at their group's node, if it is their move."""
    from sim.classroom.store import ClassroomError

    if s.started is None:
        raise ClassroomError(f"round {s.round} has not started yet; wait for the instructor")
    if s.paused is not None:
        raise ClassroomError("the game is paused; wait for the instructor")
    g = group_row(conn, s.id, int(s.round), int(p.id))
    if g is None:
        raise ClassroomError("you joined after this round started; you play from the next one")
    if resolve_expired(conn, s, game, now, only=g):
        g = _group(conn, s.id, int(s.round), int(g.grp))
    done = step_count(conn, g)
    assert game.tree is not None
    flat = game.tree.flat()
    if step is not None and int(step) != done:
        if game.teams and _moved_for_team(conn, g, int(step), int(p.id)):
            raise ClassroomError(TAKEN_MESSAGE)
        raise ClassroomError("that move has already been played; the page shows the game now")
    if g.finished is not None:
        raise ClassroomError("your group's game is over for this round")
    member = json.loads(g.members)[flat.player[int(g.node)]]
    if int(p.id) not in seat_ids(member):
        raise ClassroomError(f"it is not your move; {member['role']} moves now")
    allowed = flat.actions[int(g.node)]
    if action not in allowed:
        raise ClassroomError(f"choose one of: {', '.join(allowed)}")
    g = _record(conn, s, game, g, done, action, now, False, player_id=int(p.id))
    _advance(conn, s, game, g, now, step=done + 1)


def _moved_for_team(conn: sa.Connection, g: Any, step: int, player_id: int) -> bool:
    """Whether step ``step`` of the group was a move of ``player_id``'s team by a team mate."""
    row = conn.execute(sa.select(steps.c.role, steps.c.player_id).where(
        steps.c.session_id == g.session_id, steps.c.round == g.round, steps.c.grp == g.grp,
        steps.c.step == step)).first()
    if row is None:
        return False
    return any(m["role"] == row.role and player_id in seat_ids(m) for m in json.loads(g.members))


def resolve_expired(conn: sa.Connection, s: Any, game: ClassroomGame, now: float,
                    force: bool = False, only: Any = None, removed: bool = False) -> int:
    """Play the default move of every move past its time limit; returns the groups touched."""
    if s.started is None:
        return 0
    rows = [only] if only is not None else conn.execute(sa.select(groups).where(
        groups.c.session_id == s.id, groups.c.round == s.round,
        groups.c.finished.is_(None))).all()
    touched = 0
    for g in rows:
        due = deadline(s, g)
        if force or removed or (due is not None and now >= due):
            before = step_count(conn, g)
            touched += _advance(conn, s, game, g, now, force=force, step=before) != before
    return touched


def finish_round(conn: sa.Connection, s: Any, game: ClassroomGame, now: float) -> None:
    """Default moves for every unfinished group, then score every member of every group."""
    resolve_expired(conn, s, game, now, force=True)
    round_ = int(s.round)
    conn.execute(results.delete().where(results.c.session_id == s.id,
                                        results.c.round == round_))
    conn.execute(moves.delete().where(moves.c.session_id == s.id, moves.c.round == round_))
    out, summary = [], []
    seen: set[int] = set()  # the computer player may sit in several seats: scored once
    for g in conn.execute(sa.select(groups).where(groups.c.session_id == s.id,
                                                  groups.c.round == round_)
                          .order_by(groups.c.grp)).all():
        members = json.loads(g.members)
        pays = json.loads(g.payoffs)
        acts: dict[str, list[str]] = {}
        taken: dict[str, float] = {}
        late: dict[str, bool] = {}
        for r in conn.execute(sa.select(steps).where(
                steps.c.session_id == s.id, steps.c.round == round_, steps.c.grp == g.grp)
                .order_by(steps.c.step)):
            acts.setdefault(r.role, []).append(r.action)
            taken[r.role] = taken.get(r.role, 0.0) + float(r.taken)
            late[r.role] = late.get(r.role, False) or bool(r.timed_out)
        seats = [(i, m, pid) for i, m in enumerate(members) for pid in seat_ids(m)]
        for i, m, pid in seats:
            if pid in seen:
                continue
            seen.add(pid)
            role = m["role"]
            # one summary row per member and round: the moves it made, in order
            summary.append({"session_id": s.id, "round": round_, "player_id": pid,
                            "action": ", ".join(acts.get(role, [])) or NO_MOVE,
                            "submitted": now, "role": role, "type": m["type"],
                            "taken": round(taken.get(role, 0.0), 3),
                            "timed_out": late.get(role, False)})
            others = [o for o in members if o["role"] != role and pid not in seat_ids(o)]
            out.append({"session_id": s.id, "round": round_, "player_id": pid,
                        "match": int(g.grp), "outcome": g.outcome, "payoff": float(pays[i]),
                        "partners": json.dumps({o["role"]: ", ".join(acts.get(o["role"], []))
                                                or NO_MOVE for o in others}, sort_keys=True),
                        "closed": now,
                        "opponent": int(others[0]["player"]) if others else None})
    if out:
        conn.execute(moves.insert(), summary)
        conn.execute(results.insert(), out)


def seen_sentences(game: ClassroomGame, g: Any, role_index: int) -> tuple[str, ...]:
    """What the member in ``role_index`` has seen of the path so far, in plain sentences."""
    assert game.tree is not None
    flat = game.tree.flat()
    node = int(g.node)
    members = json.loads(g.members)
    me = members[role_index]
    out = []
    if me["type"] is not None:
        out.append(f"Your private type: {me['type']}.")
    if flat.kind[node] == "d" and flat.player[node] == role_index:
        for step in view(flat, node, game.roles):
            if step.chance:
                continue  # nature's moves a role sees are its type, said above
            if step.mover == me["role"]:
                out.append(f"{'Your team' if me.get('team') else 'You'} chose {step.action}.")
            elif step.seen:
                out.append(f"{step.mover} chose {step.action}.")
            else:
                out.append(f"{step.mover} moved; you did not see the move.")
        return tuple(out)
    # not this member's move: only its own past moves and what it saw when it last moved
    return tuple(out)


def own_moves(conn: sa.Connection, g: Any, player_id: int) -> tuple[Sequence[str], int]:
    """The moves ``player_id`` made in group ``g`` (in a team, every move of its team), and
    how many moves the group has made in all: one read of the group's steps."""
    member = next((m for m in json.loads(g.members) if player_id in seat_ids(m)), None)
    team_role = member["role"] if member is not None and member.get("team") else None
    made = conn.execute(sa.select(steps.c.player_id, steps.c.role, steps.c.action).where(
        steps.c.session_id == g.session_id, steps.c.round == g.round,
        steps.c.grp == g.grp).order_by(steps.c.step)).all()
    mine = [r.action for r in made
            if (r.role == team_role if team_role is not None else r.player_id == player_id)]
    return mine, len(made)
