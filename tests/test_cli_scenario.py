"""The scenario commands of the ``coercion`` CLI."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from sim.cli import app
from tests.paths import DATA, SCENARIO_2022

runner = CliRunner()


def test_list_shows_bundled_scenarios() -> None:
    result = runner.invoke(app, ["list"])
    assert result.exit_code == 0
    assert "russia_nato_2022_02" in result.output


def test_validate_all_bundled_scenarios() -> None:
    files = sorted(str(p) for p in SCENARIO_2022.parent.glob("*.yaml"))
    result = runner.invoke(app, ["validate", *files])
    assert result.exit_code == 0, result.output
    assert result.output.count(": valid (") == len(files)


def test_validate_mixed_good_and_bad_exits_2() -> None:
    result = runner.invoke(app, ["validate", str(DATA / "good" / "minimal.yaml"),
                                 str(DATA / "bad" / "07_dangling_reference.yaml")])
    assert result.exit_code == 2
    assert "minimal.yaml: valid" in result.output
    assert "1 of 2 files invalid" in result.output


def test_show_by_id_and_path() -> None:
    by_id = runner.invoke(app, ["show", "russia_nato_2022_02"])
    by_path = runner.invoke(app, ["show", str(SCENARIO_2022)])
    assert by_id.exit_code == by_path.exit_code == 0
    for title in ("Actors", "Demands", "Concessions", "Threats", "Parameters"):
        assert title in by_id.output
    assert "dem_no_nato_expansion" in by_id.output


def test_show_json_is_machine_readable() -> None:
    result = runner.invoke(app, ["show", "russia_nato_2022_02", "--json"])
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["meta"]["id"] == "russia_nato_2022_02"
    assert {a["id"] for a in data["actors"]} >= {"RUS", "USA", "NATO", "UKR"}


def test_show_unknown_scenario_exits_2() -> None:
    result = runner.invoke(app, ["show", "no_such_scenario"])
    assert result.exit_code == 2
    assert "no scenario 'no_such_scenario'" in result.output
    assert "Traceback" not in result.output


def test_show_invalid_file_exits_2() -> None:
    result = runner.invoke(app, ["show", str(DATA / "bad" / "08_value_out_of_range.yaml")])
    assert result.exit_code == 2
    assert "demands[0].position: 1.5 is above the maximum 1.0" in result.output
