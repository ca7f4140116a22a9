"""Debrief numbers: frequencies, equilibrium, and the QRE λ fit on synthetic data."""

from __future__ import annotations

import numpy as np
import pytest

from sim.classroom.debrief import (
    counts_by_agent,
    debrief,
    fit_qre_lambda,
    lam_words,
    qre_profile,
)
from sim.classroom.games import make_game


@pytest.mark.parametrize("game_name", ["chicken", "threat"])
def test_lambda_fit_recovers_known_lambda(game_name: str) -> None:
    game = make_game(game_name)
    true_lam = 4.0
    profile = qre_profile(game, true_lam)
    rng = np.random.default_rng(0)
    n = 20_000
    counts = {}
    for agent, probs in profile.items():
        actions = list(probs)
        draws = rng.choice(len(actions), size=n, p=np.array([probs[a] for a in actions]))
        counts[agent] = {a: int((draws == i).sum()) for i, a in enumerate(actions)}
    fit = fit_qre_lambda(game, counts)
    assert fit.lam == pytest.approx(true_lam, rel=0.1)
    assert fit.n_choices == n * len(profile)


def test_chicken_prediction_is_models_md_mixed_equilibrium() -> None:
    game = make_game("chicken")
    # models.md §3a defaults: firm_R = 1/7, firm_W = 1/3
    assert game.prediction["Russia"]["Firm"] == pytest.approx(1 / 7)
    assert game.prediction["United States"]["Firm"] == pytest.approx(1 / 3)


def test_debrief_table() -> None:
    game = make_game("chicken")
    choices = ([{"role": "Russia", "type": None, "action": "Firm", "payoff": 1.0,
                 "outcome": "The United States backs down"}] * 3
               + [{"role": "Russia", "type": None, "action": "Swerve", "payoff": 0.0,
                   "outcome": "Russia backs down"}]
               + [{"role": "United States", "type": None, "action": "Swerve", "payoff": 0.0,
                   "outcome": "The United States backs down"}] * 4)
    assert counts_by_agent(game, choices)["Russia"] == {"Swerve": 1, "Firm": 3}
    result = debrief(game, choices)
    row = result.table.set_index(["agent", "action"]).loc[("Russia", "Firm")]
    assert row["observed"] == 0.75 and row["chosen"] == 3
    assert row["equilibrium"] == pytest.approx(1 / 7)
    assert result.fit is not None and result.fit.lam > 0
    pay = result.payoffs.set_index("role")
    assert pay.loc["Russia", "mean"] == 0.75 and pay.loc["United States", "count"] == 4


def test_lambda_at_the_top_of_its_range_reads_as_or_more() -> None:
    # a class in which every agent always plays its best reply: the likelihood rises
    # with λ all the way to the searched range's top
    game = make_game("threat")
    counts = {agent: {a: 50 if p == max(probs.values()) else 0 for a, p in probs.items()}
              for agent, probs in game.prediction.items()}
    fit = fit_qre_lambda(game, counts)
    assert fit.at_edge and fit.lam == pytest.approx(30.0)
    assert fit.words == "30 or more"
    assert lam_words(4.0) == "4.00" and lam_words(29.99) == "29.99"
    assert not fit_qre_lambda(game, {a: {s: 1 for s in r} for a, r in counts.items()}).at_edge
