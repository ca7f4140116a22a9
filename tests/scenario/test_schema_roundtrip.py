"""The scenario format round-trips and exports a JSON Schema."""

from __future__ import annotations

import json

import yaml
from typer.testing import CliRunner

from sim.cli import app
from sim.scenario import Scenario, load_scenario, load_scenario_bytes, scenario_json_schema
from tests.paths import DATA, SCENARIO_2022


def _roundtrip(path) -> tuple[Scenario, Scenario]:
    first = load_scenario(path).scenario
    dumped = yaml.safe_dump(first.to_data(), allow_unicode=True, sort_keys=False)
    second = load_scenario_bytes(dumped.encode("utf-8"), "dumped.yaml").scenario
    return first, second


def test_roundtrip_minimal() -> None:
    first, second = _roundtrip(DATA / "good" / "minimal.yaml")
    assert first == second
    assert first.parameter_values("base") == {"p": 0.6}


def test_roundtrip_2022() -> None:
    first, second = _roundtrip(SCENARIO_2022)
    assert first == second
    assert second.to_data() == first.to_data()


def test_model_dump_validate_roundtrip() -> None:
    sc = load_scenario(SCENARIO_2022).scenario
    assert Scenario.model_validate(sc.model_dump()) == sc


def test_json_schema_covers_every_section() -> None:
    schema = scenario_json_schema()
    assert schema["title"] == "coercion-sim scenario"
    props = schema["properties"]
    for section in ("meta", "sources", "actors", "issues", "positions", "demands",
                    "concessions", "threats", "events", "claims", "parameters", "presets",
                    "analyses"):
        assert section in props, section
    assert set(schema["required"]) == {"meta", "sources", "actors"}
    kinds = schema["$defs"]["Source"]["properties"]["kind"]["enum"]
    assert kinds == ["opinion", "news", "official", "scholarly", "analyst calibration"]


def test_schema_command_prints_the_schema() -> None:
    result = CliRunner().invoke(app, ["schema"])
    assert result.exit_code == 0
    assert json.loads(result.output) == json.loads(json.dumps(scenario_json_schema()))
