"""Lessons mode: six guided lessons, each "predict, then reveal", with a quiz and handouts.

Steps open one after another: committing a prediction reveals the model's answer and
opens the next step. Predictions, quiz answers and the checked score are kept in the
session for every lesson (no later click loses them), and the open lesson's progress is
written to the address bar (see :mod:`views.lesson_link`), so that a reload, or the
link, restores it.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from sim.classroom.lessons import LESSONS, Lesson, check_prediction, quiz_answer, solve_step
from sim.models.base import Outcome
from sim.scenario import Scenario
from sim.scenario.binding import bind_analysis, scenario_values
from views.lesson_link import LINK_KEYS, Progress, decode_progress, encode_progress

__all__ = ["render_lessons", "PREDICTIONS", "QUIZ", "CHECKED", "STEPS"]

#: Session keys: committed predictions (``"<lesson>.<step>"`` → option), quiz answers
#: (``"<lesson>.<question>"`` → option), the answers last checked (lesson → tuple) and
#: the furthest step opened (lesson → number).
PREDICTIONS, QUIZ, CHECKED, STEPS = "_predictions", "_quiz", "_quiz_checked", "_steps"
_RESTORED = "_lesson_link_read"


def _stores() -> tuple[dict[str, str], dict[str, str], dict[str, tuple[Any, ...]],
                       dict[str, int]]:
    state = st.session_state
    return (state.setdefault(PREDICTIONS, {}), state.setdefault(QUIZ, {}),
            state.setdefault(CHECKED, {}), state.setdefault(STEPS, {}))


def _restore_from_link() -> None:
    """Once a session: put the link's lesson progress into the session's stores."""
    if _RESTORED in st.session_state:
        return
    st.session_state[_RESTORED] = True
    progress = decode_progress(st.query_params.to_dict(), LESSONS)
    if progress is None:
        return
    predictions, quiz, checked, steps = _stores()
    st.session_state["lesson"] = progress.lesson
    for i, choice in progress.predictions.items():
        predictions[f"{progress.lesson}.{i}"] = choice
    for j, choice in progress.quiz.items():
        quiz[f"{progress.lesson}.{j}"] = choice
    item = next(x for x in LESSONS if x.id == progress.lesson)
    if progress.checked:
        checked[progress.lesson] = tuple(progress.quiz.get(j) for j in
                                         range(1, len(item.quiz) + 1))
    steps[progress.lesson] = progress.step


def _pick_lesson() -> Lesson:
    ids = [lesson.id for lesson in LESSONS]
    if st.session_state.get("lesson") not in ids:
        st.session_state["lesson"] = ids[0]
    titles = {lesson.id: lesson.title for lesson in LESSONS}
    chosen = st.sidebar.selectbox("Lesson", ids, key="lesson", format_func=titles.__getitem__)
    return next(lesson for lesson in LESSONS if lesson.id == chosen)


def _write_link(lesson: Lesson) -> None:
    predictions, quiz, checked, steps = _stores()
    progress = Progress(
        lesson.id, steps.get(lesson.id, 1),
        {i: predictions[f"{lesson.id}.{i}"] for i in range(1, len(lesson.steps) + 1)
         if f"{lesson.id}.{i}" in predictions},
        {j: quiz[f"{lesson.id}.{j}"] for j in range(1, len(lesson.quiz) + 1)
         if f"{lesson.id}.{j}" in quiz},
        lesson.id in checked)
    wanted = encode_progress(progress, lesson)
    for key in LINK_KEYS:
        if key not in wanted and key in st.query_params:
            del st.query_params[key]
    for key, value in wanted.items():
        if st.query_params.get(key) != value:
            st.query_params[key] = value


def _commit(lesson: Lesson, i: int) -> None:
    """Callback of a step's commit button: record the prediction, open the next step."""
    predictions, _, _, steps = _stores()
    choice = st.session_state.get(f"pred.{lesson.id}.{i}")
    if choice is None:
        return
    predictions[f"{lesson.id}.{i}"] = choice
    steps[lesson.id] = max(steps.get(lesson.id, 1), min(i + 1, len(lesson.steps)))


def _check(lesson: Lesson) -> None:
    """Callback of the quiz button: the answers as they stand are the ones scored."""
    _, _, checked, _ = _stores()
    checked[lesson.id] = tuple(st.session_state.get(f"quiz.{lesson.id}.{j}")
                               for j in range(1, len(lesson.quiz) + 1))


@st.cache_data(show_spinner=False, max_entries=256)
def _answer(_scenario: Scenario, scenario_id: str, lesson_id: str, i: int
            ) -> tuple[str, Outcome]:
    """The model's answer to a step's prediction, and its outcome (cached per step)."""
    step = next(x for x in LESSONS if x.id == lesson_id).steps[i - 1]
    _, answer, outcome = check_prediction(_scenario, step, "")
    return answer, outcome


@st.cache_data(show_spinner=False, max_entries=512)
def _moved(_scenario: Scenario, scenario_id: str, lesson_id: str, i: int,
           overrides: tuple[tuple[str, float], ...]) -> Outcome:
    step = next(x for x in LESSONS if x.id == lesson_id).steps[i - 1]
    return solve_step(_scenario, step, dict(overrides))


@st.cache_data(show_spinner=False, max_entries=64)
def _quiz_solutions(_scenario: Scenario, scenario_id: str, lesson_id: str) -> tuple[str, ...]:
    item = next(x for x in LESSONS if x.id == lesson_id)
    return tuple(quiz_answer(_scenario, q) for q in item.quiz)


def _seed(key: str, store: dict[str, str], store_key: str) -> None:
    """Give a radio the value kept for it (Streamlit forgets widgets it did not draw)."""
    if key not in st.session_state and store_key in store:
        st.session_state[key] = store[store_key]


def _render_step(scenario: Scenario, lesson: Lesson, i: int) -> None:
    from sim.classroom.handout import outcome_figure

    predictions, _, _, _ = _stores()
    step = lesson.steps[i - 1]
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
        return
    _seed(f"pred.{key}", predictions, key)
    choice = st.radio(step.prediction.question, step.prediction.options, index=None,
                      key=f"pred.{key}")
    st.button("Commit my prediction", key=f"commit.{key}", disabled=choice is None,
              on_click=_commit, args=(lesson, i))
    if key not in predictions:
        return
    answer, outcome = _answer(scenario, scenario.meta.id, lesson.id, i)
    correct = predictions[key] == answer
    st.metric(f"Model's answer (you predicted: {predictions[key]})", answer)
    (st.success if correct else st.warning)(
        "Your prediction was right." if correct else "Not this time.")
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
        moved = _moved(scenario, scenario.meta.id, lesson.id, i,
                       tuple(sorted(overrides.items())))
        st.write(f"Regime: **{moved.regime}** · P(war) = {moved.p_war:.3f}")
        st.write(moved.explanation)


def _render_quiz(scenario: Scenario, lesson: Lesson) -> None:
    _, quiz, checked, _ = _stores()
    st.subheader("Quiz")
    answers = []
    for j, q in enumerate(lesson.quiz, start=1):
        key = f"{lesson.id}.{j}"
        _seed(f"quiz.{key}", quiz, key)
        value = st.radio(f"{j}. {q.question}", q.options, index=None, key=f"quiz.{key}")
        if value is not None:
            quiz[key] = value
        answers.append(value)
    st.button("Check my answers", key=f"check.{lesson.id}", on_click=_check, args=(lesson,),
              disabled=any(a is None for a in answers))
    if lesson.id not in checked:
        return
    if tuple(answers) != checked[lesson.id]:
        st.info("Your answers have changed since they were checked: check them again.")
        return
    solutions = _quiz_solutions(scenario, scenario.meta.id, lesson.id)
    for j, (given, solution) in enumerate(zip(answers, solutions, strict=True), start=1):
        if given == solution:
            st.success(f"{j}. Right: {solution}.")
        else:
            st.error(f"{j}. The answer is {solution}.")
    right = sum(given == solution for given, solution in zip(answers, solutions, strict=True))
    st.metric("Quiz score", f"{right} / {len(lesson.quiz)}")


def _prepare(scenario: Scenario, lesson: Lesson, answers: bool) -> None:
    from sim.classroom.handout import lesson_handout

    kind = "instructor" if answers else "student"
    st.session_state[f"_handout.{lesson.id}.{kind}"] = lesson_handout(scenario, lesson,
                                                                      answers=answers)


def _render_handouts(scenario: Scenario, lesson: Lesson) -> None:
    st.subheader("Handouts")
    st.caption("Standalone pages that open offline. The student handout asks every "
               "question without answers; the instructor handout adds the model's answers, "
               "explanations and figures.")
    left, right = st.columns(2)
    for col, answers, label in ((left, False, "student handout (no answers)"),
                                (right, True, "instructor handout (with answers)")):
        kind = "instructor" if answers else "student"
        col.button(f"Prepare the {label}", key=f"prep.{lesson.id}.{kind}",
                   on_click=_prepare, args=(scenario, lesson, answers))
        page = st.session_state.get(f"_handout.{lesson.id}.{kind}")
        if page is not None:
            col.download_button(f"Download the {label}", data=page,
                                file_name=f"{lesson.id}-{kind}.html", mime="text/html",
                                key=f"handout.{lesson.id}.{kind}", on_click="ignore")


def render_lessons(scenario: Scenario) -> None:
    _restore_from_link()
    lesson = _pick_lesson()
    _, _, _, steps = _stores()
    st.header(lesson.title)
    st.markdown("**Learning goals**")
    for goal in lesson.goals:
        st.markdown(f"- {goal}")
    opened = min(max(steps.get(lesson.id, 1), 1), len(lesson.steps))
    steps[lesson.id] = opened
    for i in range(1, opened + 1):
        _render_step(scenario, lesson, i)
    if opened < len(lesson.steps):
        st.caption(f"Steps {opened + 1} to {len(lesson.steps)} open one by one as you "
                   "commit your predictions.")
    _render_quiz(scenario, lesson)
    _render_handouts(scenario, lesson)
    _write_link(lesson)
