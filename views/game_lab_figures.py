"""Pure builders of the Game lab's figures and tables (no Streamlit)."""

from __future__ import annotations

from collections.abc import Mapping
from types import SimpleNamespace
from typing import Any, cast

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from sim.games.extensive_form import ExtensiveFormGame
from sim.lab.regime import INVALID_LABEL, LabRegimeMap
from sim.lab.solve import LabEquilibrium, fmt_number
from sim.models.base import Outcome
from views.equilibrium_figures import tree_chart

__all__ = ["lab_tree_chart", "lab_map_figure", "qre_figure", "equilibria_frame"]

_PALETTE = ("#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2",
            "#17becf", "#bcbd22", "#7f7f7f")


def lab_tree_chart(game: ExtensiveFormGame, eq: LabEquilibrium | None) -> dict[str, Any]:
    """The tree, with the play of ``eq`` drawn thick (the dashboard's tree chart)."""
    outcome = None
    if eq is not None and eq.behavior:
        outcome = cast(Outcome, SimpleNamespace(strategies=dict(eq.behavior), probabilities={}))
    chart = tree_chart(game, outcome)
    del chart["title"]  # the tab's own heading names it
    chart["grid"]["top"] = 32
    return chart


def lab_map_figure(rm: LabRegimeMap, point: tuple[float, float] | None,
                   x_label: str, y_label: str) -> go.Figure:
    """The regime map: categories in discrete colours, or a probability from 0 to 1."""
    hover = f"{x_label} %{{x:.3g}}<br>{y_label} %{{y:.3g}}<br>"
    if rm.probability is not None:
        fig = go.Figure(go.Heatmap(
            x=rm.xs, y=rm.ys, z=rm.probability, zmin=0.0, zmax=1.0, colorscale="Reds",
            colorbar={"title": "probability"},
            hovertemplate=hover + "probability %{z:.3f}<extra></extra>"))
    else:
        present = sorted(int(c) for c in np.unique(rm.code))
        names = [INVALID_LABEL if c < 0 else rm.labels[c] for c in present]
        index = {c: k for k, c in enumerate(present)}
        z = np.vectorize(index.__getitem__, otypes=[float])(rm.code)
        k = len(present)
        colours = ["#e0e0e0" if c < 0 else _PALETTE[j % len(_PALETTE)]
                   for j, c in enumerate(present)]
        scale = []
        for j, c in enumerate(colours):
            scale += [[j / k, c], [(j + 1) / k, c]]
        text = np.asarray(names, dtype=object)[z.astype(int)]
        fig = go.Figure(go.Heatmap(
            x=rm.xs, y=rm.ys, z=z, zmin=-0.5, zmax=k - 0.5, colorscale=scale,
            customdata=text, showscale=False,
            hovertemplate=hover + "%{customdata}<extra></extra>"))
        for j, name in enumerate(names):
            fig.add_trace(go.Scatter(x=[None], y=[None], mode="markers", name=name,
                                     marker={"size": 12, "color": colours[j],
                                             "symbol": "square"}))
    if point is not None:
        fig.add_trace(go.Scatter(x=[point[0]], y=[point[1]], mode="markers",
                                 name="current values",
                                 marker={"symbol": "x", "size": 13, "color": "black"}))
    fig.update_layout(xaxis_title=x_label, yaxis_title=y_label, height=520,
                      margin={"l": 10, "r": 10, "t": 30, "b": 10},
                      legend={"orientation": "h", "y": -0.18})
    return fig


def qre_figure(lambdas: np.ndarray, series: Mapping[str, np.ndarray]) -> go.Figure:
    """Probabilities along the logit QRE path against precision λ."""
    fig = go.Figure()
    for j, (name, ys) in enumerate(series.items()):
        fig.add_trace(go.Scatter(x=lambdas, y=ys, mode="lines", name=name,
                                 line={"color": _PALETTE[j % len(_PALETTE)]}))
    fig.update_layout(xaxis_title="precision λ (0 = random play; large = rational play)",
                      yaxis_title="probability", yaxis_range=[0, 1], height=420,
                      margin={"l": 10, "r": 10, "t": 30, "b": 10},
                      legend={"orientation": "h", "y": -0.25})
    return fig


def equilibria_frame(eqs: tuple[LabEquilibrium, ...], players: tuple[str, ...]) -> pd.DataFrame:
    """One row per equilibrium: kind, concept, payoffs and the regret certificate."""
    rows: list[dict[str, Any]] = []
    for k, e in enumerate(eqs, 1):
        row: dict[str, Any] = {"#": k, "kind": e.kind, "concept": e.concept}
        for p, v in zip(players, e.payoffs, strict=True):
            row[f"payoff to {p}"] = fmt_number(v)
        row["largest gain from deviating"] = fmt_number(e.regret)
        if e.component is not None:
            row["connected set"] = e.component + 1
        rows.append(row)
    return pd.DataFrame(rows)
