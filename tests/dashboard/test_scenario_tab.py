"""The Scenario tab: the crisis overview, with quotes, sources and timeline."""

from __future__ import annotations

from sim.scenario import load_scenario
from tests.dashboard.conftest import problems
from tests.paths import SCENARIO_2022
from views.scenario_tables import scenario_tables


def test_default_view_renders_overview(open_app) -> None:  # type: ignore[no-untyped-def]
    at = open_app()
    assert problems(at) == []
    assert [t.label for t in at.tabs] == ["Scenario", "Equilibrium", "Regime map", "Sweep",
                                          "Compare", "QRE"]
    frames = [df.value for df in at.dataframe]
    columns = [set(f.columns) for f in frames]
    assert any({"demand", "quote", "source"} <= c for c in columns)
    assert any({"action", "trigger", "quote"} <= c for c in columns)
    demands = next(f for f in frames if "demand" in f.columns)
    assert "dem_no_nato_expansion" in set(demands["id"])
    assert at.query_params["scenario"] == "russia_nato_2022_02"
    assert at.query_params["preset"] == "teaching-defaults"
    assert at.query_params["analysis"] == "fearon_range"


def test_tables_carry_quotes_and_sources() -> None:
    sc = load_scenario(SCENARIO_2022).scenario
    tables = scenario_tables(sc)
    assert len(tables["Demands"]) == len(sc.demands)
    invasion = tables["Events"].set_index("id").loc["ev_invasion"]
    assert invasion["quote"].startswith("(paraphrase")
    assert "news" in invasion["source"]
