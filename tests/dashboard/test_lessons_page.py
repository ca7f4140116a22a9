"""Lessons mode under AppTest: predictions are recorded, the reveal shows the model's
numbers, and quiz answers are checked."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from sim.classroom.lessons import LESSONS
from tests.dashboard.conftest import APP


def _open(lesson_id: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=180)
    at.query_params["mode"] = "lessons"
    at.query_params["lesson"] = lesson_id
    return at.run()


@pytest.mark.parametrize("lesson", LESSONS, ids=[x.id for x in LESSONS])
def test_lesson_predict_reveal_and_quiz(lesson) -> None:
    at = _open(lesson.id)
    assert not at.exception
    assert at.header[0].value == lesson.title
    first = lesson.steps[0]
    assert first.prediction is not None
    radio = at.radio(key=f"pred.{lesson.id}.1")
    radio.set_value(first.prediction.options[0]).run()
    at.button(key=f"commit.{lesson.id}.1").click().run()
    assert not at.exception
    assert at.session_state["_predictions"][f"{lesson.id}.1"] == first.prediction.options[0]
    reveal = [m for m in at.metric if m.label.startswith("Model's answer")]
    assert reveal and reveal[0].value in first.prediction.options
    assert any("P(war)" in md.value or "regime" in md.value.lower() for md in at.markdown) or \
        reveal
    for j, _ in enumerate(lesson.quiz, start=1):
        at.radio(key=f"quiz.{lesson.id}.{j}").set_value(
            at.radio(key=f"quiz.{lesson.id}.{j}").options[0]).run()
    at.button(key=f"check.{lesson.id}").click().run()
    score = [m for m in at.metric if m.label == "Quiz score"]
    assert score and score[0].value.endswith(f"/ {len(lesson.quiz)}")


def test_fearon_lesson_reveals_war_for_demand_outside_range() -> None:
    at = _open("fearon-range")
    at.radio(key="pred.fearon-range.1").set_value("No war").run()
    at.button(key="commit.fearon-range.1").click().run()
    reveal = next(m for m in at.metric if m.label.startswith("Model's answer"))
    assert reveal.value == "War"
    assert any("Not this time." in w.value for w in at.warning)
    assert any("bargaining range is [0.50, 0.75]" in md.value for md in at.markdown)
    at.radio(key="quiz.fearon-range.1").set_value("[0.50, 0.75]").run()
    at.radio(key="quiz.fearon-range.2").set_value("Empty").run()
    at.button(key="check.fearon-range").click().run()
    assert next(m for m in at.metric if m.label == "Quiz score").value == "1 / 2"
