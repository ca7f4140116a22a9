"""Lessons mode: six guided lessons, each "predict, then reveal", with a quiz and a handout."""

from __future__ import annotations

import streamlit as st

from sim.classroom.handout import lesson_handout, outcome_figure
from sim.classroom.lessons import LESSONS, Lesson, check_prediction, quiz_answer, solve_step
from sim.scenario import Scenario
from sim.scenario.binding import bind_analysis, scenario_values

__all__ = ["render_lessons"]


def _pick_lesson() -> Lesson:
    ids = [lesson.id for lesson in LESSONS]
    if "lesson" not in st.session_state:
        wanted = st.query_params.get("lesson")
        st.session_state["lesson"] = wanted if wanted in ids else ids[0]
    titles = {lesson.id: lesson.title for lesson in LESSONS}
    chosen = st.sidebar.selectbox("Lesson", ids, key="lesson", format_func=titles.__getitem__)
    st.query_params["lesson"] = chosen
    return next(lesson for lesson in LESSONS if lesson.id == chosen)


def render_lessons(scenario: Scenario) -> None:
    lesson = _pick_lesson()
    st.header(lesson.title)
    st.markdown("**Learning goals**")
    for goal in lesson.goals:
        st.markdown(f"- {goal}")
    record = st.session_state.setdefault("_predictions", {})
    for i, step in enumerate(lesson.steps, start=1):
        key = f"{lesson.id}.{i}"
        st.subheader(f"Step {i}. {step.title}")
        st.write(step.text)
        values = scenario_values(scenario, step.preset, step.values)
        bound = bind_analysis(scenario, step.analysis, values)
        shown = {name: values[name] for name in step.sliders if name in values}
        st.caption("Sliders that matter here: " + ", ".join(
            f"{name} = {v:g}" for name, v in shown.items())
            + f" · preset: {step.preset or 'default'} · model: {bound.model.title}")
        if step.prediction is None:
            continue
        choice = st.radio(step.prediction.question, step.prediction.options, index=None,
                          key=f"pred.{key}")
        if st.button("Commit my prediction", key=f"commit.{key}", disabled=choice is None):
            record[key] = choice
        if key in record:
            correct, answer, outcome = check_prediction(scenario, step, record[key])
            verdict = "Your prediction was right." if correct else "Not this time."
            st.metric(f"Model's answer (you predicted: {record[key]})", answer)
            (st.success if correct else st.warning)(verdict)
            st.write(outcome.explanation)
            st.plotly_chart(outcome_figure(outcome, f"Step {i}: outcome probabilities"),
                            key=f"fig.{key}")
            with st.expander("Move the sliders that matter"):
                overrides = {}
                for name in step.sliders:
                    p = next(p for p in scenario.parameters if p.name == name)
                    overrides[name] = st.slider(
                        p.label, min_value=float(p.min), max_value=float(p.max),
                        value=float(values[name]), step=float(p.step), key=f"sl.{key}.{name}")
                moved = solve_step(scenario, step, overrides)
                st.write(f"Regime: **{moved.regime}** · P(war) = {moved.p_war:.3f}")
                st.write(moved.explanation)
    st.subheader("Quiz")
    answers = {}
    for j, q in enumerate(lesson.quiz, start=1):
        answers[j] = st.radio(f"{j}. {q.question}", q.options, index=None,
                              key=f"quiz.{lesson.id}.{j}")
    if st.button("Check my answers", key=f"check.{lesson.id}"):
        right = 0
        for j, q in enumerate(lesson.quiz, start=1):
            solution = quiz_answer(scenario, q)
            if answers[j] == solution:
                right += 1
                st.success(f"{j}. Right: {solution}.")
            else:
                st.error(f"{j}. The answer is {solution}.")
        st.metric("Quiz score", f"{right} / {len(lesson.quiz)}")
    if st.button("Prepare an HTML handout of this lesson", key=f"prep.{lesson.id}"):
        st.session_state[f"_handout.{lesson.id}"] = lesson_handout(scenario, lesson)
    page = st.session_state.get(f"_handout.{lesson.id}")
    if page is not None:
        st.download_button("Download the handout (works offline)", data=page,
                           file_name=f"{lesson.id}.html", mime="text/html",
                           key=f"handout.{lesson.id}")
