"""The crisis negotiation: its tree and payoffs, its equilibrium path, and its play by teams."""

from __future__ import annotations

import threading
import time

import pytest
from typer.testing import CliRunner

from sim.classroom.bots import BotClass, parse_policy
from sim.classroom.negotiation import (
    ACCEPT,
    ADD_NOTHING,
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
from sim.solvers.spe import spe_solve

# the defaults of scenarios/russia_nato_2022_02.yaml the game reads
Q, X, P, C_R, C_W, C_K, C_E, A_R = 0.2, 0.9, 0.65, 0.15, 0.10, 0.10, 0.20, 0.10
D_R, D_W, D_K = 0.95, 0.85, 0.9
TALKS = "Concede: European security and arms-control talks"
MISSILES = "Concede: Strike weapons near Russia"
SANCTIONS = "Concede: Severity of Western sanctions"
NO_MEMBERSHIP = "Concede: NATO enlargement"
TEAMS = ("Russia", "United States and NATO", "Ukraine", "Germany and France")


def _leaf(game, *actions):
    node = game.tree.root
    for a in actions:
        node = dict(node.actions)[a]
    assert isinstance(node, Terminal)
    return node


def _deal(d: float) -> tuple[float, float, float, float]:
    y = Q + min(1.0, d) * (X - Q)
    return (y, 1 - y, 1 - y, 1 - y)


def test_the_game_reads_the_scenario() -> None:
    terms = crisis_terms()
    assert terms.actors == TEAMS
    assert len(terms.demands) == 6 and terms.demands[0].startswith("A legally binding guarantee")
    # one concession per issue and size, spread from the largest to the smallest
    assert [(o.label, o.size) for o in terms.offers] == [(TALKS, 0.5), (MISSILES, 0.4),
                                                         (SANCTIONS, 0.3)]
    # Scholz's assurance, the concession the scenario records by Germany
    assert [(o.label, o.size) for o in terms.allied_offers] == [(NO_MEMBERSHIP, 0.5)]
    assert terms.allied_offers[0].summary.startswith("Scholz said in Putin's presence")
    assert dict(terms.values) == {"q": Q, "x": X, "p": P, "c_R": C_R, "c_W": C_W, "c_K": C_K,
                                  "c_E": C_E, "a_R": A_R, "delta_R": D_R, "delta_W": D_W,
                                  "delta": D_K}
    game = crisis_game()
    assert game.roles == terms.actors and game.teams and game.in_turn
    # per round of talks: Russia, the patron, the allies after each of its 4 moves, and
    # Ukraine and Russia after each of the 7 deals; 8 ways into the second talks
    assert len(game.tree.infosets) == 1 + 1 + 4 + 7 + 7 + 8 * (1 + 1 + 4 + 7 + 7 + 8)
    # the tree is too large for a payoff table on a phone: the briefing states the payoffs
    assert "the first move sent for your team counts" in game.description
    assert ("A deal gives Russia its share and every other side the rest: European security "
            "and arms-control talks 0.55; Strike weapons near Russia 0.48; Severity of Western "
            "sanctions 0.41; NATO enlargement 0.55; with NATO enlargement added to the offer "
            "of the United States and NATO, 0.90, 0.83 and 0.76.") in game.description
    assert ("War: Russia 0.50, the United States and NATO 0.25, Ukraine 0.25, Germany and "
            "France 0.15. If Russia backs down: 0.10 for Russia, 0.80 for each of the others."
            ) in game.description
    # every outcome fits the results table's column
    assert max(len(label) for label in game.outcome_labels) <= 64


def test_payoffs_of_a_few_leaves_by_hand() -> None:
    game = crisis_game()
    war = (P - C_R, 1 - P - C_W, 1 - P - C_K, 1 - P - C_E)
    assert _leaf(game, WAR).payoffs == pytest.approx(war)
    # a deal on the talks: Russia gets q + 0.5 (x - q) = 0.55, the others keep 0.45
    assert _leaf(game, PRESS, TALKS, ADD_NOTHING, ACCEPT, TAKE).payoffs == pytest.approx(
        (0.55, 0.45, 0.45, 0.45))
    assert _leaf(game, PRESS, SANCTIONS, ADD_NOTHING, ACCEPT, TAKE).payoffs == pytest.approx(
        (0.41, 0.59, 0.59, 0.59))
    # Germany and France's assurance alone, and added to an offer: the distances add up
    assert _leaf(game, PRESS, REFUSE, NO_MEMBERSHIP, ACCEPT, TAKE).payoffs == pytest.approx(
        _deal(0.5))
    leaf = _leaf(game, PRESS, SANCTIONS, NO_MEMBERSHIP, ACCEPT, TAKE)
    assert leaf.payoffs == pytest.approx(_deal(0.8)) and leaf.payoffs[0] == pytest.approx(0.76)
    assert leaf.label == "Deal (first talks): both offers, 0.76 to Russia"
    # at most everything Russia demanded
    assert _leaf(game, PRESS, TALKS, NO_MEMBERSHIP, ACCEPT, TAKE).payoffs == pytest.approx(
        (X, 1 - X, 1 - X, 1 - X))
    # war after Ukraine accepted: as a war in the first talks
    assert _leaf(game, PRESS, MISSILES, ADD_NOTHING, ACCEPT, WAR).payoffs == pytest.approx(war)
    # one round of delay: each side's payoff times its patience (the West's for both allies)
    delay = (D_R, D_W, D_K, D_W)
    assert _leaf(game, PRESS, REFUSE, ADD_NOTHING, WAR).payoffs == pytest.approx(
        tuple(u * d for u, d in zip(war, delay, strict=True)))
    assert _leaf(game, PRESS, SANCTIONS, ADD_NOTHING, RESIST, PRESS, MISSILES, ADD_NOTHING,
                 ACCEPT, TAKE).payoffs == pytest.approx(
        tuple(u * d for u, d in zip(_deal(0.4), delay, strict=True)))
    assert _leaf(game, PRESS, REFUSE, ADD_NOTHING, PRESS, REFUSE, ADD_NOTHING,
                 BACK_DOWN).payoffs == pytest.approx(
        tuple(u * d for u, d in zip((Q - A_R, 1 - Q, 1 - Q, 1 - Q), delay, strict=True)))


#: How an indifferent team moves, written out again here: no concession and no war unless
#: strictly better; a deal is accepted or taken when it is worth as much as going on.
_PREFERRED = (REFUSE, ADD_NOTHING, ACCEPT, TAKE, PRESS, BACK_DOWN)


def _backward(node):
    """Plain backward induction, independent of the engine: (payoffs, path)."""
    if isinstance(node, Terminal):
        return tuple(float(x) for x in node.payoffs), ()
    assert isinstance(node, Decision)
    options = [(action, *_backward(child)) for action, child in node.actions]
    top = max(pay[node.player] for _, pay, _ in options)
    tied = [o for o in options if pay_of(o, node.player) >= top - 1e-12]
    pick = next((o for a in _PREFERRED for o in tied if o[0] == a), tied[0])
    return pick[1], (pick[0], *pick[2])


def pay_of(option, player: int) -> float:
    return float(option[1][player])


def test_the_equilibrium_path_by_hand() -> None:
    # Second talks: Russia fights rather than back down (0.5 > 0.1) and takes a deal only
    # when y >= 0.5: the talks or the assurance alone (0.55) buy peace. The allies keep 0.45
    # of such a deal against at most 0.25 from war, so if the United States and NATO refuse,
    # Germany and France concede; the patron is indifferent, and concedes nothing. Seen from
    # the first talks, waiting is worth 0.85 * 0.45 to the allies and 0.9 * 0.45 = 0.405 to
    # Ukraine, so Germany and France concede at once (0.45), Ukraine accepts (0.45 > 0.405),
    # and Russia presses (0.55 > 0.5) and takes the deal.
    game = crisis_game()
    expected = (("Russia", PRESS), (TEAMS[1], REFUSE), (TEAMS[3], NO_MEMBERSHIP),
                ("Ukraine", ACCEPT), ("Russia", TAKE))
    assert equilibrium_path(game) == expected
    pay, path = _backward(game.tree.root)
    assert path == tuple(a for _, a in expected)
    assert pay == pytest.approx((0.55, 0.45, 0.45, 0.45))
    # the patron's indifference: conceding the talks itself is the other subgame-perfect path
    paths = {tuple(step.split(":")[-1].strip() for step in p[:5])
             for p in spe_solve(game.tree, ties="all", max_equilibria=200).paths}
    assert paths == {(PRESS, REFUSE, NO_MEMBERSHIP.split(": ")[1], ACCEPT, TAKE),
                     (PRESS, TALKS.split(": ")[1], ADD_NOTHING, ACCEPT, TAKE)}
    # Ukraine resists the sanctions offer alone in the first talks, and Russia would fight it
    at = game.agent_at("first talks: the deal on Severity of Western sanctions")
    assert game.prediction[at.key] == {ACCEPT: 0.0, RESIST: 1.0}


def test_a_costlier_war_changes_the_path() -> None:
    # at c_R = 0.3 Russia's war is worth 0.35: the sanctions offer (0.41) is enough, and the
    # patron makes it (0.59 against 0.45 if it leaves the concession to its allies)
    game = crisis_game({"c_R": 0.3})
    assert equilibrium_path(game)[1:3] == ((TEAMS[1], SANCTIONS), (TEAMS[3], ADD_NOTHING))
    assert _backward(game.tree.root)[1][1:3] == (SANCTIONS, ADD_NOTHING)


@pytest.mark.parametrize("values", [{}, {"c_R": 0.3}, {"c_E": 0.0, "c_W": 0.4},
                                    {"p": 0.3, "c_K": 0.6}, {"x": 0.6, "delta": 0.5}])
def test_the_prediction_is_backward_induction(values) -> None:
    game = crisis_game(values)
    assert tuple(a for _, a in equilibrium_path(game)) == _backward(game.tree.root)[1]


def test_teams_are_dealt_to_groups() -> None:
    import numpy as np

    assert group_count(8, 3) == 1 and group_count(18, 3) == 2 and group_count(2, 3) == 1
    # four teams of about three: one group per twelve students
    assert group_count(11, 4) == 1 and group_count(24, 4) == 2 and group_count(40, 4) == 3
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
    # join order deals roles in turn: S1 and S5 are Russia's team, S2 and S6 the patron's
    first, second = store.player_state(t["S1"]), store.player_state(t["S5"])
    assert first.role == second.role == "Russia"
    assert [store.player_state(t[f"S{k}"]).role for k in (2, 3, 4, 6)] == [
        TEAMS[1], "Ukraine", TEAMS[3], TEAMS[1]]
    assert first.turn.my_move and second.turn.my_move
    assert TEAM_RULE in second.turn.seen
    store.submit(t["S1"], PRESS, 1, step=0)
    with pytest.raises(ClassroomError, match="the first move sent for your team counts"):
        store.submit(t["S5"], WAR, 1, step=0)
    second = store.player_state(t["S5"])
    assert not second.turn.my_move and second.turn.waiting_for == TEAMS[1]
    assert second.turn.seen == (TEAM_RULE, f"Your team chose {PRESS}.")
    # either member of the patron's team may answer; then the allies, Ukraine and Russia
    store.submit(t["S6"], REFUSE, 1, step=1)
    assert store.player_state(t["S4"]).turn.my_move
    store.submit(t["S4"], NO_MEMBERSHIP, 1, step=2)
    store.submit(t["S3"], ACCEPT, 1, step=3)
    store.submit(t["S5"], TAKE, 1, step=4)
    close = store.close_round(created.instructor_token, 1)
    by_name = {o["name"]: o for o in close.outcomes}
    assert len(by_name) == 6
    assert by_name["S1"]["payoff"] == by_name["S5"]["payoff"] == pytest.approx(0.55)
    assert by_name["S2"]["payoff"] == by_name["S6"]["payoff"] == pytest.approx(0.45)
    assert by_name["S4"]["payoff"] == by_name["S3"]["payoff"] == pytest.approx(0.45)
    assert by_name["S1"]["action"] == by_name["S5"]["action"] == f"{PRESS}, {TAKE}"
    # the export has one row per move, each by the member who sent it
    rows = store.export_rows(created.instructor_token)
    assert [(r["student"], r["role"], r["action"]) for r in rows] == [
        ("S1", "Russia", PRESS), ("S6", TEAMS[1], REFUSE), ("S4", TEAMS[3], NO_MEMBERSHIP),
        ("S3", "Ukraine", ACCEPT), ("S5", "Russia", TAKE)]
    assert {r["outcome"] for r in rows} == {"Deal (first talks): NATO enlargement"}
    table = paths_table(store.game_of(created.instructor_token), class_paths(rows))
    assert table[0] == {"Move": "1", "Equilibrium (subgame-perfect)": f"Russia: {PRESS}",
                        "Round 1, group 1": f"Russia: {PRESS}"}
    assert table[-1]["Round 1, group 1"] == table[-1]["Equilibrium (subgame-perfect)"]
    store.dispose()


def test_a_crisis_played_to_the_end_of_the_second_talks(store_url) -> None:
    # the decisions of the second talks are named by the whole history, longer than any
    # bounded column: every database stores them
    store, created, t = _class(store_url, n=4)
    token = created.instructor_token
    store.start_round(token, 1)
    plan = [("S1", PRESS), ("S2", TALKS), ("S4", NO_MEMBERSHIP), ("S3", RESIST),
            ("S1", PRESS), ("S2", MISSILES), ("S4", NO_MEMBERSHIP), ("S3", RESIST),
            ("S1", BACK_DOWN)]
    for step, (who, action) in enumerate(plan):
        store.submit(t[who], action, 1, step=step)
    close = store.close_round(token, 1)
    assert {o["outcome"] for o in close.outcomes} == {"Russia backs down"}
    pay = {o["name"]: o["payoff"] for o in close.outcomes}
    assert pay == pytest.approx({"S1": (Q - A_R) * D_R, "S2": (1 - Q) * D_W,
                                 "S3": (1 - Q) * D_K, "S4": (1 - Q) * D_W})
    rows = store.export_rows(token)
    assert [r["action"] for r in rows] == [a for _, a in plan]
    assert max(len(r["information_set"]) for r in rows) > 128
    store.dispose()


def test_bots_play_three_rounds(store_url) -> None:
    store = ClassroomStore(store_url)
    created = store.create_session("crisis", seed=5, rounds=3)
    token = created.instructor_token
    bots = BotClass(store, created.code, parse_policy("always:Go to war"), seed=2)
    bots.join(7)  # teams of 2, 2, 2 and 1
    for r in (1, 2, 3):
        store.start_round(token, r)
        assert bots.play_round() == 1  # Russia goes to war at once
        close = store.close_round(token, r)
        assert len(close.outcomes) == 7
        assert {o["outcome"] for o in close.outcomes} == {"War in the first talks"}
        assert sorted(round(o["payoff"], 6) for o in close.outcomes) == (
            [0.15] + [0.25] * 4 + [0.5] * 2)
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
