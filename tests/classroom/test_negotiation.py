"""The crisis negotiation: its tree and payoffs, its equilibrium path, and its play by teams."""

from __future__ import annotations

import threading
import time

import pytest
from typer.testing import CliRunner

from sim.classroom.bots import BotClass, parse_policy
from sim.classroom.negotiation import (
    ACCEPT,
    BACK_DOWN,
    PRESS,
    REFUSE,
    RESIST,
    TAKE,
    WAR,
    class_paths,
    crisis_game,
    crisis_terms,
    equilibrium_path,
    paths_table,
)
from sim.classroom.store import ClassroomError, ClassroomStore
from sim.classroom.teams import TEAM_RULE, deal_teams, group_count
from sim.cli import app
from sim.games.extensive_form import Decision, Terminal

# the defaults of scenarios/russia_nato_2022_02.yaml the game reads
Q, X, P, C_R, C_W, C_K, A_R = 0.2, 0.9, 0.65, 0.15, 0.10, 0.10, 0.10
D_R, D_W, D_K = 0.95, 0.85, 0.9
TALKS = "Concede: European security and arms-control talks"
MISSILES = "Concede: Strike weapons near Russia"
SANCTIONS = "Concede: Severity of Western sanctions"


def _leaf(game, *actions):
    node = game.tree.root
    for a in actions:
        node = dict(node.actions)[a]
    assert isinstance(node, Terminal)
    return node


def test_the_game_reads_the_scenario() -> None:
    terms = crisis_terms()
    assert terms.actors == ("Russia", "United States", "Ukraine")
    assert len(terms.demands) == 6 and terms.demands[0].startswith("A legally binding guarantee")
    # one concession per issue and size, spread from the largest to the smallest
    assert [(o.label, o.size) for o in terms.offers] == [(TALKS, 0.5), (MISSILES, 0.4),
                                                         (SANCTIONS, 0.3)]
    assert dict(terms.values) == {"q": Q, "x": X, "p": P, "c_R": C_R, "c_W": C_W, "c_K": C_K,
                                  "a_R": A_R, "delta_R": D_R, "delta_W": D_W, "delta": D_K}
    game = crisis_game()
    assert game.roles == terms.actors and game.teams and game.in_turn
    assert len(game.tree.infosets) == 56
    # the tree is too large for a payoff table on a phone: the briefing states the payoffs
    assert "the first move sent for your team counts" in game.description
    assert ("a deal on European security and arms-control talks: 0.55, 0.45 and 0.45"
            in game.description)
    assert "war: 0.50, 0.25 and 0.25; Russia backs down: 0.10, 0.80 and 0.80" in (
        game.description)


def test_payoffs_of_a_few_leaves_by_hand() -> None:
    game = crisis_game()
    war = (P - C_R, 1 - P - C_W, 1 - P - C_K)
    assert _leaf(game, WAR).payoffs == pytest.approx(war)
    # a deal on the talks: Russia gets q + 0.5 (x - q) = 0.55, the others keep 0.45
    assert _leaf(game, PRESS, TALKS, ACCEPT, TAKE).payoffs == pytest.approx((0.55, 0.45, 0.45))
    assert _leaf(game, PRESS, SANCTIONS, ACCEPT, TAKE).payoffs == pytest.approx(
        (0.41, 0.59, 0.59))
    # war after Ukraine accepted: as a war in the first talks
    assert _leaf(game, PRESS, MISSILES, ACCEPT, WAR).payoffs == pytest.approx(war)
    # one round of delay: each side's payoff times its patience
    assert _leaf(game, PRESS, REFUSE, WAR).payoffs == pytest.approx(
        (war[0] * D_R, war[1] * D_W, war[2] * D_K))
    assert _leaf(game, PRESS, SANCTIONS, RESIST, PRESS, MISSILES, ACCEPT, TAKE).payoffs == (
        pytest.approx((0.48 * D_R, 0.52 * D_W, 0.52 * D_K)))
    assert _leaf(game, PRESS, REFUSE, PRESS, REFUSE, BACK_DOWN).payoffs == pytest.approx(
        ((Q - A_R) * D_R, (1 - Q) * D_W, (1 - Q) * D_K))


def _backward(node):
    """Plain backward induction, independent of the engine: (payoffs, path)."""
    if isinstance(node, Terminal):
        return tuple(float(x) for x in node.payoffs), ()
    assert isinstance(node, Decision)
    best = None
    for action, child in node.actions:
        pay, path = _backward(child)
        if best is None or pay[node.player] > best[0][node.player] + 1e-12:
            best = (pay, (action, *path))
    return best


def test_the_equilibrium_path_by_hand() -> None:
    # Second talks: Russia fights rather than back down (0.5 > 0.1); it takes a deal only
    # when y >= 0.5, so only the talks (0.55) buy peace, and the US offers it (0.45 > 0.25).
    # Worth, seen from the first talks: Russia 0.95 * 0.55, the US 0.85 * 0.45, Ukraine
    # 0.9 * 0.45 = 0.405. First talks: Ukraine accepts the talks (0.45 > 0.405) but resists
    # the smaller offers, which Russia would answer with war (0.25 < 0.405); the US offers
    # the talks (0.45 > 0.3825); Russia presses (0.55 > 0.5) and takes the deal.
    game = crisis_game()
    expected = (("Russia", PRESS), ("United States", TALKS), ("Ukraine", ACCEPT),
                ("Russia", TAKE))
    assert equilibrium_path(game) == expected
    pay, path = _backward(game.tree.root)
    assert path == tuple(a for _, a in expected)
    assert pay == pytest.approx((0.55, 0.45, 0.45))
    # Ukraine resists the sanctions offer in the first talks, and Russia would fight it
    at = game.agent_at("first talks: the deal on Severity of Western sanctions")
    assert game.prediction[at.key] == {ACCEPT: 0.0, RESIST: 1.0}


def test_a_costlier_war_changes_the_path() -> None:
    # at c_R = 0.3 Russia's war is worth 0.35: the sanctions offer (0.41) is enough
    game = crisis_game({"c_R": 0.3})
    assert equilibrium_path(game)[1] == ("United States", SANCTIONS)
    assert _backward(game.tree.root)[1][1] == SANCTIONS


def test_teams_are_dealt_to_groups() -> None:
    import numpy as np

    assert group_count(8, 3) == 1 and group_count(18, 3) == 2 and group_count(2, 3) == 1
    teams = deal_teams({"A": [1, 4, 7], "B": [2, 5], "C": [3]}, 2, False,
                       np.random.default_rng(0))
    assert teams == [{"A": [1, 7], "B": [2], "C": [3]}, {"A": [4], "B": [5], "C": []}]


def _class(url: str, n: int = 6, rounds: int = 3):
    store = ClassroomStore(url)
    created = store.create_session("crisis", seed=5, rounds=rounds, matching="partners")
    tokens = {f"S{k}": store.join(created.code, f"S{k}").player_token for k in range(1, n + 1)}
    return store, created, tokens


def test_the_first_move_sent_for_a_team_counts(store_url) -> None:
    store, created, t = _class(store_url)
    store.start_round(created.instructor_token, 1)
    # join order deals roles in turn: S1 and S4 are Russia's team
    first, second = store.player_state(t["S1"]), store.player_state(t["S4"])
    assert first.role == second.role == "Russia"
    assert first.turn.my_move and second.turn.my_move
    assert TEAM_RULE in second.turn.seen
    store.submit(t["S1"], PRESS, 1, step=0)
    with pytest.raises(ClassroomError, match="the first move sent for your team counts"):
        store.submit(t["S4"], WAR, 1, step=0)
    second = store.player_state(t["S4"])
    assert not second.turn.my_move and second.turn.waiting_for == "United States"
    assert second.turn.seen == (TEAM_RULE, f"Your team chose {PRESS}.")
    # either member of the US team may answer; then Ukraine's and Russia's teams
    store.submit(t["S5"], TALKS, 1, step=1)
    store.submit(t["S3"], ACCEPT, 1, step=2)
    store.submit(t["S4"], TAKE, 1, step=3)
    close = store.close_round(created.instructor_token, 1)
    by_name = {o["name"]: o for o in close.outcomes}
    assert len(by_name) == 6
    assert by_name["S1"]["payoff"] == by_name["S4"]["payoff"] == pytest.approx(0.55)
    assert by_name["S2"]["payoff"] == by_name["S5"]["payoff"] == pytest.approx(0.45)
    assert by_name["S1"]["action"] == by_name["S4"]["action"] == f"{PRESS}, {TAKE}"
    # the export has one row per move, each by the member who sent it
    rows = store.export_rows(created.instructor_token)
    assert [(r["student"], r["role"], r["action"]) for r in rows] == [
        ("S1", "Russia", PRESS), ("S5", "United States", TALKS), ("S3", "Ukraine", ACCEPT),
        ("S4", "Russia", TAKE)]
    assert {r["outcome"] for r in rows} == {
        "Deal (first talks): European security and arms-control talks"}
    table = paths_table(store.game_of(created.instructor_token), class_paths(rows))
    assert table[0] == {"Move": "1", "Equilibrium (subgame-perfect)": f"Russia: {PRESS}",
                        "Round 1, group 1": f"Russia: {PRESS}"}
    assert table[-1]["Round 1, group 1"] == table[-1]["Equilibrium (subgame-perfect)"]
    store.dispose()


def test_bots_play_three_rounds(store_url) -> None:
    store = ClassroomStore(store_url)
    created = store.create_session("crisis", seed=5, rounds=3)
    token = created.instructor_token
    bots = BotClass(store, created.code, parse_policy("always:Go to war"), seed=2)
    bots.join(7)  # teams of 3, 2 and 2
    for r in (1, 2, 3):
        store.start_round(token, r)
        assert bots.play_round() == 1  # Russia goes to war at once
        close = store.close_round(token, r)
        assert len(close.outcomes) == 7
        assert {o["outcome"] for o in close.outcomes} == {"War in the first talks"}
        assert sorted(round(o["payoff"], 6) for o in close.outcomes) == (
            [0.25] * 4 + [0.5] * 3)
    rows = store.export_rows(token)
    assert [(r["round"], r["role"], r["action"]) for r in rows] == [
        (r, "Russia", WAR) for r in (1, 2, 3)]
    store.dispose()


def test_the_command_line_bots_play_it(tmp_path, monkeypatch) -> None:
    url = f"sqlite:///{tmp_path / 'c.db'}"
    monkeypatch.setenv("COERCION_CLASSROOM_DB", url)
    store = ClassroomStore(url)
    created = store.create_session("crisis", seed=1, rounds=1)
    token = created.instructor_token
    result = {}

    def run() -> None:
        result["res"] = CliRunner().invoke(app, [
            "classroom", "bots", "--session", created.code, "--n", "3", "--policy", "nash",
            "--poll", "0.1", "--idle", "30"])

    thread = threading.Thread(target=run)
    thread.start()
    deadline = time.monotonic() + 30
    while len(store.instructor_state(token).players) < 3 and time.monotonic() < deadline:
        time.sleep(0.1)
    store.start_round(token, 1)
    while (not all(g.finished for g in store.instructor_state(token).groups)
           and time.monotonic() < deadline):
        time.sleep(0.1)
    store.close_round(token, 1)
    thread.join(30)
    assert result["res"].exit_code == 0, result["res"].output
    rows = store.export_rows(token)
    assert [(r["role"], r["action"]) for r in rows] == list(equilibrium_path(
        store.game_of(token)))
    store.dispose()
