"""The Scenario tab: the crisis at a glance, every entry with its quote and source."""

from __future__ import annotations

import streamlit as st

from sim.scenario import ValidationReport
from views.scenario_tables import scenario_tables, timeline_figure
from views.text import plain_md

__all__ = ["render_scenario_tab"]

_SECTIONS = ("Actors", "Issues", "Demands", "Concessions", "Threats", "Events", "Claims",
             "Parameters", "Sources")


def render_scenario_tab(report: ValidationReport) -> None:
    sc = report.scenario
    st.subheader(plain_md(sc.meta.title))
    st.markdown(plain_md(sc.meta.summary))
    st.caption(
        f"Quote check: {plain_md(report.summary())}. The seed source is one commentator's "
        "argument: its analytic claims appear as claims, beside other calibrations "
        "(see the presets)."
    )
    tables = scenario_tables(sc)
    st.plotly_chart(timeline_figure(sc), key="scenario_timeline")
    for section in _SECTIONS:
        frame = tables[section]
        if frame.empty:
            continue
        st.markdown(f"#### {section}")
        st.dataframe(frame, hide_index=True, key=f"table_{section.lower()}")
    if sc.presets:
        st.markdown("#### Presets")
        for preset in sc.presets:
            values = ", ".join(f"{k} = {v:g}" for k, v in preset.values.items()) or "(defaults)"
            st.markdown(f"**{plain_md(preset.name)}** — {plain_md(values)}")
            st.caption(plain_md(preset.rationale))
