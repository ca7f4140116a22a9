"""NormalFormGame: construction, validation, exact evaluation and round trips."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from sim.games.errors import GameError
from sim.games.normal_form import NormalFormGame

F = Fraction


def bos() -> NormalFormGame:
    return NormalFormGame.from_arrays(
        [[2, 0], [0, 1]], [[1, 0], [0, 2]], players=["Row", "Col"],
        strategies=[["Opera", "Football"], ["Opera", "Football"]], title="BoS",
    )


def test_defaults_and_properties() -> None:
    g = NormalFormGame.from_arrays([[1, 2, 3]], [[4, 5, 6]])
    assert g.shape == (1, 3)
    assert g.players == ("Player 1", "Player 2")
    assert g.strategies == (("1",), ("1", "2", "3"))
    assert g.is_exact and g.n_players == 2 and g.title == ""


def test_exact_expected_payoffs_and_regret() -> None:
    g = bos()
    profile = [
        np.array([F(2, 3), F(1, 3)], dtype=object),
        np.array([F(1, 3), F(2, 3)], dtype=object),
    ]
    assert g.expected_payoffs(profile).tolist() == [F(2, 3), F(2, 3)]
    assert g.regret(profile) == 0
    assert g.strategy_values(profile, 0).tolist() == [F(2, 3), F(2, 3)]
    pure = [np.array([1, 0]), np.array([0, 1])]
    # (Opera, Football): each side gains 1 by switching to the other.
    assert g.regret(pure) == 1


def test_three_player_contraction_axis_order() -> None:
    rng = np.random.default_rng(3)
    arrays = [rng.random((2, 3, 4)) for _ in range(3)]
    g = NormalFormGame.from_arrays(*arrays)
    profile = [rng.dirichlet(np.ones(k)) for k in (2, 3, 4)]
    want = [np.einsum("abc,a,b,c->", u, *profile) for u in arrays]
    assert np.allclose(g.expected_payoffs(profile), want, atol=1e-14)
    assert np.allclose(g.strategy_values(profile, 1), np.einsum("abc,a,c->b", arrays[1],
                                                               profile[0], profile[2]))


def test_dict_round_trip_exact_and_float() -> None:
    g = NormalFormGame.from_arrays([[F(1, 3), 2]], [[0, F(-5, 2)]], title="t")
    assert NormalFormGame.from_dict(g.to_dict()) == g
    assert g.to_dict()["payoffs"][0] == [["1/3", "2"]]
    h = g.as_float()
    assert not h.is_exact and NormalFormGame.from_dict(h.to_dict()) == h
    assert h.as_exact().to_arrays()[0][0, 0] == F(1 / 3)


def test_mixed_int_and_float_is_float() -> None:
    g = NormalFormGame.from_arrays([[1, 2.5]], [[0, 1]])
    assert not g.is_exact and g.to_arrays()[0].dtype == float


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"payoffs": []}, "at least one player"),
        ({"payoffs": [[[1, 2]], [[1, 2], [3, 4]]]}, "shape"),
        ({"payoffs": [[1, 2]]}, "1-player game"),
        ({"payoffs": [[[1]], [[1]]], "players": ["a", "a"]}, "distinct"),
        ({"payoffs": [[[1]], [[1]]], "players": ["a"]}, "1 player names"),
        ({"payoffs": [[[1, 2]], [[1, 2]]], "strategies": [["a"], ["x"]]}, "2 strategies but 1"),
        ({"payoffs": [[[1, 2]], [[1, 2]]], "strategies": [["a"], ["x", "x"]]}, "distinct"),
        ({"payoffs": [[[1, float("nan")]], [[1, 2]]]}, "not finite"),
        ({"payoffs": [[["a", 1]], [[1, 2]]]}, "not a real number"),
        ({"payoffs": [[[1, 2], [3]], [[1, 2], [3, 4]]]}, "rectangular"),
    ],
)
def test_validation(kwargs: dict, message: str) -> None:
    payoffs = kwargs.pop("payoffs")
    if payoffs == [[1, 2]]:
        payoffs = [np.array([[1, 2]]).reshape(1, 2)]
    with pytest.raises(GameError, match=message):
        NormalFormGame(payoffs, **kwargs)


def test_payoff_arrays_are_read_only() -> None:
    g = bos()
    with pytest.raises(ValueError):
        g.to_arrays()[0][0, 0] = 5
