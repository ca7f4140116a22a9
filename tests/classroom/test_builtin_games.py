"""The built-in Chicken and threat games are analyses of the 2022 scenario: its actors'
names through each analysis's role mapping, and its default calibration."""

from __future__ import annotations

import pytest

from sim.classroom.games import THREAT_DEMAND, case_scenario, chicken_game, threat_game
from sim.scenario.binding import bind_analysis, scenario_values


def _bound(analysis: str):
    sc = case_scenario()
    return bind_analysis(sc, analysis, scenario_values(sc))


def _words(game) -> str:
    parts = [game.title, game.description, *game.roles, *game.outcome_labels]
    parts += [a.key for a in game.agents] + list(game.prediction)
    return " ".join(parts)


@pytest.mark.parametrize(("build", "analysis"), [(chicken_game, "chicken"),
                                                 (threat_game, "compellence_bluffing")])
def test_the_games_speak_in_the_scenarios_actor_names(build, analysis) -> None:
    game = build()
    sc = case_scenario()
    roles = _bound(analysis).roles
    assert game.roles == (sc.actor(roles["challenger"]).name, sc.actor(roles["target"]).name)
    assert game.roles == ("Russia", "United States")
    words = _words(game)
    # neither the models' role words nor the old built-in names
    for word in ("West", "Challenger", "challenger", "Target", "target"):
        assert word not in words, word


def test_chicken_is_played_at_the_scenarios_calibration() -> None:
    bound = _bound("chicken")
    game = chicken_game()
    assert {k: v for k, v in game.params.items() if k != "equilibrium"} == {
        k: v for k, v in bound.params.items() if k != "equilibrium"}
    # the mixed equilibrium, by hand: a side stands firm with the probability that makes
    # the other indifferent, (w - s) / (w - s + l - d) with the other's payoffs; at the
    # calibration w = 1, s = 0.5, l = 0, and war costs Russia 1 and the United States 3
    assert game.prediction["United States"]["Firm"] == pytest.approx(0.5 / (0.5 + 1))
    assert game.prediction["Russia"]["Firm"] == pytest.approx(0.5 / (0.5 + 3))
    assert game.prediction["Russia"]["Firm"] == pytest.approx(
        bound.solve().strategies["Russia"]["Firm"])
    assert game.play({"Russia": (None, "Firm"), "United States": (None, "Swerve")}) == (
        "The United States backs down", {"Russia": 1.0, "United States": 0.0})


def test_the_threat_game_is_the_scenarios_analysis_at_a_lower_demand() -> None:
    bound = _bound("compellence_bluffing")
    game = threat_game()
    expected = bound.model.validate({**bound.params, "x": THREAT_DEMAND})
    assert game.params == {k: float(v) for k, v in expected.items()}
    # the scenario's irresolute cost of war, not the model's default
    assert game.params["c_irr"] == 0.7
    # the instructor's values go over the scenario's
    assert threat_game({"pi": 0.8}).params["pi"] == 0.8
