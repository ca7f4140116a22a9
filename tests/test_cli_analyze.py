"""``coercion analyze``: every analysis, explained; presets compared."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from sim.cli import app
from sim.scenario import load_scenario
from sim.scenario.binding import scenario_values
from tests.paths import SCENARIO_2022

runner = CliRunner()


def test_analyze_prints_every_analysis_with_explanation() -> None:
    result = runner.invoke(app, ["analyze", "russia_nato_2022_02"])
    assert result.exit_code == 0, result.output
    for aid in ("fearon_range", "compellence", "chicken", "commitment", "sanctions"):
        assert aid in result.output
    assert "Teaching values, not estimates." in result.output
    assert "The bargaining range is [0.50, 0.75]" in result.output


def test_analyze_json_and_set() -> None:
    result = runner.invoke(app, ["analyze", "russia_nato_2022_02", "--json",
                                 "--set", "x=0.7"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    (preset,) = data["presets"].values()
    by_id = {a["id"]: a for a in preset["analyses"]}
    assert by_id["fearon_range"]["params"]["x"] == 0.7
    assert by_id["fearon_range"]["outcome"]["p_war"] == 0.0
    assert data["overrides"] == {"x": 0.7}


def test_compare_presets_table() -> None:
    result = runner.invoke(app, ["analyze", "russia_nato_2022_02", "--compare-presets"])
    assert result.exit_code == 0, result.output
    out = " ".join(result.output.split())
    assert "As the article argues" in out and "Hindsight" in out
    assert "what moved it" in out and "Where the models agree" in out
    assert "Fearon bargaining range" in out  # analyses by title, ids as handles
    assert "Average P(war)" not in out and "The models disagree:" not in out


def _compare_json(scenario: str, *extra: str) -> dict:
    result = runner.invoke(app, ["analyze", scenario, "--compare-presets", "--json", *extra])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_compare_presets_json_carries_readings_and_what_moved() -> None:
    data = _compare_json("russia_nato_2022_02")
    assert list(data["presets"]) == ["article", "skeptical", "hindsight"]
    assert data["presets"]["article"]["name"] == "As the article argues"
    assert "method" in data
    for a in data["analyses"]:
        assert set(a["readings"]) == {"article", "skeptical", "hindsight"}
        for r in a["readings"].values():
            war = r["p_war"] is not None and r["p_war"] >= 0.5
            if r["outcome_class"].startswith(("war", "sanctions")):
                assert r["outcome_class"].endswith(" likely") == war
        classes = {r["outcome_class"] for r in a["readings"].values()}
        assert a["class_changes"] == (len(classes) > 1)
        keys = {(r["outcome_class"], r["outcome"], r["regime"]) for r in a["readings"].values()}
        assert bool(a["moves"]) == (len(keys) > 1)
        for m in a["moves"]:
            assert m["from"] != m["to"] and m["changed"] and m["text"]
            for subset in m["parameters"]:
                assert set(subset) <= set(m["differing"])
    moved = [m for a in data["analyses"] for m in a["moves"]]
    assert moved, "no analysis responds to the calibrations"


def test_compare_json_what_moved_is_right_when_checked_by_hand() -> None:
    """Switching the reported parameters alone from the first preset's values to the
    second's reproduces the second reading (checked with --set on the first preset)."""
    data = _compare_json("russia_nato_2022_02")
    move, analysis = next((m, a) for a in data["analyses"] for m in a["moves"]
                          if len(m["parameters"][0]) == 1 and m["complete"])
    (name,) = move["parameters"][0]
    sc = load_scenario(SCENARIO_2022).scenario
    value = scenario_values(sc, move["to"])[name]
    result = runner.invoke(app, ["analyze", "russia_nato_2022_02", "--json", "--preset",
                                 move["from"], "--set", f"{name}={value!r}"])
    assert result.exit_code == 0, result.output
    (preset,) = json.loads(result.output)["presets"].values()
    switched = next(a for a in preset["analyses"] if a["id"] == analysis["id"])["outcome"]
    wanted = analysis["readings"][move["to"]]
    assert (switched["outcome"], switched["regime"]) == (wanted["outcome"], wanted["regime"])


def test_cuba_agreement_is_not_called_disagreement() -> None:
    data = _compare_json("cuba_1962")
    for pid, preset in data["presets"].items():
        worst = max(a["readings"][pid]["p_war"] for a in data["analyses"])
        if worst < 0.5:
            assert preset["agreement"].startswith("All 3 models of war agree that war is "
                                                  "unlikely")
            assert "disagree" not in preset["agreement"]


def test_single_preset_agreement_uses_outcome_classes() -> None:
    result = runner.invoke(app, ["analyze", "cuba_1962"])
    assert result.exit_code == 0, result.output
    assert "models of war agree that war is unlikely" in " ".join(result.output.split())


def test_bad_set_exits_2() -> None:
    for args in (["--set", "cR=0.4"], ["--set", "c_R"], ["--set", "c_R=abc"],
                 ["--preset", "nope"]):
        result = runner.invoke(app, ["analyze", "russia_nato_2022_02", *args])
        assert result.exit_code == 2, args
        assert result.output.startswith("error: ")


def test_compare_table_says_what_moved_in_words() -> None:
    from sim.cli.analyze_output import _moved_cell
    from sim.scenario.compare import compare_presets, parameter_words

    sc = load_scenario(SCENARIO_2022).scenario
    # "The American public" is an actor, but "The" of "The West's cost of war" is no name
    assert parameter_words(sc, "c_W") == "the West's cost of war (c_W)"
    c = compare_presets(sc)
    stated = next(a for a in c.analyses if a.id == "compellence_stated")
    cell = _moved_cell(sc, c, stated)
    assert "As the article argues → Skeptical assessment: the West's cost of war (c_W)" in cell
    assert "skeptical" not in cell and "c_W:" not in cell  # no preset or parameter ids alone
