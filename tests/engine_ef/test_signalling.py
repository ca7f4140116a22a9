"""Perfect Bayesian equilibria of 2x2x2 signalling games (beer-quiche and friends)."""

from __future__ import annotations

from fractions import Fraction as F

import pytest

from sim.games.errors import GameError
from sim.solvers.sequential import check_sequential_rationality, nash_efg_solve
from sim.solvers.signalling import pbe_solve, signalling_game

# Cho & Kreps (1987): types strong/weak, messages Beer/Quiche, responses Duel/Not.
SENDER = [[[1, 3], [0, 2]], [[0, 2], [1, 3]]]
RECEIVER = [[[0, 1], [0, 1]], [[1, 0], [1, 0]]]
LABELS = (("strong", "weak"), ("Beer", "Quiche"), ("Duel", "Not"))


def solve(prior):
    return pbe_solve(prior, SENDER, RECEIVER, *LABELS)


def test_beer_quiche_two_pooling_equilibria() -> None:
    res = solve(F(9, 10))
    assert [e.kind for e in res.equilibria] == ["pooling on Beer", "pooling on Quiche"]
    beer, quiche = res.equilibria
    assert beer.sender == {"strong": {"Beer": 1, "Quiche": 0}, "weak": {"Beer": 1, "Quiche": 0}}
    assert beer.receiver == {"Beer": {"Duel": 0, "Not": 1}, "Quiche": {"Duel": 1, "Not": 0}}
    assert beer.beliefs["Beer"] == F(9, 10)
    assert beer.off_path_beliefs == {"Quiche": (0, F(1, 2))}
    assert beer.payoffs == {"t1": 3, "t2": 2, "sender": F(29, 10), "receiver": F(9, 10)}
    assert quiche.off_path_beliefs == {"Beer": (0, F(1, 2))}
    assert quiche.payoffs["sender"] == F(21, 10)
    assert not res.degenerate and res.multiple_equilibria


def test_beer_quiche_low_prior_semi_separating() -> None:
    res = solve(F(1, 3))
    (eq,) = res.equilibria
    assert eq.kind == "semi-separating"
    assert eq.sender["strong"] == {"Beer": 1, "Quiche": 0}
    assert eq.sender["weak"] == {"Beer": F(1, 2), "Quiche": F(1, 2)}
    assert eq.receiver["Beer"] == {"Duel": F(1, 2), "Not": F(1, 2)}
    assert eq.receiver["Quiche"] == {"Duel": 1, "Not": 0}
    assert eq.beliefs == {"Beer": F(1, 2), "Quiche": 0}
    assert eq.payoffs["t2"] == 1  # the weak type is indifferent: 1 either way


def test_prior_on_indifference_belief_is_flagged() -> None:
    res = solve(F(1, 2))
    assert res.degenerate
    assert any("indifference" in n for e in res.equilibria for n in e.notes)


def test_separating_equilibrium_of_a_job_market_game() -> None:
    # Spence-style: m1 = educate (costs 1 for the able type t1, 3 for t2), r1 = hire (wage 2).
    sender = [[[1, -1], [2, 0]], [[-1, -3], [2, 0]]]
    receiver = [[[1, 0], [1, 0]], [[-1, 0], [-1, 0]]]
    res = pbe_solve(F(1, 3), sender, receiver)
    assert [e.kind for e in res.equilibria] == ["pooling on m2", "separating"]
    pool, sep = res.equilibria
    assert pool.receiver == {"m1": {"r1": 0, "r2": 1}, "m2": {"r1": 0, "r2": 1}}
    assert pool.off_path_beliefs == {"m1": (0, F(1, 2))}
    assert sep.sender == {"t1": {"m1": 1, "m2": 0}, "t2": {"m1": 0, "m2": 1}}
    assert sep.beliefs == {"m1": 1, "m2": 0}
    assert sep.receiver == {"m1": {"r1": 1, "r2": 0}, "m2": {"r1": 0, "r2": 1}}
    assert sep.payoffs == {"t1": 1, "t2": 0, "sender": F(1, 3), "receiver": F(1, 3)}


@pytest.mark.parametrize("prior", [F(9, 10), F(1, 3), F(7, 10)])
def test_every_pbe_is_sequentially_rational_on_the_tree(prior) -> None:
    game = signalling_game(prior, SENDER, RECEIVER, *LABELS)
    nash = nash_efg_solve(game)
    for eq in solve(prior).equilibria:
        behavior = {**eq.sender, **{f"after {m}": d for m, d in eq.receiver.items()}}
        assert game.expected_payoffs(behavior) == (eq.payoffs["sender"], eq.payoffs["receiver"])
        beliefs = {f"after {m}": {f"strong/{m}": mu, f"weak/{m}": 1 - mu}
                   for m, mu in eq.beliefs.items()}
        assert check_sequential_rationality(game, behavior, beliefs).rational
        if eq.kind != "semi-separating":
            assert any(n.behavior == behavior and n.label == "Nash, sequentially rational"
                       for n in nash.equilibria)


def test_invalid_inputs() -> None:
    with pytest.raises(GameError, match="prior must be strictly between 0 and 1, got 1"):
        pbe_solve(1, SENDER, RECEIVER)
    with pytest.raises(GameError, match=r"sender_payoffs must be a 2x2x2 array"):
        pbe_solve(F(1, 2), [[1, 2]], RECEIVER)
