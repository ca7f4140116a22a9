"""The Overview tab: the scenario's readings side by side, what moved them, and agreement.

Every analysis is solved under each compared calibration once per scenario
content (``st.cache_data`` keyed on a hash of the scenario), so reruns only
redraw. Choosing a row opens that analysis in the Equilibrium tab.
"""

from __future__ import annotations

import hashlib
import json

import streamlit as st

from sim.scenario.compare import PresetComparison, compare_presets
from sim.scenario.schema import Scenario
from views.overview_table import (
    ANALYSIS,
    MOVED,
    agreement_lines,
    change_lines,
    overview_frame,
)
from views.sidebar import Selection
from views.text import plain_md

__all__ = ["render_overview_tab", "cached_comparison", "content_hash", "open_analysis",
           "TABLE_KEY"]

#: Session key of a counter: the table's widget key changes after each pick, so that
#: coming back to the Overview shows no row still selected.
TABLE_KEY = "_overview_table"
EQUILIBRIUM = "Equilibrium"
#: Column widths and row height in pixels: the analysis and three calibrations fit a
#: projector's width, and rows this tall wrap their text (Streamlit wraps above 64 px).
ANALYSIS_WIDTH, CELL_WIDTH, MOVED_WIDTH, ROW_HEIGHT = 240, 170, 260, 66


def content_hash(scenario: Scenario) -> str:
    """A digest of the scenario's content: equal files share cached comparisons."""
    text = json.dumps(scenario.to_data(), sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


@st.cache_data(show_spinner="Solving every analysis under each calibration…", max_entries=16)
def cached_comparison(content: str, _scenario: Scenario) -> PresetComparison:
    """:func:`compare_presets` of the scenario whose content hashes to ``content``."""
    return compare_presets(_scenario)


def open_analysis(analysis_id: str) -> None:
    """Show ``analysis_id`` in the Equilibrium tab (as the sidebar's picker would)."""
    st.session_state["analysis"] = analysis_id
    st.session_state["tab"] = EQUILIBRIUM
    st.session_state[TABLE_KEY] = st.session_state.get(TABLE_KEY, 0) + 1


def render_overview_tab(sel: Selection) -> None:
    sc = sel.scenario
    st.subheader(plain_md(sc.meta.title))
    with st.expander("What happened"):
        st.markdown(plain_md(sc.meta.summary))
    comparison = cached_comparison(content_hash(sc), sc)
    if not comparison.presets:
        st.info("This scenario defines no calibrations to compare. The Compare tab shows "
                "every analysis at the sidebar's values.")
        return
    frame = overview_frame(sc, comparison)
    ids = [a.id for a in comparison.analyses]
    key = f"overview_table.{st.session_state.get(TABLE_KEY, 0)}"

    def picked() -> None:
        rows = st.session_state[key]["selection"]["rows"]
        if rows:
            open_analysis(ids[rows[0]])

    n = len(comparison.presets)
    st.markdown(f"**{len(ids)} analyses under {n} calibrations.** Each cell is the most "
                "likely outcome and whether war is likely, with its probability. "
                "Choose a row to open that analysis in the Equilibrium tab.")
    columns = {ANALYSIS: st.column_config.TextColumn(width=ANALYSIS_WIDTH),
               **{comparison.short_name(p): st.column_config.TextColumn(width=CELL_WIDTH)
                  for p in comparison.presets},
               MOVED: st.column_config.TextColumn(width=MOVED_WIDTH),
               "Question": st.column_config.TextColumn(width="large")}
    st.dataframe(frame, hide_index=True, key=key, on_select=picked,
                 selection_mode="single-row", column_config=columns, row_height=ROW_HEIGHT,
                 height=38 + ROW_HEIGHT * len(frame))
    sanctions = any(a.conflict == "sanctions" for a in comparison.analyses)
    st.caption("Each column is one calibration as the scenario file sets it; the sidebar's "
               "slider changes are not applied here (the Compare tab shows them). War is "
               "likely when its probability is at least 0.5"
               + ("; for the sanctions models the probability is that of sanctions being "
                  "imposed" if sanctions else "") + ". Teaching values, not estimates.")
    left, right = st.columns(2)
    with left:
        st.markdown("#### What changed between the columns")
        changes = change_lines(sc, comparison)
        if changes:
            st.markdown("\n".join(
                f"- **{plain_md(title)}**\n" + "\n".join(f"  - {plain_md(line)}" for line in lines)
                for title, lines in changes))
        else:
            st.markdown("No analysis changes its outcome or regime with the calibration.")
    with right:
        st.markdown("#### Where the models agree")
        st.markdown("\n".join(
            f"- **{plain_md(name)}**\n" + "\n".join(f"  - {plain_md(line)}" for line in lines)
            for name, lines in agreement_lines(comparison)))
