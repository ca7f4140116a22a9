"""Pure builders of the Compare tab: every analysis at the current calibration, in words.

The readings, their outcome classes and the agreement sentences come from
:mod:`sim.scenario.compare`, as on the Overview tab; this tab adds the sidebar's
slider values and a bar per analysis.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go

from sim.modelkit.palette import outcome_colours
from sim.scenario.compare import WAR_LIKELY, AnalysisComparison, agreement_sentences, cell_text

__all__ = ["WAR_LIKELY", "compare_frame", "agreement_text", "compare_figure"]


def compare_frame(rows: Sequence[AnalysisComparison]) -> pd.DataFrame:
    """One line per analysis: its title, reading, regime in words, P(war) and question."""
    records = []
    for a in rows:
        (r,) = a.readings
        solved = r.error is None
        records.append({
            "Analysis": a.title,
            "Reading": cell_text(r) if solved else f"Not solved: {r.error}",
            "Regime": a.regime_words(r.regime) if solved else "—",
            "P(war)": round(r.p_war, 2) if solved and a.conflict else float("nan"),
            "Question": a.question,
        })
    return pd.DataFrame(records)


def agreement_text(rows: Sequence[AnalysisComparison]) -> str:
    """Where the models agree at the current calibration, judged on outcome classes."""
    if not rows:
        return "This scenario has no analyses."
    return " ".join(agreement_sentences(rows, 0))


def compare_figure(rows: Sequence[AnalysisComparison]) -> go.Figure:
    """P(war) per analysis as horizontal bars, coloured by the most likely outcome
    (models without war, and analyses not solved, are left out)."""
    bars = [(a.title, a.readings[0]) for a in rows
            if a.conflict and a.readings[0].error is None][::-1]
    p_war = [round(r.p_war, 2) for _, r in bars]
    fig = go.Figure(go.Bar(x=p_war, y=[t for t, _ in bars], orientation="h",
                           marker_color=outcome_colours(r.outcome for _, r in bars),
                           text=[f"{v:.2f}" for v in p_war], textposition="outside"))
    fig.update_layout(title="Probability of war by analysis (sanctions models: of sanctions)",
                      xaxis_range=[0, 1.15], xaxis_title="P(war)",
                      yaxis={"automargin": True},
                      height=120 + 28 * len(bars), margin={"l": 10, "r": 10, "t": 40, "b": 10})
    return fig
