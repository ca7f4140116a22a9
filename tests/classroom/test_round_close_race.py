"""Moves racing the round close, on SQLite and on a real PostgreSQL server.

A move is either stored in the round that is then closed and scored, or
refused with "round N is closed"; a repeated close never skips a round.
"""

from __future__ import annotations

import re
import threading
import time

import numpy as np
import pytest
import sqlalchemy as sa

from sim.classroom.schema import results
from sim.classroom.store import ClassroomError, ClassroomStore

ACTIONS = ("Swerve", "Firm")


def _scored(store: ClassroomStore, session_id: int) -> dict[tuple[int, int], str]:
    """(player id, round) → the action that was scored."""
    from sim.classroom.schema import moves

    with store.engine.connect() as conn:
        rows = conn.execute(
            sa.select(results.c.player_id, results.c.round, moves.c.action)
            .join(moves, sa.and_(moves.c.session_id == results.c.session_id,
                                 moves.c.round == results.c.round,
                                 moves.c.player_id == results.c.player_id))
            .where(results.c.session_id == session_id)).all()
    return {(r.player_id, r.round): r.action for r in rows}


def _player_ids(store: ClassroomStore, session_id: int) -> dict[str, int]:
    from sim.classroom.schema import players

    with store.engine.connect() as conn:
        return {r.name: r.id for r in conn.execute(
            sa.select(players.c.name, players.c.id).where(players.c.session_id == session_id))}


def test_a_move_after_the_close_is_refused(store_url) -> None:
    store = ClassroomStore(store_url)
    created = store.create_session("chicken", seed=3)
    a = store.join(created.code, "Ana")
    b = store.join(created.code, "Ben")
    store.submit(a.player_token, "Firm", 1)
    store.submit(b.player_token, "Swerve", 1)
    closed = store.close_round(created.instructor_token, 1)
    assert [o["name"] for o in closed.outcomes] == ["Ana", "Ben"]
    # the page still shows round 1: the late move is refused, not silently lost
    with pytest.raises(ClassroomError, match="round 1 is closed; the current round is 2"):
        store.submit(b.player_token, "Firm", 1)
    assert store.player_state(b.player_token).submitted is None
    assert store.submit(b.player_token, "Firm", 2) == 2


def test_double_click_on_close_never_skips_a_round(store_url) -> None:
    store = ClassroomStore(store_url)
    created = store.create_session("chicken", seed=3)
    tickets = [store.join(created.code, n) for n in ("Ana", "Ben")]
    for t in tickets:
        store.submit(t.player_token, "Firm", 1)
    first = store.close_round(created.instructor_token, 1)
    again = store.close_round(created.instructor_token, 1)  # the second click
    assert not first.already_closed and again.already_closed
    assert again.outcomes == first.outcomes
    assert store.instructor_state(created.instructor_token).round == 2
    with pytest.raises(ClassroomError, match="round 3 has not started"):
        store.close_round(created.instructor_token, 3)


def test_a_round_without_a_move_in_each_role_does_not_close(store_url) -> None:
    store = ClassroomStore(store_url)
    created = store.create_session("chicken", seed=3)
    a = store.join(created.code, "Ana")
    store.join(created.code, "Ben")
    store.submit(a.player_token, "Firm", 1)
    with pytest.raises(ClassroomError, match="no one playing United States has moved yet"):
        store.close_round(created.instructor_token, 1)
    # Ana's acknowledged move is still there, to be scored when the round closes
    assert store.player_state(a.player_token).submitted == "Firm"
    assert store.instructor_state(created.instructor_token).round == 1


def _race(url: str, seed: int, n_students: int = 8, rounds: int = 3) -> None:
    store = ClassroomStore(url)
    created = store.create_session("chicken", seed=seed)
    names = [f"Student {i}" for i in range(n_students)]
    tickets = [store.join(created.code, n, client=f"c{i}") for i, n in enumerate(names)]
    acked: dict[tuple[int, int], str] = {}
    failures: list[BaseException] = []
    stop = threading.Event()

    def student(i: int) -> None:
        rng = np.random.default_rng([seed, i])
        own = ClassroomStore(url, pool_size=1, max_overflow=1)
        token = tickets[i].player_token
        seen = 1
        try:
            while not stop.is_set():
                action = ACTIONS[int(rng.integers(2))]
                try:
                    done = own.submit(token, action, seen)
                    acked[(i, done)] = action  # acknowledged: the page says "Recorded"
                except ClassroomError as exc:
                    assert re.fullmatch(rf"round {seen} is closed; the current round is \d+",
                                        str(exc)), str(exc)
                    seen = own.player_state(token).round
                time.sleep(float(rng.uniform(0, 0.004)))
        except BaseException as exc:  # noqa: BLE001 - reported by the main thread
            failures.append(exc)
        finally:
            own.dispose()

    def instructor(k: int) -> None:
        rng = np.random.default_rng([seed, 1000 + k])
        own = ClassroomStore(url, pool_size=1, max_overflow=1)
        try:
            while True:
                seen = own.instructor_state(created.instructor_token).round
                if seen > rounds:
                    return
                time.sleep(float(rng.uniform(0.005, 0.03)))
                try:
                    own.close_round(created.instructor_token, seen)
                except ClassroomError as exc:
                    assert "has moved yet" in str(exc), str(exc)
        except BaseException as exc:  # noqa: BLE001
            failures.append(exc)
        finally:
            own.dispose()

    threads = [threading.Thread(target=student, args=(i,)) for i in range(n_students)]
    closers = [threading.Thread(target=instructor, args=(k,)) for k in range(2)]  # two clicks
    for t in threads + closers:
        t.start()
    for t in closers:
        t.join(120)
    stop.set()
    for t in threads:
        t.join(120)
    assert not failures, failures
    final = store.instructor_state(created.instructor_token).round
    assert final == rounds + 1  # no round skipped by the racing closes
    # close the last round too, once each role has moved in it
    for i, t in enumerate(tickets[:2]):
        done = store.submit(t.player_token, ACTIONS[i], final)
        acked[(i, done)] = ACTIONS[i]
    store.close_round(created.instructor_token, final)
    ids = _player_ids(store, created.session_id)
    scored = _scored(store, created.session_id)
    expected = {(ids[names[i]], r): a for (i, r), a in acked.items()}
    assert len(expected) >= n_students  # the race really played
    assert scored == expected  # every acknowledged move scored, with its last action, once
    store.dispose()


@pytest.mark.parametrize("seed", [11, 12, 13])
def test_every_acknowledged_move_is_scored_when_moves_race_closes(store_url, seed) -> None:
    _race(store_url, seed)


def test_moves_in_a_tree_racing_the_close_are_kept_once(store_url) -> None:
    """Groups of a tree move while the close comes: every acknowledged move is stored
    once, none is played twice, each group's steps run 0, 1, 2, ... and the close plays
    the default of every move still open."""
    from sim.classroom.schema import steps

    store = ClassroomStore(store_url)
    created = store.create_session("threat", seed=5)
    n = 16
    tickets = [store.join(created.code, f"Student {i}", client=f"t{i}") for i in range(n)]
    store.start_round(created.instructor_token, 1)
    acked: list[tuple[str, int, str]] = []
    failures: list[BaseException] = []
    allowed = re.compile(r"round 1 is closed.*|that move has already been played.*|"
                         r"your group's game is over.*|it is not your move.*")

    def student(i: int) -> None:
        rng = np.random.default_rng([7, i])
        own = ClassroomStore(store_url, pool_size=1, max_overflow=1)
        token = tickets[i].player_token
        try:
            for _ in range(400):
                me = own.player_state(token)
                if me.round != 1 or me.turn is None or me.turn.finished:
                    return
                if me.turn.my_move:
                    action = me.actions[int(rng.integers(len(me.actions)))]
                    try:
                        own.submit(token, action, 1, step=me.turn.step)
                        acked.append((f"Student {i}", me.turn.step, action))
                    except ClassroomError as exc:
                        assert allowed.fullmatch(str(exc)), str(exc)
                time.sleep(float(rng.uniform(0, 0.01)))
        except BaseException as exc:  # noqa: BLE001 - reported by the main thread
            failures.append(exc)
        finally:
            own.dispose()

    def instructor() -> None:
        deadline = time.monotonic() + 60
        while len(acked) < n // 2 and time.monotonic() < deadline:
            time.sleep(0.01)  # close while groups are still moving
        try:
            store.close_round(created.instructor_token, 1)
        except BaseException as exc:  # noqa: BLE001
            failures.append(exc)

    threads = [threading.Thread(target=student, args=(i,)) for i in range(n)]
    closer = threading.Thread(target=instructor)
    for t in [*threads, closer]:
        t.start()
    for t in [*threads, closer]:
        t.join(120)
    assert not failures, failures
    with store.engine.connect() as conn:
        made = conn.execute(sa.select(steps.c.grp, steps.c.step, steps.c.player_id,
                                      steps.c.action, steps.c.timed_out)
                            .where(steps.c.session_id == created.session_id)).all()
    ids = {v: k for k, v in _player_ids(store, created.session_id).items()}
    assert acked and any(r.timed_out for r in made)  # the close came while groups moved
    by_student = sorted((ids[r.player_id], r.action) for r in made if not r.timed_out)
    assert by_student == sorted((name, action) for name, _, action in acked)
    # each group's steps are numbered 0, 1, 2, ... with no gap and no double
    per_group: dict[int, list[int]] = {}
    for r in made:
        per_group.setdefault(int(r.grp), []).append(int(r.step))
    assert len(per_group) == n // 2
    for grp, numbers in per_group.items():
        assert sorted(numbers) == list(range(len(numbers))), grp
    store.dispose()
