"""Two lesson handouts: the student's asks every question and gives nothing away; the
instructor's adds the model's answer at every step and every quiz solution."""

from __future__ import annotations

from html import escape

import pytest

from sim.classroom.handout import lesson_handout
from sim.classroom.lessons import LESSONS, check_prediction, quiz_answer, solve_step
from sim.scenario import load_scenario
from tests.paths import SCENARIO_2022


@pytest.fixture(scope="module")
def sc():
    return load_scenario(SCENARIO_2022).scenario


@pytest.mark.parametrize("item", LESSONS, ids=[x.id for x in LESSONS])
def test_student_handout_has_no_answer_and_instructor_has_all(sc, item) -> None:
    student = lesson_handout(sc, item, answers=False)
    teacher = lesson_handout(sc, item, answers=True)
    assert "Student handout" in student and "Instructor handout" in teacher
    for page in (student, teacher):
        for step in item.steps:
            assert escape(step.title) in page
            if step.prediction is not None:
                assert escape(step.prediction.question) in page
    assert "The model's answer" not in student and "class='answer'" not in student
    assert "<b>Answer:</b>" not in student and "P(war) = " not in student
    assert "Regime: " not in student
    assert "Plotly" not in student, "the student handout embeds no figures"
    assert student.count("Your prediction: ") == sum(s.prediction is not None
                                                     for s in item.steps)
    assert student.count("Your answer: ") == len(item.quiz)
    predictions = [s for s in item.steps if s.prediction is not None]
    assert teacher.count("The model's answer:") == len(predictions)
    for step in predictions:
        _, answer, _ = check_prediction(sc, step, "")
        explanation = solve_step(sc, step).explanation
        first_words = escape(explanation[:40])
        assert first_words in teacher, step.title
        assert first_words not in student, step.title
        assert f"The model's answer:</b> {escape(answer)}." in teacher
    assert teacher.count("<b>Answer:</b>") == len(item.quiz)
    for q in item.quiz:
        assert f"<b>Answer:</b> {escape(quiz_answer(sc, q))}." in teacher
    assert "Plotly" in teacher and teacher.count("plotly-graph-div") >= len(item.steps)
    assert len(student) < len(teacher) / 10
