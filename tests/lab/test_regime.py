"""Regime maps of lab games: categories, selections and outcome probabilities by hand."""

from __future__ import annotations

import numpy as np
import pytest

from sim.games.errors import GameError
from sim.lab.catalogue import catalogue_game
from sim.lab.regime import lab_regime_map


def _at(rm, x: float, y: float) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    return int(np.argmin(abs(rm.ys - y))), int(np.argmin(abs(rm.xs - x)))


def test_chicken_has_two_pure_and_one_mixed_everywhere_inside() -> None:
    rm = lab_regime_map(catalogue_game("chicken"), ("w", 0.5, 5), ("c", 0.5, 10), n=40)
    assert rm.labels == ("2 pure, 1 mixed",)
    assert (rm.code == 0).all()


def test_qre_limit_selects_the_symmetric_mixed_equilibrium_of_chicken() -> None:
    rm = lab_regime_map(catalogue_game("chicken"), ("w", 0.5, 5), ("c", 0.5, 10), n=30,
                        outcome="Straight / Straight", selection="qre")
    assert rm.probability is not None
    w, c = np.meshgrid(rm.xs, rm.ys)
    # Each goes straight with probability w / (w + c), independently.
    assert np.allclose(rm.probability, (w / (w + c)) ** 2, atol=1e-9)


def test_risk_and_payoff_dominance_in_the_stag_hunt() -> None:
    game = catalogue_game("stag_hunt")
    risk = lab_regime_map(game, ("s", 1, 10), ("h", 0.5, 9), n=60, outcome="Stag / Stag",
                          selection="risk")
    payoff = lab_regime_map(game, ("s", 1, 10), ("h", 0.5, 9), n=60, outcome="Stag / Stag",
                            selection="payoff")
    assert risk.probability is not None and payoff.probability is not None
    # Two strict equilibria when s > h > 0: hare is risk dominant exactly when h > s / 2.
    assert risk.probability[_at(risk, 4, 3)] == 0.0
    assert risk.probability[_at(risk, 10, 3)] == 1.0
    assert payoff.probability[_at(payoff, 4, 3)] == 1.0  # stag pays both more
    # When h > s, hare is the only equilibrium, so every rule selects it.
    assert risk.probability[_at(risk, 2, 8)] == payoff.probability[_at(payoff, 2, 8)] == 0.0


def test_trees_with_perfect_information_map_subgame_perfect_play() -> None:
    rm = lab_regime_map(catalogue_game("entry_deterrence"), ("d", -5, 5), ("f", 0, 5), n=51)
    names = {rm.labels[c] for c in np.unique(rm.code)}
    assert names == {"ends at Shared market", "ends at Monopoly"}
    # The incumbent accommodates when d > -f.
    assert rm.labels[rm.code[_at(rm, 1, 2)]] == "ends at Shared market"
    assert rm.labels[rm.code[_at(rm, -3, 1)]] == "ends at Monopoly"
    war = lab_regime_map(catalogue_game("blockade_1962"), ("q", 0, 1), ("w", 0.5, 10), n=41,
                         outcome="Immediate war")
    assert war.probability is not None
    # The strike is chosen when 4q - w(1 - q) > 3; war then follows with probability 1 - q.
    q, w = np.meshgrid(war.xs, war.ys)
    strike = 4 * q - w * (1 - q) > 3 + 1e-9
    assert np.allclose(war.probability[strike], (1 - q)[strike])
    assert (war.probability[~strike & (4 * q - w * (1 - q) < 3 - 1e-9)] == 0).all()


def test_three_players_count_pure_equilibria() -> None:
    rm = lab_regime_map(catalogue_game("volunteers_dilemma"), ("b", 0, 10), ("k", 0, 10), n=41)
    assert rm.labels[rm.code[_at(rm, 2, 1)]] == "3 pure"   # one volunteers
    assert rm.labels[rm.code[_at(rm, 1, 3)]] == "1 pure"   # nobody does


def test_bad_requests_are_refused() -> None:
    game = catalogue_game("chicken")
    with pytest.raises(GameError, match="two different parameters"):
        lab_regime_map(game, ("w", 0, 1), ("w", 0, 1))
    with pytest.raises(GameError, match="no outcome named"):
        lab_regime_map(game, ("w", 0, 1), ("c", 1, 2), outcome="Crash")
    with pytest.raises(GameError, match="no parameter"):
        lab_regime_map(game, ("x", 0, 1), ("c", 1, 2))
    with pytest.raises(GameError, match="2x2 games"):
        lab_regime_map(catalogue_game("rock_paper_scissors"), ("w", 0.1, 1), ("l", 0.1, 1),
                       outcome="Rock / Rock", selection="risk")
