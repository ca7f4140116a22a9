"""Pure figure and table builders of the dashboard, without Streamlit."""

from __future__ import annotations

import json

import pytest

from sim.models.base import Outcome, ParamSpec
from sim.models.registry import get_model
from views.compare_table import Row, agreement_text, compare_frame
from views.equilibrium_figures import (
    edge_weights,
    equilibrium_behaviour,
    game_file,
    payoff_matrix,
    strategy_table,
    tree_figure,
)
from views.state import choice_labels, decode_query, humanise


def _outcome(name: str, p_war: float) -> Outcome:
    return Outcome(model="m", params={}, outcome="War" if p_war else "Peace", regime="r",
                   probabilities={"War": p_war, "Peace": 1 - p_war}, p_war=p_war,
                   payoffs={"A": 0.0})


def test_agreement_text_counts_and_names_models() -> None:
    rows = [Row("a", "m1", "?", _outcome("a", 1.0)), Row("b", "m2", "?", _outcome("b", 0.3)),
            Row("c", "m3", "?", _outcome("c", 0.0)), Row("d", "m4", "?", None, "bad input")]
    text = agreement_text(rows)
    assert text.startswith("1 of 3 models predict war (P(war) ≥ 0.5): a.")
    assert "1 see some risk of war short of that: b." in text
    assert "1 predict no war: c." in text
    assert "The models disagree" in text
    assert "Not solved at these values: d." in text
    assert "Average P(war) across models: 0.43." in text
    frame = compare_frame(rows)
    assert frame["verdict"].tolist() == ["war likely", "some risk of war", "no war",
                                         "not solved: bad input"]


def test_agreement_when_all_predict_war() -> None:
    rows = [Row("a", "m", "?", _outcome("a", 0.9)), Row("b", "m", "?", _outcome("b", 1.0))]
    assert "All the models agree that war is likely." in agreement_text(rows)


def test_fearon_tree_highlights_the_path_to_war() -> None:
    model = get_model("fearon_bargaining_range")
    game = model.game({})
    out = model.solve({})
    weights, exact = edge_weights(game, out)
    flat = game.flat()
    hot = {flat.nodes[i].label for i in range(len(flat))
           if flat.kind[i] == "t" and weights[i] > 0}
    # x = 0.9 > p + c_W = 0.75: the demand is rejected and the only outcome is war.
    assert hot == {"War"}
    assert exact is False
    fig = json.loads(tree_figure(game, out).to_json())
    assert fig["data"][1]["name"] == "equilibrium play"
    assert len([v for v in fig["data"][1]["x"] if v is None]) == 2  # root→West→War


def test_tree_with_matching_information_sets_uses_exact_reach() -> None:
    model = get_model("brinkmanship_window")
    game = model.game({})
    out = model.solve({})
    behaviour = equilibrium_behaviour(game, out)
    assert behaviour is not None
    weights, exact = edge_weights(game, out)
    assert exact is True
    flat = game.flat()
    reach = {}
    for i in range(len(flat)):
        if flat.kind[i] == "t":
            label = flat.nodes[i].label
            reach[label] = reach.get(label, 0.0) + weights[i]
    for label, p in out.probabilities.items():
        assert reach.get(label, 0.0) == pytest.approx(p, abs=1e-12)


def test_chicken_payoff_matrix_and_nfg_file() -> None:
    model = get_model("chicken_2x2")
    game = model.game({})
    matrix = payoff_matrix(game)
    assert matrix.index.tolist() == ["Swerve", "Firm"]
    assert matrix.loc["Firm", "Swerve"] == "1, 0"
    assert matrix.loc["Swerve", "Firm"] == "0, 1"
    written = game_file(game, "chicken")
    assert written is not None and written.file_name == "chicken.nfg"
    assert written.text.startswith("NFG 1 R")


def test_strategy_table_rows() -> None:
    out = get_model("chicken_2x2").solve({})
    table = strategy_table(out)
    assert list(table.columns) == ["decision", "action", "probability"]
    for _, group in table.groupby("decision"):
        assert group["probability"].sum() == pytest.approx(1.0)


def test_choice_labels_parse_meanings() -> None:
    spec = get_model("chicken_2x2").param("equilibrium")
    assert choice_labels(spec) == {0: "mixed", 1: "Russia Firm/West Swerve",
                                   2: "Russia Swerve/West Firm", 3: "logit-QRE limit"}
    assert choice_labels(ParamSpec("a", 0.5)) is None
    assert humanise("demand_rejected") == "demand rejected"


def test_decode_query_checks_model_parameter_ranges() -> None:
    from sim.scenario import load_scenario
    from tests.paths import SCENARIO_2022
    from views.sidebar import model_specs_of

    sc = load_scenario(SCENARIO_2022).scenario
    state = decode_query({"analysis": "chicken", "m.equilibrium": "7", "m.zz": "1",
                          "m.lam": "1"}, sc, model_specs_of(sc))
    assert state.model_values == {}
    assert state.ignored == ("m.equilibrium=7: not a number in [0, 3]",
                             "m.zz: not a parameter of this analysis",
                             "m.lam: not a parameter of this analysis")
