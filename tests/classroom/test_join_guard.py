"""Join codes and names under attack: guessing, look-alike names, stale sessions, lost links."""

from __future__ import annotations

import pytest

from sim.classroom.names import clean_name, cut_name, name_key
from sim.classroom.store import (
    BACKOFF_BASE,
    FREE_FAILURES,
    ClassroomError,
    ClassroomStore,
)


class Clock:
    def __init__(self, now: float = 1.7e9) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def _wrong(code: str) -> str:
    return "ZZZZZZ" if code != "ZZZZZZ" else "YYYYYY"


def test_join_code_guessing_is_rate_limited_per_client(store_url) -> None:
    clock = Clock()
    store = ClassroomStore(store_url, clock=clock)
    created = store.create_session("chicken", seed=1)
    for _ in range(FREE_FAILURES):
        with pytest.raises(ClassroomError, match="no session has that join code"):
            store.join(_wrong(created.code), "Mallory", client="10.0.0.66")
    # locked out now, even with the right code: guessing gains nothing
    with pytest.raises(ClassroomError, match=r"too many wrong codes .* wait 2 seconds"):
        store.join(created.code, "Mallory", client="10.0.0.66")
    # another client is not affected
    assert store.join(created.code, "Ana", client="10.0.0.7").role == "Russia"
    # the wait doubles with each further failure: 4 s, 8 s, 16 s
    waits = []
    for _ in range(3):
        clock.now += 3600 - 1  # long enough to pass any wait, short of forgetting
        with pytest.raises(ClassroomError, match="no session has that join code"):
            store.join(_wrong(created.code), "Mallory", client="10.0.0.66")
        with pytest.raises(ClassroomError, match="too many wrong codes") as info:
            store.join(created.code, "Mallory", client="10.0.0.66")
        waits.append(int(str(info.value).split("wait ")[1].split()[0]))
    assert waits == [int(BACKOFF_BASE * 2 ** k) for k in (1, 2, 3)]
    # after the wait the right code works, and a quiet hour forgets the failures
    clock.now += 16
    assert store.join(created.code, "Mallory", client="10.0.0.66").role == "United States"


def test_malformed_codes_count_as_failed_joins(store_url) -> None:
    store = ClassroomStore(store_url, clock=Clock())
    created = store.create_session("chicken", seed=1)
    for code in ("", "ABC", "ABCDE0", "x" * 100, "<script>"):
        with pytest.raises(ClassroomError, match="join code is not valid"):
            store.join(code, "Zoe", client="kiosk")
    with pytest.raises(ClassroomError, match="too many wrong codes"):
        store.join(created.code, "Zoe", client="kiosk")


def test_sessions_expire_after_the_idle_time(store_url) -> None:
    clock = Clock()
    store = ClassroomStore(store_url, clock=clock)  # 12 h by default
    assert store.idle_timeout == 12 * 3600
    created = store.create_session("chicken", seed=1)
    ana = store.join(created.code, "Ana")
    clock.now += 11 * 3600
    store.submit(ana.player_token, "Firm", 1)  # activity keeps it alive
    clock.now += 11 * 3600
    assert store.join(created.code, "Ben").role == "United States"
    clock.now += 12 * 3600 + 1
    with pytest.raises(ClassroomError, match="that session has ended"):
        store.join(created.code, "Chen")
    with pytest.raises(ClassroomError, match="expired after 12 hours without activity"):
        store.submit(ana.player_token, "Swerve", 1)
    state = store.instructor_state(created.instructor_token)
    assert state.ended  # the data stay readable for the debrief
    assert store.player_state(ana.player_token).ended


def test_a_burst_of_moves_records_activity_once(store_url) -> None:
    import sqlalchemy as sa

    clock = Clock()
    store = ClassroomStore(store_url, clock=clock)  # 12 h: activity is rewritten after 43.2 s
    created = store.create_session("chicken", seed=1)
    class_ = [store.join(created.code, name) for name in ("Ana", "Ben", "Chen", "Dee")]
    touched: list[str] = []
    sa.event.listen(store.engine, "before_cursor_execute",
                    lambda _c, _cur, sql, *_a: touched.append(sql)
                    if sql.startswith("UPDATE cs_sessions") else None)
    for i, ticket in enumerate(class_):
        clock.now += 10.0
        store.submit(ticket.player_token, ("Firm", "Swerve")[i % 2], 1)
    assert touched == []  # 40 s of moves leave the session row alone
    clock.now += 10.0
    store.submit(class_[0].player_token, "Swerve", 1)
    assert len(touched) == 1  # 50 s after the last record: recorded again
    clock.now += 12 * 3600 - 1
    assert store.join(created.code, "Eve").role == "Russia"  # alive: 1 s before expiry
    clock.now += 12 * 3600 + 1
    with pytest.raises(ClassroomError, match="expired after 12 hours without activity"):
        store.submit(class_[1].player_token, "Firm", 1)


def test_the_idle_time_is_configurable(store_url, monkeypatch) -> None:
    monkeypatch.setenv("COERCION_SESSION_IDLE_HOURS", "0.5")
    clock = Clock()
    store = ClassroomStore(store_url, clock=clock)
    created = store.create_session("chicken", seed=1)
    clock.now += 1801
    with pytest.raises(ClassroomError, match="that session has ended"):
        store.join(created.code, "Ana")


def test_the_instructor_can_end_a_session(store_url) -> None:
    store = ClassroomStore(store_url)
    created = store.create_session("chicken", seed=1)
    ana = store.join(created.code, "Ana")
    store.end_session(created.instructor_token)
    store.end_session(created.instructor_token)  # twice is harmless
    with pytest.raises(ClassroomError, match="that session has ended"):
        store.join(created.code, "Ben")
    with pytest.raises(ClassroomError, match="this session has ended"):
        store.submit(ana.player_token, "Firm", 1)
    with pytest.raises(ClassroomError, match="instructor link is not valid"):
        store.end_session(ana.player_token)
    assert store.instructor_state(created.instructor_token).ended


@pytest.mark.parametrize("lookalike", ["alice", "ALICE", "ＡＬＩＣＥ", "Аlice", " Alice ",
                                       "A\u200blice", "Alicе"])
def test_lookalike_names_cannot_join_beside_alice(store_url, lookalike) -> None:
    store = ClassroomStore(store_url)
    created = store.create_session("chicken", seed=1)
    store.join(created.code, "Alice")
    with pytest.raises(ClassroomError, match="name is taken|mix Latin|invisible"):
        store.join(created.code, lookalike)
    assert store.instructor_state(created.instructor_token).joined == 1


def test_name_keys_and_scripts() -> None:
    assert name_key("ＡＬＩＣＥ") == name_key("alice") == name_key("Alice") == "alice"
    assert name_key("Straße") == name_key("STRASSE")
    with pytest.raises(ValueError, match="mix Latin"):
        clean_name("Аlice")  # Cyrillic А
    # a name wholly in one script is fine, accents included
    assert clean_name("Алиса") == "Алиса" and clean_name("José Müller") == "José Müller"
    assert clean_name("Li 李") == "Li 李"
    # pasted over-long names are cut, never emptied
    assert cut_name("  " + "x" * 60) == "x" * 40


def test_an_instructor_password_guards_session_creation(store_url) -> None:
    store = ClassroomStore(store_url, instructor_password="correct horse", clock=Clock())
    with pytest.raises(ClassroomError, match="instructor password is not right"):
        store.create_session("chicken", seed=1)
    with pytest.raises(ClassroomError, match="instructor password is not right"):
        store.create_session("chicken", seed=1, password="correct hors", client="a")
    assert store.create_session("chicken", seed=1, password="correct horse").code


def test_the_password_comes_from_the_environment(store_url, monkeypatch) -> None:
    monkeypatch.setenv("COERCION_INSTRUCTOR_PASSWORD", "s3cret")
    store = ClassroomStore(store_url)
    with pytest.raises(ClassroomError, match="instructor password"):
        store.create_session("chicken", seed=1, password="guess")
    assert store.create_session("chicken", seed=1, password="s3cret").code


def test_a_lost_instructor_link_is_recovered_with_the_recovery_code(store_url) -> None:
    store = ClassroomStore(store_url, clock=Clock())
    created = store.create_session("chicken", seed=1)
    assert len(created.recovery_code) == 14  # XXXX-XXXX-XXXX
    new = store.recover_instructor(created.code.lower(), created.recovery_code.lower())
    assert store.instructor_state(new).code == created.code
    with pytest.raises(ClassroomError, match="instructor link is not valid"):
        store.instructor_state(created.instructor_token)  # the old link is dead
    for _ in range(FREE_FAILURES):
        with pytest.raises(ClassroomError, match="recovery code is not right"):
            store.recover_instructor(created.code, "AAAA-AAAA-AAAA", client="x")
    with pytest.raises(ClassroomError, match="too many wrong codes"):
        store.recover_instructor(created.code, created.recovery_code, client="x")


def test_a_student_rejoins_under_the_same_name_from_the_same_device(store_url) -> None:
    store = ClassroomStore(store_url)
    created = store.create_session("chicken", seed=5)
    first = store.join(created.code, "Ana", device="device-secret-1")
    store.submit(first.player_token, "Firm", 1)
    back = store.join(created.code, "ana", device="device-secret-1")
    assert back.rejoined and (back.role, back.type) == (first.role, first.type)
    assert store.player_state(back.player_token).submitted == "Firm"
    with pytest.raises(ClassroomError, match="student link is not valid"):
        store.player_state(first.player_token)
    # another device cannot take the name over
    with pytest.raises(ClassroomError, match="name is taken"):
        store.join(created.code, "Ana", device="device-secret-2")
    with pytest.raises(ClassroomError, match="name is taken"):
        store.join(created.code, "Ana")
    assert store.instructor_state(created.instructor_token).joined == 1  # no ghost player
