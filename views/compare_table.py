"""Pure builders of the Compare tab: every analysis side by side, in numbers and words."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from sim.models.base import Outcome
from views.state import humanise

__all__ = ["Row", "WAR_LIKELY", "NEGLIGIBLE", "compare_frame", "agreement_text", "compare_figure"]

#: A model "predicts war" when its probability of war is at least this.
WAR_LIKELY = 0.5
#: Below this a probability of war shows as 0.00 and is read as no war.
NEGLIGIBLE = 0.005


@dataclass(frozen=True)
class Row:
    """One analysis solved at the current calibration, or the reason it could not be."""

    analysis: str
    model: str
    question: str
    outcome: Outcome | None
    error: str | None = None


def compare_frame(rows: Sequence[Row]) -> pd.DataFrame:
    """One line per analysis: regime, most likely outcome, P(war), verdict."""
    records = []
    for r in rows:
        o = r.outcome
        records.append({
            "analysis": r.analysis, "model": r.model,
            "regime": humanise(o.regime) if o else "—",
            "most likely outcome": o.outcome if o else "—",
            "P(war)": round(float(o.p_war), 4) if o else float("nan"),
            "verdict": (("war likely" if o.p_war >= WAR_LIKELY else
                         "some risk of war" if o.p_war >= NEGLIGIBLE else "no war") if o
                        else f"not solved: {r.error}"),
            "question": r.question,
        })
    return pd.DataFrame(records)


def agreement_text(rows: Sequence[Row]) -> str:
    """Where the models agree and disagree, in plain words."""
    solved = [r for r in rows if r.outcome is not None]
    if not solved:
        return "No analysis could be solved at these values."
    war = [r.analysis for r in solved if r.outcome is not None and r.outcome.p_war >= WAR_LIKELY]
    risk = [r.analysis for r in solved
            if r.outcome is not None and NEGLIGIBLE <= r.outcome.p_war < WAR_LIKELY]
    peace = [r.analysis for r in solved
             if r.outcome is not None and r.outcome.p_war < NEGLIGIBLE]
    n = len(solved)
    parts = [f"{len(war)} of {n} models predict war (P(war) ≥ {WAR_LIKELY:g})"
             + (f": {', '.join(war)}" if war else "") + "."]
    if risk:
        parts.append(f"{len(risk)} see some risk of war short of that: {', '.join(risk)}.")
    if peace:
        parts.append(f"{len(peace)} predict no war (P(war) < {NEGLIGIBLE:g}): "
                     f"{', '.join(peace)}.")
    if len(war) == n:
        parts.append("All the models agree that war is likely.")
    elif not war and not risk:
        parts.append("All the models agree that there is no war.")
    else:
        parts.append("The models disagree: the verdict depends on which mechanism "
                     "(information, commitment, brinkmanship, sanctions, errors) one "
                     "believes drove the crisis.")
    failed = [r.analysis for r in rows if r.outcome is None]
    if failed:
        parts.append(f"Not solved at these values: {', '.join(failed)}.")
    mean = sum(r.outcome.p_war for r in solved if r.outcome is not None) / n
    parts.append(f"Average P(war) across models: {mean:.2f}.")
    return " ".join(parts)


def compare_figure(frame: pd.DataFrame) -> go.Figure:
    """P(war) per analysis as horizontal bars."""
    t = frame.iloc[::-1]
    fig = go.Figure(go.Bar(x=t["P(war)"], y=t["analysis"], orientation="h",
                           marker_color=["#d62728" if v >= WAR_LIKELY else "#1f77b4"
                                         for v in t["P(war)"].fillna(0.0)],
                           text=[f"{v:.2f}" for v in t["P(war)"]], textposition="outside"))
    fig.update_layout(title="P(war) by model", xaxis_range=[0, 1.15], xaxis_title="P(war)",
                      height=120 + 28 * len(t), margin={"l": 10, "r": 10, "t": 40, "b": 10})
    return fig
