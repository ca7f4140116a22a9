"""Classes of simulated students play three rounds of both games under every protocol."""

from __future__ import annotations

from collections import Counter

import pytest

from sim.classroom.bots import BotClass, parse_policy
from sim.classroom.matching import PROTOCOLS
from sim.classroom.store import HOUSE_BOT_NAME, ClassroomError, ClassroomStore


def _play(url: str, game: str, protocol: str, n: int = 7, rotate: bool = False,
          policy: str = "uniform"):
    store = ClassroomStore(url)
    created = store.create_session(game, seed=5, rounds=3, matching=protocol, rotate=rotate,
                                   fill_gap=True)
    bots = BotClass(store, created.code, parse_policy(policy), seed=9)
    bots.join(n)
    closes = []
    in_turn = store.game_of(created.instructor_token).in_turn
    for r in (1, 2, 3):
        if in_turn:  # a tree: the round starts, then each moves when the page says so
            store.start_round(created.instructor_token, r)
            assert bots.play_round() >= (n + 1) // 2  # every first mover at least
            assert all(g.finished for g in store.instructor_state(
                created.instructor_token).groups)
        else:
            assert bots.play() == n
        closes.append(store.close_round(created.instructor_token, r))
    return store, created, bots, closes


@pytest.mark.parametrize("game", ["chicken", "threat"])
@pytest.mark.parametrize("protocol", PROTOCOLS)
def test_bots_play_three_rounds(store_url, game, protocol) -> None:
    store, created, bots, closes = _play(store_url, game, protocol, rotate=protocol == "random")
    token = created.instructor_token
    for close in closes:
        names = [o["name"] for o in close.outcomes]
        # seven students and the computer player, each scored once, in four matches
        assert sorted(names) == sorted([f"Bot {k}" for k in range(1, 8)] + [HOUSE_BOT_NAME])
        assert sorted(Counter(o["match"] for o in close.outcomes).values()) == [2] * 4
        for m in range(4):
            pair = [o for o in close.outcomes if o["match"] == m]
            assert {o["role"] for o in pair} == {"Russia", "United States"}
            assert pair[0]["outcome"] == pair[1]["outcome"]
    pairs = [frozenset(o["name"] for o in c.outcomes if o["match"] == m) for c in closes
             for m in range(4)]
    by_round = [set(pairs[4 * r:4 * r + 4]) for r in range(3)]
    if protocol == "partners":
        assert by_round[0] == by_round[1] == by_round[2]
    if protocol == "strangers":
        assert len(set(pairs)) == 12  # four players a side: three rounds without a repeat
    # the session is over after its three rounds
    state = store.instructor_state(token)
    assert state.finished and not state.round_open and state.round == 4
    with pytest.raises(ClassroomError, match="all 3 rounds have been played"):
        store.submit(bots.tokens[0], "Concede")
    with pytest.raises(ClassroomError, match="all 3 rounds have been played"):
        store.close_round(token, 4)
    # each student's history: round, role, own move, the opponent's move and name, payoff
    me = store.player_state(bots.tokens[0])
    assert me.ended and [h.round for h in me.history] == [1, 2, 3]
    exported = store.export_rows(token)
    rows: dict = {}
    for r in exported:  # in a tree, one row per move: a student's moves in order
        rows.setdefault((r["round"], r["student"]), []).append(r)
    for h in me.history:
        mine = rows.get((h.round, "Bot 1"), [])
        if game == "threat" and not mine:
            # Russia kept the status quo: the United States never moved
            assert h.action == "No move"
            continue
        assert (mine[0]["role"], ", ".join(r["action"] for r in mine), mine[0]["payoff"]) == (
            h.role, h.action, h.payoff)
        theirs = rows.get((h.round, h.opponent), [])
        assert h.partners == {h_role: ", ".join(r["action"] for r in theirs) or "No move"
                              for h_role in h.partners}
        assert all(r["group"] == mine[0]["group"] for r in theirs)
    if game == "chicken":
        assert len(exported) == 8 * 3
    else:  # every move made is a row, the information set it was made at named
        assert all(r["information_set"].startswith(r["role"] + ", ") for r in exported)
        assert {r["information_set"] for r in exported} <= {
            "Russia, resolved, first move", "Russia, irresolute, first move",
            "United States, after a demand", "Russia, resolved, after resistance",
            "Russia, irresolute, after resistance"}
    store.dispose()


def test_roles_rotate_in_the_store(tmp_path) -> None:
    store, _, bots, _ = _play(f"sqlite:///{tmp_path / 'c.db'}", "threat", "strangers", n=6,
                              rotate=True)
    for token in bots.tokens:
        roles = [h.role for h in store.player_state(token).history]
        assert roles[0] != roles[1] and roles[1] != roles[2]
        types = [h.type for h in store.player_state(token).history]
        assert [t is None for t in types] == [r == "United States" for r in roles]
    store.dispose()


def test_fixed_roles_keep_the_join_role(tmp_path) -> None:
    store, _, bots, _ = _play(f"sqlite:///{tmp_path / 'c.db'}", "chicken", "random", n=6)
    for i, token in enumerate(bots.tokens):
        roles = {h.role for h in store.player_state(token).history}
        assert roles == {("Russia", "United States")[i % 2]}
    store.dispose()


def test_an_even_class_has_no_computer_player(tmp_path) -> None:
    _, _, _, closes = _play(f"sqlite:///{tmp_path / 'c.db'}", "chicken", "strangers", n=6)
    assert all(HOUSE_BOT_NAME not in {o["name"] for o in c.outcomes} for c in closes)


def test_the_computer_player_is_named_to_its_opponent(tmp_path) -> None:
    store, created, bots, closes = _play(f"sqlite:///{tmp_path / 'c.db'}", "chicken",
                                         "strangers", n=3)
    seen = [h for t in bots.tokens for h in store.player_state(t).history
            if h.opponent == HOUSE_BOT_NAME]
    assert len(seen) == 3 and all(h.opponent_is_bot for h in seen)  # once a round
    assert store.instructor_state(created.instructor_token).fill_gap


def test_instructor_added_bots_move_by_policy(tmp_path) -> None:
    store = ClassroomStore(f"sqlite:///{tmp_path / 'c.db'}")
    created = store.create_session("chicken", seed=1, rounds=2)
    token = created.instructor_token
    ana = store.join(created.code, "Ana")
    assert store.add_bots(token, 3, "always:firm") == 3
    state = store.instructor_state(token)
    assert [p["name"] for p in state.players] == ["Ana", "Computer 1", "Computer 2",
                                                  "Computer 3"]
    assert state.submitted == 3  # the simulated students move at the close
    store.submit(ana.player_token, "Swerve")
    close = store.close_round(token, 1)
    by_name = {o["name"]: o["action"] for o in close.outcomes}
    assert by_name == {"Ana": "Swerve", "Computer 1": "Firm", "Computer 2": "Firm",
                       "Computer 3": "Firm"}
    assert [c["name"] for c in store.choices(token)] == ["Ana"]  # the debrief: the class
    rows = store.export_rows(token)
    assert [r["is_bot"] for r in rows if r["student"] == "Ana"] == [False]
    assert all(r["is_bot"] for r in rows if r["student"] != "Ana")
    with pytest.raises(ClassroomError, match="no player has the action"):
        store.add_bots(token, 1, "always:Attack")
    with pytest.raises(ClassroomError, match="unknown policy"):
        store.add_bots(token, 1, "clever")
    with pytest.raises(ClassroomError, match="instructor link is not valid"):
        store.add_bots(ana.player_token, 1, "nash")
    store.dispose()


def test_policies_follow_their_definition() -> None:
    from sim.classroom.debrief import qre_profile
    from sim.classroom.games import make_game

    game = make_game("threat")  # a tree: its agents are its information sets
    west, first = "after a demand", "resolved, first move"
    assert parse_policy("uniform").probabilities(game, "United States", None, west) == {
        "Concede": 0.5, "Resist": 0.5}
    nash = parse_policy("nash").probabilities(game, "Russia", "resolved", first)
    assert nash == dict(game.prediction["Russia, resolved, first move"])
    assert nash == {"Status quo": 0.0, "Demand": 1.0}  # a resolved Russia always demands
    qre = parse_policy("qre:2.0").probabilities(game, "United States", None, west)
    assert qre == pytest.approx(qre_profile(game, 2.0)["United States, after a demand"])
    always = parse_policy("always:Resist", game)
    assert always.probabilities(game, "United States", None, west) == {"Concede": 0.0,
                                                                        "Resist": 1.0}
    # an agent without the action plays its equilibrium
    assert always.probabilities(game, "Russia", "resolved", first) == nash
    chicken = make_game("chicken")
    assert parse_policy("uniform").probabilities(chicken, "United States", None) == {
        "Swerve": 0.5, "Firm": 0.5}
    assert parse_policy("nash").probabilities(chicken, "Russia", None) == dict(
        chicken.prediction["Russia"])
    for bad in ("qre:-1", "qre:x", "always:", "best"):
        with pytest.raises(ValueError):
            parse_policy(bad)


def test_the_instructor_turns_the_computer_player_on_mid_session(tmp_path) -> None:
    store = ClassroomStore(f"sqlite:///{tmp_path / 'c.db'}")
    created = store.create_session("chicken", seed=1, rounds=2)
    token = created.instructor_token
    bots = BotClass(store, created.code, parse_policy("uniform"))
    bots.join(3)
    bots.play()
    first = store.close_round(token, 1)
    assert len(first.outcomes) == 3  # a partner plays twice and is scored once
    assert not store.instructor_state(token).fill_gap
    store.set_fill_gap(token, True)
    bots.play()
    second = store.close_round(token, 2)
    assert HOUSE_BOT_NAME in {o["name"] for o in second.outcomes}
    assert len(second.outcomes) == 4
    state = store.instructor_state(token)
    assert state.computer_player and state.joined == 3  # not counted as a student
    store.dispose()


def test_no_student_can_pose_as_the_computer_player(tmp_path) -> None:
    store, created, bots, _ = _play(f"sqlite:///{tmp_path / 'c.db'}", "chicken", "random", n=3)
    with pytest.raises(ClassroomError, match="name is taken"):
        store.join(created.code, "computer PLAYER")
    store.dispose()
