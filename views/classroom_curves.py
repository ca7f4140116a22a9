"""Figures of the class's learning curves: choice shares by round, and the outcome timeline."""

from __future__ import annotations

import plotly.graph_objects as go

from sim.classroom.curves import LearningCurves

__all__ = ["learning_figure", "timeline_figure"]


def learning_figure(curves: LearningCurves, agent: str) -> go.Figure:
    """One player's choice shares by round (solid), equilibrium (dashed), fitted QRE (dotted)."""
    part = curves.table[curves.table["agent"] == agent]
    fig = go.Figure()
    for k, (action, rows) in enumerate(part.groupby("action", sort=False)):
        colour = f"hsl({(k * 137) % 360}, 60%, 40%)"
        fig.add_trace(go.Scatter(x=rows["round"], y=rows["observed"], mode="lines+markers",
                                 name=f"{action}: the class", line={"color": colour}))
        fig.add_trace(go.Scatter(x=rows["round"], y=rows["equilibrium"], mode="lines",
                                 name=f"{action}: equilibrium",
                                 line={"color": colour, "dash": "dash"}))
        fig.add_trace(go.Scatter(x=rows["round"], y=rows["qre_fit"], mode="lines",
                                 name=f"{action}: QRE fitted to the round",
                                 line={"color": colour, "dash": "dot"}))
    fig.update_layout(title=f"{agent}: what the class chose, round by round",
                      xaxis_title="round", yaxis_title="share of choices", yaxis_range=[0, 1],
                      xaxis={"dtick": 1}, height=420, legend={"orientation": "h", "y": -0.3})
    return fig


def timeline_figure(curves: LearningCurves) -> go.Figure:
    """How many groups reached each outcome, round by round."""
    t = curves.timeline
    fig = go.Figure([go.Bar(name=str(outcome), x=rows["round"], y=rows["groups"])
                     for outcome, rows in t.groupby("outcome", sort=False)])
    fig.update_layout(barmode="stack", title="Outcomes, round by round", xaxis_title="round",
                      yaxis_title="groups", xaxis={"dtick": 1}, height=360,
                      legend={"orientation": "h", "y": -0.3})
    return fig
