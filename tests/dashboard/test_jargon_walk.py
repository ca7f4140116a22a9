"""Every tab of every analysis of every bundled scenario speaks in words and actor names.

The walk renders each tab of ``views.app_main.TABS`` once per analysis (the
Scenario tab, drawn without an analysis, once per scenario) and reads every
word a viewer can see: Markdown, captions, metrics, widget labels, options and
help, table and dataframe headers and cells, and the figures' titles, axes,
legends, labels and hover text. It fails on a snake_case identifier, on a
reference to ``models.md`` (a file users do not have), and, in a scenario
without such an actor, on the 2022 case's "Russia" or "West".
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pytest
from streamlit.testing.v1 import AppTest

from sim.scenario import load_scenario
from sim.scenario.catalog import bundled_scenarios
from tests.dashboard.conftest import APP
from views.app_main import TABS

SNAKE = re.compile(r"\b[a-z]+_[a-z0-9_]+\b")
#: Mathematical symbols as the models' formulas write them: one letter and a short
#: subscript (``r_1``, ``c_hi``, ``p_m``, ``v_irr``). They are notation, explained by the
#: label they follow, not identifiers.
SYMBOL = re.compile(r"[a-z]_(?:[a-z]{1,3}|[0-9]+)")
ROLE_WORDS = re.compile(r"\b(Russia|West)\b")
SCENARIOS = {sid: load_scenario(path).scenario for sid, path in bundled_scenarios().items()}


def _title(obj: object) -> str:
    t = obj.get("title") if isinstance(obj, dict) else None
    return str(t.get("text", "")) if isinstance(t, dict) else str(t or "")


def _figure_words(spec: str) -> Iterator[str]:
    fig = json.loads(spec)
    layout = fig.get("layout", {})
    yield _title(layout)
    for axis in ("xaxis", "yaxis"):
        yield _title(layout.get(axis))
    for note in layout.get("annotations", []):
        yield str(note.get("text", ""))
    for trace in fig.get("data", []):
        yield str(trace.get("name", ""))
        yield str(trace.get("hovertemplate", ""))
        bar = trace.get("colorbar") or {}
        yield _title(bar)
        yield from (str(t) for t in bar.get("ticktext", []) or [])
        for field in ("text", "y", "x", "customdata"):
            values = trace.get(field)
            if isinstance(values, list):
                yield from (v for v in values if isinstance(v, str))


#: Keys of an ECharts option whose strings the chart shows.
_ECHARTS_TEXT = {"text", "subtext", "name", "formatter"}


def _echarts_words(node: object, key: str = "") -> Iterator[str]:
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _echarts_words(v, k)
    elif isinstance(node, list):
        for v in node:
            yield from _echarts_words(v, key)
    elif isinstance(node, str) and (key in _ECHARTS_TEXT or key == "data"):
        yield node.replace("<br/>", " ")


def rendered_words(at: AppTest, skip_picker: bool = False) -> Iterator[tuple[str, str]]:
    """(where, text) for every piece of text the page shows."""
    for kind in ("markdown", "caption", "subheader", "header", "title", "info", "warning",
                 "error", "success"):
        for e in getattr(at, kind):
            yield kind, str(e.value).replace("\\", "")
    for m in at.metric:
        yield "metric", f"{m.label}: {m.value}"
    for t in at.tabs:
        yield "tab", t.label
    for w in [*at.selectbox, *at.multiselect, *at.radio]:
        yield "label", w.label
        if skip_picker and w.label == "Scenario":
            continue  # the picker lists every bundled scenario by its title
        yield from (("option", str(o)) for o in w.options)
    for w in [*at.slider, *at.number_input, *at.checkbox, *at.button]:
        yield "label", w.label
    for w in [*at.selectbox, *at.multiselect, *at.radio, *at.slider, *at.number_input,
              *at.checkbox, *at.button]:
        if getattr(w, "help", None):
            yield "help", str(w.help)
    for frame in [d.value for d in at.dataframe] + [t.value for t in at.table]:
        yield "header", " | ".join(map(str, frame.columns))
        if frame.index.name:
            yield "header", str(frame.index.name)
        yield from (("cell", str(v)) for v in frame.astype(str).to_numpy().ravel())
    for chart in at.get("plotly_chart"):
        yield from (("figure", t) for t in _figure_words(chart.proto.spec))
    for chart in at.get("echarts_chart"):
        yield from (("chart", t) for t in _echarts_words(json.loads(chart.proto.spec)))


def jargon(at: AppTest, scenario_id: str) -> list[str]:
    sc = SCENARIOS[scenario_id]
    has_role_words = any(ROLE_WORDS.search(a.name) for a in sc.actors)
    found = set()
    for where, text in rendered_words(at, skip_picker=True):
        for token in SNAKE.findall(text):
            if not SYMBOL.fullmatch(token):
                found.add(f"{where}: {token!r} in {text[:80]!r}")
        if "models.md" in text:
            found.add(f"{where}: models.md in {text[:80]!r}")
        if not has_role_words and ROLE_WORDS.search(text):
            found.add(f"{where}: {ROLE_WORDS.search(text).group(0)!r} in {text[:80]!r}")
    return sorted(found)


def _open(scenario_id: str, tab: str, analysis: str | None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=180)
    at.query_params["scenario"] = scenario_id
    at.query_params["tab"] = tab
    if analysis is not None:
        at.query_params["analysis"] = analysis
    return at.run()


def _cases() -> list[object]:
    return [(sid, tab) for sid in SCENARIOS for tab in TABS]


@pytest.mark.parametrize(("scenario_id", "tab"), _cases())
def test_every_analysis_speaks_in_words(scenario_id: str, tab: str) -> None:
    analyses = [a.id for a in SCENARIOS[scenario_id].analyses]
    # The first tab is drawn without an analysis: once per scenario is enough.
    for analysis in analyses[:1] if tab == TABS[0] else analyses:
        at = _open(scenario_id, tab, analysis)
        assert [str(e.value) for e in at.exception] == [], (tab, analysis)
        assert jargon(at, scenario_id) == [], (scenario_id, tab, analysis)


def test_the_walk_sees_what_it_must_refuse() -> None:
    """The reader finds identifiers where they would show, so the walk can fail."""
    at = _open("cuba_1962", "Equilibrium", "chicken")
    words = [t for _, t in rendered_words(at)]
    assert any("United States" in t for t in words)
    assert any("Chicken" in t for t in words)
    charts = [t for where, t in rendered_words(at) if where == "chart"]
    assert "Probability of each outcome" in charts  # the walk reads the ECharts charts too
    # The picker's own options are the titles of the bundled scenarios, ids stay in the URL.
    picker = next(s for s in at.selectbox if s.label == "Scenario")
    assert "The Cuban Missile Crisis, October 1962" in picker.options
    assert "cuba_1962" not in picker.options
    assert SNAKE.findall("regime: demand_rejected") == ["demand_rejected"]
    assert not SYMBOL.fullmatch("prior_hard") and SYMBOL.fullmatch("c_hi")


def test_a_sweep_result_speaks_in_words() -> None:
    at = _open("russia_nato_2022_02", "Sweep", "fearon_range")
    at.number_input(key="sweep_n").set_value(60)
    next(b for b in at.get("button") if "Run sweep" in str(b.proto.label)).click().run()
    assert [str(e.value) for e in at.exception] == []
    assert any("Sweep of Fearon bargaining range" in str(s.value) for s in at.success)
    table = next(d.value for d in at.dataframe if "P(war)" in d.value.columns)
    assert {"Russia's chance of prevailing by force (p)", "Russia's cost of war (c_R)",
            "expected payoff of Russia"} <= set(table.columns)
    assert not any("payoff[" in c for c in table.columns)
    assert jargon(at, "russia_nato_2022_02") == []


def test_the_interaction_game_reads_in_words_and_actor_names() -> None:
    at = _open("russia_nato_2022_02", "Equilibrium", "iig")
    assert [str(e.value) for e in at.exception] == []
    strategies = next(d.value for d in at.dataframe if "action" in d.value.columns)
    assert "1. Russia: make a demand?" in set(strategies["decision"])
    assert set(strategies["action"]) == {"Demand", "No demand", "Use force", "No force"}
    assert not set(strategies["decision"]) & {f"n{k}" for k in range(1, 13)}
    tree = next(json.loads(c.proto.spec) for c in at.get("echarts_chart")
                if "The game tree" in c.proto.spec)
    labels = {n["name"] for s in tree["series"] if s["name"] == "nodes" for n in s["data"]}
    assert {"War (Russia strikes first)", "Negotiation", "Status quo"} <= labels
    assert not labels & {"WAR_A", "NEG", "SQ", "CAP_B"}
    # The Gambit file keeps the game's own codes, which the solvers and files share.
    assert [d.label for d in at.get("download_button")] == ["Download the game (iig.efg)"]
