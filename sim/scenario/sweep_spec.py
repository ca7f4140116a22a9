"""The sweep specification: what to vary, how to sample it, and with which seed.

A sweep is a YAML block, standalone (a file whose top level is ``sweep:``)
or inside a scenario file (``sweeps:``, a list). It names either a
scenario ``analysis`` (parameters are then the scenario's parameters, bound
to the model through the analysis) or a ``model`` from the registry
(parameters are the model's own).

Example::

    sweep:
      id: fearon-mc
      scenario: russia_nato_2022_02
      analysis: fearon_private_costs
      preset: article
      fixed: {c_lo: 0.0}
      varied:
        p: {grid: "0.3:0.9:31"}
        c_R: {dist: uniform}
        c_hi: {dist: triangular, mode: 0.3}
      sampler: lhs
      n: 100000
      seed: 7
"""

from __future__ import annotations

import math
import re
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    field_validator,
    model_validator,
)

__all__ = [
    "GridRange",
    "ValueList",
    "Distribution",
    "Varied",
    "SweepSpec",
    "SweepFile",
    "SAMPLERS",
    "MAX_GRID_POINTS",
    "VARIED_TAGS",
    "spec_payload",
]

SAMPLERS = ("grid", "random", "lhs", "sobol")
#: Grids above this many points are refused unless the caller raises the cap.
MAX_GRID_POINTS = 100_000_000
_NUMBER = r"[-+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]{1,3})?"
_GRID = re.compile(rf"^\s*({_NUMBER})\s*:\s*({_NUMBER})\s*:\s*([0-9]{{1,12}})\s*$")
#: Longest grid string echoed back in a message.
_ECHO = 40

_NUMERIC = re.compile(rf"^\s*{_NUMBER}\s*$")


def _number(value: Any) -> Any:
    """Refuse booleans and non-numeric text before pydantic's float check.

    YAML reads ``1e-3`` (no dot) as text, so numeric text is converted; the
    range checks then apply to it like to any number.
    """
    if isinstance(value, bool):
        raise ValueError(f"expected a number, got {str(value).lower()}")
    if isinstance(value, str):
        if len(value) > 64 or not _NUMERIC.match(value):
            raise ValueError(f"expected a number, got {_short(value)!r}")
        return float(value)
    return value


#: A finite number: booleans, NaN, Inf and non-numeric text are refused.
Number = Annotated[float, BeforeValidator(_number), Field(allow_inf_nan=False)]
#: A parameter name.
Name = Annotated[str, Field(min_length=1, max_length=64)]
#: A whole number written as one (not a boolean, a float or a string).
Whole = Annotated[int, Field(strict=True)]


def _short(text: str) -> str:
    return text if len(text) <= _ECHO else text[:_ECHO] + "…"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class GridRange(_Strict):
    """``grid: "lo:hi:n"`` — n evenly spaced values from lo to hi inclusive."""

    grid: str

    @field_validator("grid")
    @classmethod
    def _parse(cls, v: str) -> str:
        m = _GRID.match(v) if len(v) <= 200 else None
        if not m:
            raise ValueError(f"expected 'lo:hi:n' with numbers lo, hi and a count n, "
                             f"got {_short(v)!r}")
        lo, hi, n = float(m.group(1)), float(m.group(2)), int(m.group(3))
        if not (math.isfinite(lo) and math.isfinite(hi)):
            raise ValueError(f"grid bounds must be finite numbers, got {_short(v)!r}")
        if n < 1:
            raise ValueError("a grid needs at least 1 point")
        if n > 1 and not lo < hi:
            raise ValueError(f"grid lo {lo:g} must be below hi {hi:g}")
        return v

    def bounds(self) -> tuple[float, float, int]:
        m = _GRID.match(self.grid)
        assert m is not None
        return float(m.group(1)), float(m.group(2)), int(m.group(3))


class ValueList(_Strict):
    """``values: [a, b, c]`` — these values (a grid axis, or drawn uniformly)."""

    values: list[Number] = Field(min_length=1, max_length=1_000_000)


class Distribution(_Strict):
    """A distribution truncated to the parameter's range (or ``[min, max]`` inside it).

    ``uniform``; ``normal`` with ``mean`` and ``sd``; ``beta`` with ``a`` and
    ``b`` on ``[min, max]``; ``triangular`` with ``mode``.
    """

    dist: Literal["uniform", "normal", "beta", "triangular"]
    min: Number | None = None
    max: Number | None = None
    mean: Number | None = None
    sd: Annotated[Number, Field(gt=0)] | None = None
    a: Annotated[Number, Field(gt=0)] | None = None
    b: Annotated[Number, Field(gt=0)] | None = None
    mode: Number | None = None

    @model_validator(mode="after")
    def _needs(self) -> Distribution:
        need = {"normal": ("mean", "sd"), "beta": ("a", "b"), "triangular": ("mode",),
                "uniform": ()}[self.dist]
        missing = [k for k in need if getattr(self, k) is None]
        if missing:
            raise ValueError(f"a {self.dist} distribution needs {' and '.join(missing)}")
        extra = [k for k in ("mean", "sd", "a", "b", "mode")
                 if k not in need and getattr(self, k) is not None]
        if extra:
            raise ValueError(f"a {self.dist} distribution takes no {' or '.join(extra)}")
        if self.min is not None and self.max is not None and not self.min < self.max:
            raise ValueError(f"min {self.min:g} must be below max {self.max:g}")
        if self.mode is not None:
            if self.min is not None and self.mode < self.min:
                raise ValueError(f"mode {self.mode:g} is below min {self.min:g}")
            if self.max is not None and self.mode > self.max:
                raise ValueError(f"mode {self.mode:g} is above max {self.max:g}")
        return self


def _varied_kind(value: Any) -> str | None:
    """Which form a varied entry takes, from its keys (so errors name one form)."""
    if isinstance(value, dict):
        for key in ("grid", "values", "dist"):
            if key in value:
                return f"{key}-form"
        return None
    forms: dict[type, str] = {GridRange: "grid-form", ValueList: "values-form",
                              Distribution: "dist-form"}
    return forms.get(type(value))


#: Union tags that pydantic inserts into error locations; not part of the file's paths.
VARIED_TAGS = frozenset({"grid-form", "values-form", "dist-form"})


Varied = Annotated[
    Annotated[GridRange, Tag("grid-form")] | Annotated[ValueList, Tag("values-form")]
    | Annotated[Distribution, Tag("dist-form")],
    Discriminator(_varied_kind, custom_error_type="varied_form",
                  custom_error_message="expected a mapping with one of grid, values or dist"),
]


class SweepSpec(_Strict):
    """One sweep."""

    id: str = Field(pattern=r"^[A-Za-z][A-Za-z0-9_.\-]*$", max_length=64)
    scenario: str | None = Field(
        None, max_length=1000,
        description="Bundled scenario id or path (relative to the spec file).")
    analysis: str | None = Field(None, max_length=200, description="Analysis id in the scenario.")
    model: str | None = Field(None, max_length=200,
                              description="Model name, when no analysis is used.")
    preset: str | None = Field(None, max_length=200)
    fixed: dict[Name, Number] = Field(default_factory=dict, max_length=256)
    varied: dict[Name, Varied] = Field(min_length=1, max_length=64)
    sampler: Literal["grid", "random", "lhs", "sobol"] = "random"
    n: Whole = Field(1000, ge=1, le=100_000_000,
                     description="Sample count (base count N for Sobol: N·(k+2) points).")
    seed: Whole = Field(0, ge=0, le=2**63 - 1)
    chunk_size: Whole = Field(100_000, ge=1, le=10_000_000)

    @model_validator(mode="after")
    def _consistent(self) -> SweepSpec:
        if (self.analysis is None) == (self.model is None):
            raise ValueError("give exactly one of analysis or model")
        if self.analysis is not None and self.scenario is None:
            raise ValueError("an analysis needs a scenario")
        if self.model is not None and self.preset is not None and self.scenario is None:
            raise ValueError("a preset needs a scenario")
        both = sorted(set(self.fixed) & set(self.varied))
        if both:
            raise ValueError(f"parameter {both[0]!r} is both fixed and varied")
        kinds = {type(v) for v in self.varied.values()}
        if self.sampler == "grid" and Distribution in kinds:
            raise ValueError("the grid sampler takes grids and value lists, not distributions")
        if self.sampler != "grid" and GridRange in kinds:
            raise ValueError(f"the {self.sampler} sampler takes distributions and value "
                             "lists; use sampler: grid for grids")
        if self.sampler == "sobol" and self.n & (self.n - 1):
            raise ValueError(f"the sobol sampler needs n to be a power of two, got {self.n}")
        return self


class SweepFile(_Strict):
    """A standalone sweep file: ``sweep:`` at the top level."""

    sweep: SweepSpec


def spec_payload(spec: SweepSpec) -> dict[str, Any]:
    """The fields that determine a sweep's results (chunk size excluded)."""
    data = spec.model_dump(mode="json")
    data.pop("chunk_size")
    return data
