"""Every tab renders, and moving a slider past a threshold flips the regime.

The threshold is Fearon's bargaining-range edge (models.md §1a): with the
teaching defaults p = 0.65, c_W = 0.10, a demand x is accepted iff
x <= p + c_W = 0.75; the default demand x = 0.9 is rejected and war follows.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from tests.dashboard.conftest import problems, summary
from views.app_main import TABS


@pytest.mark.parametrize("tab", TABS)
def test_tab_renders_and_follows_the_demand_slider(open_app, tab: str) -> None:  # type: ignore[no-untyped-def]
    at = open_app(tab=tab)
    assert problems(at) == []
    assert "regime: **demand rejected**" in summary(at)
    assert "P(war) = **1.00**" in summary(at)
    at.slider(key="sp.x").set_value(0.75).run()
    assert problems(at) == []
    assert "regime: **demand accepted**" in summary(at)
    assert "P(war) = **0.00**" in summary(at)
    assert at.query_params["x"] == "0.75"


def test_equilibrium_tab_metric_flips_at_the_range_edge(open_app) -> None:  # type: ignore[no-untyped-def]
    at = open_app(tab="Equilibrium")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics == {"Regime": "demand rejected", "Most likely outcome": "War",
                       "P(war)": "1.00"}
    at.slider(key="sp.x").set_value(0.75).run()
    assert {m.label: m.value for m in at.metric}["Regime"] == "demand accepted"
    at.slider(key="sp.x").set_value(0.76).run()
    assert {m.label: m.value for m in at.metric}["Regime"] == "demand rejected"
    # Raising the West's cost of war widens the range: 0.76 <= 0.65 + 0.11.
    at.slider(key="sp.c_W").set_value(0.11).run()
    assert {m.label: m.value for m in at.metric}["Regime"] == "demand accepted"
    assert [d.label for d in at.get("download_button")] == [
        "Download the game (fearon_range.efg)"]
    strategies = next(d.value for d in at.dataframe if "action" in d.value.columns)
    assert set(strategies["action"]) >= {"Accept", "Reject"} or len(strategies) > 0


def test_equilibrium_tab_shows_a_payoff_matrix_for_chicken(open_app) -> None:  # type: ignore[no-untyped-def]
    at = open_app(tab="Equilibrium", analysis="chicken")
    assert problems(at) == []
    matrix = next(d.value for d in at.dataframe if d.value.index.name
                  and "\\" in d.value.index.name)
    # models.md §3a teaching payoffs: both swerve (0.5, 0.5); both firm (−1, −3).
    assert matrix.loc["Swerve", "Swerve"] == "0.5, 0.5"
    assert matrix.loc["Firm", "Firm"] == "-1, -3"
    assert [d.label for d in at.get("download_button")] == [
        "Download the game (chicken.nfg)"]


def test_every_analysis_renders_in_every_computing_tab(open_app) -> None:  # type: ignore[no-untyped-def]
    from sim.scenario import load_scenario
    from tests.paths import SCENARIO_2022

    for analysis in load_scenario(SCENARIO_2022).scenario.analyses:
        for tab in ("Equilibrium", "Regime map", "Sweep", "QRE"):
            at = open_app(tab=tab, analysis=analysis.id)
            assert problems(at) == [], (tab, analysis.id)


def test_regime_map_marks_the_current_point(open_app) -> None:  # type: ignore[no-untyped-def]
    at = open_app(tab="Regime map")
    at.selectbox(key="map_x.fearon_bargaining_range").set_value("x").run()
    at.selectbox(key="map_y.fearon_bargaining_range").set_value("p").run()
    assert problems(at) == []
    fig = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert fig["layout"]["title"]["text"] == "Regime over x × p (200×200 points)"
    assert fig["data"][1]["text"] == ["current values"]
    assert (fig["data"][1]["x"], fig["data"][1]["y"]) == ([0.9], [0.65])
    caption = next(c.value for c in at.caption if c.value.startswith("Share of the map"))
    # x <= p + c_W = p + 0.1 on the 200×200 grid of [0, 1]² (about 1 − 0.9²/2 of it).
    g = np.linspace(0.0, 1.0, 200)
    share = float(np.mean(g[None, :] <= g[:, None] + 0.1 + 1e-12))
    assert f"demand accepted {share:.0%}" in caption
    assert f"demand rejected {1 - share:.0%}" in caption


def test_compare_tab_counts_models_predicting_war(open_app) -> None:  # type: ignore[no-untyped-def]
    from sim.scenario import load_scenario
    from sim.scenario.binding import run_analyses, scenario_values
    from tests.paths import SCENARIO_2022

    sc = load_scenario(SCENARIO_2022).scenario
    runs = run_analyses(sc, scenario_values(sc, "teaching-defaults"))
    n_war = sum(r.outcome.p_war >= 0.5 for r in runs)
    at = open_app(tab="Compare")
    assert problems(at) == []
    text = next(m.value for m in at.markdown if "models predict war" in m.value)
    assert text.startswith(f"{n_war} of {len(runs)} models predict war")
    table = next(d.value for d in at.dataframe if "verdict" in d.value.columns)
    assert table["analysis"].tolist() == [a.id for a in sc.analyses]
    assert table.set_index("analysis").loc["fearon_range", "P(war)"] == 1.0


def test_qre_tab_uniform_play_at_zero_precision(open_app) -> None:  # type: ignore[no-untyped-def]
    at = open_app(tab="QRE", analysis="qre_chicken")
    assert problems(at) == []
    at.slider(key="qre_lam.qre_chicken").set_value(0.0).run()
    # models.md §9: at λ = 0 both sides randomise 50:50, so P(war) = 1/4.
    assert {m.label: m.value for m in at.metric}["P(war)"] == "0.25"
    charts = at.get("plotly_chart")
    assert any("path-following engine" in c.proto.spec for c in charts)


def test_qre_tab_extensive_form_path(open_app) -> None:  # type: ignore[no-untyped-def]
    at = open_app(tab="QRE", analysis="iig_qre")
    assert problems(at) == []
    assert at.selectbox(key="qre_analysis").value == "iig_qre"
    assert any("Outcome probabilities against lam" in c.proto.spec
               for c in at.get("plotly_chart"))
