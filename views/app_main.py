"""The dashboard's page: sidebar choices around six tabs over the pure core."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from sim.scenario.catalog import DEFAULT_SCENARIO, bundled_scenarios
from views.classroom_page import render_classroom
from views.compare_tab import render_compare_tab
from views.equilibrium_tab import render_equilibrium_tab, render_summary
from views.lessons_page import render_lessons
from views.loading import Loaded, load_bundled, load_upload
from views.map_tab import render_map_tab
from views.qre_tab import render_qre_tab
from views.scenario_tab import render_scenario_tab
from views.sidebar import Selection, render_controls
from views.sweep_tab import render_sweep_tab

__all__ = ["main", "TABS", "MODES", "UPLOAD", "UPLOAD_STORE"]

UPLOAD = "Upload a YAML file…"
#: Session key of the uploaded file as ``(name, bytes)``; the uploader's callback fills it.
UPLOAD_STORE = "_upload"
TABS = ("Scenario", "Equilibrium", "Regime map", "Sweep", "Compare", "QRE")
MODES = ("Explore", "Lessons", "Classroom", "Game lab")
#: The scenario the guided lessons are written for.
LESSON_SCENARIO = "russia_nato_2022_02"


def _store_upload() -> None:
    upload = st.session_state.get("upload")
    st.session_state[UPLOAD_STORE] = (
        None if upload is None else (upload.name, upload.getvalue()))


def _choose_scenario() -> tuple[str, Loaded]:
    bundled = list(bundled_scenarios())
    options = [*bundled, UPLOAD]
    if "scenario" not in st.session_state:
        wanted = st.query_params.get("scenario", DEFAULT_SCENARIO)
        st.session_state["scenario"] = wanted if wanted in options else options[0]
    choice = st.sidebar.selectbox("Scenario", options, key="scenario")
    if choice == UPLOAD:
        st.sidebar.file_uploader("Scenario file (YAML, at most 1 MiB)", type=["yaml", "yml"],
                                 key="upload", on_change=_store_upload)
        stored = st.session_state.get(UPLOAD_STORE)
        if stored is None:
            return "upload", Loaded(None, ())
        name, raw = stored
        return f"upload:{name}", load_upload(name, raw)
    return choice, load_bundled(choice)


#: Query keys of a class page: it offers no other mode, so its secret link is never dropped.
CLASS_PAGE_KEYS = ("teacher", "student", "join")


def _choose_mode() -> str:
    if any(key in st.query_params for key in CLASS_PAGE_KEYS):
        return "Classroom"
    if "mode" not in st.session_state:
        wanted = str(st.query_params.get("mode", "explore")).capitalize()
        st.session_state["mode"] = wanted if wanted in MODES else MODES[0]
    mode = st.sidebar.radio("Mode", MODES, key="mode", horizontal=True)
    if mode == MODES[0]:
        for key in ("mode", "lesson", "teacher", "student", "game"):
            if key in st.query_params:
                del st.query_params[key]
    else:
        st.query_params["mode"] = mode.lower()
    return str(mode)


def _guarded(render: Callable[[Selection], None], sel: Selection) -> None:
    """Run one tab; a failure is explained in the tab and the page keeps working."""
    try:
        render(sel)
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
    with tabs[0]:
        if tabs[0].open:
            render_scenario_tab(loaded.report)
    if sel is None:
        return
    renders = (render_equilibrium_tab, render_map_tab, render_sweep_tab, render_compare_tab,
               render_qre_tab)
    for tab, render in zip(tabs[1:], renders, strict=True):
        with tab:
            if tab.open:
                _guarded(render, sel)
