"""Labels, titles and captions in words: the pure helpers behind the page."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from sim.models.registry import get_model
from sim.scenario import load_scenario
from sim.scenario.catalog import bundled_titles
from tests.dashboard.conftest import APP
from tests.paths import ROOT, SCENARIO_2022
from views.state import analysis_titles, choice_labels, model_param_label


def test_a_model_parameter_reads_as_a_phrase_with_its_symbol() -> None:
    fearon = get_model("fearon_bargaining_range")
    names = {"Challenger": "Russia", "Target": "United States"}
    assert model_param_label(fearon.param("c_A"), names) == (
        "Russia's cost of war (negative: war profitable) (c_A)")
    assert model_param_label(fearon.param("proposer"), names) == (
        "Who makes the take-it-or-leave-it offer (proposer)")
    assert choice_labels(fearon.param("proposer"), names) == {0: "Russia", 1: "United States"}


def test_analyses_are_titled_by_their_model_in_actor_names() -> None:
    sc = load_scenario(SCENARIO_2022).scenario
    titles = analysis_titles(sc)
    assert titles["fearon_range"] == ("Fearon bargaining range (complete information) — "
                                      "with the demand the model finds best")
    assert titles["escalation_ladder_private"] == (
        "Escalation ladder, private resolve of the United States (Powell)")
    # Two analyses of one model are told apart by their own titles, or by their issues.
    assert titles["fearon_range_stated"].endswith("— with the demand as Russia stated it")
    assert titles["spatial_enlargement"].endswith("— NATO enlargement")
    assert titles["spatial_sanctions"].endswith("— Severity of Western sanctions")
    cuba = load_scenario(ROOT / "scenarios" / "cuba_1962.yaml").scenario
    assert analysis_titles(cuba)["qre_chicken"] == "Chicken with noisy leaders (logit QRE)"


def test_bundled_scenarios_have_their_titles() -> None:
    titles = bundled_titles()
    assert titles["cuba_1962"] == "The Cuban Missile Crisis, October 1962"
    assert set(titles) == {"cuba_1962", "libya_2003", "russia_nato_2022_02"}


def test_cuba_speaks_of_the_united_states_and_the_soviet_union() -> None:
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params.update({"scenario": "cuba_1962", "analysis": "brinkmanship",
                            "tab": "Equilibrium"})
    at.run()
    headline = next(m.value for m in at.markdown if "· regime:" in m.value)
    assert headline.startswith("**Brinkmanship window \\(Schelling\\)** · regime: **The United "
                               "States threatens")
    beliefs = next(d.value for d in at.dataframe if "belief" in d.value.columns)
    assert beliefs["belief"].tolist() == ["P(the Soviet Union is hard) at the start"]
    labels = [s.label for s in at.slider]
    assert "US gain if the Soviets comply (G) — utility" in labels


def test_the_map_names_the_parameters_it_holds() -> None:
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params.update({"tab": "Regime map", "map_x": "p", "map_y": "x"})
    at.run()
    held = next(str(c.value) for c in at.caption if "held at their current values" in
                str(c.value))
    assert "Russia's cost of war (c_R) = 0.15; The West's cost of war (c_W) = 0.1" in held
    assert "(p) =" not in held and "(x) =" not in held  # the two axes are not held


def test_a_label_that_gives_its_symbol_does_not_repeat_it() -> None:
    from views.state import scenario_param_label

    cuba = load_scenario(ROOT / "scenarios" / "cuba_1962.yaml").scenario
    lam = next(p for p in cuba.parameters if p.name == "lam")
    assert scenario_param_label(lam).count("λ") == lam.label.count("λ")
    g = next(p for p in cuba.parameters if p.name == "G")
    assert scenario_param_label(g) == f"{g.label} (G)"
