"""The Compare tab: every analysis of the scenario on the current calibration."""

from __future__ import annotations

import streamlit as st

from sim.models.base import ModelError, Outcome
from sim.scenario.binding import BindingError, bind_analysis
from sim.scenario.compare import AnalysisComparison, compare_outcomes
from sim.scenario.schema import Analysis
from views.compare_table import agreement_text, compare_figure, compare_frame
from views.compute import freeze, solve
from views.sidebar import Selection

__all__ = ["render_compare_tab", "compare_rows"]


def compare_rows(sel: Selection) -> tuple[AnalysisComparison, ...]:
    """Each analysis solved at the sidebar's scenario values (model defaults elsewhere;
    the selected analysis with its model sliders too)."""
    solved: list[tuple[Analysis, Outcome | str]] = []
    for a in sel.scenario.analyses:
        try:
            bound = bind_analysis(sel.scenario, a, sel.values)
            params = dict(bound.params)
            if a.id == sel.analysis.id:
                params.update(sel.model_values)
            solved.append((a, solve(bound.model.name, freeze(params), freeze(bound.names))))
        except (BindingError, ModelError) as exc:
            solved.append((a, " ".join(str(exc).split())))
    return compare_outcomes(sel.scenario, solved)


def render_compare_tab(sel: Selection) -> None:
    rows = compare_rows(sel)
    st.markdown(agreement_text(rows))
    frame = compare_frame(rows)
    st.plotly_chart(compare_figure(rows), key="compare_figure")
    st.dataframe(frame, hide_index=True, key="compare_table")
    st.caption("Each model answers its own question at the sidebar's values; model "
               "parameters the scenario does not set keep the model's defaults. The Overview "
               "tab sets the calibrations side by side. Teaching values, not estimates.")
