"""Pure builders of the Regime map tab: 2-D regime / P(war) maps and 1-D profiles."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from sim.modelkit.palette import INVALID_COLOUR, P_WAR_COLOUR, REGIME_COLOURS, outcome_styles
from sim.models.base import Model
from sim.scenario.schema import Analysis, Parameter
from sim.sweep import INVALID, RegimeMap
from views.state import CHOICE_UNITS, choice_labels, humanise, param_label

__all__ = ["mappable_params", "param_range", "regime_map_figure", "profile_figure"]

#: The colour bar lies under the map, so that the map keeps the full width on a phone.
_BAR = {"orientation": "h", "x": 0.5, "xanchor": "center", "y": -0.16, "yanchor": "top",
        "thickness": 14, "len": 1.0}
#: P(war) from 0 (white) to 1 (the colour of war).
P_WAR_SCALE = [[0.0, "#FFFFFF"], [1.0, P_WAR_COLOUR]]


def mappable_params(model: Model) -> list[str]:
    """Scalar parameters that make sense on an axis (not choices of equilibrium)."""
    return [s.name for s in model.params if s.is_scalar and choice_labels(s) is None
            and s.unit not in CHOICE_UNITS]


def axis_labels(model: Model, analysis: Analysis, scenario_params: Mapping[str, Parameter],
                actors: Mapping[str, str]) -> dict[str, str]:
    """The plain-words label of each mappable parameter, in the scenario's actor names."""
    return {n: param_label(model, analysis, scenario_params, n, actors)
            for n in mappable_params(model)}


def param_range(model: Model, analysis: Analysis, scenario_params: Mapping[str, Parameter],
                name: str) -> tuple[float, float]:
    """An axis range: the scenario's range when it maps the parameter, else the model's."""
    spec = model.param(name)
    source = analysis.params.get(name)
    if isinstance(source, str) and source in scenario_params:
        p = scenario_params[source]
        return max(spec.lo, p.min), min(spec.hi, p.max)
    return spec.lo, spec.hi


def regime_codes(rm: RegimeMap) -> tuple[tuple[str, ...], np.ndarray]:
    """The regimes present on the map and each point's index among them (``uint8``)."""
    present = rm.regimes_present()
    names = (*rm.regimes, INVALID)
    lookup = np.zeros(len(names), dtype=np.uint8)
    for k, name in enumerate(present):
        lookup[names.index(name)] = k
    return present, lookup[np.where(rm.regime < 0, len(rm.regimes), rm.regime)]


def regime_map_figure(rm: RegimeMap, kind: str = "regime",
                      point: tuple[float, float] | None = None) -> go.Figure:
    """The map as a heatmap: regimes in discrete colours, or P(war) from 0 to 1.

    Regimes travel as one byte a point, named on the colour bar, so that a 200×200 map
    stays small on the wire and quick to draw.
    """
    where = f"{rm.x_name}=%{{x:.3g}}<br>{rm.y_name}=%{{y:.3g}}"
    trace: dict[str, object]
    if kind == "p_war":
        trace = {"type": "heatmap", "x": rm.xs, "y": rm.ys,
                 "z": np.asarray(rm.p_war, dtype=np.float32), "zmin": 0.0, "zmax": 1.0,
                 "colorscale": P_WAR_SCALE,
                 "colorbar": {**_BAR, "title": {"text": "P(war)", "side": "top"}},
                 "hovertemplate": where + "<br>P(war)=%{z:.3f}<extra></extra>"}
        title = "P(war)"
    else:
        present, z = regime_codes(rm)
        k = len(present)
        colours = [(INVALID_COLOUR if name == INVALID else REGIME_COLOURS[j % len(REGIME_COLOURS)])
                   for j, name in enumerate(present)]
        scale: list[list[object]] = []
        for j, c in enumerate(colours):
            scale += [[j / k, c], [(j + 1) / k, c]]
        trace = {"type": "heatmap", "x": rm.xs, "y": rm.ys, "z": z, "zmin": -0.5,
                 "zmax": k - 0.5, "colorscale": scale,
                 "colorbar": {**_BAR, "tickvals": list(range(k)),
                              "ticktext": [humanise(n) for n in present],
                              "title": {"text": "regime", "side": "top"}},
                 "hovertemplate": where + "<extra></extra>"}
        title = "Regime"
    data: list[dict[str, object]] = [trace]
    if point is not None:
        # Below the cross in the top fifth of the map, so that the label is never cut off.
        high = point[1] > rm.ys[0] + 0.8 * (rm.ys[-1] - rm.ys[0]) if len(rm.ys) > 1 else False
        data.append({"type": "scatter", "x": [point[0]], "y": [point[1]],
                     "mode": "markers+text", "text": ["current values"], "cliponaxis": False,
                     "textposition": "bottom center" if high else "top center",
                     "showlegend": False, "hoverinfo": "skip",
                     "marker": {"symbol": "x", "size": 14, "color": "black"}})
    layout = {"title": {"text": f"{title} over {rm.x_name} × {rm.y_name} "
                                f"({len(rm.xs)}×{len(rm.ys)} points)"},
              "xaxis": {"title": {"text": rm.x_name}}, "yaxis": {"title": {"text": rm.y_name}},
              "height": 580, "margin": {"l": 10, "r": 10, "t": 40, "b": 10}}
    # Built from plain data without plotly's per-property checks, which cost more than
    # the map itself at 200×200; the test suite validates the same figures.
    return go.Figure({"data": data, "layout": layout}, _validate=False)


def profile_figure(frame: pd.DataFrame, name: str, outcomes: tuple[str, ...],
                   current: float | None = None) -> go.Figure:
    """Outcome probabilities, each in its outcome class's colour, and P(war), dashed."""
    fig = go.Figure()
    for label, (colour, dash) in zip(outcomes, outcome_styles(outcomes), strict=True):
        fig.add_trace(go.Scatter(x=frame[name], y=frame[f"P({label})"], mode="lines",
                                 name=label, line={"color": colour, "dash": dash}))
    fig.add_trace(go.Scatter(x=frame[name], y=frame["p_war"], mode="lines", name="P(war)",
                             line={"dash": "dash", "color": P_WAR_COLOUR, "width": 3}))
    if current is not None:
        fig.add_vline(x=current, line_dash="dot", annotation_text="current",
                      annotation_position="bottom right")
    fig.update_layout(title=f"Outcome probabilities against {name}", xaxis_title=name,
                      yaxis_title="probability", yaxis_range=[-0.02, 1.02], height=380,
                      margin={"l": 10, "r": 10, "t": 40, "b": 10},
                      legend={"orientation": "h", "yanchor": "top", "y": -0.18})
    return fig
