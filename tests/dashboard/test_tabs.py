"""Every tab renders, and moving a slider past a threshold flips the regime.

The threshold is Fearon's bargaining-range edge: with the
teaching defaults p = 0.65, c_W = 0.10, a demand x is accepted iff
x <= p + c_W = 0.75; the default demand x = 0.9 is rejected and war follows.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from tests.dashboard.conftest import problems, regime_line, summary
from views.app_main import TABS


@pytest.mark.parametrize("tab", TABS)
def test_tab_renders_and_follows_the_demand_slider(open_app, tab: str) -> None:  # type: ignore[no-untyped-def]
    at = open_app(tab=tab, analysis="fearon_range_stated")
    assert problems(at) == []
    assert "regime: **The United States rejects the demand and war follows**" in summary(at)
    assert "P(war) = **1.00**" in summary(at)
    at.slider(key="sp.x").set_value(0.75).run()
    assert problems(at) == []
    assert "regime: **The United States accepts the demand**" in summary(at)
    assert "P(war) = **0.00**" in summary(at)
    assert at.query_params["x"] == "0.75"


def test_equilibrium_tab_metric_flips_at_the_range_edge(open_app) -> None:  # type: ignore[no-untyped-def]
    at = open_app(tab="Equilibrium", analysis="fearon_range_stated")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics == {"Most likely outcome": "War", "P(war)": "1.00"}
    assert regime_line(at) == "The United States rejects the demand and war follows"
    at.slider(key="sp.x").set_value(0.75).run()
    assert regime_line(at) == "The United States accepts the demand"
    at.slider(key="sp.x").set_value(0.76).run()
    assert regime_line(at) == "The United States rejects the demand and war follows"
    # Raising the West's cost of war widens the range: 0.76 <= 0.65 + 0.11.
    at.slider(key="sp.c_W").set_value(0.11).run()
    assert regime_line(at) == "The United States accepts the demand"
    assert [d.label for d in at.get("download_button")] == [
        "Download the game (fearon_range_stated.efg)"]
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
    at = open_app(tab="Regime map", analysis="fearon_range_stated")
    at.selectbox(key="map_x.fearon_bargaining_range").set_value("x").run()
    at.selectbox(key="map_y.fearon_bargaining_range").set_value("p").run()
    # the default grid follows a speed probe, which a loaded machine slows: pin it
    at.selectbox(key="map_n.fearon_bargaining_range").set_value(200).run()
    assert problems(at) == []
    fig = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert fig["layout"]["title"]["text"] == (
        "Regime over Russia's demand (x) × Russia's chance of prevailing by force (p) "
        "(200×200 points)")
    assert fig["data"][1]["text"] == ["current values"]
    assert (fig["data"][1]["x"], fig["data"][1]["y"]) == ([0.9], [0.65])
    caption = next(c.value for c in at.caption if c.value.startswith("Share of the map"))
    # x <= p + c_W = p + 0.1 on the 200×200 grid of [0, 1]² (about 1 − 0.9²/2 of it).
    g = np.linspace(0.0, 1.0, 200)
    share = float(np.mean(g[None, :] <= g[:, None] + 0.1 + 1e-12))
    assert f"The United States accepts the demand {share:.0%}" in caption
    assert f"The United States rejects the demand and war follows {1 - share:.0%}" in caption


def test_compare_tab_counts_models_predicting_war(open_app) -> None:  # type: ignore[no-untyped-def]
    from sim.scenario import load_scenario
    from sim.scenario.binding import run_analyses, scenario_values
    from sim.scenario.compare import agreement_sentences, analysis_title, compare_outcomes
    from tests.paths import SCENARIO_2022

    sc = load_scenario(SCENARIO_2022).scenario
    runs = run_analyses(sc, scenario_values(sc, "teaching-defaults"))
    rows = compare_outcomes(sc, [(r.analysis, r.outcome) for r in runs])
    at = open_app(tab="Compare")
    assert problems(at) == []
    expected = " ".join(agreement_sentences(rows, 0))
    assert any(m.value == expected for m in at.markdown)
    table = next(d.value for d in at.dataframe if "Reading" in d.value.columns)
    assert table["Analysis"].tolist() == [analysis_title(sc, a) for a in sc.analyses]
    assert table["P(war)"].iloc[0] == round(runs[0].outcome.p_war, 2)


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
    titles = [json.loads(c.proto.spec)["layout"]["title"]["text"]
              for c in at.get("plotly_chart")]
    assert "Outcome probabilities against Precision λ" in titles
