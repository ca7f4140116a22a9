"""The database's lock and its failures never reach a page as SQL."""

from __future__ import annotations

import sqlite3

import pytest

from sim.classroom.store import ClassroomError, ClassroomStore
from sim.classroom.transactions import BUSY_MESSAGE, UNREACHABLE_MESSAGE, RetryPolicy


def _plain(message: str) -> None:
    assert message.count(".") <= 1 and "\n" not in message
    for word in ("SELECT", "INSERT", "UPDATE", "sqlite", "psycopg", "parameters", "[SQL"):
        assert word not in message


def test_a_lock_held_past_every_retry_gives_one_plain_sentence(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'locked.db'}"
    store = ClassroomStore(url, busy_timeout=0.05, retry=RetryPolicy(attempts=3, seed=1))
    created = store.create_session("chicken", seed=1)
    holder = sqlite3.connect(tmp_path / "locked.db", isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")  # another process keeps the write lock
    try:
        with pytest.raises(ClassroomError) as info:
            store.join(created.code, "Ana")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert str(info.value) == BUSY_MESSAGE
    _plain(str(info.value))
    assert store.join(created.code, "Ana").role == "Russia"  # and then it works


def test_database_is_locked_is_retried_not_shown(tmp_path) -> None:
    import threading

    url = f"sqlite:///{tmp_path / 'brief.db'}"
    store = ClassroomStore(url, busy_timeout=0.01, retry=RetryPolicy(attempts=40, seed=2))
    created = store.create_session("chicken", seed=1)
    holder = sqlite3.connect(tmp_path / "brief.db", isolation_level=None,
                             check_same_thread=False)
    holder.execute("BEGIN EXCLUSIVE")
    timer = threading.Timer(0.3, lambda: holder.execute("ROLLBACK"))
    timer.start()
    try:
        assert store.join(created.code, "Ana").role == "Russia"  # waited, then succeeded
    finally:
        timer.join()
        holder.close()


def test_an_unreachable_database_gives_one_plain_sentence() -> None:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # nothing listens there once closed
    pytest.importorskip("psycopg")
    with pytest.raises(ClassroomError) as info:
        ClassroomStore(f"postgresql+psycopg://nobody:pw@127.0.0.1:{port}/none",
                       retry=RetryPolicy(attempts=2))
    assert str(info.value) == UNREACHABLE_MESSAGE
    _plain(str(info.value))


def test_retry_pauses_are_bounded_and_seeded() -> None:
    a, b = RetryPolicy(seed=7), RetryPolicy(seed=7)
    pauses = [a.pause(k) for k in range(12)]
    assert pauses == [b.pause(k) for k in range(12)]
    assert all(0 <= p <= min(a.cap, a.base * 2 ** k) for k, p in enumerate(pauses))
    with pytest.raises(ValueError):
        RetryPolicy(attempts=0)
