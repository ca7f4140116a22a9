"""The tables of the class database, and the additive upgrade of an older database.

Secrets (instructor, recovery, student and device tokens) are stored only as
SHA-256 hashes. ``cs_players.name_key`` is the collision key of a display name
(:func:`sim.classroom.names.name_key`), unique within a session.
``cs_results.partners`` records, as JSON, the moves of the others in a match
(role to action), so each student learns the opponent's move, and ``closed``
when its round closed, and ``opponent`` the player met.
``cs_sessions`` records the number of rounds (``None``: open-ended), the
matching protocol, whether roles rotate, whether a computer player fills the gap of an odd class,
when the current round opened, and ``lab`` the JSON form of a game-lab game it plays
(``game`` is then ``"lab"`` and ``params`` its parameter values);
``cs_moves`` the role and type a move was made in and its time taken;
``cs_players.bot`` the policy of a simulated student (``None`` for a person).
``cs_join_failures`` counts failed join attempts per client for the back-off.

A tree is played in turn by groups (:mod:`sim.classroom.turn_rounds`):
``cs_groups`` holds each group of a round, its members (role, player, private
type, bot policy) as JSON, nature's draws, the node it has reached, when the
current move became due and, once it reached the end of the tree, its outcome
and payoffs; ``cs_steps`` every move made in it, with the information set it
was made at and whether it was the default move of a timer. ``cs_sessions``
records when the current round's groups were formed (``started``), a pause,
the time limit of a move and the default move's policy; ``cs_players.removed``
when the instructor removed a student; ``cs_moves.timed_out`` a simultaneous
move played by default at the time limit.
"""

from __future__ import annotations

import json
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from sim.classroom.names import MAX_NAME, name_key

__all__ = ["metadata", "sessions", "players", "moves", "results", "join_failures",
           "groups", "steps", "create_or_upgrade"]

metadata = sa.MetaData()
sessions = sa.Table(
    "cs_sessions", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("code", sa.String(16), nullable=False, unique=True),
    sa.Column("instructor_hash", sa.String(64), nullable=False),
    sa.Column("game", sa.String(32), nullable=False),
    sa.Column("params", sa.Text, nullable=False),
    sa.Column("seed", sa.BigInteger, nullable=False),
    sa.Column("round", sa.Integer, nullable=False, default=1),
    sa.Column("round_open", sa.Boolean, nullable=False, default=True),
    sa.Column("created", sa.Float, nullable=False),
    sa.Column("recovery_hash", sa.String(64), nullable=True),
    sa.Column("last_active", sa.Float, nullable=True),
    sa.Column("ended", sa.Float, nullable=True),
    sa.Column("rounds", sa.Integer, nullable=True),
    sa.Column("matching", sa.String(16), nullable=True),
    sa.Column("rotate", sa.Boolean, nullable=True),
    sa.Column("round_opened", sa.Float, nullable=True),
    sa.Column("fill_gap", sa.Boolean, nullable=True),
    sa.Column("lab", sa.Text, nullable=True),
    sa.Column("started", sa.Float, nullable=True),
    sa.Column("paused", sa.Float, nullable=True),
    sa.Column("time_limit", sa.Float, nullable=True),
    sa.Column("default_move", sa.String(64), nullable=True),
)
players = sa.Table(
    "cs_players", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("session_id", sa.Integer, sa.ForeignKey("cs_sessions.id"), nullable=False),
    sa.Column("ordinal", sa.Integer, nullable=False),
    sa.Column("name", sa.String(MAX_NAME * 4), nullable=False),
    sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("role", sa.String(64), nullable=False),
    sa.Column("type", sa.String(64), nullable=True),
    sa.Column("joined", sa.Float, nullable=False),
    sa.Column("name_key", sa.String(MAX_NAME * 8), nullable=True),
    sa.Column("device_hash", sa.String(64), nullable=True),
    sa.Column("bot", sa.String(64), nullable=True),
    sa.Column("removed", sa.Float, nullable=True),
    sa.UniqueConstraint("session_id", "ordinal"),
)
sa.Index("ix_cs_players_name_key", players.c.session_id, players.c.name_key, unique=True)
moves = sa.Table(
    "cs_moves", metadata,
    sa.Column("session_id", sa.Integer, sa.ForeignKey("cs_sessions.id"), primary_key=True),
    sa.Column("round", sa.Integer, primary_key=True),
    sa.Column("player_id", sa.Integer, sa.ForeignKey("cs_players.id"), primary_key=True),
    sa.Column("action", sa.String(128), nullable=False),
    sa.Column("submitted", sa.Float, nullable=False),
    sa.Column("role", sa.String(64), nullable=True),
    sa.Column("type", sa.String(64), nullable=True),
    sa.Column("taken", sa.Float, nullable=True),
    sa.Column("timed_out", sa.Boolean, nullable=True),
)
results = sa.Table(
    "cs_results", metadata,
    sa.Column("session_id", sa.Integer, sa.ForeignKey("cs_sessions.id"), primary_key=True),
    sa.Column("round", sa.Integer, primary_key=True),
    sa.Column("player_id", sa.Integer, sa.ForeignKey("cs_players.id"), primary_key=True),
    sa.Column("match", sa.Integer, nullable=False),
    sa.Column("outcome", sa.String(64), nullable=False),
    sa.Column("payoff", sa.Float, nullable=False),
    sa.Column("partners", sa.Text, nullable=True),
    sa.Column("closed", sa.Float, nullable=True),
    sa.Column("opponent", sa.Integer, nullable=True),
)


def _group_key() -> list[sa.Column[int]]:
    """The key of a group of a round: session, round, group number (from 0)."""
    return [sa.Column("session_id", sa.Integer, sa.ForeignKey("cs_sessions.id"),
                      primary_key=True),
            sa.Column("round", sa.Integer, primary_key=True),
            sa.Column("grp", sa.Integer, primary_key=True)]


groups = sa.Table(
    "cs_groups", metadata, *_group_key(),
    sa.Column("members", sa.Text, nullable=False),
    sa.Column("nature", sa.Text, nullable=False),
    sa.Column("node", sa.Integer, nullable=False),
    sa.Column("turn_started", sa.Float, nullable=False),
    sa.Column("finished", sa.Float, nullable=True),
    sa.Column("outcome", sa.String(64), nullable=True),
    sa.Column("payoffs", sa.Text, nullable=True),
)
steps = sa.Table(
    "cs_steps", metadata, *_group_key(),
    sa.Column("step", sa.Integer, primary_key=True),
    sa.Column("player_id", sa.Integer, sa.ForeignKey("cs_players.id"), nullable=False),
    sa.Column("role", sa.String(64), nullable=False),
    sa.Column("type", sa.String(64), nullable=True),
    sa.Column("infoset", sa.Text, nullable=False),  # a long history names it
    sa.Column("action", sa.String(128), nullable=False),
    sa.Column("submitted", sa.Float, nullable=False),
    sa.Column("taken", sa.Float, nullable=False),
    sa.Column("timed_out", sa.Boolean, nullable=False),
)
sa.Index("ix_cs_steps_player", steps.c.session_id, steps.c.player_id)
join_failures = sa.Table(
    "cs_join_failures", metadata,
    sa.Column("client", sa.String(128), primary_key=True),
    sa.Column("failures", sa.Integer, nullable=False),
    sa.Column("last", sa.Float, nullable=False),
    sa.Column("locked_until", sa.Float, nullable=False),
)

#: Columns added since the first release, all nullable: an older database gains them.
_ADDED = {"cs_sessions": ("recovery_hash", "last_active", "ended", "rounds", "matching",
                          "rotate", "round_opened", "fill_gap", "lab", "started", "paused",
                          "time_limit", "default_move"),
          "cs_players": ("name_key", "device_hash", "bot", "removed"),
          "cs_moves": ("role", "type", "taken", "timed_out"),
          "cs_results": ("partners", "closed", "opponent")}
sa.Index("ix_cs_sessions_instructor", sessions.c.instructor_hash)


#: Columns that were of bounded length once and are unbounded text now.
_WIDENED = {"cs_steps": ("infoset",)}


def _widen(engine: Engine, inspector: Any, existing: set[str]) -> None:
    """Make the columns of :data:`_WIDENED` text in an older database (PostgreSQL enforces
    a length; SQLite never does)."""
    if engine.dialect.name != "postgresql":
        return
    for table, columns in _WIDENED.items():
        if table not in existing:
            continue
        kinds = {c["name"]: c["type"] for c in inspector.get_columns(table)}
        for name in columns:
            if getattr(kinds.get(name), "length", None) is not None:
                with engine.begin() as conn:
                    conn.execute(sa.text(f'ALTER TABLE {table} ALTER COLUMN "{name}" TYPE TEXT'))


#: Role names the built-in games used before they spoke in the scenario's actor names:
#: game, old name, and the index of the role that now holds it.
_OLD_ROLES = (("chicken", "West", 1), ("threat", "West", 1))


def _rename_old_roles(engine: Engine) -> None:
    """Give the players, moves and groups of an older database's built-in games their
    roles' current names, so that a session open across an upgrade plays on."""
    for game, old, index in _OLD_ROLES:
        ids = sa.select(sessions.c.id).where(sessions.c.game == game).scalar_subquery()
        with engine.begin() as conn:
            found = conn.execute(sa.select(sa.func.count()).select_from(players).where(
                players.c.session_id.in_(ids), players.c.role == old)).scalar()
            if not found:
                continue
            from sim.classroom.games import make_game

            new = make_game(game).roles[index]
            for table in (players, moves, steps):
                conn.execute(table.update().where(table.c.session_id.in_(ids),
                                                  table.c.role == old).values(role=new))
            for g in conn.execute(sa.select(groups.c.session_id, groups.c.round, groups.c.grp,
                                            groups.c.members)
                                  .where(groups.c.session_id.in_(ids))).all():
                members = json.loads(g.members)
                for m in members:
                    m["role"] = new if m.get("role") == old else m.get("role")
                conn.execute(groups.update().where(
                    groups.c.session_id == g.session_id, groups.c.round == g.round,
                    groups.c.grp == g.grp).values(members=json.dumps(members)))


def create_or_upgrade(engine: Engine) -> None:
    """Create missing tables; add missing columns to an older database and fill name keys."""
    inspector = sa.inspect(engine)
    existing = set(inspector.get_table_names())
    missing: dict[str, list[str]] = {}
    for table, columns in _ADDED.items():
        if table in existing:
            have = {c["name"] for c in inspector.get_columns(table)}
            missing[table] = [c for c in columns if c not in have]
    if any(missing.values()):
        with engine.begin() as conn:
            for table, names in missing.items():
                for name in names:
                    col = metadata.tables[table].c[name]
                    kind = col.type.compile(dialect=engine.dialect)
                    conn.execute(sa.text(f'ALTER TABLE {table} ADD COLUMN "{name}" {kind}'))
            if "name_key" in missing.get("cs_players", []):
                seen: set[tuple[int, str]] = set()
                for pid, sid, name in conn.execute(sa.select(
                        players.c.id, players.c.session_id, players.c.name)
                        .order_by(players.c.id)).all():
                    key = name_key(name)
                    # names that collided before keys existed keep distinct keys
                    key = key if (sid, key) not in seen else f"{key}#{pid}"
                    seen.add((sid, key))
                    conn.execute(players.update().where(players.c.id == pid)
                                 .values(name_key=key))
    metadata.create_all(engine)
    _widen(engine, inspector, existing)
    _rename_old_roles(engine)
    for each in metadata.tables.values():
        for index in each.indexes:
            index.create(engine, checkfirst=True)
