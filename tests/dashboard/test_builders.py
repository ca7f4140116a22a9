"""Pure figure and table builders of the dashboard, without Streamlit."""

from __future__ import annotations

import json

import pytest

from sim.models.base import Outcome, ParamSpec
from sim.models.registry import get_model
from views.compare_table import agreement_text, compare_frame
from views.equilibrium_figures import (
    edge_weights,
    equilibrium_behaviour,
    game_file,
    payoff_matrix,
    strategy_table,
    tree_chart,
)
from views.state import choice_labels, decode_query, humanise


def _outcome(name: str, p_war: float) -> Outcome:
    return Outcome(model="m", params={}, outcome="War" if p_war >= 0.5 else "Peace",
                   regime="r_wins", probabilities={"War": p_war, "Peace": 1 - p_war}, p_war=p_war,
                   payoffs={"A": 0.0})


def test_compare_rows_in_words_and_agreement_on_outcome_classes() -> None:
    from sim.scenario import load_scenario
    from sim.scenario.compare import compare_outcomes
    from tests.paths import SCENARIO_2022

    sc = load_scenario(SCENARIO_2022).scenario
    fearon, chicken, spatial = (next(a for a in sc.analyses if a.id == i)
                                for i in ("fearon_range", "chicken", "spatial_enlargement"))
    rows = compare_outcomes(sc, [(fearon, _outcome("a", 1.0)), (chicken, _outcome("b", 0.3)),
                                 (spatial, "bad input")])
    frame = compare_frame(rows)
    assert frame["Reading"].tolist() == ["War likely (1.00)", "Peace; war unlikely (0.30)",
                                         "Not solved: bad input"]
    assert frame["Analysis"].tolist()[:2] == [
        "Fearon bargaining range (complete information) — with the demand the model finds best",
        "Chicken (2×2)"]
    assert frame["Regime"].tolist()[:2] == ["r wins", "r wins"]
    text = agreement_text(rows)
    assert text.startswith("The models of war disagree, and they split evenly: 1 of 2 find "
                           "war likely, the other 1 unlikely. Likely in: Fearon bargaining "
                           "range (complete information) — with the demand the model finds "
                           "best.")
    assert "Not solved under this calibration" in text and "verage" not in text


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
    chart = json.loads(json.dumps(tree_chart(game, out)))
    hot = next(s for s in chart["series"] if s["name"] == "equilibrium play")
    assert hot["lineStyle"]["width"] > 1.5
    assert len(hot["data"]) == 2  # root→Target→War
    others = next(s for s in chart["series"] if s["name"] == "other moves")
    assert len(others["data"]) == len(flat) - 1 - 2  # every other edge, drawn thin


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


def test_choice_labels_come_from_declared_options() -> None:
    spec = get_model("chicken_2x2").param("equilibrium")
    assert choice_labels(spec) == {0: "mixed", 1: "Challenger Firm, Target Swerve",
                                   2: "Challenger Swerve, Target Firm", 3: "logit-QRE limit"}
    fearon = get_model("fearon_bargaining_range")
    assert choice_labels(fearon.param("proposer")) == {0: "Challenger", 1: "Target"}
    # With a scenario's actors the labels name them.
    names = {"Challenger": "Russia", "Target": "United States"}
    assert choice_labels(fearon.param("proposer"), names) == {0: "Russia", 1: "United States"}
    assert choice_labels(fearon.param("use_demand"), names)[1] == (
        "United States answers Russia's demand x")
    assert choice_labels(get_model("commitment_shifting_power").param("protocol")) == {
        0: "Declining state proposes", 1: "Rising state proposes"}
    assert choice_labels(fearon.param("p")) is None
    assert choice_labels(get_model("logit_qre_normal_form").param("normalise")) == {
        0: "raw payoffs", 1: "payoffs divided by their range w − d"}
    assert choice_labels(ParamSpec("a", 0.5)) is None
    assert choice_labels(get_model("escalation_ladder_complete").param("K")) is None
    assert humanise("demand_rejected") == "demand rejected"
    assert humanise("challenger_firm", {"challenger": "Russia", "target": "USA"}) == "Russia firm"


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


def test_map_resolution_keeps_the_time_budget() -> None:
    from views.map_tab import RESOLUTIONS, default_resolution, grid_points

    fearon = get_model("fearon_bargaining_range")
    x, y = ("x", 0.0, 1.0), ("p", 0.0, 1.0)
    assert grid_points(fearon, x, y, 200) == 40_000
    assert default_resolution(fearon, x, y, 1e-6) == 200  # 0.04 s
    assert default_resolution(fearon, x, y, 1e-3) == 25  # 50×50 would take 2.5 s
    assert default_resolution(fearon, x, y, 1.0) == RESOLUTIONS[0]
    ladder = get_model("escalation_ladder_complete")
    k = ladder.param("K")
    k_axis = ("K", k.lo, k.hi)
    assert grid_points(ladder, k_axis, ("v_A", 0.0, 1.0), 200) == (
        int(k.hi - k.lo + 1) * 200)


def test_sweep_downloads_round_trip() -> None:
    import io

    import pandas as pd

    from sim.scenario.sweep_spec import SweepSpec
    from sim.sweep.engine import evaluate_in_memory
    from sim.sweep.resolve import resolve_sweep
    from views.sweep_figures import to_parquet_bytes

    spec = SweepSpec.model_validate({"id": "t", "model": "fearon_bargaining_range",
                                     "sampler": "grid", "varied": {"x": {"grid": "0:1:11"}}})
    frame = evaluate_in_memory(resolve_sweep(spec)).to_pandas()
    frame["regime"] = frame["regime"].astype(str)
    back = pd.read_parquet(io.BytesIO(to_parquet_bytes(frame)))
    pd.testing.assert_frame_equal(back, frame)
    csv = pd.read_csv(io.StringIO(frame.to_csv(index=False)))
    assert csv["regime"].tolist() == frame["regime"].tolist()
