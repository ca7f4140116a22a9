"""The scenario format, specified once as pydantic models.

A scenario turns a prose account of a crisis into structured actors, issues,
demands, concessions, threats, events and claims, each tied to a verbatim
quote of its source, plus the parameters, presets and analyses that bind the
crisis to the models. ``coercion schema`` exports this as JSON Schema.

Cross-references (an actor id named in a demand, a claim id named by a
parameter, ...) are checked by :mod:`sim.scenario.references`, which reports
every dangling reference with its location in the file.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from sim.scenario.sources import source_name_problem
from sim.scenario.sweep_spec import SweepSpec

__all__ = [
    "SCHEMA_VERSION",
    "Scenario",
    "Meta",
    "DateRange",
    "Source",
    "Leader",
    "Actor",
    "Issue",
    "Position",
    "Demand",
    "Concession",
    "Threat",
    "Event",
    "Claim",
    "Parameter",
    "Preset",
    "Analysis",
    "scenario_json_schema",
]

SCHEMA_VERSION: Literal[1] = 1

Id = Annotated[
    str,
    Field(
        pattern=r"^[A-Za-z][A-Za-z0-9_.\-]*$",
        max_length=64,
        description="Identifier: a letter, then letters, digits, '_', '-' or '.'.",
    ),
]
#: A number: finite, and written as a number (not ``true``, nor a quoted ``"5"``).
Number = Annotated[float, Field(strict=True, allow_inf_nan=False)]
Unit = Annotated[float, Field(ge=0.0, le=1.0, strict=True, allow_inf_nan=False)]
Text = Annotated[str, Field(min_length=1)]

SourceKind = Literal["opinion", "news", "official", "scholarly", "analyst calibration"]
ActorKind = Literal[
    "state",
    "alliance",
    "international organisation",
    "non-state armed group",
    "domestic public",
]
DemandForm = Literal["legally binding", "political", "unspecified"]
DemandStatus = Literal["unmet", "rejected", "under discussion", "met"]
ConcessionStatus = Literal["made", "offered", "conditional", "refused", "withdrawn"]


def _bare_name(name: str) -> str:
    problem = source_name_problem(name)
    if problem is not None:
        raise ValueError(problem)
    return name


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class DateRange(_Strict):
    """An inclusive range of dates."""

    start: dt.date
    end: dt.date

    @model_validator(mode="after")
    def _ordered(self) -> DateRange:
        if self.end < self.start:
            raise ValueError("end is before start")
        return self


class Meta(_Strict):
    """What the scenario is."""

    id: Id
    title: Text
    summary: Text
    date: dt.date | None = Field(None, description="The crisis date, or use date_range.")
    date_range: DateRange | None = None
    tags: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _one_date(self) -> Meta:
        if self.date is None and self.date_range is None:
            raise ValueError("give a date or a date_range")
        return self


class Source(_Strict):
    """A source that quotes are taken from or numbers are calibrated on."""

    id: Id
    title: Text
    kind: SourceKind
    date: dt.date | None = None
    date_range: DateRange | None = None
    author: str | None = None
    publisher: str | None = None
    url: str | None = Field(None, pattern=r"^https?://\S+$")
    path: Annotated[str, AfterValidator(_bare_name)] | None = Field(
        None,
        description=(
            "Bare file name of the source text, looked up only in the sources folders "
            "(--sources or COERCION_SOURCES_DIR, else the shared seed folder beside the "
            "project, and the bundled scenarios/sources); quotes are checked against it."
        ),
    )
    note: str | None = None


class Leader(_Strict):
    """A leader named in a source."""

    name: Text
    role: Text


class Actor(_Strict):
    """A participant in the crisis."""

    id: Id
    name: Text
    kind: ActorKind
    description: Text
    leaders: list[Leader] = Field(default_factory=list)
    capability: Unit | None = Field(None, description="Relative capability in [0, 1].")
    member_of: list[Id] = Field(
        default_factory=list, description="Alliances or organisations (actor ids) it belongs to.")
    article: Literal["the"] | None = Field(
        None, description="The article the name takes inside a sentence ('the United States').")

    @property
    def in_text(self) -> str:
        """The name as a sentence uses it: ``the United States``, but ``Russia``."""
        return f"{self.article} {self.name}" if self.article else self.name


class Issue(_Strict):
    """An issue dimension on a 0–1 scale with both endpoints labelled."""

    id: Id
    name: Text
    description: Text
    low: Text = Field(description="What position 0 means.")
    high: Text = Field(description="What position 1 means.")


class _Quoted(_Strict):
    quote: str | None = Field(
        None,
        description=(
            "A short verbatim excerpt (at most 40 words) of the source. Required when "
            "the source text is available; otherwise the entry is a paraphrase."
        ),
    )
    source: Id


class Position(_Strict):
    """An actor's position on an issue, and how much the issue matters to it."""

    actor: Id
    issue: Id
    position: Unit
    salience: Unit
    derived_from: list[str] = Field(default_factory=lambda: ["analyst"])
    note: str | None = None


class _Act(_Quoted):
    """Something one actor does, as a source reports it."""

    id: Id
    by: Id


class Demand(_Act):
    """A demand made by one actor of others."""

    addressed_to: list[Id] = Field(min_length=1)
    issue: Id
    position: Unit = Field(description="The position demanded on the issue scale.")
    form: DemandForm
    status: DemandStatus
    summary: Text


class Concession(_Act):
    """A step one actor takes, offers or refuses towards another's demands."""

    to: list[Id] = Field(min_length=1)
    issue: Id
    from_position: Unit = Field(description="Position on the issue before the step.")
    to_position: Unit = Field(description="Position on the issue after the step.")
    status: ConcessionStatus
    summary: Text


class Threat(_Act):
    """A threat or coercive move, with its trigger."""

    against: list[Id] = Field(min_length=1)
    action: Text
    trigger: Text = Field(description="The condition, in words, under which it is carried out.")
    stated_likelihood: Unit | None = Field(
        None, description="The likelihood the source states, if it gives one."
    )


class Event(_Quoted):
    """Something that happened, with its date."""

    id: Id
    date: dt.date
    description: Text
    actors: list[Id] = Field(default_factory=list)


class Claim(_Quoted):
    """An analytic claim of a source that bears on parameters."""

    id: Id
    statement: Text
    about: list[Id] = Field(default_factory=list, description="Actors the claim is about.")


class Parameter(_Strict):
    """A model parameter as the scenario calibrates it."""

    name: Id
    label: Text
    symbol: str | None = None
    value: Number
    min: Number
    max: Number
    step: Number = Field(gt=0)
    unit: Text
    description: Text
    derived_from: list[str] = Field(
        min_length=1, description="Claim ids, or 'analyst' when no source gives the number."
    )

    @model_validator(mode="after")
    def _range(self) -> Parameter:
        if self.min > self.max:
            raise ValueError(f"min {self.min:g} is greater than max {self.max:g}")
        return self


class Preset(_Strict):
    """A named set of parameter values with its rationale."""

    id: Id
    name: Text
    rationale: Text
    values: dict[str, Number]
    sources: list[Id] = Field(default_factory=list)
    claims: list[Id] = Field(default_factory=list)


class Analysis(_Strict):
    """A model applied to the scenario."""

    id: Id
    model: Id
    question: Text
    title: Text | None = Field(
        None,
        description=(
            "A few words that tell this analysis from others of the same model, shown after "
            "the model's title (\"with the demand as stated\")."
        ),
        max_length=80,
    )
    roles: dict[str, Id] = Field(description="Model role -> actor id.")
    params: dict[str, str | Number] = Field(
        default_factory=dict,
        description="Model parameter -> scenario parameter name, or a literal number.",
    )
    issue: Id | None = Field(
        None,
        description=(
            "For spatial models: the issue whose positions give the actors, positions, "
            "capabilities and saliences."
        ),
    )


class Scenario(_Strict):
    """A crisis, encoded for the models."""

    schema_version: Literal[1] = SCHEMA_VERSION
    meta: Meta
    sources: list[Source] = Field(min_length=1)
    actors: list[Actor] = Field(min_length=1)
    issues: list[Issue] = Field(default_factory=list)
    positions: list[Position] = Field(default_factory=list)
    demands: list[Demand] = Field(default_factory=list)
    concessions: list[Concession] = Field(default_factory=list)
    threats: list[Threat] = Field(default_factory=list)
    events: list[Event] = Field(default_factory=list)
    claims: list[Claim] = Field(default_factory=list)
    parameters: list[Parameter] = Field(default_factory=list)
    presets: list[Preset] = Field(default_factory=list)
    default_preset: Id | None = None
    analyses: list[Analysis] = Field(default_factory=list)
    sweeps: list[SweepSpec] = Field(
        default_factory=list, description="Parameter sweeps over the analyses.")

    # -- lookups ------------------------------------------------------------
    def actor(self, actor_id: str) -> Actor:
        return _by_id(self.actors, actor_id, "actor")

    def source(self, source_id: str) -> Source:
        return _by_id(self.sources, source_id, "source")

    def preset(self, preset_id: str) -> Preset:
        return _by_id(self.presets, preset_id, "preset")

    def parameter_values(self, preset: str | None = None) -> dict[str, float]:
        """Parameter values, overridden by ``preset`` (or the default preset)."""
        values = {p.name: p.value for p in self.parameters}
        chosen = preset if preset is not None else self.default_preset
        if chosen is not None:
            values.update(self.preset(chosen).values)
        return values

    def to_data(self) -> dict[str, Any]:
        """Plain data as it would be written to YAML (aliases used, defaults kept)."""
        return self.model_dump(mode="json", by_alias=True, exclude_none=True)


def _by_id(items: list[Any], key: str, what: str) -> Any:
    for item in items:
        if getattr(item, "id", None) == key:
            return item
    raise KeyError(f"unknown {what} {key!r}")


def scenario_json_schema() -> dict[str, Any]:
    """The JSON Schema of a scenario file."""
    schema = Scenario.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "coercion-sim scenario"
    return schema
