"""Nash equilibria of trees via the reduced normal form, and sequential rationality."""

from __future__ import annotations

from fractions import Fraction as F

import pytest

from sim.games.errors import GameError
from sim.solvers.sequential import bayes_beliefs, check_sequential_rationality, nash_efg_solve
from tests.engine_ef import beer_quiche, entry_deterrence, threat_game


def test_entry_deterrence_incredible_threat_is_caught() -> None:
    res = nash_efg_solve(entry_deterrence())
    assert res.degenerate
    labels = [e.label for e in res.equilibria]
    assert labels.count("Nash, sequentially rational") == 1
    assert labels.count("Nash, not sequentially rational at Incumbent") == 2
    good = next(e for e in res.equilibria if e.label == "Nash, sequentially rational")
    assert good.behavior["Entrant"] == {"Out": 0, "In": 1}
    assert good.payoffs == (1, 1)
    assert all(e.regret == 0 for e in res.equilibria)


def test_beer_quiche_pooling_equilibria_need_off_path_suspicion() -> None:
    res = nash_efg_solve(beer_quiche(F(9, 10)))
    assert len(res) == 4
    assert all(e.label == "Nash, sequentially rational" for e in res.equilibria)
    payoffs = sorted({e.payoffs for e in res.equilibria})
    assert payoffs == [(F(21, 10), F(9, 10)), (F(29, 10), F(9, 10))]
    beer = next(e for e in res.equilibria
                if e.payoffs[0] == F(29, 10) and e.behavior["after Quiche"]["Duel"] == 1)
    # Off path the supporting belief found is "weak" for sure: duelling is then optimal.
    assert beer.beliefs["after Quiche"] == {"strong/Quiche": 0, "weak/Quiche": 1}
    assert beer.beliefs["after Beer"] == {"strong/Beer": F(9, 10), "weak/Beer": F(1, 10)}


def test_check_with_supplied_beliefs() -> None:
    game = beer_quiche(F(9, 10))
    behavior = {
        "strong": {"Beer": 1, "Quiche": 0},
        "weak": {"Beer": 1, "Quiche": 0},
        "after Beer": {"Duel": 0, "Not": 1},
        "after Quiche": {"Duel": 1, "Not": 0},
    }
    optimistic = {"after Quiche": {"strong/Quiche": F(3, 4), "weak/Quiche": F(1, 4)}}
    check = check_sequential_rationality(game, behavior, optimistic)
    assert not check.rational
    assert check.failures == ("after Quiche",)
    bad = next(c for c in check.infosets if c.key == "after Quiche")
    assert bad.source == "supplied"
    assert bad.action_values == {"Duel": F(1, 4), "Not": F(3, 4)}
    assert bad.regret == F(1, 2)
    pessimistic = {"after Quiche": {"strong/Quiche": F(1, 4), "weak/Quiche": F(3, 4)}}
    assert check_sequential_rationality(game, behavior, pessimistic).rational


def test_bayes_beliefs_only_on_path() -> None:
    game = beer_quiche(F(1, 3))
    behavior = {
        "strong": {"Beer": 1, "Quiche": 0},
        "weak": {"Beer": F(1, 2), "Quiche": F(1, 2)},
        "after Beer": {"Duel": F(1, 2), "Not": F(1, 2)},
        "after Quiche": {"Duel": 1, "Not": 0},
    }
    beliefs = bayes_beliefs(game, behavior)
    assert beliefs["after Beer"] == {"strong/Beer": F(1, 2), "weak/Beer": F(1, 2)}
    assert beliefs["after Quiche"] == {"strong/Quiche": 0, "weak/Quiche": 1}
    assert check_sequential_rationality(game, behavior).rational


def test_no_belief_can_rescue_a_dominated_action() -> None:
    game = threat_game(F(3, 10), F(3, 5), F(11, 20), F(1, 10), F(1, 5), F(1, 20), 0)
    behavior = {"C": {"Status quo": 1, "Demand": 0}, "T": {"Concede": 0, "Resist": 1},
                "C after Resist": {"Execute": 0, "Back down": 1}}
    check = check_sequential_rationality(game, behavior)
    assert check.failures == ("C after Resist",)
    assert next(c for c in check.infosets if c.key == "C after Resist").source == "none"


def test_two_players_only() -> None:
    from sim.games.extensive_form import Decision, ExtensiveFormGame, Terminal

    g = ExtensiveFormGame(Decision(0, (("a", Terminal((1, 2, 3))),)), ("A", "B", "C"))
    with pytest.raises(GameError, match="nash_efg_solve needs a two-player game, not 3 players"):
        nash_efg_solve(g)
