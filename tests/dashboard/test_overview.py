"""The Overview tab: the scenario's readings side by side, in words, first among the tabs."""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from sim.scenario import load_scenario
from sim.scenario.catalog import bundled_scenarios
from sim.scenario.compare import cell_text, compare_presets
from tests.dashboard.conftest import problems
from tests.paths import SCENARIO_2022
from views.app_main import TABS
from views.overview_table import ANALYSIS, MOVED

#: A snake_case identifier: what a lecturer must never project.
SNAKE = re.compile(r"\b[a-z]+_[a-z0-9_]+\b")
#: One letter and a short subscript (``p_0``, ``c_hi``): notation after its label.
SYMBOL = re.compile(r"[a-z]_(?:[a-z]{1,3}|[0-9]+)")


def _identifiers(text: str) -> list[str]:
    return [t for t in SNAKE.findall(text) if not SYMBOL.fullmatch(t)]


def _tab_text(tab) -> list[str]:  # type: ignore[no-untyped-def]
    """Every word the tab shows: headings, prose, captions, table headers and cells."""
    texts = [e.value for kind in ("subheader", "markdown", "caption", "info", "warning")
             for e in getattr(tab, kind)]
    for frame in tab.dataframe:
        df = frame.value
        texts += [str(c) for c in df.columns] + [str(v) for v in df.to_numpy().ravel()]
    return texts


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def test_overview_is_the_first_tab_and_the_default_view(open_app) -> None:  # type: ignore[no-untyped-def]
    assert TABS[0] == "Overview"
    at = open_app()
    assert problems(at) == []
    assert [t.label for t in at.tabs][0] == "Overview"
    overview = at.tabs[0]
    assert len(overview.dataframe) == 1  # the table is drawn without asking for the tab


def test_2022_shows_three_calibration_columns_in_words(open_app) -> None:  # type: ignore[no-untyped-def]
    sc = load_scenario(SCENARIO_2022).scenario
    expected = compare_presets(sc)
    at = open_app(tab="Overview")
    assert problems(at) == []
    (frame,) = at.tabs[0].dataframe
    df = frame.value
    columns = list(df.columns)
    assert columns[0] == ANALYSIS and MOVED in columns
    calibrations = columns[1:columns.index(MOVED)]
    assert len(calibrations) == 3
    names = {p.id: p.name for p in sc.presets}
    for column, preset in zip(calibrations, ("article", "skeptical", "hindsight"), strict=True):
        assert names[preset].startswith(column)
    assert df[ANALYSIS].tolist() == [a.title for a in expected.analyses]
    for k, column in enumerate(calibrations):
        assert df[column].tolist() == [cell_text(a.readings[k]) for a in expected.analyses]
    for cell in df[calibrations].to_numpy().ravel():
        assert re.fullmatch(r".*(war|sanctions) (un)?likely \(\d\.\d\d\)|[A-Z][a-z ]+", cell,
                            flags=re.IGNORECASE), cell
    text = _unescape(" ".join(_tab_text(at.tabs[0])))
    assert sc.meta.title in text
    assert "What changed between the columns" in text and "Where the models agree" in text
    for a in expected.analyses:
        for m in a.moves:  # every change is explained with the moving parameter's label
            labels = {p.name: p.label for p in sc.parameters}
            assert any(labels[n] in text for s in m.sets for n in s)
    assert "verage" not in text


@pytest.mark.parametrize("scenario", sorted(bundled_scenarios()))
def test_no_snake_case_identifier_on_the_overview(open_app, scenario: str) -> None:  # type: ignore[no-untyped-def]
    at = open_app(tab="Overview", scenario=scenario)
    assert problems(at) == []
    for text in _tab_text(at.tabs[0]):
        found = _identifiers(_unescape(text))
        assert not found, f"{found} in {text[:200]!r}"


def test_cuba_agreement_reads_as_agreement(open_app) -> None:  # type: ignore[no-untyped-def]
    sc = load_scenario(bundled_scenarios()["cuba_1962"]).scenario
    c = compare_presets(sc)
    at = open_app(tab="Overview", scenario="cuba_1962")
    (frame,) = at.tabs[0].dataframe
    assert len(frame.value.columns) == 1 + len(sc.presets) + 2
    text = _unescape(" ".join(_tab_text(at.tabs[0])))
    for k in range(len(c.presets)):
        worst = max(a.readings[k].p_war for a in c.analyses)
        if worst < 0.5:
            assert f"agree that war is unlikely: P(war) is at most {worst:.2f}" in text
    if max(r.p_war for a in c.analyses for r in a.readings) < 0.5:
        assert "disagree" not in text


def test_choosing_an_analysis_opens_it_in_equilibrium() -> None:
    def page() -> None:
        import streamlit as st

        from views.overview_tab import open_analysis

        st.button("pick", key="pick", on_click=open_analysis, args=("chicken",))
        tabs = st.tabs(["Overview", "Equilibrium"], key="tab", bind="query-params")
        st.write(f"analysis={st.session_state.get('analysis')}; "
                 f"open={[t.open for t in tabs]}")

    at = AppTest.from_function(page).run()
    assert at.markdown[0].value == "analysis=None; open=[True, False]"
    at.button(key="pick").click().run()
    assert at.markdown[0].value == "analysis=chicken; open=[False, True]"
    assert at.query_params["tab"] == "Equilibrium"


def test_the_sidebar_follows_the_analysis_the_overview_picks(open_app) -> None:  # type: ignore[no-untyped-def]
    at = open_app()
    at.session_state["analysis"] = "chicken"
    at.session_state["tab"] = "Equilibrium"
    at.run()
    assert problems(at) == []
    assert at.selectbox(key="analysis").value == "chicken"
    assert at.query_params["analysis"] == "chicken"
    equilibrium = at.tabs[TABS.index("Equilibrium")]
    assert equilibrium.metric and not at.tabs[0].dataframe  # only the open tab is drawn
    assert "Chicken" in " ".join(h.value for h in equilibrium.subheader)


def test_compare_tab_speaks_in_words_and_never_averages(open_app) -> None:  # type: ignore[no-untyped-def]
    at = open_app(tab="Compare", scenario="cuba_1962")
    assert problems(at) == []
    compare = at.tabs[TABS.index("Compare")]
    text = _unescape(" ".join(_tab_text(compare)))
    assert not _identifiers(text)
    assert "verage" not in text
    assert "models of war agree that war is unlikely" in text or "disagree" in text
