"""A live class session: one instructor, seven students, SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io

import pytest

from sim.classroom.store import JOIN_ALPHABET, ClassroomError, ClassroomStore, csv_rows

NAMES = ["Ana", "Ben", "Chen", "Dara", "Eli", "Fatima", "Goran"]


def _class(url: str, game: str = "threat", seed: int = 42):
    store = ClassroomStore(url)
    created = store.create_session(game, seed=seed)
    tickets = {n: store.join(created.code, n) for n in NAMES}
    return store, created, tickets


def _types(store, tickets):
    return [store.player_state(tickets[n].player_token).type for n in NAMES]


def test_join_roles_and_private_types(store_url) -> None:
    store, created, tickets = _class(store_url)
    assert len(created.code) == 6 and set(created.code) <= set(JOIN_ALPHABET)
    roles = [tickets[n].role for n in NAMES]
    assert roles == ["Russia", "United States"] * 3 + ["Russia"]  # round-robin in join order
    # the threat game is a tree: types come from its chance move when the round starts
    assert all(tickets[n].type is None for n in NAMES)
    assert store.player_state(tickets["Ana"].player_token).started is False
    assert store.start_round(created.instructor_token, 1) == 4  # three pairs and a computer
    types = _types(store, tickets)
    assert all(t in ("resolved", "irresolute") for t in types[::2])
    assert all(t is None for t in types[1::2])
    # the same seed and join order give the same types
    again = ClassroomStore(store_url)
    other = again.create_session("threat", seed=42)
    more = {n: again.join(other.code, n) for n in NAMES}
    again.start_round(other.instructor_token)
    assert _types(again, more) == types
    # a Russian sees their own type and first move; the United States waits for Russia
    state = store.player_state(tickets["Ana"].player_token)
    assert (state.role, state.type) == ("Russia", types[0])
    assert state.actions == ("Status quo", "Demand") and state.turn.my_move
    west = store.player_state(tickets["Ben"].player_token)
    assert west.actions == () and west.turn.waiting_for == "Russia"


def _play_everyone(store, tickets, choose):
    """Each student whose move it is moves by ``choose(name, actions)``, until none can."""
    moved = 0
    for _ in range(10):
        progress = False
        for name, ticket in tickets.items():
            me = store.player_state(ticket.player_token)
            if me.turn is not None and me.turn.my_move:
                store.submit(ticket.player_token, choose(name, me.actions), me.round,
                             step=me.turn.step)
                moved += 1
                progress = True
        if not progress:
            return moved
    return moved


def test_idempotent_submission_and_round_close(store_url) -> None:
    store, created, tickets = _class(store_url)
    token = created.instructor_token
    store.start_round(token, 1)
    store.start_round(token, 1)  # double click: the same groups
    assert len(store.instructor_state(token).groups) == 4
    first = {"Ana": "Demand", "Chen": "Status quo", "Eli": "Demand", "Goran": "Demand"}
    for name, action in first.items():
        me = store.player_state(tickets[name].player_token)
        store.submit(tickets[name].player_token, action, 1, step=me.turn.step)
        with pytest.raises(ClassroomError, match="already been played"):  # double click
            store.submit(tickets[name].player_token, action, 1, step=me.turn.step)
    chen = store.player_state(tickets["Chen"].player_token)
    assert chen.turn.finished and chen.turn.outcome == "Status quo"
    _play_everyone(store, tickets, lambda name, actions: "Resist" if "Resist" in actions
                   else "Fight" if name == "Ana" else actions[-1])
    state = store.instructor_state(token)
    assert state.round == 1 and all(g.finished for g in state.groups)
    outcomes = store.close_round(token, 1).outcomes
    humans = [o for o in outcomes if o["name"] in NAMES]
    assert sorted(o["name"] for o in humans) == sorted(NAMES)  # each scored once
    assert store.instructor_state(token).round == 2
    choices = store.choices(token)
    assert all(c["name"] in NAMES for c in choices)
    assert len(choices) == len({(c["name"], c["agent"]) for c in choices})  # no double count
    by_name = {c["name"]: c for c in choices if c["agent"].endswith("first move")}
    assert by_name["Chen"]["outcome"] == "Status quo" and by_name["Ana"]["action"] == "Demand"
    assert all(c["outcome"] is not None for c in choices)
    # a submission for a closed round is refused
    with pytest.raises(ClassroomError, match="round 1 is closed"):
        store.submit(tickets["Ana"].player_token, "Status quo", round_=1)
    last = store.player_state(tickets["Chen"].player_token)
    assert last.last_outcome == "Status quo" and last.round == 2


def test_matching_is_seeded(tmp_path) -> None:
    outs = []
    for k in range(2):
        store, created, tickets = _class(f"sqlite:///{tmp_path / f'{k}.db'}", "chicken", seed=7)
        for i, name in enumerate(NAMES):
            store.submit(tickets[name].player_token, "Firm" if i % 3 else "Swerve")
        outs.append(sorted((o["name"], o["match"], o["outcome"])
                           for o in store.close_round(created.instructor_token).outcomes))
    assert outs[0] == outs[1]


def test_sqlite_runs_in_wal_mode(tmp_path) -> None:
    import sqlalchemy as sa

    store = ClassroomStore(f"sqlite:///{tmp_path / 'wal.db'}")
    with store.engine.connect() as conn:
        assert conn.execute(sa.text("PRAGMA journal_mode")).scalar_one() == "wal"


def test_restart_loses_nothing(store_url) -> None:
    store, created, tickets = _class(store_url, "chicken")
    store.submit(tickets["Ana"].player_token, "Firm")
    store.dispose()
    restarted = ClassroomStore(store_url)  # a new server process
    state = restarted.instructor_state(created.instructor_token)
    assert [p["name"] for p in state.players] == NAMES
    assert state.submitted == 1
    assert restarted.player_state(tickets["Ana"].player_token).submitted == "Firm"


def test_students_cannot_act_as_instructor(store_url) -> None:
    store, created, tickets = _class(store_url)
    student = tickets["Ana"].player_token
    for call in (store.instructor_state, store.close_round, store.choices):
        with pytest.raises(ClassroomError, match="instructor link is not valid"):
            call(student)
        with pytest.raises(ClassroomError, match="instructor link is not valid"):
            call(created.code)
    with pytest.raises(ClassroomError, match="student link is not valid"):
        store.player_state(created.instructor_token)


def test_input_validation(store_url) -> None:
    store, created, tickets = _class(store_url, "chicken")
    for code in ("", "ABC", "ABCDE0", "x" * 100):
        with pytest.raises(ClassroomError):
            store.join(code, "Zoe", client="typist")
    with pytest.raises(ClassroomError, match="no session has that join code"):
        store.join("ZZZZZZ" if created.code != "ZZZZZZ" else "YYYYYY", "Zoe", client="other")
    with pytest.raises(ClassroomError, match="enter a display name"):
        store.join(created.code, "   ")
    with pytest.raises(ClassroomError, match="at most 40 characters"):
        store.join(created.code, "x" * 41)
    with pytest.raises(ClassroomError, match="control or invisible characters"):
        store.join(created.code, "a\x00b")
    with pytest.raises(ClassroomError, match="name is taken"):
        store.join(created.code, "Ana")
    with pytest.raises(ClassroomError, match="choose one of"):
        store.submit(tickets["Ben"].player_token, "Nuke")
    # markup is stored as plain text, never interpreted
    t = store.join(created.code.lower(), "<b>Mallory</b>")
    assert store.player_state(t.player_token).name == "<b>Mallory</b>"


def test_csv_export_neutralises_formulas(store_url) -> None:
    store, created, tickets = _class(store_url, "chicken")
    t = store.join(created.code, "=HYPERLINK(1)")
    store.submit(t.player_token, "Firm")
    store.submit(tickets["Ana"].player_token, "Firm")
    store.close_round(created.instructor_token, 1)
    text = csv_rows(store.choices(created.instructor_token))
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["name"] for r in rows] == ["Ana", "'=HYPERLINK(1)"]
    assert set(rows[1]) == {"round", "name", "role", "type", "action", "match", "outcome",
                            "payoff"}
