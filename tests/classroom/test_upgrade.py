"""A class database written by the first release opens, gains the new columns, keeps its data."""

from __future__ import annotations

import hashlib
import sqlite3

import pytest

from sim.classroom.store import ClassroomError, ClassroomStore

OLD_SCHEMA = """
CREATE TABLE cs_sessions (id INTEGER PRIMARY KEY, code VARCHAR(16) NOT NULL UNIQUE,
  instructor_hash VARCHAR(64) NOT NULL, game VARCHAR(32) NOT NULL, params TEXT NOT NULL,
  seed BIGINT NOT NULL, round INTEGER NOT NULL, round_open BOOLEAN NOT NULL,
  created FLOAT NOT NULL);
CREATE TABLE cs_players (id INTEGER PRIMARY KEY, session_id INTEGER NOT NULL
  REFERENCES cs_sessions(id), ordinal INTEGER NOT NULL, name VARCHAR(160) NOT NULL,
  token_hash VARCHAR(64) NOT NULL UNIQUE, role VARCHAR(64) NOT NULL, type VARCHAR(64),
  joined FLOAT NOT NULL, UNIQUE (session_id, ordinal));
CREATE TABLE cs_moves (session_id INTEGER NOT NULL REFERENCES cs_sessions(id),
  round INTEGER NOT NULL, player_id INTEGER NOT NULL REFERENCES cs_players(id),
  action VARCHAR(128) NOT NULL, submitted FLOAT NOT NULL,
  PRIMARY KEY (session_id, round, player_id));
CREATE TABLE cs_results (session_id INTEGER NOT NULL REFERENCES cs_sessions(id),
  round INTEGER NOT NULL, player_id INTEGER NOT NULL REFERENCES cs_players(id),
  match INTEGER NOT NULL, outcome VARCHAR(64) NOT NULL, payoff FLOAT NOT NULL,
  PRIMARY KEY (session_id, round, player_id));
"""


def _h(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def test_a_first_release_database_is_upgraded_in_place(tmp_path) -> None:
    path = tmp_path / "old.db"
    with sqlite3.connect(path) as conn:
        conn.executescript(OLD_SCHEMA)
        conn.execute("INSERT INTO cs_sessions VALUES (1, 'ABCDEF', ?, 'chicken', '{}', 7, 1, 1, "
                     "1.7e9)", (_h("teacher"),))
        # the first release let "Alice" and "alice" both join
        conn.execute("INSERT INTO cs_players VALUES (1, 1, 0, 'Alice', ?, 'Russia', NULL, 1.7e9)",
                     (_h("s1"),))
        conn.execute("INSERT INTO cs_players VALUES (2, 1, 1, 'alice', ?, 'West', NULL, 1.7e9)",
                     (_h("s2"),))
        conn.execute("INSERT INTO cs_moves VALUES (1, 1, 1, 'Firm', 1.7e9)")
    store = ClassroomStore(f"sqlite:///{path}", clock=lambda: 1.7e9 + 60)
    state = store.instructor_state("teacher")
    assert [p["name"] for p in state.players] == ["Alice", "alice"] and state.submitted == 1
    with pytest.raises(ClassroomError, match="name is taken"):
        store.join("ABCDEF", "ALICE")
    store.submit("s2", "Swerve", 1)
    closed = store.close_round("teacher", 1)
    assert [(o["name"], o["outcome"]) for o in closed.outcomes] == [
        ("Alice", "The United States backs down"), ("alice", "The United States backs down")]
    assert store.player_state("s2").history[0].partners == {"Russia": "Firm"}
    # the role the first release called the West is the United States now
    assert store.player_state("s2").role == "United States"
    ClassroomStore(f"sqlite:///{path}")  # opening it again changes nothing


def test_an_older_database_gains_the_tables_of_play_in_turn(tmp_path) -> None:
    import sqlalchemy as sa

    path = tmp_path / "old.db"
    with sqlite3.connect(path) as conn:
        conn.executescript(OLD_SCHEMA)
        conn.execute("INSERT INTO cs_sessions VALUES (1, 'ABCDEF', ?, 'threat', ?, 7, 1, 1, "
                     "1.7e9)", (_h("teacher"), '{"x": 0.7}'))
    store = ClassroomStore(f"sqlite:///{path}", clock=lambda: 1.7e9 + 60)
    inspector = sa.inspect(store.engine)
    assert {"cs_groups", "cs_steps"} <= set(inspector.get_table_names())
    columns = {c["name"] for c in inspector.get_columns("cs_sessions")}
    assert {"started", "paused", "time_limit", "default_move"} <= columns
    assert "timed_out" in {c["name"] for c in inspector.get_columns("cs_moves")}
    assert "removed" in {c["name"] for c in inspector.get_columns("cs_players")}
    # the old session is now played in turn
    ana, ben = (store.join("ABCDEF", n).player_token for n in ("Ana", "Ben"))
    assert store.start_round("teacher", 1) == 1
    store.submit(ana, "Status quo", 1, step=0)
    closed = store.close_round("teacher", 1)
    assert {o["name"]: o["outcome"] for o in closed.outcomes} == {"Ana": "Status quo",
                                                                  "Ben": "Status quo"}
    assert store.player_state(ben).history[0].action == "No move"


def test_a_bounded_information_set_column_becomes_text(store_url) -> None:
    # databases made before the crisis negotiation's long histories held the information
    # set in 128 characters, which PostgreSQL enforces
    import sqlalchemy as sa

    from sim.classroom.schema import create_or_upgrade, metadata

    engine = sa.create_engine(store_url)
    metadata.create_all(engine)
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.execute(sa.text("ALTER TABLE cs_steps ALTER COLUMN infoset TYPE VARCHAR(128)"))
    create_or_upgrade(engine)
    kind = {c["name"]: c["type"] for c in sa.inspect(engine).get_columns("cs_steps")}["infoset"]
    assert getattr(kind, "length", None) is None
    create_or_upgrade(engine)  # a second upgrade finds nothing to do
    engine.dispose()
