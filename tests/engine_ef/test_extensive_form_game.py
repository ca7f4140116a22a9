"""Construction, validation and evaluation of extensive-form games."""

from __future__ import annotations

from fractions import Fraction

import pytest

from sim.games.errors import GameError
from sim.games.extensive_form import Chance, Decision, ExtensiveFormGame, Terminal, path_key
from tests.engine_ef import beer_quiche, threat_game

T = Terminal


@pytest.mark.parametrize(
    ("root", "players", "message"),
    [
        (T((1, 2, 3)), ("A", "B"), "root: 3 payoffs for 2 players"),
        (Decision(0, (("x", T((1,))), ("y", T((1, 2))))), ("A", "B"),
         "node x: 1 payoffs for 2 players"),
        (Chance((("h", Fraction(1, 2), T((0, 0))), ("t", Fraction(1, 3), T((0, 0))))),
         ("A", "B"), "root: chance probabilities sum to 5/6, not 1"),
        (Chance((("h", 0.5, T((0, 0))), ("t", 0.6, T((0, 0))))), ("A", "B"),
         "root: chance probabilities sum to 1.1, not 1"),
        (Chance((("h", -0.5, T((0, 0))), ("t", 1.5, T((0, 0))))), ("A", "B"),
         "root: chance probability -0.5 is not in [0, 1]"),
        (Decision(0, (("x", Decision(1, (("a", T((0, 0))), ("b", T((0, 0)))), "I")),
                      ("y", Decision(1, (("a", T((0, 0))), ("c", T((0, 0)))), "I")))),
         ("A", "B"), "information set 'I' has nodes with different actions"),
        (Decision(0, (("x", Decision(1, (("a", T((0, 0))),), "I")),
                      ("y", Decision(0, (("a", T((0, 0))),), "I")))),
         ("A", "B"), "information set 'I' mixes players"),
        (Decision(2, (("x", T((0, 0))),)), ("A", "B"), "root: player index 2 out of range"),
        (Decision(0, (("x", T((0, 0))), ("x", T((1, 1))))), ("A", "B"),
         "root: action labels must be distinct"),
        (Decision(0, ()), ("A", "B"), "root: a move needs at least one action"),
        (T((float("nan"), 0)), ("A", "B"), "root: payoff nan is not a finite real number"),
        (T((0, 0)), ("A", "A"), "player names must be distinct"),
    ],
)
def test_validation_messages(root, players, message) -> None:
    with pytest.raises(GameError) as err:
        ExtensiveFormGame(root, players)
    assert str(err.value) == message


def test_singleton_infosets_are_keyed_by_path() -> None:
    tree = Decision(0, (("L", Decision(1, (("a", T((0, 0))), ("b", T((1, 1)))))),
                        ("R", T((2, 2)))))
    game = ExtensiveFormGame(tree, ("A", "B"))
    assert list(game.infosets) == ["#root", "#L"]
    assert game.infoset_of(tree).key == "#root"
    assert path_key(("L", "a")) == "L/a"


def test_flat_tree_and_expected_payoffs() -> None:
    game = beer_quiche(Fraction(9, 10))
    flat = game.flat()
    assert len(flat) == 15
    assert flat.kind[:3] == ["c", "d", "d"]
    assert flat.members["after Beer"] == [2, 9]
    behavior = {
        "strong": {"Beer": 1, "Quiche": 0},
        "weak": {"Beer": 1, "Quiche": 0},
        "after Beer": {"Duel": 0, "Not": 1},
        "after Quiche": {"Duel": 1, "Not": 0},
    }
    assert game.expected_payoffs(behavior) == (Fraction(29, 10), Fraction(9, 10))
    reach = flat.reach_probs(behavior)
    assert reach[flat.members["after Beer"][1]] == Fraction(1, 10)


def test_missing_behaviour_is_reported() -> None:
    message = "behaviour profile has no entry for information set 'after Quiche'"
    with pytest.raises(GameError, match=message):
        beer_quiche(Fraction(1, 2)).expected_payoffs({"strong": {"Beer": 1}})


def test_perfect_information_and_recall() -> None:
    assert threat_game(0, 1, 1, 0, 0, 0, 0).is_perfect_information
    assert not beer_quiche(Fraction(1, 2)).is_perfect_information
    assert beer_quiche(Fraction(1, 2)).has_perfect_recall
    # A player who forgets its own first move.
    forgetful = Decision(0, (
        ("L", Decision(0, (("a", T((0,))), ("b", T((1,)))), "later")),
        ("R", Decision(0, (("a", T((2,))), ("b", T((3,)))), "later")),
    ))
    assert not ExtensiveFormGame(forgetful, ("A",)).has_perfect_recall


def test_exactness() -> None:
    assert threat_game(Fraction(1, 5), 1, 1, 0, 0, 0, 0).is_exact
    assert not threat_game(0.2, 1, 1, 0, 0, 0, 0).is_exact
