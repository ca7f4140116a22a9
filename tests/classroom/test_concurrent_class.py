"""A class of 100 joining and moving at the same moment, on SQLite and on PostgreSQL.

Each student is a thread with its own store, hence its own database
connection, as separate server processes would have. No student sees an
error, and every acknowledged move is scored when the round closes.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from sim.classroom.store import ClassroomStore

N = 100


def test_hundred_students_join_and_move_at_once_without_an_error(store_url) -> None:
    store = ClassroomStore(store_url)
    created = store.create_session("chicken", seed=2022)
    start = threading.Barrier(N)

    def student(i: int) -> tuple[str, int, str]:
        own = ClassroomStore(store_url, pool_size=1, max_overflow=1)
        try:
            start.wait(60)
            ticket = own.join(created.code, f"Student {i:03d}", client=f"10.0.{i // 250}.{i}")
            me = own.player_state(ticket.player_token)
            action = me.actions[i % len(me.actions)]
            done = own.submit(ticket.player_token, action, me.round)
            again = own.player_state(ticket.player_token)  # the page polls
            assert again.submitted == action
            return ticket.player_token, done, action
        finally:
            own.dispose()

    with ThreadPoolExecutor(N) as pool:
        futures = [pool.submit(student, i) for i in range(N)]
        errors = [repr(f.exception()) for f in futures if f.exception() is not None]
    assert errors == []
    acked = [f.result() for f in futures]
    assert {r for _, r, _ in acked} == {1}
    state = store.instructor_state(created.instructor_token)
    assert (state.joined, state.submitted) == (N, N)
    assert [count for _, count, _ in state.by_role] == [N // 2, N // 2]
    closed = store.close_round(created.instructor_token, 1)
    assert closed.dropped == ()
    assert len(closed.outcomes) == N  # every acknowledged move scored, none twice
    by_name = {o["name"]: o["action"] for o in closed.outcomes}
    assert by_name == {f"Student {i:03d}": a for i, (_, _, a) in enumerate(acked)}
    store.dispose()
