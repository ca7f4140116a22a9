"""Binding a scenario's analyses to the models.

A scenario's parameters (with a preset and any user overrides applied) are
mapped through each analysis's ``params`` onto its model's parameters; model
parameters the analysis does not map keep the model's defaults. Spatial
models take their actors, positions, capabilities and saliences from the
scenario's ``positions`` on the analysis's ``issue``.

An analysis's ``roles:`` maps the model's role ids to actors. The outcome and
the game of a bound analysis are rendered with those actors' names
(:mod:`sim.modelkit.render`). Old role keys and parameter names of the alias
table (:mod:`sim.modelkit.aliases`) are accepted with a DeprecationWarning.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sim.modelkit.aliases import resolve_param_aliases, resolve_role_aliases
from sim.modelkit.render import render_game, render_outcome, role_names
from sim.models.base import Model, Outcome
from sim.models.registry import get_model
from sim.scenario.diagnostics import did_you_mean
from sim.scenario.schema import Analysis, Scenario

__all__ = [
    "BindingError",
    "BoundAnalysis",
    "AnalysisRun",
    "scenario_values",
    "bind_analysis",
    "run_analysis",
    "run_analyses",
]

#: Model parameters filled from the scenario's positions on an issue.
SPATIAL_FIELDS = ("actors", "position", "capability", "salience", "coalition")


class BindingError(ValueError):
    """A preset, override or analysis does not fit the scenario or model."""


@dataclass(frozen=True)
class BoundAnalysis:
    """An analysis with its model and the model parameters it resolves to.

    ``roles`` maps the model's role ids to actor ids (old role keys already
    renamed) and ``names`` the model's display names to actor names.
    """

    analysis: Analysis
    model: Model
    params: dict[str, Any]
    mapped_from: dict[str, str]
    roles: dict[str, str] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)

    def solve(self) -> Outcome:
        """The model's outcome, in the scenario's actor names."""
        return render_outcome(self.model.solve(self.params), self.names)

    def game(self) -> Any:
        """The model's game at these parameters, in the scenario's actor names."""
        return render_game(self.model.game(self.params), self.names)

    @property
    def role_actors(self) -> dict[str, str]:
        """Role id → the name of the actor that plays it (display name if unassigned)."""
        return {role: self.names.get(display, display)
                for role, display in self.model.roles.items()}


@dataclass(frozen=True)
class AnalysisRun:
    """An analysis solved at one calibration."""

    bound: BoundAnalysis
    outcome: Outcome

    @property
    def analysis(self) -> Analysis:
        return self.bound.analysis

    @property
    def model(self) -> Model:
        return self.bound.model


def scenario_values(
    scenario: Scenario, preset: str | None = None, overrides: Mapping[str, float] | None = None
) -> dict[str, float]:
    """Parameter values: defaults, then the preset, then ``overrides`` (checked)."""
    if preset is not None and preset not in {p.id for p in scenario.presets}:
        ids = [p.id for p in scenario.presets]
        raise BindingError(f"unknown preset {preset!r}{did_you_mean(preset, ids)}; "
                           f"presets are {', '.join(ids)}")
    values = scenario.parameter_values(preset)
    specs = {p.name: p for p in scenario.parameters}
    for name, value in (overrides or {}).items():
        if name not in specs:
            raise BindingError(f"unknown parameter {name!r}{did_you_mean(name, specs)}")
        spec = specs[name]
        if not spec.min <= value <= spec.max:
            raise BindingError(f"{name}: {value:g} is outside [{spec.min:g}, {spec.max:g}]")
        values[name] = float(value)
    return values


def bind_analysis(
    scenario: Scenario, analysis: Analysis | str, values: Mapping[str, float]
) -> BoundAnalysis:
    """Resolve ``analysis`` to its model and model parameters at ``values``."""
    if isinstance(analysis, str):
        found = [a for a in scenario.analyses if a.id == analysis]
        if not found:
            ids = [a.id for a in scenario.analyses]
            raise BindingError(f"unknown analysis {analysis!r}{did_you_mean(analysis, ids)}")
        analysis = found[0]
    model = get_model(analysis.model)
    params: dict[str, Any] = {}
    mapped: dict[str, str] = {}
    roles = resolve_role_aliases(model.name, analysis.roles)
    for name, source in resolve_param_aliases(model.name, analysis.params).items():
        if isinstance(source, str):
            if source not in values:
                raise BindingError(f"analysis {analysis.id!r}: unknown scenario parameter "
                                   f"{source!r}")
            params[name] = values[source]
            mapped[name] = source
        else:
            params[name] = source
            mapped[name] = "literal"
    if analysis.issue is not None:
        params.update(_spatial_inputs(scenario, analysis, roles))
        mapped.update({f: f"positions on {analysis.issue}" for f in SPATIAL_FIELDS})
    names = role_names(model, {role: scenario.actor(actor).in_text
                               for role, actor in roles.items()})
    return BoundAnalysis(analysis, model, params, mapped, roles, names)


def run_analysis(
    scenario: Scenario, analysis: Analysis | str, values: Mapping[str, float]
) -> AnalysisRun:
    bound = bind_analysis(scenario, analysis, values)
    return AnalysisRun(bound, bound.solve())


def run_analyses(scenario: Scenario, values: Mapping[str, float]) -> list[AnalysisRun]:
    """Every analysis of the scenario, solved at ``values``, in file order."""
    return [run_analysis(scenario, a, values) for a in scenario.analyses]


def _spatial_inputs(scenario: Scenario, analysis: Analysis,
                    roles: Mapping[str, str]) -> dict[str, Any]:
    """Actors with positions on the issue; the ``challenger`` first, and
    ``coalition``: the actors in the camp of the role ``coalition`` (the actor and
    its members)."""
    rows = [p for p in scenario.positions if p.issue == analysis.issue]
    challenger = roles.get("challenger")
    rows.sort(key=lambda r: r.actor != challenger)  # stable: file order otherwise
    if len(rows) < 2:
        raise BindingError(f"analysis {analysis.id!r}: issue {analysis.issue!r} needs "
                           "positions of at least two actors")
    actors, capability = [], []
    for row in rows:
        actor = scenario.actor(row.actor)
        if actor.capability is None:
            raise BindingError(f"analysis {analysis.id!r}: actor {actor.id!r} has a position "
                               f"on {analysis.issue!r} but no capability")
        actors.append(actor.name)
        capability.append(actor.capability)
    camp = roles.get("coalition")
    members = tuple(scenario.actor(r.actor).name for r in rows
                    if r.actor == camp or camp in scenario.actor(r.actor).member_of)
    return {
        "actors": tuple(actors),
        "position": tuple(100.0 * r.position for r in rows),
        "capability": tuple(capability),
        "salience": tuple(r.salience for r in rows),
        "coalition": members,
    }
