"""Durable class sessions: SQLite by default (WAL mode), PostgreSQL by URL.

Everything lives in the database, so a server restart loses nothing: every
view is rebuilt from it. Storage goes through SQLAlchemy Core, one code path
for SQLite and PostgreSQL. Secrets (the instructor's token and recovery code,
each student's token and device token) are random, shown once, and stored
only as SHA-256 hashes.

A session runs in rounds. Students join with a short code and a display name;
roles go round-robin in join order and private types are drawn by the
session's seeded randomiser, so the same seed and join order give the same
assignment. A submission is an upsert keyed by (session, round, student), so
a reload or double click never counts twice. Closing a round matches the
students who moved, again by the seeded randomiser, and stores the outcomes.

Writes are serialised per session (:mod:`sim.classroom.transactions`): a
submission checks the round inside the transaction that stores it, so a move
is either in the round that is then closed and scored, or refused with
"round N is closed". A close names the round it closes, so a repeated close
(a double click) returns the stored outcomes and never skips a round.

Join codes are guarded against guessing: after a few failed joins from one
client every further attempt waits, twice as long each time. Sessions expire
after an idle time, and the instructor can end one.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import hmac
import json
import math
import os
import secrets
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from sim.classroom import turn_rounds
from sim.classroom.games import ClassroomGame, make_game
from sim.classroom.lab_games import LAB_GAME_NAME, lab_game_from_json, session_params
from sim.classroom.matching import check_protocol, match_round, pair_key, role_in_round
from sim.classroom.names import MAX_NAME, InvalidName, clean_name, name_key
from sim.classroom.records import (
    CreatedSession,
    GroupProgress,
    InstructorState,
    JoinTicket,
    PlayerState,
    RoundClose,
    RoundRecord,
    TurnState,
)
from sim.classroom.schema import (
    create_or_upgrade,
    groups,
    join_failures,
    moves,
    players,
    results,
    sessions,
    steps,
)
from sim.classroom.teams import TEAM_RULE, seat_ids
from sim.classroom.transactions import (
    BUSY_MESSAGE,
    UNREACHABLE_MESSAGE,
    RetryPolicy,
    is_transient,
)
from sim.games.errors import GameError
from sim.lab.model import LabGame

__all__ = [
    "ClassroomError",
    "ClassroomStore",
    "CreatedSession",
    "JoinTicket",
    "PlayerState",
    "RoundRecord",
    "RoundClose",
    "InstructorState",
    "default_url",
    "default_idle_timeout",
    "JOIN_ALPHABET",
    "JOIN_LENGTH",
    "MAX_NAME",
    "FREE_FAILURES",
    "csv_rows",
    "HOUSE_BOT_NAME",
]

#: Join codes avoid look-alike characters (0/O, 1/I/L).
JOIN_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
JOIN_LENGTH = 6
RECOVERY_LENGTH = 12
#: The display name of the computer player that fills the gap of an odd class.
HOUSE_BOT_NAME = "Computer player"
MAX_PLAYERS = 500
#: Failed joins from one client before each further attempt must wait.
FREE_FAILURES = 5
#: The first wait after the free failures, and the longest, in seconds.
BACKOFF_BASE = 2.0
BACKOFF_CAP = 900.0
#: A client's failures are forgotten after this long without one, in seconds.
FORGET_FAILURES = 3600.0
#: Connections a store keeps open to a database server, and the most it opens at once.
SERVER_POOL_SIZE = 10
#: Idle time after which a session expires, unless ``COERCION_SESSION_IDLE_HOURS`` says otherwise.
DEFAULT_IDLE_HOURS = 12.0

T = TypeVar("T")


class ClassroomError(ValueError):
    """A request a session cannot accept; the message is one plain sentence, safe to show."""


def default_url() -> str:
    """``COERCION_CLASSROOM_DB`` if set, else a SQLite file in the working directory."""
    return os.environ.get("COERCION_CLASSROOM_DB") or f"sqlite:///{Path('classroom.db')}"


def default_idle_timeout() -> float:
    """Seconds of inactivity before a session expires: ``COERCION_SESSION_IDLE_HOURS`` or 12 h."""
    raw = os.environ.get("COERCION_SESSION_IDLE_HOURS", "")
    try:
        hours = float(raw) if raw.strip() else DEFAULT_IDLE_HOURS
    except ValueError:
        hours = DEFAULT_IDLE_HOURS
    return 3600.0 * (hours if math.isfinite(hours) and hours > 0 else DEFAULT_IDLE_HOURS)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _code(n: int) -> str:
    return "".join(secrets.choice(JOIN_ALPHABET) for _ in range(n))


def _clean_code(code: object, length: int) -> str:
    text = str(code or "").replace("-", "").replace(" ", "").strip().upper()
    if len(text) != length or any(ch not in JOIN_ALPHABET for ch in text):
        raise ClassroomError("that join code is not valid")
    return text


class ClassroomStore:
    """Class sessions in a SQLAlchemy database (``sqlite:///...`` or ``postgresql+psycopg://...``).

    Parameters
    ----------
    url
        Database URL; :func:`default_url` when omitted.
    clock
        Seconds since the epoch (``time.time``); tests pass a fake clock.
    idle_timeout
        Seconds without activity after which a session expires
        (:func:`default_idle_timeout` when omitted).
    instructor_password
        When set (default: ``COERCION_INSTRUCTOR_PASSWORD``), creating a session
        needs it.
    retry
        The retry policy of every write.
    busy_timeout
        Seconds SQLite waits for another writer's lock before a retry.
    pool_size, max_overflow
        Connections kept open, and opened beyond them under load (each closed
        again when returned). Defaults: 5 and 45 on SQLite; 10 and none on a
        database server (PostgreSQL), where each connection is a server process:
        with connections opened on demand, a class of 100 opened about 500 for
        1,400 requests and the server spent four times the CPU, and connections
        beyond a few per core only queue on the session's row lock on the server
        instead of in this process.
    """

    def __init__(self, url: str | None = None, *, clock: Callable[[], float] | None = None,
                 idle_timeout: float | None = None, instructor_password: str | None = None,
                 retry: RetryPolicy | None = None, busy_timeout: float = 10.0,
                 pool_size: int | None = None, max_overflow: int | None = None) -> None:
        self.url = url or default_url()
        self.clock = clock or time.time
        self.idle_timeout = float(idle_timeout if idle_timeout is not None
                                  else default_idle_timeout())
        self.instructor_password = (instructor_password if instructor_password is not None
                                    else os.environ.get("COERCION_INSTRUCTOR_PASSWORD") or None)
        self.retry = retry or RetryPolicy()
        sqlite = self.url.startswith("sqlite")
        kwargs: dict[str, Any] = {"future": True}
        if sqlite:
            kwargs["connect_args"] = {"check_same_thread": False, "timeout": busy_timeout}
        kept, extra = (5, 45) if sqlite else (SERVER_POOL_SIZE, 0)
        kept = kept if pool_size is None else pool_size
        extra = extra if max_overflow is None else max_overflow
        if not sqlite or ":memory:" not in self.url:
            kwargs.update(pool_size=kept, max_overflow=extra, pool_timeout=60,
                          pool_pre_ping=not sqlite)
        self.engine: Engine = sa.create_engine(self.url, **kwargs)
        if self.engine.dialect.name == "sqlite":
            self._sqlite_setup(self.engine, int(busy_timeout * 1000))
        #: the engine writes go through: on SQLite its transactions begin IMMEDIATE
        self._writer = self.engine.execution_options(classroom_write=True)
        self._run_write(lambda: create_or_upgrade(self.engine))
        self._warmed: set[str] = set()
        self._local_writers: contextlib.AbstractContextManager[Any] = (
            threading.Lock() if sqlite else threading.BoundedSemaphore(
                max(1, (kept + max(0, extra)) // 2)))

    @staticmethod
    def _sqlite_setup(engine: Engine, busy_ms: int) -> None:
        @sa.event.listens_for(engine, "connect")
        def _pragmas(dbapi_conn: Any, _record: Any) -> None:
            dbapi_conn.isolation_level = None  # the driver must not BEGIN by itself
            cur = dbapi_conn.cursor()
            cur.execute(f"PRAGMA busy_timeout={busy_ms:d}")
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.close()

        @sa.event.listens_for(engine, "begin")
        def _begin(conn: sa.Connection) -> None:
            # a writer takes the write lock before reading, so it never has to upgrade
            write = conn.get_execution_options().get("classroom_write", False)
            conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    def dispose(self) -> None:
        self.engine.dispose()

    # -- transactions -----------------------------------------------------------
    def _run_write(self, step: Callable[[], T]) -> T:
        """Run ``step`` with bounded, jittered retries on lock and serialisation conflicts."""
        for attempt in range(self.retry.attempts):
            try:
                return step()
            except ClassroomError:
                raise
            except sa.exc.DBAPIError as exc:
                if not is_transient(exc):
                    raise ClassroomError(UNREACHABLE_MESSAGE) from None
                if attempt + 1 == self.retry.attempts:
                    raise ClassroomError(BUSY_MESSAGE) from None
                time.sleep(self.retry.pause(attempt))
            except sa.exc.SQLAlchemyError:
                raise ClassroomError(UNREACHABLE_MESSAGE) from None
        raise AssertionError("unreachable")  # pragma: no cover

    def _write(self, fn: Callable[[sa.Connection], T]) -> T:
        """``fn(conn)`` in one short write transaction, retried on conflicts.

        On SQLite the writers of this process also queue on a lock of their own:
        SQLite's busy handler polls with sleeps of up to 100 ms, while a waiting
        thread here is woken as soon as the writer before it commits. On a
        database server at most half of the store's connections write at once,
        so a burst of moves queued on one session's row lock leaves the other
        half to the pages that read.
        """
        def step() -> T:
            with self._local_writers, self._writer.begin() as conn:
                return fn(conn)
        return self._run_write(step)

    def _read(self, fn: Callable[[sa.Connection], T]) -> T:
        """``fn(conn)`` on a read-only connection (WAL readers never wait for writers)."""
        def step() -> T:
            with self.engine.connect() as conn:
                return fn(conn)
        return self._run_write(step)

    # -- helpers ----------------------------------------------------------------
    @staticmethod
    def _game(name: str, params_json: str, lab_json: str | None = None) -> ClassroomGame:
        if name == LAB_GAME_NAME:
            if not lab_json:
                raise ClassroomError("this session's game from the lab is missing")
            return lab_game_from_json(lab_json, params_json)
        return _built_game(name, params_json)

    def _session_by_instructor(self, conn: sa.Connection, token: str, lock: bool = False
                               ) -> Any:
        digest = _hash(str(token or ""))
        query = sa.select(sessions).where(sessions.c.instructor_hash == digest)
        row = conn.execute(query.with_for_update() if lock else query).first()
        if row is None or not hmac.compare_digest(row.instructor_hash, digest):
            raise ClassroomError("this instructor link is not valid")
        return row

    def _player(self, conn: sa.Connection, token: str) -> Any:
        row = conn.execute(sa.select(players).where(
            players.c.token_hash == _hash(str(token or "")))).first()
        if row is None:
            raise ClassroomError("this student link is not valid; join again with the code")
        if row.removed is not None:
            raise ClassroomError("the instructor has removed you from this session")
        return row

    def _lock_session(self, conn: sa.Connection, session_id: int) -> Any:
        return conn.execute(sa.select(sessions).where(sessions.c.id == session_id)
                            .with_for_update()).one()

    def _ended(self, s: Any) -> bool:
        if s.ended is not None:
            return True
        last = s.last_active if s.last_active is not None else s.created
        return bool(self.clock() - float(last) > self.idle_timeout)

    def _live(self, s: Any) -> None:
        if s.ended is not None:
            raise ClassroomError("this session has ended")
        if self._ended(s):
            hours = self.idle_timeout / 3600.0
            raise ClassroomError(f"this session has expired after {hours:g} hours without "
                                 "activity")

    def _touch(self, conn: sa.Connection, s: Any) -> None:
        """Record activity on the locked session row ``s``.

        A session touched less than a thousandth of the idle time ago (43 s of
        12 h) is left as it is: a class's burst of moves then writes one row
        fewer each while holding the session's lock, and a session expires at
        most that much early.
        """
        now = self.clock()
        last = s.last_active if s.last_active is not None else s.created
        if now - float(last) < self.idle_timeout / 1000.0:
            return
        conn.execute(sessions.update().where(sessions.c.id == s.id).values(last_active=now))

    # -- failed-attempt back-off ------------------------------------------------
    @staticmethod
    def _client_key(kind: str, client: str) -> str:
        return f"{kind}:{str(client or '')[:100]}"

    def _check_client(self, key: str) -> None:
        row = self._read(lambda conn: conn.execute(
            sa.select(join_failures).where(join_failures.c.client == key)).first())
        if row is not None:
            wait = float(row.locked_until) - self.clock()
            if wait > 0:
                raise ClassroomError(f"too many wrong codes from this device; wait "
                                     f"{math.ceil(wait)} seconds and try again")

    def _record_failure(self, key: str) -> None:
        now = self.clock()

        def fail(conn: sa.Connection) -> None:
            row = conn.execute(sa.select(join_failures).where(join_failures.c.client == key)
                               .with_for_update()).first()
            n = 1 if row is None or now - float(row.last) > FORGET_FAILURES else row.failures + 1
            wait = (min(BACKOFF_CAP, BACKOFF_BASE * 2.0 ** (n - FREE_FAILURES))
                    if n >= FREE_FAILURES else 0.0)
            values = {"failures": n, "last": now, "locked_until": now + wait}
            if row is None:
                conn.execute(join_failures.insert().values(client=key, **values))
            else:
                conn.execute(join_failures.update().where(join_failures.c.client == key)
                             .values(**values))
        self._write(fail)

    def _guarded(self, kind: str, client: str, attempt: Callable[[], T]) -> T:
        """Run ``attempt``; a wrong code or secret counts as a failure of ``client``."""
        key = self._client_key(kind, client)
        self._check_client(key)
        try:
            return attempt()
        except _WrongSecret as exc:
            self._record_failure(key)
            raise ClassroomError(str(exc)) from None

    # -- instructor -------------------------------------------------------------
    def create_session(self, game: str, params: dict[str, float] | None = None,
                       seed: int | None = None, *, password: str | None = None,
                       client: str = "", rounds: int | None = None, matching: str = "random",
                       rotate: bool = False, fill_gap: bool = False,
                       lab: LabGame | None = None, time_limit: float | None = None,
                       default_move: str | None = None) -> CreatedSession:
        """A new session; returns its join code, the secret instructor token and recovery code.

        ``rounds`` is the number of rounds (``None``: until the instructor ends
        it), ``matching`` the protocol of :mod:`sim.classroom.matching`, and
        ``rotate`` whether roles change every round. With ``fill_gap``, when
        one role is a move short at a close (an odd class), a computer player
        playing equilibrium fills the gap; without it a partner plays twice and
        is scored once. With ``game="lab"``, ``lab`` is the two-player game-lab
        game to play and ``params`` its parameter values; the session stores
        the game's JSON form, so any server process rebuilds the same game.
        ``game`` may also name a registry model with a finite game, played at
        ``params``. ``time_limit`` is the seconds each move may take (``None``:
        no limit); at the limit ``default_move`` (a bot policy: ``always:ACTION``,
        ``qre:λ`` or ``nash``) is played and flagged as timed out.
        """
        try:
            check_protocol(matching)
        except ValueError as exc:
            raise ClassroomError(str(exc)) from None
        if rounds is not None and not 1 <= int(rounds) <= 200:
            raise ClassroomError("the number of rounds must be from 1 to 200")
        wanted = self.instructor_password
        if wanted:
            def check() -> None:
                given = str(password or "").encode("utf-8")
                if not hmac.compare_digest(given, wanted.encode("utf-8")):
                    raise _WrongSecret("the instructor password is not right")
            self._guarded("password", client, check)
        lab_json: str | None = None
        if game == LAB_GAME_NAME:
            if lab is None:
                raise ClassroomError("a game from the lab needs the game itself")
            try:
                lab_json, params_json = session_params(lab, params)
                lab_game_from_json(lab_json, params_json)  # validates and warms the cache
            except GameError as exc:
                raise ClassroomError(str(exc)) from None
        else:
            try:
                built = make_game(game, params)  # validates the game and its parameters
            except (GameError, KeyError, ValueError) as exc:
                raise ClassroomError(str(exc).strip("'\"")) from None
            params_json = json.dumps(dict(built.params), sort_keys=True)
        limit, policy = self._timer(time_limit, default_move,
                                    lab_game_from_json(lab_json, params_json)
                                    if lab_json else _built_game(game, params_json))
        seed = int(seed if seed is not None else secrets.randbits(48))
        token = secrets.token_urlsafe(24)
        recovery = _code(RECOVERY_LENGTH)

        def create(conn: sa.Connection) -> tuple[int, str]:
            for _ in range(20):
                code = _code(JOIN_LENGTH)
                exists = conn.execute(sa.select(sessions.c.id).where(sessions.c.code == code)
                                      ).first()
                if exists is None:
                    break
            else:  # pragma: no cover - 31^6 codes
                raise ClassroomError("could not allocate a join code; try again")
            now = self.clock()
            key = conn.execute(sessions.insert().values(
                code=code, instructor_hash=_hash(token), game=game, params=params_json,
                seed=seed, round=1, round_open=True, created=now, last_active=now,
                recovery_hash=_hash(recovery), rounds=None if rounds is None else int(rounds),
                matching=matching, rotate=bool(rotate), round_opened=now,
                fill_gap=bool(fill_gap), lab=lab_json, time_limit=limit,
                default_move=policy)).inserted_primary_key
            assert key is not None
            return int(key[0]), code

        sid, code = self._write(create)
        pretty = "-".join(recovery[i:i + 4] for i in range(0, RECOVERY_LENGTH, 4))
        return CreatedSession(sid, code, token, pretty)

    @staticmethod
    def _timer(time_limit: float | None, default_move: str | None, game: ClassroomGame
               ) -> tuple[float | None, str | None]:
        from sim.classroom.bots import parse_policy

        limit = None
        if time_limit is not None:
            limit = float(time_limit)
            if not math.isfinite(limit) or not 5 <= limit <= 3600:
                raise ClassroomError("a time limit must be from 5 to 3600 seconds")
        if default_move is None:
            return limit, None
        try:
            return limit, parse_policy(default_move, game).text
        except ValueError as exc:
            raise ClassroomError(str(exc)) from None

    def recover_instructor(self, code: str, recovery_code: str, *, client: str = "") -> str:
        """A new instructor token for the session ``code``; the old link stops working."""
        def attempt() -> str:
            try:
                join_code = _clean_code(code, JOIN_LENGTH)
                secret = _clean_code(recovery_code, RECOVERY_LENGTH)
            except ClassroomError:
                raise _WrongSecret("that join code or recovery code is not right") from None
            token = secrets.token_urlsafe(24)

            def rotate(conn: sa.Connection) -> None:
                s = conn.execute(sa.select(sessions).where(sessions.c.code == join_code)
                                 .with_for_update()).first()
                if s is None or s.recovery_hash is None or not hmac.compare_digest(
                        s.recovery_hash, _hash(secret)):
                    raise _WrongSecret("that join code or recovery code is not right")
                conn.execute(sessions.update().where(sessions.c.id == s.id).values(
                    instructor_hash=_hash(token), last_active=self.clock()))
            self._write(rotate)
            return token
        return self._guarded("recover", client, attempt)

    def end_session(self, token: str) -> None:
        """End the session now: no one can join or move any more; its data stay readable."""
        def end(conn: sa.Connection) -> None:
            s = self._session_by_instructor(conn, token, lock=True)
            if s.ended is None:
                conn.execute(sessions.update().where(sessions.c.id == s.id)
                             .values(ended=self.clock()))
        self._write(end)

    def instructor_state(self, token: str) -> InstructorState:
        """The live monitor; resolves expired moves of the session first."""
        def read(conn: sa.Connection) -> InstructorState | int:
            s = self._session_by_instructor(conn, token)
            game = self._game(s.game, s.params, s.lab)
            if s.time_limit is not None and self._expired(s, game, conn):
                return int(s.id)
            rows = conn.execute(sa.select(players.c.id, players.c.name, players.c.ordinal,
                                          players.c.bot)
                                .where(players.c.session_id == s.id,
                                       players.c.removed.is_(None))
                                .order_by(players.c.ordinal)).all()
            done = {r.player_id for r in conn.execute(
                sa.select(moves.c.player_id).where(moves.c.session_id == s.id,
                                                   moves.c.round == s.round))}
            progress: tuple[GroupProgress, ...] = ()
            now = self.clock()
            if game.in_turn and s.started is not None:
                progress, done, waiting = self._progress(conn, s, game, rows, now)
            house = [r for r in rows if r.bot is not None and r.bot.startswith("house:")]
            listing = tuple({"name": r.name, "role": role_in_round(
                                 game.roles, int(r.ordinal), int(s.round), bool(s.rotate)),
                             "submitted": r.id in done or r.bot is not None,
                             "bot": r.bot is not None}
                            for r in rows if r not in house)
            if game.in_turn:
                in_group = {int(p) for g in progress for p in g.members}  # ids, see _progress
                listing = tuple(dict(p, waiting=r.id in waiting, playing=r.id in in_group)
                                for p, r in zip(listing, [r for r in rows if r not in house],
                                                strict=True)) if progress else listing
                progress = tuple(GroupProgress(g.group, (), g.waiting_for, g.step,
                                               g.seconds_left, g.finished) for g in progress)
            by_role = tuple((role, sum(p["role"] == role for p in listing),
                             sum(p["role"] == role and p["submitted"] for p in listing))
                            for role in game.roles)
            due = None if game.in_turn else self._nf_deadline(s)
            tally = conn.execute(
                sa.select(results.c.round, results.c.outcome,
                          sa.func.count(sa.distinct(results.c.match)).label("n"))
                .where(results.c.session_id == s.id)
                .group_by(results.c.round, results.c.outcome)
                .order_by(results.c.round, results.c.outcome)).all()
            return InstructorState(s.code, s.game, int(s.round), bool(s.round_open), listing,
                                   sum(p["submitted"] for p in listing), self._ended(s),
                                   by_role, rounds=s.rounds, matching=s.matching or "random",
                                   rotate=bool(s.rotate), fill_gap=bool(s.fill_gap),
                                   computer_player=bool(house), in_turn=game.in_turn,
                                   started=s.started is not None or not game.in_turn,
                                   groups=progress, paused=s.paused is not None,
                                   time_limit=s.time_limit, default_move=s.default_move or "",
                                   seconds_left=None if due is None else max(0.0, due - now),
                                   outcomes_so_far=tuple((int(t.round), t.outcome, int(t.n))
                                                         for t in tally))
        got = self._read(read)
        if isinstance(got, int):
            self._resolve(got)
            got = self._read(read)
            if isinstance(got, int):  # pragma: no cover - resolved just now
                raise ClassroomError(BUSY_MESSAGE)
        return got

    @staticmethod
    def _progress(conn: sa.Connection, s: Any, game: ClassroomGame, rows: Sequence[Any],
                  now: float) -> tuple[tuple[GroupProgress, ...], set[int], set[int]]:
        """Each group's progress (members as ids), who has moved, and whose move it is."""
        assert game.tree is not None
        flat = game.tree.flat()
        moved = {int(r.player_id) for r in conn.execute(
            sa.select(steps.c.player_id).where(steps.c.session_id == s.id,
                                               steps.c.round == s.round))}
        counts = {int(r.grp): int(r.n) for r in conn.execute(
            sa.select(steps.c.grp, sa.func.count().label("n")).where(
                steps.c.session_id == s.id, steps.c.round == s.round).group_by(steps.c.grp))}
        out, waiting, done = [], set(), set(moved)
        for g in conn.execute(sa.select(groups).where(groups.c.session_id == s.id,
                                                      groups.c.round == s.round)
                              .order_by(groups.c.grp)).all():
            members = json.loads(g.members)
            ids = tuple(str(i) for m in members for i in seat_ids(m))
            who = None
            if g.finished is None:
                m = members[flat.player[int(g.node)]]
                who = m["role"]
                waiting.update(seat_ids(m))
            else:
                done.update(int(i) for i in ids)
            due = turn_rounds.deadline(s, g)
            out.append(GroupProgress(int(g.grp) + 1, ids, who, counts.get(int(g.grp), 0),
                                     None if due is None else max(0.0, due - now),
                                     g.finished is not None))
        return tuple(out), done, waiting

    def close_round(self, token: str, round_: int | None = None) -> RoundClose:
        """Close round ``round_`` (the one the instructor saw): match, score, open the next.

        Closing a round that is already closed returns its stored outcomes and
        changes nothing, so a double click never skips a round. A round closes
        only once each role has at least one move, so no move goes unscored.
        """
        def close(conn: sa.Connection) -> RoundClose:
            s = self._session_by_instructor(conn, token, lock=True)
            current = int(s.round)
            wanted = current if round_ is None else int(round_)
            if wanted < current:
                return RoundClose(wanted, tuple(self._outcomes(conn, s.id, wanted)),
                                  self._dropped(conn, s.id, wanted), already_closed=True)
            if wanted > current:
                raise ClassroomError(f"round {wanted} has not started; the current round is "
                                     f"{current}")
            self._live(s)
            if not s.round_open:
                raise ClassroomError(f"all {s.rounds} rounds have been played")
            game = self._game(s.game, s.params, s.lab)
            now = self.clock()
            if game.in_turn:
                if s.started is None:
                    raise ClassroomError(f"round {current} has not started; start it first")
                turn_rounds.finish_round(conn, s, game, now)
                self._next_round(conn, s, current, now)
                return RoundClose(current, tuple(self._outcomes(conn, s.id, current)),
                                  self._dropped(conn, s.id, current))
            if self._nf_deadline(s) is not None and now >= float(self._nf_deadline(s) or 0):
                self._nf_defaults(conn, s, game, now)
            self._bots_move(conn, s, game, current)
            rows = self._movers(conn, s.id, current)
            by_role: dict[str, list[Any]] = {role: [] for role in game.roles}
            for r in rows:
                by_role[r.role].append(r)
            empty = [role for role in game.roles if not by_role[role]]
            if empty:
                raise ClassroomError(
                    f"no one playing {' or '.join(empty)} has moved yet; a round closes once "
                    "each role has at least one move")
            if s.fill_gap and abs(len(by_role[game.roles[0]]) - len(by_role[game.roles[1]])) == 1:
                short = min(game.roles, key=lambda r: len(by_role[r]))
                self._house_bot_moves(conn, s, game, current, short)
                rows = self._movers(conn, s.id, current)
                by_role = {role: [r for r in rows if r.role == role] for role in game.roles}
            met, partner = self._history(conn, s.id, current)
            out = match_round(game, by_role, int(s.seed), current, s.matching or "random",
                              met, partner)
            conn.execute(results.delete().where(results.c.session_id == s.id,
                                                results.c.round == current))
            conn.execute(results.insert(), [
                {"session_id": s.id, "round": current, "player_id": o["player_id"],
                 "match": o["match"], "outcome": o["outcome"], "payoff": o["payoff"],
                 "partners": json.dumps(o["partners"], sort_keys=True), "closed": now,
                 "opponent": o["opponent"]}
                for o in out])
            self._next_round(conn, s, current, now)
            return RoundClose(current, tuple(self._outcomes(conn, s.id, current)),
                              self._dropped(conn, s.id, current))
        return self._write(close)

    def _next_round(self, conn: sa.Connection, s: Any, current: int, now: float) -> None:
        last = s.rounds is not None and current >= int(s.rounds)
        conn.execute(sessions.update().where(sessions.c.id == s.id)
                     .values(round=current + 1, round_open=not last, last_active=now,
                             round_opened=now, started=None))

    # -- trees played in turn, timers and the live controls ----------------------
    def start_round(self, token: str, round_: int | None = None) -> int:
        """Form the groups of a tree's open round among the students present; returns them.

        Starting a round that has started (a double click) changes nothing.
        """
        def start(conn: sa.Connection) -> int:
            s = self._session_by_instructor(conn, token, lock=True)
            self._live(s)
            if not s.round_open:
                raise ClassroomError(f"all {s.rounds} rounds have been played")
            if round_ is not None and int(round_) != int(s.round):
                raise ClassroomError(f"round {round_} is not the open round; it is {s.round}")
            game = self._game(s.game, s.params, s.lab)
            if not game.in_turn:
                raise ClassroomError("in a game played at the same time, a round starts by itself")
            if s.started is not None:
                return int(conn.execute(sa.select(sa.func.count()).select_from(groups).where(
                    groups.c.session_id == s.id, groups.c.round == s.round)).scalar_one())
            humans = int(conn.execute(sa.select(sa.func.count()).select_from(players).where(
                players.c.session_id == s.id, players.c.removed.is_(None),
                sa.or_(players.c.bot.is_(None), sa.not_(players.c.bot.like("house:%")))))
                .scalar_one())
            if humans < 1:
                raise ClassroomError("no one has joined yet")
            now = self.clock()
            conn.execute(sessions.update().where(sessions.c.id == s.id)
                         .values(started=now, round_opened=now, last_active=now))
            s = self._lock_session(conn, s.id)
            return turn_rounds.start_groups(conn, s, game, now, _hash)
        return self._write(start)

    def _nf_deadline(self, s: Any) -> float | None:
        if s.time_limit is None or s.paused is not None:
            return None
        opened = s.round_opened if s.round_opened is not None else s.created
        return float(opened) + float(s.time_limit)

    def _nf_defaults(self, conn: sa.Connection, s: Any, game: ClassroomGame, now: float) -> int:
        """Default moves, flagged, for the students present who have not moved in time."""
        from sim.classroom.bots import parse_policy

        moved = sa.select(moves.c.player_id).where(moves.c.session_id == s.id,
                                                   moves.c.round == s.round)
        due = self._nf_deadline(s)
        missing = conn.execute(sa.select(players).where(
            players.c.session_id == s.id, players.c.bot.is_(None), players.c.removed.is_(None),
            players.c.joined <= (due if due is not None else now),
            players.c.id.not_in(moved)).order_by(players.c.ordinal)).all()
        policy = parse_policy(s.default_move or turn_rounds.DEFAULT_POLICY, game)
        for p in missing:
            role, type_ = self._role_type(game, s, p, int(s.round))
            rng = np.random.default_rng([int(s.seed), 3_000_017, int(s.round), int(p.ordinal)])
            conn.execute(moves.insert().values(
                session_id=s.id, round=s.round, player_id=p.id, submitted=now, role=role,
                type=type_, taken=float(s.time_limit or 0.0), timed_out=True,
                action=policy.choose(game, role, type_, rng)))
        return len(missing)

    def _expired(self, s: Any, game: ClassroomGame, conn: sa.Connection) -> bool:
        """Whether a move of the open round is past its time limit and not yet resolved."""
        if s.time_limit is None or s.paused is not None or not s.round_open or self._ended(s):
            return False
        now = self.clock()
        if not game.in_turn:
            due = self._nf_deadline(s)
            if due is None or now < due:
                return False
            moved = sa.select(moves.c.player_id).where(moves.c.session_id == s.id,
                                                       moves.c.round == s.round)
            return conn.execute(sa.select(players.c.id).where(
                players.c.session_id == s.id, players.c.bot.is_(None),
                players.c.removed.is_(None), players.c.joined <= due,
                players.c.id.not_in(moved)).limit(1)).first() is not None
        if s.started is None:
            return False
        return conn.execute(sa.select(groups.c.grp).where(
            groups.c.session_id == s.id, groups.c.round == s.round,
            groups.c.finished.is_(None),
            groups.c.turn_started + float(s.time_limit) <= now).limit(1)).first() is not None

    def _resolve(self, session_id: int) -> None:
        """Play every expired move's default (transactional; a second call finds none)."""
        def resolve(conn: sa.Connection) -> None:
            s = self._lock_session(conn, session_id)
            game = self._game(s.game, s.params, s.lab)
            if not self._expired(s, game, conn):
                return
            if game.in_turn:
                turn_rounds.resolve_expired(conn, s, game, self.clock())
            else:
                self._nf_defaults(conn, s, game, self.clock())
        self._write(resolve)

    def _check_timers(self, session_id: int) -> None:
        def look(conn: sa.Connection) -> bool:
            s = conn.execute(sa.select(sessions).where(sessions.c.id == session_id)).one()
            if s.time_limit is None:
                return False
            return self._expired(s, self._game(s.game, s.params, s.lab), conn)
        if self._read(look):
            self._resolve(session_id)

    def pause(self, token: str, paused: bool = True) -> None:
        """Pause the session's timers and moves, or resume them with the time that was left."""
        def set_(conn: sa.Connection) -> None:
            s = self._session_by_instructor(conn, token, lock=True)
            self._live(s)
            now = self.clock()
            if paused and s.paused is None:
                conn.execute(sessions.update().where(sessions.c.id == s.id).values(paused=now))
            elif not paused and s.paused is not None:
                gap = max(0.0, now - float(s.paused))
                self._shift(conn, s, gap)
                conn.execute(sessions.update().where(sessions.c.id == s.id)
                             .values(paused=None, last_active=now))
        self._write(set_)

    @staticmethod
    def _shift(conn: sa.Connection, s: Any, seconds: float) -> None:
        """Move the open round's clocks on by ``seconds`` (a pause, or more time)."""
        conn.execute(groups.update().where(
            groups.c.session_id == s.id, groups.c.round == s.round,
            groups.c.finished.is_(None)).values(turn_started=groups.c.turn_started + seconds))
        opened = s.round_opened if s.round_opened is not None else s.created
        conn.execute(sessions.update().where(sessions.c.id == s.id)
                     .values(round_opened=float(opened) + seconds))

    def extend_time(self, token: str, seconds: float) -> None:
        """Give every move still open in this round ``seconds`` more."""
        seconds = float(seconds)
        if not math.isfinite(seconds) or not 1 <= seconds <= 3600:
            raise ClassroomError("extend a timer by 1 to 3600 seconds")

        def extend(conn: sa.Connection) -> None:
            s = self._session_by_instructor(conn, token, lock=True)
            self._live(s)
            if s.time_limit is None:
                raise ClassroomError("this session's moves have no time limit")
            self._shift(conn, s, seconds)
        self._write(extend)

    def set_timer(self, token: str, time_limit: float | None, default_move: str | None) -> None:
        """Set the time limit of each move and its default move, from now on."""
        game = self.game_of(token)
        limit, policy = self._timer(time_limit, default_move, game)

        def set_(conn: sa.Connection) -> None:
            s = self._session_by_instructor(conn, token, lock=True)
            self._live(s)
            conn.execute(sessions.update().where(sessions.c.id == s.id)
                         .values(time_limit=limit, default_move=policy))
        self._write(set_)

    def remove_player(self, token: str, name: str) -> None:
        """Remove a student: their link stops working and their moves are played by default."""
        def remove(conn: sa.Connection) -> None:
            s = self._session_by_instructor(conn, token, lock=True)
            self._live(s)
            p = conn.execute(sa.select(players).where(
                players.c.session_id == s.id, players.c.name_key == name_key(str(name)),
                players.c.removed.is_(None))).first()
            if p is None:
                raise ClassroomError("no student of that name is in this session")
            now = self.clock()
            conn.execute(players.update().where(players.c.id == p.id).values(removed=now))
            game = self._game(s.game, s.params, s.lab)
            if game.in_turn and s.started is not None:
                g = turn_rounds.group_row(conn, s.id, int(s.round), int(p.id))
                if g is not None:
                    turn_rounds.resolve_expired(conn, s, game, now, only=g, removed=True)
            elif not game.in_turn:
                conn.execute(moves.delete().where(moves.c.session_id == s.id,
                                                  moves.c.round == s.round,
                                                  moves.c.player_id == p.id))
        self._write(remove)

    @staticmethod
    def _movers(conn: sa.Connection, session_id: int, round_: int) -> Sequence[Any]:
        return conn.execute(
            sa.select(moves.c.player_id, moves.c.action,
                      sa.func.coalesce(moves.c.role, players.c.role).label("role"),
                      sa.case((moves.c.role.is_(None), players.c.type),
                              else_=moves.c.type).label("type"),
                      players.c.name)
            .join(players, players.c.id == moves.c.player_id)
            .where(moves.c.session_id == session_id, moves.c.round == round_)
            .order_by(moves.c.player_id)).all()

    @staticmethod
    def _history(conn: sa.Connection, session_id: int, before: int
                 ) -> tuple[dict[frozenset[Any], int], dict[Any, Any]]:
        """How often each pair met before round ``before``, and each player's latest partner."""
        met: dict[frozenset[Any], int] = {}
        partner: dict[Any, Any] = {}
        seen: set[tuple[int, frozenset[Any]]] = set()
        for r in conn.execute(sa.select(results.c.round, results.c.player_id,
                                        results.c.opponent)
                              .where(results.c.session_id == session_id,
                                     results.c.round < before,
                                     results.c.opponent.is_not(None))
                              .order_by(results.c.round)).all():
            key = pair_key(r.player_id, r.opponent)
            if (int(r.round), key) not in seen:  # a pair counts once per round
                seen.add((int(r.round), key))
                met[key] = met.get(key, 0) + 1
            partner[r.player_id] = r.opponent
            partner.setdefault(r.opponent, r.player_id)
        return met, partner

    def _role_type(self, game: ClassroomGame, s: Any, p: Any, round_: int
                   ) -> tuple[str, str | None]:
        """The role and private type of player ``p`` in round ``round_``."""
        if p.bot is not None and p.bot.startswith("house:"):
            return p.role, p.type
        role = role_in_round(game.roles, int(p.ordinal), round_, bool(s.rotate))
        if role == p.role:
            return role, p.type
        return role, self._draw_type(game, role, int(s.seed), int(p.ordinal))

    def _bots_move(self, conn: sa.Connection, s: Any, game: ClassroomGame, round_: int) -> None:
        """Simulated students added by the instructor move at the close, by their policy."""
        from sim.classroom.bots import parse_policy

        moved = sa.select(moves.c.player_id).where(moves.c.session_id == s.id,
                                                   moves.c.round == round_)
        bots = conn.execute(sa.select(players).where(
            players.c.session_id == s.id, players.c.bot.is_not(None),
            sa.not_(players.c.bot.like("house:%")),  # it fills a gap only when there is one
            players.c.id.not_in(moved)).order_by(players.c.ordinal)).all()
        now = self.clock()
        for p in bots:
            policy = parse_policy(p.bot, game)
            role, type_ = self._role_type(game, s, p, round_)
            rng = np.random.default_rng([int(s.seed), 2_000_003, int(p.ordinal), round_])
            conn.execute(moves.insert().values(
                session_id=s.id, round=round_, player_id=p.id, submitted=now, role=role,
                type=type_, taken=0.0, action=policy.choose(game, role, type_, rng)))

    def _house_bot_moves(self, conn: sa.Connection, s: Any, game: ClassroomGame, round_: int,
                         role: str) -> None:
        """One computer player fills the gap of an odd class, in the role that is short."""
        from sim.classroom.bots import parse_policy

        p = conn.execute(sa.select(players).where(players.c.session_id == s.id,
                                                  players.c.bot.like("house:%"))).first()
        now = self.clock()
        if p is None:
            count = int(conn.execute(sa.select(sa.func.count()).select_from(players)
                                     .where(players.c.session_id == s.id)).scalar_one())
            house_key = name_key(HOUSE_BOT_NAME)
            if conn.execute(sa.select(players.c.id).where(
                    players.c.session_id == s.id, players.c.name_key == house_key)).first():
                house_key += "#house"  # a student took the name first; keys stay unique
            key = conn.execute(players.insert().values(
                session_id=s.id, ordinal=count, name=HOUSE_BOT_NAME,
                name_key=house_key, token_hash=_hash(
                    secrets.token_urlsafe(16)), role=role, type=None, joined=now,
                bot="house:nash")).inserted_primary_key
            assert key is not None
            pid, ordinal = int(key[0]), count
        else:
            pid, ordinal = int(p.id), int(p.ordinal)
        type_ = self._draw_type(game, role, int(s.seed), ordinal)
        rng = np.random.default_rng([int(s.seed), 2_000_003, ordinal, round_])
        action = parse_policy("nash").choose(game, role, type_, rng)
        conn.execute(moves.insert().values(session_id=s.id, round=round_, player_id=pid,
                                           action=action, submitted=now, role=role,
                                           type=type_, taken=0.0))

    @staticmethod
    def _outcomes(conn: sa.Connection, session_id: int, round_: int) -> list[dict[str, Any]]:
        rows = conn.execute(
            sa.select(players.c.id.label("player_id"), players.c.name,
                      sa.func.coalesce(moves.c.role, players.c.role).label("role"),
                      sa.case((moves.c.role.is_(None), players.c.type),
                              else_=moves.c.type).label("type"), moves.c.action,
                      results.c.match, results.c.outcome, results.c.payoff, results.c.partners)
            .join(players, players.c.id == results.c.player_id)
            .join(moves, sa.and_(moves.c.session_id == results.c.session_id,
                                 moves.c.round == results.c.round,
                                 moves.c.player_id == results.c.player_id))
            .where(results.c.session_id == session_id, results.c.round == round_)
            .order_by(results.c.match, players.c.ordinal)).all()
        out = []
        for r in rows:
            row = dict(r._mapping)
            row["partners"] = json.loads(row["partners"] or "{}")
            out.append(row)
        return out

    @staticmethod
    def _dropped(conn: sa.Connection, session_id: int, round_: int) -> tuple[str, ...]:
        """Students who had joined by the close of ``round_`` but did not move in it."""
        moved = sa.select(moves.c.player_id).where(moves.c.session_id == session_id,
                                                   moves.c.round == round_)
        closed_at = sa.select(sa.func.min(results.c.closed)).where(
            results.c.session_id == session_id, results.c.round == round_).scalar_subquery()
        rows = conn.execute(sa.select(players.c.name).where(
            players.c.session_id == session_id, players.c.id.not_in(moved),
            players.c.joined <= sa.func.coalesce(closed_at, 0.0)).order_by(players.c.ordinal)
        ).all()
        return tuple(r.name for r in rows)

    def round_outcomes(self, token: str, round_: int) -> RoundClose:
        """The stored outcomes of a closed round (the page shows them again after a reload)."""
        def read(conn: sa.Connection) -> RoundClose:
            s = self._session_by_instructor(conn, token)
            if int(round_) >= int(s.round):
                raise ClassroomError(f"round {round_} is not closed yet")
            return RoundClose(int(round_), tuple(self._outcomes(conn, s.id, int(round_))),
                              self._dropped(conn, s.id, int(round_)), already_closed=True)
        return self._read(read)

    def choices(self, token: str) -> list[dict[str, Any]]:
        """Every move of a closed round with its outcome (for the debrief and the CSV export).

        Moves of the open round are left out: nothing is revealed before the close.
        So are the moves of simulated students added by the instructor and of the
        computer player: the debrief is about the class (the tidy export keeps them).
        In a tree each move is one row, with ``agent`` naming where it was made.
        ``timed_out`` flags a default move played at the time limit.
        """
        def read(conn: sa.Connection) -> tuple[Any, list[dict[str, Any]]]:
            s = self._session_by_instructor(conn, token)
            if self._game(s.game, s.params, s.lab).in_turn:
                rows = conn.execute(
                    sa.select(steps.c.round, players.c.name, steps.c.role, steps.c.type,
                              steps.c.infoset, steps.c.action, steps.c.grp.label("match"),
                              results.c.outcome, results.c.payoff, steps.c.timed_out)
                    .join(players, players.c.id == steps.c.player_id)
                    .join(results, sa.and_(results.c.session_id == steps.c.session_id,
                                           results.c.round == steps.c.round,
                                           results.c.player_id == steps.c.player_id),
                          isouter=True)
                    .where(steps.c.session_id == s.id, steps.c.round < s.round,
                           players.c.bot.is_(None))
                    .order_by(steps.c.round, steps.c.grp, steps.c.step)).all()
                return s, [dict(r._mapping) for r in rows]
            flat_rows = conn.execute(
                sa.select(moves.c.round, players.c.name,
                          sa.func.coalesce(moves.c.role, players.c.role).label("role"),
                          sa.case((moves.c.role.is_(None), players.c.type),
                                  else_=moves.c.type).label("type"),
                          moves.c.action, results.c.match, results.c.outcome,
                          results.c.payoff,
                          sa.func.coalesce(moves.c.timed_out, False).label("timed_out"))
                .join(players, players.c.id == moves.c.player_id)
                .join(results, sa.and_(results.c.session_id == moves.c.session_id,
                                       results.c.round == moves.c.round,
                                       results.c.player_id == moves.c.player_id), isouter=True)
                .where(moves.c.session_id == s.id, moves.c.round < s.round,
                       players.c.bot.is_(None))
                .order_by(moves.c.round, players.c.ordinal)).all()
            return s, [dict(r._mapping) for r in flat_rows]
        s, rows = self._read(read)
        game = self._game(s.game, s.params, s.lab)
        if game.in_turn:
            for row in rows:
                row["agent"] = game.agent_at(row.pop("infoset")).key
        for row in rows:
            row["timed_out"] = bool(row["timed_out"])
        return rows

    def game_of(self, token: str) -> ClassroomGame:
        s = self._read(lambda conn: self._session_by_instructor(conn, token))
        return self._game(s.game, s.params, s.lab)

    def set_fill_gap(self, token: str, fill_gap: bool) -> None:
        """Whether a computer player makes up the last pair of an odd class from the next close."""
        def set_(conn: sa.Connection) -> None:
            s = self._session_by_instructor(conn, token, lock=True)
            self._live(s)
            conn.execute(sessions.update().where(sessions.c.id == s.id)
                         .values(fill_gap=bool(fill_gap)))
        self._write(set_)

    def add_bots(self, token: str, n: int, policy: str = "nash") -> int:
        """Add ``n`` simulated students who move by ``policy`` when each round closes."""
        from sim.classroom.bots import parse_policy

        n = int(n)
        if not 1 <= n <= MAX_PLAYERS:
            raise ClassroomError(f"add from 1 to {MAX_PLAYERS} simulated students")
        game = self.game_of(token)
        try:
            text = parse_policy(policy, game).text
        except ValueError as exc:
            raise ClassroomError(str(exc)) from None

        def add(conn: sa.Connection) -> int:
            s = self._session_by_instructor(conn, token, lock=True)
            self._live(s)
            count = int(conn.execute(sa.select(sa.func.count()).select_from(players)
                                     .where(players.c.session_id == s.id)).scalar_one())
            if count + n > MAX_PLAYERS:
                raise ClassroomError("this session is full")
            taken = {r.name_key for r in conn.execute(sa.select(players.c.name_key).where(
                players.c.session_id == s.id))}
            now, k = self.clock(), 0
            for ordinal in range(count, count + n):
                k += 1
                while name_key(f"Computer {k}") in taken:
                    k += 1
                name = f"Computer {k}"
                role = role_in_round(game.roles, ordinal, 1, False)
                conn.execute(players.insert().values(
                    session_id=s.id, ordinal=ordinal, name=name, name_key=name_key(name),
                    token_hash=_hash(secrets.token_urlsafe(16)), role=role,
                    type=None if game.in_turn else self._draw_type(game, role, int(s.seed),
                                                                   ordinal),
                    joined=now, bot=text))
            self._touch(conn, s)
            return n
        return self._write(add)

    def export_rows(self, token: str | None = None, *, code: str | None = None,
                    password: str | None = None, client: str = "") -> list[dict[str, Any]]:
        """The tidy table of every closed round (:mod:`sim.classroom.export`).

        Authorised by the instructor token, or by the join code with the
        instructor password when the store has one. A student token never exports.
        """
        if token is None:
            wanted = self.instructor_password
            join_code = _clean_code(code, JOIN_LENGTH)

            def check() -> None:
                given = str(password or "").encode("utf-8")
                if not wanted or not hmac.compare_digest(given, wanted.encode("utf-8")):
                    raise _WrongSecret("the instructor password is not right")
            self._guarded("password", client, check)
            where: Any = sessions.c.code == join_code
        else:
            where = None

        def read(conn: sa.Connection) -> tuple[Any, Sequence[Any]]:
            if where is None:
                s = self._session_by_instructor(conn, str(token))
            else:
                s = conn.execute(sa.select(sessions).where(where)).first()
                if s is None:
                    raise ClassroomError("no session has that join code")
            if self._game(s.game, s.params, s.lab).in_turn:
                return s, conn.execute(  # one row per move made
                    sa.select(steps.c.round, steps.c.grp.label("match"), players.c.name,
                              players.c.bot, steps.c.role, steps.c.type, steps.c.infoset,
                              steps.c.action, steps.c.taken, steps.c.timed_out,
                              results.c.payoff, results.c.outcome)
                    .join(players, players.c.id == steps.c.player_id)
                    .join(results, sa.and_(results.c.session_id == steps.c.session_id,
                                           results.c.round == steps.c.round,
                                           results.c.player_id == steps.c.player_id))
                    .where(steps.c.session_id == s.id)
                    .order_by(steps.c.round, steps.c.grp, steps.c.step)).all()
            rows = conn.execute(
                sa.select(results.c.round, results.c.match, players.c.name, players.c.bot,
                          sa.func.coalesce(moves.c.role, players.c.role).label("role"),
                          sa.case((moves.c.role.is_(None), players.c.type),
                                  else_=moves.c.type).label("type"),
                          moves.c.action, moves.c.taken, moves.c.timed_out, results.c.payoff,
                          results.c.outcome)
                .join(players, players.c.id == results.c.player_id)
                .join(moves, sa.and_(moves.c.session_id == results.c.session_id,
                                     moves.c.round == results.c.round,
                                     moves.c.player_id == results.c.player_id))
                .where(results.c.session_id == s.id)
                .order_by(results.c.round, results.c.match, players.c.ordinal)).all()
            return s, rows
        s, rows = self._read(read)
        from sim.classroom.export import tidy_rows
        game = self._game(s.game, s.params, s.lab)
        where_names = ({a.infoset: a.where for a in game.agents if a.infoset is not None}
                       if game.in_turn else {})
        return tidy_rows(s.code, rows, where_names)

    # -- students ---------------------------------------------------------------
    def join(self, code: str, name: str, *, client: str = "",
             device: str | None = None) -> JoinTicket:
        """Join the session with ``code`` as ``name``; returns the student's secret token.

        ``client`` identifies the browser or address for the back-off on wrong
        codes. ``device`` is a secret the browser keeps: joining again under a
        taken name from the device that took it returns to that player.
        """
        try:
            clean = clean_name(name)
        except InvalidName as exc:
            raise ClassroomError(str(exc)) from None
        device_hash = _hash(device) if device else None

        def attempt() -> JoinTicket:
            try:
                join_code = _clean_code(code, JOIN_LENGTH)
            except ClassroomError:
                raise _WrongSecret("that join code is not valid") from None
            self._warm(join_code)
            return self._write(lambda conn: self._join(conn, join_code, clean, device_hash))
        return self._guarded("join", client, attempt)

    def game_by_code(self, code: str) -> ClassroomGame:
        """The game of the session ``code`` (what any student who joins it sees)."""
        join_code = _clean_code(code, JOIN_LENGTH)
        s = self._read(lambda conn: conn.execute(
            sa.select(sessions.c.game, sessions.c.params, sessions.c.lab)
            .where(sessions.c.code == join_code)).first())
        if s is None:
            raise ClassroomError("no session has that join code")
        return self._game(s.game, s.params, s.lab)

    def _warm(self, code: str) -> None:
        """Build the session's game before taking the write lock, never while holding it."""
        if code in self._warmed:
            return
        s = self._read(lambda conn: conn.execute(
            sa.select(sessions.c.game, sessions.c.params, sessions.c.lab)
            .where(sessions.c.code == code)).first())
        if s is not None:
            self._game(s.game, s.params, s.lab)
            self._warmed.add(code)

    def _join(self, conn: sa.Connection, code: str, name: str,
              device_hash: str | None) -> JoinTicket:
        s = conn.execute(sa.select(sessions).where(sessions.c.code == code)
                         .with_for_update()).first()
        if s is None:
            raise _WrongSecret("no session has that join code")
        if self._ended(s):
            raise _WrongSecret("that session has ended")
        token = secrets.token_urlsafe(16)
        key = name_key(name)
        taken = conn.execute(sa.select(players).where(
            players.c.session_id == s.id, players.c.name_key == key)).first()
        if taken is not None:
            if device_hash is not None and taken.device_hash is not None and \
                    hmac.compare_digest(taken.device_hash, device_hash):
                conn.execute(players.update().where(players.c.id == taken.id)
                             .values(token_hash=_hash(token)))
                return JoinTicket(token, taken.role, taken.type, rejoined=True)
            raise ClassroomError("that name is taken in this session; choose another")
        count = int(conn.execute(sa.select(sa.func.count()).select_from(players)
                                 .where(players.c.session_id == s.id)).scalar_one())
        if count >= MAX_PLAYERS:
            raise ClassroomError("this session is full")
        game = self._game(s.game, s.params, s.lab)
        role = game.roles[count % len(game.roles)]
        # a tree's private types come from its chance moves, drawn per group and round
        type_ = None if game.in_turn else self._draw_type(game, role, int(s.seed), count)
        now = self.clock()
        conn.execute(players.insert().values(
            session_id=s.id, ordinal=count, name=name, name_key=key, token_hash=_hash(token),
            device_hash=device_hash, role=role, type=type_, joined=now))
        self._touch(conn, s)
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
        """What a student's page shows; resolves expired moves of their session first."""
        def read(conn: sa.Connection) -> tuple[Any, Any, Any, Sequence[Any], Any]:
            p = self._player(conn, token)
            s = conn.execute(sa.select(sessions).where(sessions.c.id == p.session_id)).one()
            game = self._game(s.game, s.params, s.lab)
            if s.time_limit is not None and self._expired(s, game, conn):
                return p, s, None, (), _EXPIRED
            # a tree's moves of the open round reach cs_moves only when it closes
            mine = None if game.in_turn and s.round_open else conn.execute(
                sa.select(moves.c.action).where(
                    moves.c.session_id == s.id, moves.c.round == s.round,
                    moves.c.player_id == p.id)).first()
            other = players.alias("other")
            past = conn.execute(
                sa.select(results.c.round, moves.c.action, results.c.outcome, results.c.payoff,
                          results.c.partners, moves.c.role, moves.c.type,
                          other.c.name.label("opponent"), other.c.bot.label("opponent_bot"))
                .join(moves, sa.and_(moves.c.session_id == results.c.session_id,
                                     moves.c.round == results.c.round,
                                     moves.c.player_id == results.c.player_id))
                .join(other, other.c.id == results.c.opponent, isouter=True)
                .where(results.c.session_id == s.id, results.c.player_id == p.id)
                .order_by(results.c.round)).all()
            turn = None
            if s.started is not None and s.round_open:
                g = turn_rounds.group_row(conn, s.id, int(s.round), int(p.id))
                if g is not None:
                    turn = (g, *turn_rounds.own_moves(conn, g, int(p.id)))
            return p, s, mine, past, turn
        p, s, mine, past, turn = self._read(read)
        if turn is _EXPIRED:  # a move is past its time limit: play its default, then look
            self._resolve(int(s.id))
            p, s, mine, past, turn = self._read(read)
            turn = None if turn is _EXPIRED else turn
        game = self._game(s.game, s.params, s.lab)
        history = tuple(RoundRecord(int(r.round), r.action, json.loads(r.partners or "{}"),
                                    r.outcome, float(r.payoff), r.role or p.role,
                                    r.type if r.role else p.type, r.opponent,
                                    r.opponent_bot is not None) for r in past)
        last = history[-1] if history else None
        role, type_ = self._role_type(game, s, p, min(int(s.round), int(s.rounds or s.round)))
        now = self.clock()
        state = None
        if game.in_turn:
            state = None if turn is None else self._turn_state(game, s, p, turn[0], turn[1],
                                                               turn[2], now)
            if turn is not None:
                role = state.role_now  # type: ignore[union-attr]
                type_ = state.type_now  # type: ignore[union-attr]
            else:
                type_ = None
            actions = () if state is None else state.turn.actions
        else:
            actions = game.agent(role, type_).actions
        due = None if game.in_turn else self._nf_deadline(s)
        return PlayerState(
            name=p.name, role=role, type=type_, actions=actions,
            round=int(s.round), round_open=bool(s.round_open),
            submitted=None if mine is None else mine.action,
            last_outcome=None if last is None else last.outcome,
            last_payoff=None if last is None else last.payoff,
            game_title=game.title, briefing=game.description, game_name=s.game,
            params=tuple(sorted(game.params.items())), history=history,
            ended=self._ended(s) or not s.round_open, rounds=s.rounds,
            rotate=bool(s.rotate), turn=None if state is None else state.turn,
            in_turn=game.in_turn, started=s.started is not None or not game.in_turn,
            seconds_left=None if due is None else max(0.0, due - now),
            paused=s.paused is not None)

    @staticmethod
    def _turn_state(game: ClassroomGame, s: Any, p: Any, g: Any, mine: Sequence[str],
                    step: int, now: float) -> Any:
        """A student's place in their group's tree: their move, or whom they wait for."""
        assert game.tree is not None
        flat = game.tree.flat()
        members = json.loads(g.members)
        index = next(i for i, m in enumerate(members) if int(p.id) in seat_ids(m))
        me = members[index]
        node = int(g.node)
        finished = g.finished is not None
        my_move = not finished and flat.player[node] == index
        seen = list(turn_rounds.seen_sentences(game, g, index))
        if me.get("team"):
            seen.insert(0, TEAM_RULE)
        if not my_move:
            who = "Your team" if me.get("team") else "You"
            seen += [f"{who} chose {a}." for a in mine]
        due = turn_rounds.deadline(s, g)
        infoset = flat.infoset[node] if my_move else None
        waiting = None if finished or my_move else members[flat.player[node]]["role"]
        payoff = float(json.loads(g.payoffs)[index]) if finished else None
        turn = TurnState(
            group=int(g.grp) + 1, my_move=my_move, infoset=infoset,
            where=game.agent_at(infoset).where if infoset else "",
            actions=tuple(flat.actions[node]) if my_move else (), seen=tuple(seen), step=step,
            waiting_for=waiting, seconds_left=None if due is None else max(0.0, due - now),
            finished=finished, outcome=g.outcome if finished else None, payoff=payoff,
            paused=s.paused is not None)
        return _Seat(turn, me["role"], me["type"])

    def player_game(self, token: str) -> ClassroomGame:
        """The game a student is playing (for the payoff table on their page)."""
        def read(conn: sa.Connection) -> Any:
            p = self._player(conn, token)
            return conn.execute(sa.select(sessions).where(sessions.c.id == p.session_id)).one()
        s = self._read(read)
        return self._game(s.game, s.params, s.lab)

    def submit(self, token: str, action: str, round_: int | None = None,
               step: int | None = None) -> int:
        """Record (or change) this student's move for round ``round_``; returns the round.

        The round is checked inside the transaction that stores the move, under
        the session's lock: a move for a round that has closed is refused with
        "round N is closed", never silently left unscored. In a tree played in
        turn the move is played at the student's group's node if it is their
        move; ``step`` (the moves already made in the group, as the page saw
        them) makes a repeated click fail instead of moving at the next node.
        """
        def store(conn: sa.Connection) -> int:
            p = self._player(conn, token)
            s = self._lock_session(conn, p.session_id)
            self._live(s)
            current = int(s.round)
            if not s.round_open:
                raise ClassroomError(f"all {s.rounds} rounds have been played")
            if round_ is not None and int(round_) < current:
                raise ClassroomError(f"round {round_} is closed; the current round is {current}")
            if round_ is not None and int(round_) > current:
                raise ClassroomError(f"round {round_} has not started; the current round is "
                                     f"{current}")
            game = self._game(s.game, s.params, s.lab)
            if game.in_turn:
                turn_rounds.play_move(conn, s, game, p, str(action), step, self.clock())
                self._touch(conn, s)
                return current
            if s.paused is not None:
                raise ClassroomError("the game is paused; wait for the instructor")
            role, type_ = self._role_type(game, s, p, current)
            allowed = game.agent(role, type_).actions
            if action not in allowed:
                raise ClassroomError(f"choose one of: {', '.join(allowed)}")
            now = self.clock()
            opened = s.round_opened if s.round_opened is not None else s.created
            due = self._nf_deadline(s)
            if due is not None and now >= due:
                self._nf_defaults(conn, s, game, now)
                raise ClassroomError("the time for this move is up; the default move was played")
            fields = {"action": action, "submitted": now, "role": role, "type": type_,
                      "taken": max(0.0, now - float(opened)), "timed_out": False}
            updated = conn.execute(moves.update().where(
                moves.c.session_id == s.id, moves.c.round == current,
                moves.c.player_id == p.id).values(**fields))
            if updated.rowcount == 0:
                conn.execute(moves.insert().values(session_id=s.id, round=current,
                                                   player_id=p.id, **fields))
            self._touch(conn, s)
            return current
        return self._write(store)


@functools.lru_cache(maxsize=64)
def _built_game(name: str, params_json: str) -> ClassroomGame:
    """A session's game, built once per process (building solves the model)."""
    return make_game(name, json.loads(params_json))


_EXPIRED = object()


@dataclass(frozen=True)
class _Seat:
    turn: TurnState
    role_now: str
    type_now: str | None


class _WrongSecret(ClassroomError):
    """A wrong join code, recovery code or password: it counts towards the back-off."""


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
