"""Durable class sessions: SQLite by default (WAL mode), PostgreSQL by URL.

Everything lives in the database, so a server restart loses nothing: every
view is rebuilt from it. Storage goes through SQLAlchemy Core, one code path
for SQLite and PostgreSQL. Secrets (the instructor's and each student's
token) are random, shown once, and stored only as SHA-256 hashes.

A session runs in rounds. Students join with a short code and a display name;
roles go round-robin in join order and private types are drawn by the
session's seeded randomiser, so the same seed and join order give the same
assignment. A submission is an upsert keyed by (session, round, student), so
a reload or double click never counts twice. Closing a round matches the
students who moved, again by the seeded randomiser, and stores the outcomes.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import time
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from sim.classroom.games import ClassroomGame, make_game

__all__ = [
    "ClassroomError",
    "ClassroomStore",
    "CreatedSession",
    "JoinTicket",
    "PlayerState",
    "InstructorState",
    "default_url",
    "JOIN_ALPHABET",
    "csv_rows",
]

#: Join codes avoid look-alike characters (0/O, 1/I/L).
JOIN_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
JOIN_LENGTH = 6
MAX_NAME = 40
MAX_PLAYERS = 500

_meta = sa.MetaData()
sessions = sa.Table(
    "cs_sessions", _meta,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("code", sa.String(16), nullable=False, unique=True),
    sa.Column("instructor_hash", sa.String(64), nullable=False),
    sa.Column("game", sa.String(32), nullable=False),
    sa.Column("params", sa.Text, nullable=False),
    sa.Column("seed", sa.BigInteger, nullable=False),
    sa.Column("round", sa.Integer, nullable=False, default=1),
    sa.Column("round_open", sa.Boolean, nullable=False, default=True),
    sa.Column("created", sa.Float, nullable=False),
)
players = sa.Table(
    "cs_players", _meta,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("session_id", sa.Integer, sa.ForeignKey("cs_sessions.id"), nullable=False),
    sa.Column("ordinal", sa.Integer, nullable=False),
    sa.Column("name", sa.String(MAX_NAME * 4), nullable=False),
    sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("role", sa.String(64), nullable=False),
    sa.Column("type", sa.String(64), nullable=True),
    sa.Column("joined", sa.Float, nullable=False),
    sa.UniqueConstraint("session_id", "ordinal"),
)
moves = sa.Table(
    "cs_moves", _meta,
    sa.Column("session_id", sa.Integer, sa.ForeignKey("cs_sessions.id"), primary_key=True),
    sa.Column("round", sa.Integer, primary_key=True),
    sa.Column("player_id", sa.Integer, sa.ForeignKey("cs_players.id"), primary_key=True),
    sa.Column("action", sa.String(128), nullable=False),
    sa.Column("submitted", sa.Float, nullable=False),
)
results = sa.Table(
    "cs_results", _meta,
    sa.Column("session_id", sa.Integer, sa.ForeignKey("cs_sessions.id"), primary_key=True),
    sa.Column("round", sa.Integer, primary_key=True),
    sa.Column("player_id", sa.Integer, sa.ForeignKey("cs_players.id"), primary_key=True),
    sa.Column("match", sa.Integer, nullable=False),
    sa.Column("outcome", sa.String(64), nullable=False),
    sa.Column("payoff", sa.Float, nullable=False),
)


class ClassroomError(ValueError):
    """A request a session cannot accept; the message is safe to show."""


@dataclass(frozen=True)
class CreatedSession:
    session_id: int
    code: str
    instructor_token: str


@dataclass(frozen=True)
class JoinTicket:
    player_token: str
    role: str
    type: str | None


@dataclass(frozen=True)
class PlayerState:
    name: str
    role: str
    type: str | None
    actions: tuple[str, ...]
    round: int
    round_open: bool
    submitted: str | None
    last_outcome: str | None
    last_payoff: float | None
    game_title: str
    briefing: str


@dataclass(frozen=True)
class InstructorState:
    code: str
    game: str
    round: int
    round_open: bool
    players: tuple[dict[str, Any], ...]
    submitted: int


def default_url() -> str:
    """``COERCION_CLASSROOM_DB`` if set, else a SQLite file in the working directory."""
    return os.environ.get("COERCION_CLASSROOM_DB") or f"sqlite:///{Path('classroom.db')}"


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _clean_name(name: str) -> str:
    if not isinstance(name, str):
        raise ClassroomError("a display name must be text")
    name = unicodedata.normalize("NFC", name).strip()
    if not name:
        raise ClassroomError("enter a display name")
    if len(name) > MAX_NAME:
        raise ClassroomError(f"a display name has at most {MAX_NAME} characters")
    if any(unicodedata.category(ch).startswith("C") for ch in name):
        raise ClassroomError("a display name cannot contain control characters")
    return name


class ClassroomStore:
    """Class sessions in a SQLAlchemy database (``sqlite:///...`` or ``postgresql+psycopg://...``)."""

    def __init__(self, url: str | None = None) -> None:
        self.url = url or default_url()
        self.engine: Engine = sa.create_engine(self.url, future=True)
        if self.engine.dialect.name == "sqlite":
            @sa.event.listens_for(self.engine, "connect")
            def _pragmas(dbapi_conn: Any, _record: Any) -> None:  # pragma: no cover - sqlite
                cur = dbapi_conn.cursor()
                cur.execute("PRAGMA journal_mode=WAL")
                cur.execute("PRAGMA foreign_keys=ON")
                cur.execute("PRAGMA busy_timeout=5000")
                cur.close()
        _meta.create_all(self.engine)
        self._games: dict[tuple[str, str], ClassroomGame] = {}

    def dispose(self) -> None:
        self.engine.dispose()

    # -- helpers ----------------------------------------------------------------
    def _game(self, name: str, params_json: str) -> ClassroomGame:
        key = (name, params_json)
        if key not in self._games:
            self._games[key] = make_game(name, json.loads(params_json))
        return self._games[key]

    def _session_by_instructor(self, conn: sa.Connection, token: str) -> Any:
        digest = _hash(token or "")
        row = conn.execute(sa.select(sessions).where(sessions.c.instructor_hash == digest)).first()
        if row is None or not hmac.compare_digest(row.instructor_hash, digest):
            raise ClassroomError("this instructor link is not valid")
        return row

    def _player(self, conn: sa.Connection, token: str) -> Any:
        row = conn.execute(sa.select(players).where(players.c.token_hash == _hash(token or ""))
                           ).first()
        if row is None:
            raise ClassroomError("this student link is not valid; join again with the code")
        return row

    # -- instructor -------------------------------------------------------------
    def create_session(self, game: str, params: dict[str, float] | None = None,
                       seed: int | None = None) -> CreatedSession:
        """A new session; returns its join code and the secret instructor token."""
        built = make_game(game, params)  # validates the game and its parameters
        params_json = json.dumps(dict(built.params), sort_keys=True)
        seed = int(seed if seed is not None else secrets.randbits(48))
        token = secrets.token_urlsafe(24)
        with self.engine.begin() as conn:
            for _ in range(20):
                code = "".join(secrets.choice(JOIN_ALPHABET) for _ in range(JOIN_LENGTH))
                exists = conn.execute(sa.select(sessions.c.id).where(sessions.c.code == code)
                                      ).first()
                if exists is None:
                    break
            else:  # pragma: no cover - 31^6 codes
                raise ClassroomError("could not allocate a join code")
            key = conn.execute(sessions.insert().values(
                code=code, instructor_hash=_hash(token), game=game, params=params_json,
                seed=seed, round=1, round_open=True, created=time.time())
            ).inserted_primary_key
            assert key is not None
            sid = key[0]
        return CreatedSession(int(sid), code, token)

    def instructor_state(self, token: str) -> InstructorState:
        with self.engine.connect() as conn:
            s = self._session_by_instructor(conn, token)
            rows = conn.execute(sa.select(players).where(players.c.session_id == s.id)
                                .order_by(players.c.ordinal)).all()
            done = {r.player_id: r.action for r in conn.execute(
                sa.select(moves).where(moves.c.session_id == s.id, moves.c.round == s.round))}
        listing = tuple({"name": r.name, "role": r.role, "type": r.type,
                         "submitted": r.id in done} for r in rows)
        return InstructorState(s.code, s.game, s.round, bool(s.round_open), listing, len(done))

    def close_round(self, token: str) -> list[dict[str, Any]]:
        """Match the students who moved, store the outcomes, and open the next round."""
        with self.engine.begin() as conn:
            s = self._session_by_instructor(conn, token)
            game = self._game(s.game, s.params)
            rows = conn.execute(
                sa.select(moves.c.player_id, moves.c.action, players.c.role, players.c.type,
                          players.c.name)
                .join(players, players.c.id == moves.c.player_id)
                .where(moves.c.session_id == s.id, moves.c.round == s.round)
                .order_by(moves.c.player_id)).all()
            by_role: dict[str, list[Any]] = {role: [] for role in game.roles}
            for r in rows:
                by_role[r.role].append(r)
            out: list[dict[str, Any]] = []
            if all(by_role[role] for role in game.roles):
                rng = np.random.default_rng([int(s.seed), int(s.round)])
                shuffled = {role: [by_role[role][i] for i in rng.permutation(len(by_role[role]))]
                            for role in game.roles}
                n_matches = max(len(v) for v in shuffled.values())
                for m in range(n_matches):
                    members = {role: shuffled[role][m % len(shuffled[role])]
                               for role in game.roles}
                    label, pay = game.play({role: (p.type, p.action)
                                            for role, p in members.items()})
                    for role, p in members.items():
                        if m >= len(shuffled[role]):
                            continue  # reused partner: scored in its own match
                        out.append({"player_id": p.player_id, "name": p.name, "role": role,
                                    "type": p.type, "action": p.action, "match": m,
                                    "outcome": label, "payoff": pay[role]})
                conn.execute(results.delete().where(results.c.session_id == s.id,
                                                    results.c.round == s.round))
                if out:
                    conn.execute(results.insert(), [
                        {"session_id": s.id, "round": s.round, "player_id": o["player_id"],
                         "match": o["match"], "outcome": o["outcome"], "payoff": o["payoff"]}
                        for o in out])
            conn.execute(sessions.update().where(sessions.c.id == s.id)
                         .values(round=s.round + 1, round_open=True))
        return out

    def choices(self, token: str) -> list[dict[str, Any]]:
        """Every submitted move with its outcome (for the debrief and the CSV export)."""
        with self.engine.connect() as conn:
            s = self._session_by_instructor(conn, token)
            rows = conn.execute(
                sa.select(moves.c.round, players.c.name, players.c.role, players.c.type,
                          moves.c.action, results.c.match, results.c.outcome, results.c.payoff)
                .join(players, players.c.id == moves.c.player_id)
                .join(results, sa.and_(results.c.session_id == moves.c.session_id,
                                       results.c.round == moves.c.round,
                                       results.c.player_id == moves.c.player_id), isouter=True)
                .where(moves.c.session_id == s.id)
                .order_by(moves.c.round, players.c.ordinal)).all()
        return [dict(r._mapping) for r in rows]

    def game_of(self, token: str) -> ClassroomGame:
        with self.engine.connect() as conn:
            s = self._session_by_instructor(conn, token)
        return self._game(s.game, s.params)

    # -- students ---------------------------------------------------------------
    def join(self, code: str, name: str) -> JoinTicket:
        """Join the session with ``code`` as ``name``; returns the student's secret token."""
        for attempt in range(5):
            try:
                return self._join(code, name)
            except sa.exc.IntegrityError:
                # two students joined at once and took the same place: try the next one
                if attempt == 4:
                    raise ClassroomError("the session is busy; try again") from None
        raise AssertionError("unreachable")  # pragma: no cover

    def _join(self, code: str, name: str) -> JoinTicket:
        code = (code or "").strip().upper()
        name = _clean_name(name)
        if len(code) != JOIN_LENGTH or any(ch not in JOIN_ALPHABET for ch in code):
            raise ClassroomError("that join code is not valid")
        token = secrets.token_urlsafe(16)
        with self.engine.begin() as conn:
            s = conn.execute(sa.select(sessions).where(sessions.c.code == code)).first()
            if s is None:
                raise ClassroomError("no session has that join code")
            count = conn.execute(sa.select(sa.func.count()).select_from(players)
                                 .where(players.c.session_id == s.id)).scalar_one()
            if count >= MAX_PLAYERS:
                raise ClassroomError("this session is full")
            taken = conn.execute(sa.select(players.c.id).where(
                players.c.session_id == s.id, players.c.name == name)).first()
            if taken is not None:
                raise ClassroomError("that name is taken in this session; choose another")
            game = self._game(s.game, s.params)
            role = game.roles[count % len(game.roles)]
            type_ = self._draw_type(game, role, int(s.seed), int(count))
            conn.execute(players.insert().values(
                session_id=s.id, ordinal=count, name=name, token_hash=_hash(token), role=role,
                type=type_, joined=time.time()))
        return JoinTicket(token, role, type_)

    @staticmethod
    def _draw_type(game: ClassroomGame, role: str, seed: int, ordinal: int) -> str | None:
        types = game.types_of(role)
        if len(types) == 1:
            return types[0][0]
        rng = np.random.default_rng([seed, 1_000_003, ordinal])
        probs = np.array([p for _, p in types], dtype=float)
        return types[int(rng.choice(len(types), p=probs / probs.sum()))][0]

    def player_state(self, token: str) -> PlayerState:
        with self.engine.connect() as conn:
            p = self._player(conn, token)
            s = conn.execute(sa.select(sessions).where(sessions.c.id == p.session_id)).one()
            mine = conn.execute(sa.select(moves.c.action).where(
                moves.c.session_id == s.id, moves.c.round == s.round,
                moves.c.player_id == p.id)).first()
            last = conn.execute(sa.select(results).where(
                results.c.session_id == s.id, results.c.player_id == p.id)
                .order_by(results.c.round.desc())).first()
        game = self._game(s.game, s.params)
        return PlayerState(
            name=p.name, role=p.role, type=p.type, actions=game.agent(p.role, p.type).actions,
            round=s.round, round_open=bool(s.round_open),
            submitted=None if mine is None else mine.action,
            last_outcome=None if last is None else last.outcome,
            last_payoff=None if last is None else float(last.payoff),
            game_title=game.title, briefing=game.description)

    def submit(self, token: str, action: str, round_: int | None = None) -> None:
        """Record (or change) this student's move for the open round. Idempotent."""
        for attempt in range(5):
            try:
                self._submit(token, action, round_)
                return
            except sa.exc.IntegrityError:
                # a simultaneous double submit inserted first: the retry updates that row
                if attempt == 4:
                    raise ClassroomError("the session is busy; try again") from None

    def _submit(self, token: str, action: str, round_: int | None) -> None:
        with self.engine.begin() as conn:
            p = self._player(conn, token)
            s = conn.execute(sa.select(sessions).where(sessions.c.id == p.session_id)).one()
            if round_ is not None and round_ != s.round:
                raise ClassroomError(f"round {round_} is closed; the current round is {s.round}")
            game = self._game(s.game, s.params)
            allowed = game.agent(p.role, p.type).actions
            if action not in allowed:
                raise ClassroomError(f"choose one of: {', '.join(allowed)}")
            key = {"session_id": s.id, "round": s.round, "player_id": p.id}
            updated = conn.execute(moves.update().where(
                moves.c.session_id == s.id, moves.c.round == s.round, moves.c.player_id == p.id)
                .values(action=action, submitted=time.time()))
            if updated.rowcount == 0:
                conn.execute(moves.insert().values(**key, action=action, submitted=time.time()))


def csv_rows(choices: Sequence[dict[str, Any]]) -> str:
    """The choices as CSV text, each field quoted so nothing is interpreted."""
    import csv
    import io

    buf = io.StringIO()
    fields = ["round", "name", "role", "type", "action", "match", "outcome", "payoff"]
    writer = csv.DictWriter(buf, fieldnames=fields, quoting=csv.QUOTE_ALL)
    writer.writeheader()
    for row in choices:
        safe = dict(row)
        # neutralise spreadsheet formulas in student-typed names
        if isinstance(safe.get("name"), str) and safe["name"][:1] in "=+-@":
            safe["name"] = "'" + safe["name"]
        writer.writerow({k: safe.get(k) for k in fields})
    return buf.getvalue()

