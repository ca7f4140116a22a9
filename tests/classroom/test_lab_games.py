"""Games from the lab played by a class: conversion, storage across a restart, bots."""

from __future__ import annotations

import pytest

from sim.classroom.bots import BotClass, parse_policy
from sim.classroom.briefing import payoff_tables
from sim.classroom.debrief import qre_profile
from sim.classroom.lab_games import LabClassError, lab_game, lab_game_from_json
from sim.classroom.store import ClassroomError, ClassroomStore
from sim.lab.catalogue import catalogue_game


def _pay(game, row: str, col: str) -> tuple[str, tuple[float, float]]:
    r, c = game.roles
    label, pay = game.play({r: (None, row), c: (None, col)})
    return label, (pay[r], pay[c])


def test_chicken_payoffs_and_the_mixed_prediction() -> None:
    game = lab_game(catalogue_game("chicken"), {"w": 3, "c": 1})
    assert game.name == "lab" and game.roles == ("Row", "Column")
    assert [a.actions for a in game.agents] == [("Swerve", "Straight")] * 2
    assert all(a.type is None and a.prior == 1.0 for a in game.agents)
    assert game.params == {"w": 3.0, "c": 1.0}
    assert _pay(game, "Swerve", "Straight") == ("Swerve / Straight", (0.0, 3.0))
    assert _pay(game, "Straight", "Swerve")[1] == (3.0, 0.0)
    assert _pay(game, "Straight", "Straight")[1] == (-1.0, -1.0)
    assert _pay(game, "Swerve", "Swerve")[1] == (0.0, 0.0)
    # three equilibria; the logit limit selects the symmetric mixed one, Straight w/(w+c)
    for role in game.roles:
        assert game.prediction[role]["Straight"] == pytest.approx(0.75, abs=1e-6)
        assert game.prediction[role]["Swerve"] == pytest.approx(0.25, abs=1e-6)


def test_prisoners_dilemma_predicts_mutual_defection() -> None:
    game = lab_game(catalogue_game("prisoners_dilemma"))  # T 5, R 3, P 1, S 0
    assert _pay(game, "Cooperate", "Cooperate")[1] == (3.0, 3.0)
    assert _pay(game, "Cooperate", "Defect")[1] == (0.0, 5.0)
    assert _pay(game, "Defect", "Defect")[1] == (1.0, 1.0)
    assert game.prediction == {"Row": {"Cooperate": 0.0, "Defect": 1.0},
                               "Column": {"Cooperate": 0.0, "Defect": 1.0}}
    # the student's table is the lab's payoffs, read from their side
    table = payoff_tables(game, "Column", None)[0]
    assert table.title == "Against Row"
    assert table.table.loc["You: Defect", "Row: Cooperate"] == "5.00 / 0.00"


def test_battle_of_the_sexes_mixed_prediction() -> None:
    game = lab_game(catalogue_game("battle_of_the_sexes"))  # a 2, b 1
    assert _pay(game, "Opera", "Opera")[1] == (2.0, 1.0)
    assert _pay(game, "Football", "Football")[1] == (1.0, 2.0)
    assert _pay(game, "Opera", "Football")[1] == (0.0, 0.0)
    # mixed equilibrium: Row plays Opera a/(a+b) = 2/3, Column plays Opera b/(a+b) = 1/3
    assert game.prediction["Row"]["Opera"] == pytest.approx(2 / 3, abs=1e-6)
    assert game.prediction["Column"]["Opera"] == pytest.approx(1 / 3, abs=1e-6)


def test_a_tree_is_played_in_turn_one_agent_per_information_set() -> None:
    game = lab_game(catalogue_game("entry_deterrence"))  # m 5, d 2, f 1
    assert game.roles == ("Entrant", "Incumbent") and game.in_turn
    entrant, incumbent = game.agents
    assert (entrant.role, entrant.actions) == ("Entrant", ("Stay out", "Enter"))
    assert (incumbent.role, incumbent.actions) == ("Incumbent", ("Fight", "Accommodate"))
    flat = game.tree.flat()
    ends = {flat.path[i]: tuple(float(x) for x in flat.payoffs[i])
            for i, k in enumerate(flat.kind) if k == "t"}
    assert ends[("Stay out",)] == (0.0, 5.0)
    assert ends[("Enter", "Fight")] == (-1.0, -1.0)
    assert ends[("Enter", "Accommodate")] == (2.0, 2.0)
    # the subgame-perfect Enter, Accommodate, not the Nash Stay out, Fight
    assert game.prediction[entrant.key]["Enter"] == pytest.approx(1.0, abs=1e-6)
    assert game.prediction[incumbent.key]["Accommodate"] == pytest.approx(1.0, abs=1e-6)
    assert "played in turn" in game.description
    with pytest.raises(TypeError, match="in turn"):
        game.play({"Entrant": (None, "Enter"), "Incumbent": (None, "Fight")})
    # a player with two moves has one agent for each, named by where it is
    centipede = lab_game(catalogue_game("centipede"))
    assert [a.role for a in centipede.agents].count("Ann") == 2
    # a signalling game's receiver moves once per signal it may see
    receiver = [a for a in lab_game(catalogue_game("beer_quiche")).agents
                if a.role == "Receiver"]
    assert len(receiver) == 2 and all(a.actions == ("Duel", "Don't") for a in receiver)


def test_three_players_are_refused_plainly(tmp_path) -> None:
    three = catalogue_game("volunteers_dilemma")
    with pytest.raises(LabClassError, match="Only games with two players.*3 players"):
        lab_game(three)
    store = ClassroomStore(f"sqlite:///{tmp_path / 'c.db'}")
    with pytest.raises(ClassroomError, match="two players"):
        store.create_session("lab", lab=three)
    with pytest.raises(ClassroomError, match="needs the game"):
        store.create_session("lab")


def test_bad_values_are_refused(tmp_path) -> None:
    store = ClassroomStore(f"sqlite:///{tmp_path / 'c.db'}")
    with pytest.raises(ClassroomError, match="no parameter 'z'"):
        store.create_session("lab", {"z": 1.0}, lab=catalogue_game("chicken"))


def test_a_lab_session_survives_a_restart(store_url) -> None:
    lab = catalogue_game("chicken")
    store = ClassroomStore(store_url)
    created = store.create_session("lab", {"w": 4, "c": 1}, seed=3, lab=lab)
    ana = store.join(created.code, "Ana")
    store.submit(ana.player_token, "Straight")
    store.dispose()
    lab_game_from_json.cache_clear()  # nothing of the game is left in this process
    fresh = ClassroomStore(store_url)
    game = fresh.game_of(created.instructor_token)
    assert game.title == "Chicken" and game.params == {"w": 4.0, "c": 1.0}
    assert _pay(game, "Straight", "Swerve")[1] == (4.0, 0.0)
    assert game.prediction["Row"]["Straight"] == pytest.approx(0.8, abs=1e-6)
    ben = fresh.join(created.code, "Ben")
    assert ben.role == "Column"
    fresh.submit(ben.player_token, "Swerve")
    state = fresh.player_state(ana.player_token)
    assert state.actions == ("Swerve", "Straight") and state.game_title == "Chicken"
    out = fresh.close_round(created.instructor_token, 1).outcomes
    assert sorted((o["name"], o["outcome"], o["payoff"]) for o in out) == [
        ("Ana", "Straight / Swerve", 4.0), ("Ben", "Straight / Swerve", 0.0)]
    # built-in games still work beside it
    assert fresh.game_of(fresh.create_session("threat").instructor_token).name == "threat"
    fresh.dispose()


@pytest.mark.parametrize("policy", ["nash", "qre:2", "uniform", "always:Enter"])
def test_bots_play_a_lab_tree_for_three_rounds(tmp_path, policy) -> None:
    store = ClassroomStore(f"sqlite:///{tmp_path / 'c.db'}")
    created = store.create_session("lab", seed=5, rounds=3, matching="strangers",
                                   lab=catalogue_game("entry_deterrence"))
    bots = BotClass(store, created.code, parse_policy(policy), seed=9)
    bots.join(6)
    for r in (1, 2, 3):
        store.start_round(created.instructor_token, r)
        assert bots.play_round() >= 3  # the three entrants at least
        close = store.close_round(created.instructor_token, r)
        assert len(close.outcomes) == 6
    choices = store.choices(created.instructor_token)
    game = store.game_of(created.instructor_token)
    payoff = {("Stay out", "Entrant"): 0.0, ("Stay out", "Incumbent"): 5.0,
              ("Enter, Fight", "Entrant"): -1.0, ("Enter, Fight", "Incumbent"): -1.0,
              ("Enter, Accommodate", "Entrant"): 2.0, ("Enter, Accommodate", "Incumbent"): 2.0}
    entrants = [row for row in choices if row["role"] == "Entrant"]
    assert len(entrants) == 9  # each entrant moves once a round
    for row in entrants:
        reply = [c["action"] for c in choices if c["round"] == row["round"]
                 and c["match"] == row["match"] and c["role"] == "Incumbent"]
        assert row["payoff"] == payoff[(", ".join([row["action"], *reply]), "Entrant")]
    if policy in ("nash", "always:Enter"):
        assert {row["action"] for row in entrants} == {"Enter"}
    # the QRE the bots use is the tree's agent QRE
    if policy == "qre:2":
        qre = qre_profile(game, 2.0)
        assert 0.5 < qre[game.agents[1].key]["Accommodate"] < 1.0
    # instructor-added bots and the export work for it too
    assert store.add_bots(created.instructor_token, 2, "always:Fight") == 2
