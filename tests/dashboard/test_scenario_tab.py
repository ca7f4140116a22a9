"""The Scenario tab: the crisis overview, with quotes, sources and timeline."""

from __future__ import annotations

from sim.scenario import load_scenario
from tests.dashboard.conftest import problems
from tests.paths import SCENARIO_2022
from views.scenario_tables import scenario_tables


def test_default_view_renders_overview(open_app) -> None:  # type: ignore[no-untyped-def]
    at = open_app(tab="Scenario")
    assert problems(at) == []
    assert [t.label for t in at.tabs] == ["Overview", "Scenario", "Equilibrium", "Regime map",
                                          "Sweep", "Compare", "QRE"]
    frames = [t.value for t in at.table]
    columns = [list(f.columns) for f in frames]
    # Quotes come first; ids, which only the file needs, are not shown.
    assert ["quote", "demand", "by"] in [c[:3] for c in columns]
    assert any(c[0] == "quote" and {"action", "trigger"} <= set(c) for c in columns)
    assert not any("id" in c for c in columns)
    demands = next(f for f in frames if "demand" in f.columns)
    sc = load_scenario(SCENARIO_2022).scenario
    assert list(demands["demand"]) == [d.summary for d in sc.demands]
    assert at.query_params["scenario"] == "russia_nato_2022_02"
    assert at.query_params["preset"] == "teaching-defaults"
    assert at.query_params["analysis"] == "compellence"


def test_tables_carry_quotes_and_sources() -> None:
    sc = load_scenario(SCENARIO_2022).scenario
    tables = scenario_tables(sc)
    assert len(tables["Demands"]) == len(sc.demands)
    for section, frame in tables.items():
        assert "id" not in frame.columns, section
    assert all(list(tables[s].columns)[0] == "quote"
               for s in ("Demands", "Concessions", "Threats", "Claims"))
    invasion = next(e for e in sc.events if e.id == "ev_invasion")
    row = tables["Events"].set_index("event").loc[invasion.description]
    assert row["quote"].startswith("(paraphrase")
    assert "news" in row["source"]


def test_timeline_dots_are_labelled() -> None:
    from views.scenario_tables import LABEL_CHARS, timeline_figure, timeline_labels

    sc = load_scenario(SCENARIO_2022).scenario
    labels = timeline_labels(sc)
    fig = timeline_figure(sc)
    # Every dot sits on a row of its own, and the row is its label.
    assert sorted(y for t in fig.data for y in t.y) == sorted(labels)
    assert len(set(labels)) == len(sc.events)
    first = min(sc.events, key=lambda e: e.date)
    assert labels[0].startswith(f"{first.date:%d %b %Y} · ")
    text = labels[0].split(" · ", 1)[1]
    assert len(text) <= LABEL_CHARS and first.description.startswith(text.rstrip("…"))
    assert fig.layout.yaxis.categoryarray[-1] == labels[0]  # the earliest on top
    assert {t.name for t in fig.data} <= {a.name for a in sc.actors}
