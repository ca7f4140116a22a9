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

__all__ = ["ResolvedSweep", "SweepError", "resolve_sweep", "resolve_for_model"]

#: Bump when the output format changes, so old results are never reused.
FORMAT = 2


class SweepError(ValueError):
    """A sweep cannot run as specified; the message says why.

    ``field`` is the path of the offending entry inside the sweep spec (for
    example ``("varied", "c_R", "mode")``), or empty when the error concerns
    no single entry; callers holding the file use it to locate the message.
    """

    def __init__(self, message: str, field: tuple[str | int, ...] = ()) -> None:
        super().__init__(message)
        self.field = field


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
        raise SweepError(str(exc), ("scenario",)) from None
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
                    raise SweepError(f"not a parameter of scenario {sc.meta.id!r}",
                                     ("varied", name))
                targets = tuple(m for m, s in bound.mapped_from.items() if s == name)
                if not targets:
                    raise SweepError(f"not used by analysis {spec.analysis!r}",
                                     ("varied", name))
                lo, hi = specs[name].min, specs[name].max
                integer = False
                for t in targets:
                    ps = model.param(t)
                    lo, hi = max(lo, ps.lo), min(hi, ps.hi)
                    integer = integer or ps.kind == "integer"
                feeds[name] = targets
                axes.append(Axis(name, lo, hi, spec.varied[name], integer))
        else:
            assert spec.model is not None
            model = get_model(spec.model)
            if spec.scenario is not None:
                raise SweepError("a sweep of a model takes no scenario; name an analysis",
                                 ("scenario",))
            base = model.validate(spec.fixed)
            feeds = {}
            axes = []
            for name in varied:
                try:
                    ps = model.param(name)
                except ModelError as exc:
                    raise SweepError(str(exc), ("varied", name)) from None
                if not ps.is_scalar:
                    raise SweepError(f"parameter of {model.name!r} is not a number",
                                     ("varied", name))
                feeds[name] = (name,)
                axes.append(Axis(name, ps.lo, ps.hi, spec.varied[name], ps.kind == "integer"))
    except (BindingError, ModelError) as exc:
        raise SweepError(str(exc)) from None
    return _finish(spec, model, base, feeds, axes, scenario_digest)


def resolve_for_model(spec: SweepSpec, model: Model, base: Mapping[str, Any],
                      ranges: Mapping[str, tuple[float, float]] | None = None) -> ResolvedSweep:
    """Bind a ``model:`` spec to ``model`` at the validated parameters ``base``.

    For callers that already hold a model's full parameter set (the
    dashboard, at the sidebar's values). ``ranges`` narrows a varied
    parameter's admissible range (for example to the scenario's).
    """
    axes = []
    for name, varied in spec.varied.items():
        try:
            ps = model.param(name)
        except ModelError as exc:
            raise SweepError(str(exc), ("varied", name)) from None
        if not ps.is_scalar:
            raise SweepError(f"parameter of {model.name!r} is not a number", ("varied", name))
        lo, hi = (ranges or {}).get(name, (ps.lo, ps.hi))
        axes.append(Axis(name, max(lo, ps.lo), min(hi, ps.hi), varied, ps.kind == "integer"))
    feeds = {name: (name,) for name in spec.varied}
    return _finish(spec, model, {**base, **spec.fixed}, feeds, axes, "")


def _finish(spec: SweepSpec, model: Model, base: Mapping[str, Any],
            feeds: Mapping[str, tuple[str, ...]], axes: list[Axis],
            scenario_digest: str) -> ResolvedSweep:
    for axis in axes:
        _check_axis(axis)
    payload = {
        "format": FORMAT,
        "spec": spec_payload(spec),
        "model": model.name,
        "base": _jsonable(base),
        "feeds": {k: list(v) for k, v in feeds.items()},
        "axes": [[a.name, a.lo, a.hi, a.integer] for a in axes],
        "scenario_sha256": scenario_digest,
    }
    digest = hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()
    return ResolvedSweep(spec, model, dict(base), dict(feeds), tuple(axes), digest)


def _check_axis(axis: Axis) -> None:
    """Refuse an axis whose values would leave the range or be undefined."""
    import numpy as np

    from sim.scenario.sweep_spec import Distribution, GridRange, ValueList
    from sim.sweep.design import axis_ppf, distribution_bounds

    s = axis.spec
    where: tuple[str | int, ...] = ("varied", axis.name)
    checks: list[tuple[tuple[str | int, ...], float]] = []
    if isinstance(s, GridRange):
        lo, hi, _ = s.bounds()
        checks = [((*where, "grid"), lo), ((*where, "grid"), hi)]
    elif isinstance(s, ValueList):
        checks = [((*where, "values", i), v) for i, v in enumerate(s.values)]
    elif isinstance(s, Distribution):
        checks = [((*where, k), float(getattr(s, k))) for k in ("min", "max", "mode", "mean")
                  if getattr(s, k) is not None]
    for path, v in checks:
        if not axis.lo <= v <= axis.hi:
            raise SweepError(f"{v:g} is outside the parameter's range "
                             f"[{axis.lo:g}, {axis.hi:g}]", path)
    if not isinstance(s, Distribution):
        return
    lo, hi = distribution_bounds(axis)
    if not lo < hi:
        raise SweepError(f"the distribution's interval [{lo:g}, {hi:g}] is empty; set min "
                         "below max inside the parameter's range", where)
    if s.mode is not None and not lo <= s.mode <= hi:
        raise SweepError(f"mode {s.mode:g} is outside [{lo:g}, {hi:g}]", (*where, "mode"))
    probe = axis_ppf(axis, np.linspace(0.0, 1.0, 1001))
    if not np.all(np.isfinite(probe)) or probe.min() < lo - 1e-12 or probe.max() > hi + 1e-12:
        raise SweepError(f"this {s.dist} distribution gives undefined values on "
                         f"[{lo:g}, {hi:g}]; check its parameters", where)


def _jsonable(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, float | int | str | bool) or value is None:
        return value
    return float(value)
