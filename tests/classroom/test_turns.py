"""Trees played in turn: whose move it is, what each student sees, timers, live controls."""

from __future__ import annotations

import pytest

from sim.classroom.store import ClassroomError, ClassroomStore


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


def _threat(url: str, names=("Ana", "Ben"), clock=None, **kw):
    store = ClassroomStore(url, clock=clock)
    created = store.create_session("threat", seed=11, **kw)
    tickets = {n: store.join(created.code, n) for n in names}
    return store, created, tickets


def test_a_student_cannot_move_out_of_turn(store_url) -> None:
    store, created, t = _threat(store_url)
    ana, ben = t["Ana"].player_token, t["Ben"].player_token  # Russia, United States
    with pytest.raises(ClassroomError, match="has not started"):
        store.submit(ana, "Demand", 1)
    store.start_round(created.instructor_token, 1)
    with pytest.raises(ClassroomError, match="not your move; Russia moves now"):
        store.submit(ben, "Resist", 1)
    with pytest.raises(ClassroomError, match="choose one of: Status quo, Demand"):
        store.submit(ana, "Fight", 1)
    store.submit(ana, "Demand", 1, step=0)
    with pytest.raises(ClassroomError, match="not your move; United States moves now"):
        store.submit(ana, "Fight", 1)
    store.submit(ben, "Resist", 1, step=1)
    me = store.player_state(ana)
    assert me.turn.my_move and me.actions == ("Fight", "Back down")
    store.submit(ana, "Back down", 1, step=2)
    for token in (ana, ben):
        turn = store.player_state(token).turn
        assert turn.finished and turn.outcome == "Back down" and not turn.my_move
    with pytest.raises(ClassroomError, match="game is over"):
        store.submit(ben, "Concede", 1)
    close = store.close_round(created.instructor_token, 1)
    by_name = {o["name"]: o for o in close.outcomes}
    assert by_name["Ana"]["action"] == "Demand, Back down"
    assert by_name["Ben"]["partners"] == {"Russia": "Demand, Back down"}
    p = store.game_of(created.instructor_token).params
    assert by_name["Ana"]["payoff"] == pytest.approx(p["q"] - p["a_A"])
    assert by_name["Ben"]["payoff"] == pytest.approx(1 - p["q"] + p["b_B"])


def test_each_student_sees_only_their_information_set(store_url) -> None:
    store, created, t = _threat(store_url)
    ana, ben = t["Ana"].player_token, t["Ben"].player_token
    store.start_round(created.instructor_token, 1)
    russia = store.player_state(ana)
    assert russia.type in ("resolved", "irresolute")
    assert russia.turn.seen == (f"Your private type: {russia.type}.",)
    assert russia.turn.where == f"{russia.type}, first move"
    west = store.player_state(ben)
    assert west.type is None and not west.turn.my_move and west.turn.waiting_for == "Russia"
    store.submit(ana, "Demand", 1, step=0)
    west = store.player_state(ben)
    # the United States sees the demand, and nothing of Russia's type
    assert west.turn.my_move and west.turn.seen == ("Russia chose Demand.",)
    assert west.turn.where == "after a demand"
    private = (west.type, west.turn, west.history, west.actions)  # the briefing names both
    assert not any(word in repr(private) for word in ("resolved", "irresolute"))
    store.submit(ben, "Resist", 1, step=1)
    russia = store.player_state(ana)
    assert russia.turn.seen == (f"Your private type: {russia.type}.", "You chose Demand.",
                                "United States chose Resist.")
    # the projected monitor names whose move it is, never a type
    state = store.instructor_state(created.instructor_token)
    assert [g.waiting_for for g in state.groups] == ["Russia"]
    assert not any(word in repr(state) for word in ("resolved", "irresolute"))


def test_a_student_token_never_reads_another_students_type(store_url) -> None:
    store, created, t = _threat(store_url, names=("Ana", "Ben", "Chen", "Dara"))
    store.start_round(created.instructor_token, 1)
    for name in ("Ben", "Dara"):  # the United States's tokens
        state = store.player_state(t[name].player_token)
        assert state.type is None
        private = repr((state.turn, state.history, state.actions))
        assert "resolved" not in private and "irresolute" not in private
    for name in ("Ana", "Chen"):
        assert store.player_state(t[name].player_token).type in ("resolved", "irresolute")
    for call in (store.instructor_state, store.choices, store.export_rows, store.start_round):
        with pytest.raises(ClassroomError, match="instructor link is not valid"):
            call(t["Ana"].player_token)


def test_a_timed_out_move_is_the_default_and_is_flagged(tmp_path) -> None:
    clock = Clock()
    store, created, t = _threat(f"sqlite:///{tmp_path / 'c.db'}", clock=clock,
                                time_limit=30, default_move="always:Demand")
    token = created.instructor_token
    ana, ben = t["Ana"].player_token, t["Ben"].player_token
    store.start_round(token, 1)
    clock.now += 10
    assert store.player_state(ana).turn.seconds_left == pytest.approx(20)
    clock.now += 25  # past the limit: the next page view plays Russia's default
    west = store.player_state(ben)
    assert west.turn.my_move and west.turn.seen == ("Russia chose Demand.",)
    assert store.player_state(ana).turn.waiting_for == "United States"
    with pytest.raises(ClassroomError, match="already been played"):
        store.submit(ana, "Status quo", 1, step=0)  # a late click of the old page
    # resolving again changes nothing
    store.instructor_state(token)
    store.player_state(ana)
    store.submit(ben, "Resist", 1)
    clock.now += 31  # Russia times out again: always:Demand is not an action here, so the
    store.close_round(token, 1)  # default falls back to the equilibrium
    rows = store.export_rows(token)
    flags = [(r["information_set"].split(", ")[-1], r["action"], r["timed_out"]) for r in rows]
    assert flags[0] == ("first move", "Demand", True)
    assert flags[1] == ("after a demand", "Resist", False)
    assert flags[2][0] == "after resistance" and flags[2][2] is True
    typ = store.player_state(ana).history[0].type
    game = store.game_of(token)
    eq = game.prediction[f"Russia, {typ}, after resistance"]
    assert eq[flags[2][1]] == pytest.approx(1.0)
    assert rows[0]["time_taken"] == pytest.approx(35.0)
    # the debrief can leave timed-out moves out
    choices = store.choices(token)
    assert [c["timed_out"] for c in choices] == [True, False, True]


def test_a_simultaneous_move_times_out_too(tmp_path) -> None:
    clock = Clock()
    store = ClassroomStore(f"sqlite:///{tmp_path / 'c.db'}", clock=clock)
    created = store.create_session("chicken", seed=2, time_limit=20,
                                   default_move="always:Swerve")
    ana, ben = (store.join(created.code, n).player_token for n in ("Ana", "Ben"))
    store.submit(ana, "Firm", 1)
    clock.now += 21
    assert store.instructor_state(created.instructor_token).submitted == 2
    with pytest.raises(ClassroomError, match="time for this move is up"):
        store.submit(ben, "Firm", 1)
    close = store.close_round(created.instructor_token, 1)
    assert {o["name"]: o["action"] for o in close.outcomes} == {"Ana": "Firm", "Ben": "Swerve"}
    rows = {r["student"]: r for r in store.export_rows(created.instructor_token)}
    assert rows["Ben"]["timed_out"] and not rows["Ana"]["timed_out"]


def test_pause_extend_and_remove(tmp_path) -> None:
    clock = Clock()
    store, created, t = _threat(f"sqlite:///{tmp_path / 'c.db'}", clock=clock,
                                names=("Ana", "Ben", "Chen", "Dara"), time_limit=60)
    token = created.instructor_token
    store.start_round(token, 1)
    clock.now += 20
    store.pause(token)
    assert store.instructor_state(token).paused
    with pytest.raises(ClassroomError, match="paused"):
        store.submit(t["Ana"].player_token, "Demand", 1)
    clock.now += 500  # a long pause: no clock runs
    assert store.player_state(t["Ana"].player_token).turn.my_move
    store.pause(token, False)
    assert store.player_state(t["Ana"].player_token).turn.seconds_left == pytest.approx(40)
    store.extend_time(token, 30)
    assert store.player_state(t["Ana"].player_token).turn.seconds_left == pytest.approx(70)
    # a removed student's link stops working and their move is played for them
    store.remove_player(token, "chen")
    with pytest.raises(ClassroomError, match="removed you"):
        store.player_state(t["Chen"].player_token)
    state = store.instructor_state(token)
    assert "Chen" not in [p["name"] for p in state.players]
    close = store.close_round(token, 1)
    assert "Chen" in {o["name"] for o in close.outcomes}  # scored with the default moves
    store.start_round(token, 2)
    assert all("Chen" not in o["name"] for o in store.instructor_state(token).players)
    store.end_session(token)
    with pytest.raises(ClassroomError, match="ended"):
        store.submit(t["Ana"].player_token, "Demand", 2)


def test_each_student_finds_their_own_group_among_ids_that_contain_each_other(tmp_path) -> None:
    # Player ids 1..24 include 1, 11, 12, 2, 21...: a seat's lookup must not take one for another.
    import json

    import sqlalchemy as sa

    from sim.classroom import turn_rounds
    from sim.classroom.schema import groups

    names = tuple(f"S{i:02d}" for i in range(24))
    store, created, tickets = _threat(f"sqlite:///{tmp_path / 'c.db'}", names=names)
    store.start_round(created.instructor_token, 1)
    with store.engine.connect() as conn:
        rows = conn.execute(sa.select(groups).where(groups.c.session_id == created.session_id,
                                                    groups.c.round == 1)).all()
        seat = {int(m["player"]): int(g.grp) for g in rows for m in json.loads(g.members)}
        assert len(seat) == 24 and {1, 2, 11, 12, 21, 22} <= set(seat)
        for pid, grp in seat.items():
            found = turn_rounds.group_row(conn, created.session_id, 1, pid)
            assert found is not None and int(found.grp) == grp, pid
        assert turn_rounds.group_row(conn, created.session_id, 1, 999) is None
    for name, ticket in tickets.items():
        me = store.player_state(ticket.player_token)
        assert me.turn is not None, name


def test_a_move_and_a_poll_in_a_tree_stay_a_few_queries(tmp_path) -> None:
    # A class of 100 shares one lock: each statement under it is paid by every mover.
    import sqlalchemy as sa

    names = tuple(f"S{i:02d}" for i in range(8))
    store, created, tickets = _threat(f"sqlite:///{tmp_path / 'c.db'}", names=names)
    store.start_round(created.instructor_token, 1)
    count = [0]

    @sa.event.listens_for(store.engine, "before_cursor_execute")
    def _counted(*_args: object) -> None:
        count[0] += 1

    moves, polls = [], []
    for ticket in tickets.values():
        count[0] = 0
        me = store.player_state(ticket.player_token)
        polls.append(count[0])
        if me.turn is not None and me.turn.my_move:
            count[0] = 0
            store.submit(ticket.player_token, me.actions[-1], 1, step=me.turn.step)
            moves.append(count[0])
    assert moves and max(moves) <= 8 and max(polls) <= 6, (moves, polls)
