"""The dashboard's page: sidebar choices around seven tabs over the pure core.

Only what the open view needs is imported and drawn: each mode, and each tab's
module, is imported when first shown, and each tab's body but the Overview's is a
fragment, so that a widget inside a tab reruns that tab alone. The Overview's row
choice changes the analysis and the tab, so it reruns the page.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

import streamlit as st

from sim.scenario.catalog import bundled_scenarios
from views.equilibrium_tab import render_summary
from views.loading import Loaded, load_bundled, load_upload
from views.sidebar import Selection, choose_scenario, render_controls

__all__ = ["main", "TABS", "MODES", "UPLOAD", "UPLOAD_STORE"]

UPLOAD = "Upload a YAML file…"
#: Session key of the uploaded file as ``(name, bytes)``; the uploader's callback fills it.
UPLOAD_STORE = "_upload"
TABS = ("Overview", "Scenario", "Equilibrium", "Regime map", "Sweep", "Compare", "QRE")
#: Per tab but the Scenario tab, the module and function that draw it, imported when opened.
TAB_RENDERERS = {
    "Overview": ("views.overview_tab", "render_overview_tab"),
    "Equilibrium": ("views.equilibrium_tab", "render_equilibrium_tab"),
    "Regime map": ("views.map_tab", "render_map_tab"),
    "Sweep": ("views.sweep_tab", "render_sweep_tab"),
    "Compare": ("views.compare_tab", "render_compare_tab"),
    "QRE": ("views.qre_tab", "render_qre_tab"),
}
#: Tabs whose widgets change the page outside them, so they are not fragments.
PAGE_TABS = ("Overview",)
MODES = ("Explore", "Lessons", "Classroom", "Game lab")
#: The scenario the guided lessons are written for.
LESSON_SCENARIO = "russia_nato_2022_02"


def _store_upload() -> None:
    upload = st.session_state.get("upload")
    st.session_state[UPLOAD_STORE] = (
        None if upload is None else (upload.name, upload.getvalue()))


def _choose_scenario() -> tuple[str, Loaded]:
    bundled = bundled_scenarios()  # read the folder once a run
    options = [*bundled, UPLOAD]
    choice = choose_scenario(options, UPLOAD)
    if choice == UPLOAD:
        st.sidebar.file_uploader("Scenario file (YAML, at most 1 MiB)", type=["yaml", "yml"],
                                 key="upload", on_change=_store_upload)
        stored = st.session_state.get(UPLOAD_STORE)
        if stored is None:
            return "upload", Loaded(None, ())
        name, raw = stored
        return f"upload:{name}", load_upload(name, raw)
    return choice, load_bundled(choice, bundled[choice])


#: Query keys of a class page: it offers no other mode, so its secret link is never dropped.
CLASS_PAGE_KEYS = ("teacher", "student", "join")


def _choose_mode() -> str:
    if any(key in st.query_params for key in CLASS_PAGE_KEYS):
        return "Classroom"
    if "mode" not in st.session_state:
        wanted = str(st.query_params.get("mode", "explore")).capitalize()
        st.session_state["mode"] = wanted if wanted in MODES else MODES[0]
    # One option a line: four options side by side wrap in the sidebar's width.
    mode = st.sidebar.radio("Mode", MODES, key="mode")
    if mode == MODES[0]:
        for key in ("mode", "lesson", "step", "pred", "quiz", "checked", "teacher", "student",
                    "game"):
            if key in st.query_params:
                del st.query_params[key]
    else:
        st.query_params["mode"] = mode.lower()
    return str(mode)


def _renderer(tab: str) -> Callable[[Selection], None]:
    module, name = TAB_RENDERERS[tab]
    render: Callable[[Selection], None] = getattr(importlib.import_module(module), name)
    return render


@st.fragment
def _tab_body(tab: str, sel: Selection) -> None:
    """One tab's body: a widget inside it reruns this fragment, not the page."""
    _guarded(tab, sel)


def _guarded(tab: str, sel: Selection) -> None:
    """Run one tab; a failure is explained in the tab and the page keeps working."""
    try:
        _renderer(tab)(sel)
    except ValueError as exc:  # model and binding errors say what is wrong in words
        st.error(f"This view could not be computed at these values: {_plain(exc)}")
    except Exception:  # noqa: BLE001 - a classroom page must not go blank
        st.error("This view could not be computed at these values. "
                 "Try other values, or reset to the preset.")


def _plain(exc: Exception, limit: int = 200) -> str:
    """An error's message in one line, cut, without the exception's class name."""
    text = " ".join(str(exc).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def main() -> None:
    st.set_page_config(page_title="coercion-sim", layout="wide")
    st.title("coercion-sim")
    st.caption("Equilibria of coercive diplomacy, bound to real crises. "
               "The numbers are teaching values, not estimates.")
    first_run = "_seen" not in st.session_state
    st.session_state["_seen"] = True
    query = st.query_params.to_dict() if first_run else None
    mode = _choose_mode()
    if mode == "Classroom":
        from views.classroom_page import render_classroom

        render_classroom()
        return
    if mode == "Game lab":
        from views.game_lab import render_game_lab

        render_game_lab()
        return
    if mode == "Lessons":
        lessons = load_bundled(LESSON_SCENARIO)
        if lessons.report is None:
            st.error("\n".join(lessons.errors))
            return
        from views.lessons_page import render_lessons

        render_lessons(lessons.report.scenario)
        return
    scenario_id, loaded = _choose_scenario()
    if loaded.errors:
        st.error("This scenario file is invalid. Every problem is listed below; "
                 "fix them and upload it again.")
        st.code("\n".join(loaded.errors), language="text")
        return
    if loaded.report is None:
        st.info("Upload a scenario file to explore it.")
        return
    shareable = not scenario_id.startswith("upload")
    sel = render_controls(scenario_id, loaded.report.scenario, shareable, query)
    if sel is not None:
        render_summary(sel)
    tabs = st.tabs(list(TABS), key="tab", bind="query-params")
    with tabs[1]:
        if tabs[1].open:
            from views.scenario_tab import render_scenario_tab

            render_scenario_tab(loaded.report)
    if sel is None:
        return
    for name, tab in zip((TABS[0], *TABS[2:]), (tabs[0], *tabs[2:]), strict=True):
        with tab:
            if tab.open:
                (_guarded if name in PAGE_TABS else _tab_body)(name, sel)
