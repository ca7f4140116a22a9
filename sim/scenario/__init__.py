"""Scenario files: format, safe loading, validation with located errors."""

from sim.scenario.catalog import DEFAULT_SCENARIO, bundled_scenarios, resolve_scenario
from sim.scenario.diagnostics import Diagnostic, ScenarioError
from sim.scenario.loader import QuoteCheck, ValidationReport, load_scenario, load_scenario_bytes
from sim.scenario.schema import Scenario, scenario_json_schema

__all__ = [
    "DEFAULT_SCENARIO",
    "Diagnostic",
    "QuoteCheck",
    "Scenario",
    "ScenarioError",
    "ValidationReport",
    "bundled_scenarios",
    "load_scenario",
    "load_scenario_bytes",
    "resolve_scenario",
    "scenario_json_schema",
]
