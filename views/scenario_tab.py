"""The Scenario tab: the crisis at a glance, every entry with its quote and source."""

from __future__ import annotations

import streamlit as st

from sim.scenario import ValidationReport
from views.scenario_tables import scenario_tables, timeline_figure
from views.state import scenario_param_label
from views.text import plain_md

__all__ = ["render_scenario_tab"]

_SECTIONS = ("Actors", "Issues", "Demands", "Concessions", "Threats", "Events", "Claims",
             "Parameters", "Sources")


def render_scenario_tab(report: ValidationReport) -> None:
    sc = report.scenario
    st.subheader(plain_md(sc.meta.title))
    st.markdown(plain_md(sc.meta.summary))
    st.caption(
        f"Quote check: {plain_md(report.summary())}. A claim records what one source "
        "argues; the presets below set the parameters as different readings of the crisis."
    )
    tables = scenario_tables(sc)
    st.plotly_chart(timeline_figure(sc), key="scenario_timeline")
    for section in _SECTIONS:
        frame = tables[section]
        if frame.empty:
            continue
        st.markdown(f"#### {section}")
        # A static table wraps every cell, so that a projected quote is read in full.
        st.table(frame.style.hide(axis="index"))
    if sc.presets:
        symbols = {p.name: scenario_param_label(p) for p in sc.parameters}
        st.markdown("#### Presets")
        for preset in sc.presets:
            values = "; ".join(f"{symbols.get(k, k)} = {v:g}"
                               for k, v in preset.values.items()) or "the defaults"
            st.markdown(f"**{plain_md(preset.name)}** — {plain_md(values)}")
            st.caption(plain_md(preset.rationale))
