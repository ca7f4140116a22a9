"""Standalone HTML handouts of a lesson or a debrief, with figures, that work offline.

Every figure is a plotly chart; plotly.js is embedded once in the page, so the
file opens without a network. All text is HTML-escaped (student names included).
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd
import plotly.graph_objects as go
from plotly.offline import get_plotlyjs

from sim.classroom.debrief import (
    AT_EDGE_NOTE,
    OUTCOME_LABELS,
    PAYOFF_LABELS,
    TABLE_LABELS,
    Debrief,
)
from sim.classroom.lessons import Lesson, check_prediction, quiz_answer, solve_step
from sim.modelkit.palette import SERIES_COLOURS, outcome_colours
from sim.models.base import Outcome
from sim.scenario.binding import bind_analysis, scenario_values
from sim.scenario.schema import Scenario

__all__ = ["lesson_handout", "debrief_handout", "outcome_figure"]

_STYLE = """
body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;
color:#222;line-height:1.45}
h1{font-size:1.6rem}h2{font-size:1.25rem;margin-top:2rem}table{border-collapse:collapse;
margin:.5rem 0}td,th{border:1px solid #ccc;padding:.25rem .5rem;text-align:left}
.note{color:#555;font-size:.9rem}.answer{background:#f3f6ff;padding:.5rem 1rem;
border-left:4px solid #4a6cf7}
"""


def outcome_figure(outcome: Outcome, title: str) -> go.Figure:
    """Bar chart of an outcome's probabilities, each bar in its outcome class's colour."""
    labels = list(outcome.probabilities)
    fig = go.Figure(go.Bar(x=labels, y=[outcome.probabilities[k] for k in labels],
                           marker_color=outcome_colours(labels)))
    fig.update_layout(title=title, yaxis_title="probability", yaxis_range=[0, 1], height=320,
                      margin={"l": 40, "r": 10, "t": 50, "b": 40})
    return fig


def _fig_html(fig: go.Figure) -> str:
    return str(fig.to_html(full_html=False, include_plotlyjs=False))


def _table(frame: pd.DataFrame) -> str:
    return frame.to_html(index=False, escape=True, float_format=lambda v: f"{v:.3f}",
                         na_rep="–", border=0)


def _page(title: str, body: Sequence[str], figures: bool = True) -> str:
    """A standalone page; plotly.js (about 5 MB) is embedded only when it has figures."""
    script = f"<script type='text/javascript'>{get_plotlyjs()}</script>" if figures else ""
    return "\n".join([
        "<!doctype html>", "<html lang='en'><head><meta charset='utf-8'>",
        f"<title>{html.escape(title)}</title><style>{_STYLE}</style>", script,
        "</head><body>", *body,
        f"<p class='note'>coercion-sim handout, {dt.date.today().isoformat()}. "
        "Teaching values, not estimates.</p>",
        "</body></html>",
    ])


def lesson_handout(scenario: Scenario, lesson: Lesson,
                   overrides: Mapping[str, float] | None = None, *, answers: bool = True) -> str:
    """The lesson as a page: at each step its text, the parameter values and the question.

    With ``answers`` (the instructor's handout) each step also gives the model's answer,
    why, the regime, P(war) and a figure of the outcome probabilities, and the quiz its
    solutions. Without (the student's handout) nothing is given away: each question has
    a line for the student's own answer.
    """
    e = html.escape
    heading = "Instructor handout (with answers)" if answers else "Student handout"
    body = [f"<h1>{e(lesson.title)}</h1>", f"<p class='note'>{heading}</p>",
            "<h2>Learning goals</h2><ul>", *[f"<li>{e(g)}</li>" for g in lesson.goals], "</ul>"]
    for i, step in enumerate(lesson.steps, start=1):
        values = scenario_values(scenario, step.preset, {**step.values, **(overrides or {})})
        bound = bind_analysis(scenario, step.analysis, values)
        params = pd.DataFrame([{"parameter": k, "value": v,
                                "from": bound.mapped_from.get(k, "model default")}
                               for k, v in bound.params.items()
                               if isinstance(v, int | float)])
        body += [f"<h2>Step {i}. {e(step.title)}</h2>", f"<p>{e(step.text)}</p>",
                 f"<p class='note'>Model: {e(bound.model.title)} — "
                 f"{e(bound.model.citation)}.</p>", _table(params)]
        if step.prediction is not None:
            body.append(f"<p><b>Predict:</b> {e(step.prediction.question)} "
                        f"({e(' / '.join(step.prediction.options))})</p>")
            if not answers:
                body.append("<p>Your prediction: ______________________</p>")
        if answers:
            outcome = solve_step(scenario, step, overrides)
            if step.prediction is not None:
                _, answer, _ = check_prediction(scenario, step, "")
                body.append(f"<div class='answer'><b>The model's answer:</b> {e(answer)}. "
                            f"{e(outcome.explanation)}</div>")
            body += [f"<p class='note'>Regime: {e(outcome.regime)}; "
                     f"P(war) = {outcome.p_war:.3f}.</p>",
                     _fig_html(outcome_figure(outcome, f"Step {i}: outcomes"))]
    if lesson.quiz:
        body.append("<h2>Quiz</h2><ol>")
        for q in lesson.quiz:
            item = f"<li>{e(q.question)} ({e(' / '.join(q.options))})"
            if answers:
                item += (f"<div class='answer'><b>Answer:</b> "
                         f"{e(quiz_answer(scenario, q))}.</div>")
            else:
                item += "<p>Your answer: ______________________</p>"
            body.append(item + "</li>")
        body.append("</ol>")
    return _page(lesson.title, body, figures=answers)


def debrief_handout(title: str, result: Debrief, params: Mapping[str, Any]) -> str:
    """The debrief: choices beside equilibrium and QRE, payoffs by role, outcome shares."""
    e = html.escape
    body = [f"<h1>{e(title)}</h1>", "<h2>Parameters</h2>",
            _table(pd.DataFrame([{"Parameter": k, "Value": v} for k, v in params.items()]))]
    table = result.table
    fig = go.Figure([
        go.Bar(name=TABLE_LABELS[col], x=[f"{a}: {s}" for a, s in zip(
            table["agent"], table["action"], strict=True)], y=table[col],
               marker_color=SERIES_COLOURS[col])
        for col in ("observed", "equilibrium", "qre_fit")])
    fig.update_layout(barmode="group", title="Choices: observed, equilibrium, fitted QRE",
                      yaxis_title="probability", height=380)
    body += ["<h2>Choices against equilibrium play</h2>",
             _table(table.rename(columns=TABLE_LABELS)), _fig_html(fig)]
    if result.fit is not None:
        edge = f" {AT_EDGE_NOTE}" if result.fit.at_edge else ""
        body.append(f"<p>Best-fitting logit precision λ = {result.fit.words} "
                    f"(log-likelihood {result.fit.log_likelihood:.2f}, "
                    f"{result.fit.n_choices} choices).{edge}</p>")
    body += ["<h2>Payoffs by role</h2>", _table(result.payoffs.rename(columns=PAYOFF_LABELS)),
             "<h2>Outcomes</h2>", _table(result.outcomes.rename(columns=OUTCOME_LABELS))]
    return _page(title, body)
