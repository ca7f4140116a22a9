"""The Compare tab: every analysis of the scenario on the current calibration."""

from __future__ import annotations

import streamlit as st

from sim.models.base import ModelError
from sim.scenario.binding import BindingError, bind_analysis
from views.compare_table import Row, agreement_text, compare_figure, compare_frame
from views.compute import freeze, solve
from views.sidebar import Selection

__all__ = ["render_compare_tab", "compare_rows"]


def compare_rows(sel: Selection) -> list[Row]:
    """Each analysis solved at the sidebar's scenario values (model defaults elsewhere)."""
    rows = []
    for a in sel.scenario.analyses:
        try:
            bound = bind_analysis(sel.scenario, a, sel.values)
            params = dict(bound.params)
            if a.id == sel.analysis.id:
                params.update(sel.model_values)
            rows.append(Row(a.id, a.model, a.question, solve(bound.model.name, freeze(params),
                                                            freeze(bound.names))))
        except (BindingError, ModelError) as exc:
            rows.append(Row(a.id, a.model, a.question, None, str(exc)))
    return rows


def render_compare_tab(sel: Selection) -> None:
    rows = compare_rows(sel)
    st.markdown(agreement_text(rows))
    frame = compare_frame(rows)
    st.plotly_chart(compare_figure(frame), key="compare_figure")
    st.dataframe(frame, hide_index=True, key="compare_table")
    st.caption("Each model answers its own question with the same calibration; "
               "model parameters the scenario does not set keep the model's defaults. "
               "Teaching values, not estimates.")
