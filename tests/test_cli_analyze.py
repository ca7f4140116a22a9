"""``coercion analyze``: every analysis, explained; presets compared."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from sim.cli import app

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
    assert "As the article argues" in result.output
    assert "Hindsight" in result.output
    assert "P(war)" in result.output
    assert "Models whose prediction changes with the calibration" in result.output


def test_bad_set_exits_2() -> None:
    for args in (["--set", "cR=0.4"], ["--set", "c_R"], ["--set", "c_R=abc"],
                 ["--preset", "nope"]):
        result = runner.invoke(app, ["analyze", "russia_nato_2022_02", *args])
        assert result.exit_code == 2, args
        assert result.output.startswith("error: ")
