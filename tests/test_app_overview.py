"""The dashboard renders the scenario overview under AppTest."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.paths import DATA, ROOT
from views.loading import load_upload
from views.scenario_tables import scenario_tables

APP = str(ROOT / "app.py")


def test_default_view_renders_overview() -> None:
    at = AppTest.from_file(APP, default_timeout=120).run()
    assert not at.exception
    labels = [t.label for t in at.tabs]
    assert labels[0] == "Scenario"
    frames = [df.value for df in at.dataframe]
    columns = [set(f.columns) for f in frames]
    assert any({"demand", "quote", "source"} <= c for c in columns)
    assert any({"action", "trigger", "quote"} <= c for c in columns)
    demands = next(f for f in frames if "demand" in f.columns)
    assert "dem_no_nato_expansion" in set(demands["id"])
    assert at.query_params["scenario"] == "russia_nato_2022_02"


def test_tables_carry_quotes_and_sources() -> None:
    from sim.scenario import load_scenario

    sc = load_scenario(ROOT / "scenarios" / "russia_nato_2022_02.yaml").scenario
    tables = scenario_tables(sc)
    assert len(tables["Demands"]) == len(sc.demands)
    invasion = tables["Events"].set_index("id").loc["ev_invasion"]
    assert invasion["quote"].startswith("(paraphrase")
    assert "news" in invasion["source"]


def test_invalid_upload_gives_located_messages() -> None:
    raw = (DATA / "bad" / "07_dangling_reference.yaml").read_bytes()
    loaded = load_upload.__wrapped__("mine.yaml", raw)  # bypass the cache
    assert loaded.report is None
    assert loaded.errors == (
        "mine.yaml:29:9: demands[0].by: unknown actor 'RUSS' (did you mean 'RUS'?)",
    )
