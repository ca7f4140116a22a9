"""Pure builders of the Regime map tab: 2-D regime / P(war) maps and 1-D profiles."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from sim.models.base import Model
from sim.scenario.schema import Analysis, Parameter
from sim.sweep import INVALID, RegimeMap
from views.state import CHOICE_UNITS, choice_labels, humanise

__all__ = ["mappable_params", "param_range", "regime_map_figure", "profile_figure"]

_PALETTE = ("#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2",
            "#17becf", "#bcbd22", "#7f7f7f")
_INVALID_COLOUR = "#e0e0e0"


def mappable_params(model: Model) -> list[str]:
    """Scalar parameters that make sense on an axis (not choices of equilibrium)."""
    return [s.name for s in model.params if s.is_scalar and choice_labels(s) is None
            and s.unit not in CHOICE_UNITS]


def param_range(model: Model, analysis: Analysis, scenario_params: Mapping[str, Parameter],
                name: str) -> tuple[float, float]:
    """An axis range: the scenario's range when it maps the parameter, else the model's."""
    spec = model.param(name)
    source = analysis.params.get(name)
    if isinstance(source, str) and source in scenario_params:
        p = scenario_params[source]
        return max(spec.lo, p.min), min(spec.hi, p.max)
    return spec.lo, spec.hi


def regime_map_figure(rm: RegimeMap, kind: str = "regime",
                      point: tuple[float, float] | None = None) -> go.Figure:
    """The map as a heatmap: regimes in discrete colours, or P(war) from 0 to 1."""
    if kind == "p_war":
        fig = go.Figure(go.Heatmap(
            x=rm.xs, y=rm.ys, z=rm.p_war, zmin=0.0, zmax=1.0, colorscale="Reds",
            colorbar={"title": "P(war)"},
            hovertemplate=f"{rm.x_name}=%{{x:.3g}}<br>{rm.y_name}=%{{y:.3g}}<br>"
                          "P(war)=%{z:.3f}<extra></extra>"))
        title = "P(war)"
    else:
        present = rm.regimes_present()
        index = {name: k for k, name in enumerate(present)}
        names = np.asarray((*rm.regimes, INVALID), dtype=object)
        labels = names[np.where(rm.regime < 0, len(rm.regimes), rm.regime)]
        z = np.vectorize(index.__getitem__, otypes=[float])(labels)
        k = len(present)
        colours = [(_INVALID_COLOUR if name == INVALID else _PALETTE[j % len(_PALETTE)])
                   for j, name in enumerate(present)]
        scale = []
        for j, c in enumerate(colours):
            scale += [[j / k, c], [(j + 1) / k, c]]
        fig = go.Figure(go.Heatmap(
            x=rm.xs, y=rm.ys, z=z, zmin=-0.5, zmax=k - 0.5, colorscale=scale,
            customdata=labels,
            colorbar={"tickvals": list(range(k)), "ticktext": [humanise(n) for n in present],
                      "title": "regime"},
            hovertemplate=f"{rm.x_name}=%{{x:.3g}}<br>{rm.y_name}=%{{y:.3g}}<br>"
                          "%{customdata}<extra></extra>"))
        title = "Regime"
    if point is not None:
        fig.add_trace(go.Scatter(x=[point[0]], y=[point[1]], mode="markers+text",
                                 text=["current values"], textposition="top center",
                                 marker={"symbol": "x", "size": 14, "color": "black"},
                                 showlegend=False))
    fig.update_layout(title=f"{title} over {rm.x_name} × {rm.y_name} "
                            f"({len(rm.xs)}×{len(rm.ys)} points)",
                      xaxis_title=rm.x_name, yaxis_title=rm.y_name, height=520,
                      margin={"l": 10, "r": 10, "t": 40, "b": 10})
    return fig


def profile_figure(frame: pd.DataFrame, name: str, outcomes: tuple[str, ...],
                   current: float | None = None) -> go.Figure:
    """Outcome probabilities (and P(war), dashed) against one parameter."""
    fig = go.Figure()
    for label in outcomes:
        fig.add_trace(go.Scatter(x=frame[name], y=frame[f"P({label})"], mode="lines",
                                 name=label))
    fig.add_trace(go.Scatter(x=frame[name], y=frame["p_war"], mode="lines", name="P(war)",
                             line={"dash": "dash", "color": "black"}))
    if current is not None:
        fig.add_vline(x=current, line_dash="dot", annotation_text="current")
    fig.update_layout(title=f"Outcome probabilities against {name}", xaxis_title=name,
                      yaxis_title="probability", yaxis_range=[-0.02, 1.02], height=380,
                      margin={"l": 10, "r": 10, "t": 40, "b": 10})
    return fig
