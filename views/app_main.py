"""The dashboard's page: sidebar choices and tabs around the pure core."""

from __future__ import annotations

import streamlit as st

from sim.scenario.catalog import DEFAULT_SCENARIO, bundled_scenarios
from views.loading import Loaded, load_bundled, load_upload
from views.scenario_tab import render_scenario_tab

__all__ = ["main"]

UPLOAD = "Upload a YAML file…"


def _choose_scenario() -> Loaded:
    bundled = list(bundled_scenarios())
    options = [*bundled, UPLOAD]
    wanted = st.query_params.get("scenario", DEFAULT_SCENARIO)
    index = options.index(wanted) if wanted in options else 0
    choice = st.sidebar.selectbox("Scenario", options, index=index, key="scenario")
    if choice == UPLOAD:
        upload = st.sidebar.file_uploader("Scenario file (YAML, at most 1 MiB)",
                                          type=["yaml", "yml"], key="upload")
        if upload is None:
            return Loaded(None, ())
        return load_upload(upload.name, upload.getvalue())
    st.query_params["scenario"] = choice
    return load_bundled(choice)


def main() -> None:
    st.set_page_config(page_title="coercion-sim", layout="wide")
    st.title("coercion-sim")
    st.caption("Equilibria of coercive diplomacy, bound to real crises.")
    loaded = _choose_scenario()
    if loaded.errors:
        st.error("This scenario file is invalid. Every problem is listed below; "
                 "fix them and upload it again.")
        st.code("\n".join(loaded.errors), language="text")
        return
    if loaded.report is None:
        st.info("Upload a scenario file to explore it.")
        return
    (tab_scenario,) = st.tabs(["Scenario"])
    with tab_scenario:
        render_scenario_tab(loaded.report)
