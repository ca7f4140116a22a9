"""Pure builders of the Sweep tab: regime shares, histograms, sensitivity."""

from __future__ import annotations

import io

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

from sim.modelkit.palette import CLASS_COLOURS, P_WAR_COLOUR
from sim.sweep import regime_shares
from views.state import humanise

__all__ = ["shares_figure", "histogram_figure", "sensitivity_figure", "sobol_figure",
           "to_parquet_bytes"]


def shares_figure(frame: pd.DataFrame) -> go.Figure:
    """Share of sampled points in each regime."""
    shares = regime_shares(frame)
    fig = go.Figure(go.Bar(x=[humanise(k) for k in shares.index], y=shares.to_numpy(),
                           text=[f"{v:.1%}" for v in shares.to_numpy()],
                           textposition="outside"))
    fig.update_layout(title=f"Share of {len(frame):,} points by regime", yaxis_title="share",
                      yaxis_range=[0, 1.1], height=340,
                      margin={"l": 10, "r": 10, "t": 40, "b": 10})
    return fig


def histogram_figure(frame: pd.DataFrame, column: str) -> go.Figure:
    """Distribution of ``column`` over the sample, stacked by regime."""
    fig = px.histogram(frame, x=column, color="regime", nbins=40, barmode="stack")
    fig.update_layout(title=f"Distribution of {column}", height=340,
                      margin={"l": 10, "r": 10, "t": 40, "b": 10})
    return fig


def sensitivity_figure(table: pd.DataFrame) -> go.Figure:
    """Standardised regression coefficients on P(war), largest effect on top."""
    t = table.iloc[::-1]
    colours = [P_WAR_COLOUR if v > 0 else CLASS_COLOURS["agreement"]
               for v in t["src"].fillna(0.0)]
    fig = go.Figure(go.Bar(x=t["src"], y=t["parameter"], orientation="h",
                           marker_color=colours,
                           text=[f"{v:+.2f}" for v in t["src"].fillna(0.0)],
                           textposition="outside",
                           customdata=t["spearman"],
                           hovertemplate="%{y}: SRC %{x:.3f}, Spearman %{customdata:.3f}"
                                         "<extra></extra>"))
    fig.update_layout(title="Which parameter moves P(war) most (standardised regression "
                            "coefficients; red raises it)", xaxis_title="SRC",
                      height=120 + 40 * len(t), margin={"l": 10, "r": 10, "t": 40, "b": 10})
    return fig


def sobol_figure(table: pd.DataFrame) -> go.Figure:
    """First-order and total Sobol indices of P(war), with bootstrap intervals."""
    t = table.iloc[::-1]
    fig = go.Figure()
    for col, name, colour in (("S1", "alone (first-order index)", CLASS_COLOURS["concession"]),
                              ("ST", "with interactions (total index)", P_WAR_COLOUR)):
        fig.add_trace(go.Bar(
            x=t[col], y=t["parameter"], orientation="h", name=name, marker_color=colour,
            error_x={"type": "data", "symmetric": False,
                     "array": (t[f"{col}_hi"] - t[col]).clip(lower=0),
                     "arrayminus": (t[col] - t[f"{col}_lo"]).clip(lower=0)}))
    fig.update_layout(title="Share of the variance of P(war) each parameter explains",
                      xaxis_title="share of variance", barmode="group",
                      height=160 + 60 * len(t), margin={"l": 10, "r": 10, "t": 40, "b": 10})
    return fig


def to_parquet_bytes(frame: pd.DataFrame) -> bytes:
    """The table as a Parquet file (pyarrow)."""
    buffer = io.BytesIO()
    frame.to_parquet(buffer, index=False)
    return buffer.getvalue()
