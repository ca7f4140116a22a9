"""Lessons: every prediction and quiz answer is computed by the models, and handouts render."""

from __future__ import annotations

import pytest

from sim.classroom.debrief import debrief
from sim.classroom.games import make_game
from sim.classroom.handout import debrief_handout, lesson_handout
from sim.classroom.lessons import LESSONS, check_prediction, lesson, quiz_answer
from sim.scenario import load_scenario
from tests.paths import SCENARIO_2022


@pytest.fixture(scope="module")
def sc():
    return load_scenario(SCENARIO_2022).scenario


def test_six_lessons_with_goals_steps_and_quiz() -> None:
    assert len(LESSONS) >= 6
    for item in LESSONS:
        assert item.goals
        assert 3 <= len(item.steps) <= 5
        assert item.quiz
        assert all(step.sliders for step in item.steps)


@pytest.mark.parametrize("item", LESSONS, ids=[x.id for x in LESSONS])
def test_answers_are_options(sc, item) -> None:
    analyses = {a.id for a in sc.analyses}
    for step in item.steps:
        assert step.analysis in analyses
        params = {p.name for p in sc.parameters}
        assert set(step.sliders) <= params, step.title
        if step.prediction is not None:
            ok, answer, outcome = check_prediction(sc, step, step.prediction.options[0])
            assert answer in step.prediction.options, (step.title, answer)
            assert ok == (answer == step.prediction.options[0])
            assert outcome.explanation
    for q in item.quiz:
        assert quiz_answer(sc, q) in q.options, q.question


def test_known_answers(sc) -> None:
    fearon = lesson("fearon-range")
    # models.md §0: the demand 0.9 lies outside [0.50, 0.75], so war; 0.75 is accepted
    assert check_prediction(sc, fearon.steps[0], "War")[0]
    assert check_prediction(sc, fearon.steps[1], "No war")[0]
    # models.md §1b: P(war) does not depend on p
    assert check_prediction(sc, fearon.steps[3], "The same")[0]
    assert quiz_answer(sc, fearon.quiz[0]) == "[0.50, 0.75]"
    chicken = lesson("chicken-brinkmanship")
    # models.md §3a caveat: a costlier war for the West makes Russia less firm
    assert check_prediction(sc, chicken.steps[1], "Less firm")[0]
    assert quiz_answer(sc, chicken.quiz[0]) == "3"


def test_lesson_handout_is_offline_html_with_figures(sc) -> None:
    page = lesson_handout(sc, lesson("fearon-range"))
    assert page.startswith("<!doctype html>")
    assert '<script src="http' not in page
    assert page.count("plotly-graph-div") >= len(lesson("fearon-range").steps)
    assert "The bargaining range is [0.50, 0.75]" in page
    assert "The model&#x27;s answer:" in page or "The model's answer:" in page


def test_debrief_handout_escapes_names() -> None:
    game = make_game("chicken")
    choices = [{"role": "Russia", "type": None, "action": "Firm", "payoff": 1.0,
                "outcome": "West backs down", "name": "<script>alert(1)</script>"},
               {"role": "West", "type": None, "action": "Swerve", "payoff": 0.0,
                "outcome": "West backs down", "name": "Bo"}]
    page = debrief_handout("Class of <b>2026</b>", debrief(game, choices), game.params)
    assert "<b>2026</b>" not in page and "&lt;b&gt;2026&lt;/b&gt;" in page
    assert "<script>alert(1)</script>" not in page
    # one Firm against one Swerve is each side's best reply: the fit reaches its range's top
    assert "Best-fitting logit precision λ = 30 or more" in page
    assert "any larger λ fits as well" in page
