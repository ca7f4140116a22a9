"""Resolving a sweep spec: its model, fixed values, varied axes and fingerprint."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sim.models.base import Model, ModelError
from sim.models.registry import get_model
from sim.scenario.binding import BindingError, bind_analysis, scenario_values
from sim.scenario.catalog import resolve_scenario
from sim.scenario.loader import load_scenario
from sim.scenario.sweep_spec import SweepSpec, spec_payload
from sim.sweep.design import Axis

__all__ = ["ResolvedSweep", "SweepError", "resolve_sweep"]

#: Bump when the output format changes, so old results are never reused.
FORMAT = 1


class SweepError(ValueError):
    """A sweep cannot run as specified; the message says why."""


@dataclass(frozen=True)
class ResolvedSweep:
    """A spec bound to its model.

    Attributes
    ----------
    model
        The registered model evaluated at every point.
    base
        Model parameters at the fixed values (varied ones included at their
        calibrated value; each point overrides them).
    feeds
        For each varied sweep parameter, the model parameters it sets.
    axes
        The varied parameters with their admissible ranges.
    fingerprint
        SHA-256 of everything that determines the results (not the chunk size).
    """

    spec: SweepSpec
    model: Model
    base: Mapping[str, Any]
    feeds: Mapping[str, tuple[str, ...]]
    axes: tuple[Axis, ...]
    fingerprint: str


def _scenario(spec: SweepSpec, base_dir: Path | None) -> Any:
    assert spec.scenario is not None
    candidate = Path(spec.scenario)
    if base_dir is not None and not candidate.is_absolute() and (base_dir / candidate).is_file():
        candidate = base_dir / candidate
    try:
        path = candidate if candidate.is_file() else resolve_scenario(spec.scenario)
    except FileNotFoundError as exc:
        raise SweepError(str(exc)) from None
    return load_scenario(path).scenario, path


def resolve_sweep(spec: SweepSpec, base_dir: Path | None = None) -> ResolvedSweep:
    """Bind ``spec`` to its model; raises SweepError (or ScenarioError) on bad input."""
    varied = list(spec.varied)
    scenario_digest = ""
    try:
        if spec.analysis is not None:
            sc, path = _scenario(spec, base_dir)
            scenario_digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()
            values = scenario_values(sc, spec.preset, spec.fixed)
            bound = bind_analysis(sc, spec.analysis, values)
            model = bound.model
            base = dict(bound.params)
            feeds: dict[str, tuple[str, ...]] = {}
            specs = {p.name: p for p in sc.parameters}
            axes = []
            for name in varied:
                if name not in specs:
                    raise SweepError(f"varied parameter {name!r} is not a parameter of "
                                     f"scenario {sc.meta.id!r}")
                targets = tuple(m for m, s in bound.mapped_from.items() if s == name)
                if not targets:
                    raise SweepError(f"varied parameter {name!r} is not used by analysis "
                                     f"{spec.analysis!r}")
                lo, hi = specs[name].min, specs[name].max
                for t in targets:
                    ps = model.param(t)
                    lo, hi = max(lo, ps.lo), min(hi, ps.hi)
                feeds[name] = targets
                axes.append(Axis(name, lo, hi, spec.varied[name]))
        else:
            assert spec.model is not None
            model = get_model(spec.model)
            if spec.scenario is not None:
                raise SweepError("a sweep of a model takes no scenario; name an analysis")
            base = model.validate(spec.fixed)
            feeds = {}
            axes = []
            for name in varied:
                ps = model.param(name)
                if not ps.is_scalar:
                    raise SweepError(f"parameter {name!r} of {model.name!r} is not a number")
                feeds[name] = (name,)
                axes.append(Axis(name, ps.lo, ps.hi, spec.varied[name]))
    except (BindingError, ModelError) as exc:
        raise SweepError(str(exc)) from None
    for axis in axes:
        _check_axis(axis)
    payload = {
        "format": FORMAT,
        "spec": spec_payload(spec),
        "model": model.name,
        "base": _jsonable(base),
        "feeds": {k: list(v) for k, v in feeds.items()},
        "axes": [[a.name, a.lo, a.hi] for a in axes],
        "scenario_sha256": scenario_digest,
    }
    digest = hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()
    return ResolvedSweep(spec, model, base, feeds, tuple(axes), digest)


def _check_axis(axis: Axis) -> None:
    from sim.scenario.sweep_spec import Distribution, GridRange, ValueList

    s = axis.spec
    if isinstance(s, GridRange):
        lo, hi, _ = s.bounds()
        values = [lo, hi]
    elif isinstance(s, ValueList):
        values = list(s.values)
    elif isinstance(s, Distribution):
        values = [v for v in (s.min, s.max, s.mode) if v is not None]
        if s.dist == "normal" and s.mean is not None:
            values.append(s.mean)
    else:  # pragma: no cover - the union is closed
        values = []
    bad = [v for v in values if not axis.lo <= v <= axis.hi]
    if bad:
        raise SweepError(f"varied parameter {axis.name!r}: {bad[0]:g} is outside its range "
                         f"[{axis.lo:g}, {axis.hi:g}]")


def _jsonable(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, float | int | str | bool) or value is None:
        return value
    return float(value)
