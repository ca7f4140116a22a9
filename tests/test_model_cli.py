"""``coercion models`` and ``coercion model`` through typer's CliRunner."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from sim.cli import app
from sim.models import all_models, get_model

runner = CliRunner()


def test_models_lists_every_model_with_parameters() -> None:
    result = runner.invoke(app, ["models"])
    assert result.exit_code == 0, result.output
    for name, model in all_models().items():
        assert name in result.output
        assert model.title in result.output
    assert "delta = 0.9 in [0.01, 0.99]" in result.output


def test_models_json_and_family_filter() -> None:
    result = runner.invoke(app, ["models", "--json", "--family", "commitment"])
    assert result.exit_code == 0, result.output
    listed = json.loads(result.output)
    assert [m["name"] for m in listed] == ["commitment_guarantee_extension",
                                           "commitment_shifting_power"]
    kappa = [p for p in listed[0]["params"] if p["name"] == "kappa"][0]
    assert (kappa["default"], kappa["lo"], kappa["hi"]) == (0.0, 0.0, 1.0)
    bad = runner.invoke(app, ["models", "--family", "astrology"])
    assert bad.exit_code == 2 and "error:" in bad.output


def test_model_json_has_every_outcome_field() -> None:
    result = runner.invoke(app, ["model", "commitment_shifting_power", "--set", "p1=0.5",
                                 "--set", "protocol=1", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    expected = get_model("commitment_shifting_power").solve(p1=0.5, protocol=1).to_dict()
    assert set(data) == set(expected)
    assert data["regime"] == "protocol_dependent_war" and data["p_war"] == 1.0
    assert data["details"]["R_proposes"]["best_peace_D"] == pytest.approx(0.505)
    assert data["params"]["protocol"] == 1


def test_model_readable_output_has_the_explanation() -> None:
    result = runner.invoke(app, ["model", "commitment_guarantee_extension"])
    assert result.exit_code == 0, result.output
    assert "Outcome: War" in result.output
    assert "κ* = 0.50" in result.output


def test_vector_and_label_parameters() -> None:
    result = runner.invoke(app, [
        "model", "spatial_weighted_median_bdm", "--json",
        "--set", "actors=Russia,US,Germany", "--set", "position=100,10,45",
        "--set", "capability=0.3,1,0.35", "--set", "salience=1,0.7,0.6",
        "--set", "coalition=US,Germany",
    ])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["params"]["position"] == [100.0, 10.0, 45.0]
    assert data["details"]["weighted_median"] == 10.0
    iig = runner.invoke(app, ["model", "iig_complete_info", "--json",
                              "--set", "U_A=0,-0.4,0.6,0.3,-0.6,0.5,-0.2,-0.5",
                              "--set", "U_B=0.25,0.6,-0.4,0.2,0.5,-0.6,-0.5,-0.3"])
    assert json.loads(iig.output)["details"]["equilibrium_path"] == [
        "n1:D", "n3:D", "n5:nF", "n9:nF"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["model", "no_such_model"], "unknown model 'no_such_model'"),
        (["model", "commitment_shifting_pwer"], "did you mean 'commitment_shifting_power'"),
        (["model", "commitment_shifting_power", "--set", "zeta=1"], "unknown parameter 'zeta'"),
        (["model", "commitment_shifting_power", "--set", "p1=1.5"], "p1: 1.5 is outside"),
        (["model", "commitment_shifting_power", "--set", "p1=abc"], "p1: 'abc' is not a number"),
        (["model", "commitment_shifting_power", "--set", "p1"], "expected NAME=VALUE"),
        (["model", "commitment_shifting_power", "--set", "p0=0.2"], "p1: 0.3 exceeds p0"),
        (["model", "spatial_weighted_median_bdm", "--set", "position=1,x"], "position"),
    ],
)
def test_invalid_input_exits_2_with_one_line(args: list[str], message: str) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1
