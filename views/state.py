"""What the page shows, as plain data: the URL's query parameters and labels.

A shared link carries ``scenario``, ``preset``, ``analysis`` (and ``tab``,
bound by Streamlit), every scenario parameter that differs from the preset
by name (``x=0.8``), and every model parameter of the analysis that the
scenario does not map, as ``m.<name>`` (``m.r_R=0.5``). Values that do not
parse or lie outside their range are dropped and reported, never applied.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from sim.modelkit.aliases import resolve_param_aliases
from sim.modelkit.regime_words import regime_phrase
from sim.modelkit.render import role_names, substitute
from sim.models.base import Model, ParamSpec
from sim.scenario import Scenario
from sim.scenario.compare import analysis_title
from sim.scenario.schema import Analysis, Parameter
from views.view_query import is_view_key

__all__ = [
    "MODEL_PREFIX",
    "QueryState",
    "decode_query",
    "encode_query",
    "format_value",
    "humanise",
    "unmapped_params",
    "parameter_help",
    "choice_labels",
    "CHOICE_UNITS",
    "sentence",
    "model_param_label",
    "scenario_param_label",
    "param_label",
    "analysis_titles",
    "regime_words",
    "actor_names",
    "clip",
]

MODEL_PREFIX = "m."
#: Query keys of the Lessons and Classroom modes, which the explorer does not read.
MODE_KEYS = ("mode", "lesson", "step", "teacher", "student", "join", "game")


@dataclass(frozen=True)
class QueryState:
    """The view a link asks for, with the reasons any part of it was ignored."""

    preset: str | None = None
    analysis: str | None = None
    values: dict[str, float] = field(default_factory=dict)
    model_values: dict[str, float] = field(default_factory=dict)
    ignored: tuple[str, ...] = ()


#: Longest piece of a link echoed back on the page.
MAX_ECHO = 40
#: Most reasons for ignoring parts of a link that are listed one by one.
MAX_IGNORED = 8


def clip(text: object, limit: int = MAX_ECHO) -> str:
    """``text`` on one line, printable, cut to ``limit`` characters."""
    flat = "".join(ch if ch.isprintable() else "?" for ch in " ".join(str(text).split()))
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def format_value(x: float) -> str:
    """Shortest faithful text of a number for a URL (``0.8``, ``3``)."""
    return f"{x:.10g}"


def humanise(name: str, roles: Mapping[str, str] | None = None) -> str:
    """``demand_rejected`` → ``demand rejected``; with ``roles`` (role id → actor
    name), ``challenger_firm`` → ``Russia firm``."""
    for role, actor in sorted((roles or {}).items(), key=lambda kv: -len(kv[0])):
        name = re.sub(rf"(?<![a-z]){re.escape(role)}(?![a-z])", actor, name)
    return name.replace("_", " ")


def unmapped_params(model: Model, analysis: Analysis) -> tuple[ParamSpec, ...]:
    """Scalar model parameters the analysis leaves at the model's defaults."""
    return tuple(s for s in model.params if s.is_scalar and s.name not in analysis.params)


def _number(raw: str) -> float | None:
    try:
        x = float(raw)
    except ValueError:
        return None
    return x if x == x and abs(x) != float("inf") else None


def decode_query(query: Mapping[str, str], scenario: Scenario,
                 model_specs: Mapping[str, Mapping[str, ParamSpec]]) -> QueryState:
    """Read a link's query parameters against ``scenario``.

    ``model_specs`` maps each analysis id to its unmapped model parameters.
    """
    ignored: list[str] = []
    query = {clip(k, 64): v for k, v in query.items()}
    preset = query.get("preset")
    if preset is not None and preset not in {p.id for p in scenario.presets}:
        ignored.append(f"preset={clip(preset)}: no such preset")
        preset = None
    analysis = query.get("analysis")
    if analysis is not None and analysis not in {a.id for a in scenario.analyses}:
        ignored.append(f"analysis={clip(analysis)}: no such analysis")
        analysis = None
    specs = {p.name: p for p in scenario.parameters}
    chosen = analysis or (scenario.analyses[0].id if scenario.analyses else "")
    own = model_specs.get(chosen, {})
    model_name = next((a.model for a in scenario.analyses if a.id == chosen), "")
    values: dict[str, float] = {}
    model_values: dict[str, float] = {}
    for key, raw in query.items():
        if key in ("scenario", "preset", "analysis", "tab", *MODE_KEYS) or is_view_key(key):
            continue
        x = _number(raw) if len(raw) <= 64 else None
        key, shown = clip(key), clip(raw)
        if key.startswith(MODEL_PREFIX):
            # Links written before the neutral names keep working for one release.
            name = resolve_param_aliases(model_name, {key[len(MODEL_PREFIX):]: raw}).popitem()[0]
            spec = own.get(name)
            if spec is None:
                ignored.append(f"{key}: not a parameter of this analysis")
            elif x is None or not spec.lo <= x <= spec.hi:
                ignored.append(f"{key}={shown}: not a number in [{spec.lo:g}, {spec.hi:g}]")
            elif spec.kind == "integer" and x != int(x):
                ignored.append(f"{key}={shown}: not a whole number")
            else:
                model_values[name] = int(x) if spec.kind == "integer" else x
        elif key in specs:
            p = specs[key]
            if x is None or not p.min <= x <= p.max:
                ignored.append(f"{key}={shown}: not a number in [{p.min:g}, {p.max:g}]")
            else:
                values[key] = x
        else:
            ignored.append(f"{key}: unknown parameter")
    if len(ignored) > MAX_IGNORED:
        ignored = [*ignored[:MAX_IGNORED], f"and {len(ignored) - MAX_IGNORED} more"]
    return QueryState(preset, analysis, values, model_values, tuple(ignored))


def encode_query(scenario_id: str, preset: str | None, analysis: str,
                 values: Mapping[str, float], baseline: Mapping[str, float],
                 model_values: Mapping[str, float],
                 model_defaults: Mapping[str, float]) -> dict[str, str]:
    """The query parameters of a link to this view (only what differs is written)."""
    query = {"scenario": scenario_id, "analysis": analysis}
    if preset is not None:
        query["preset"] = preset
    for name, x in values.items():
        if name not in baseline or x != baseline[name]:
            query[name] = format_value(x)
    for name, x in model_values.items():
        if x != model_defaults.get(name):
            query[MODEL_PREFIX + name] = format_value(x)
    return query


def parameter_help(scenario: Scenario, derived_from: list[str], description: str) -> str:
    """Slider help: what the parameter means and the claims it rests on, with sources."""
    claims = {c.id: c for c in scenario.claims}
    lines = [description, ""]
    for cid in derived_from:
        if cid == "analyst" or cid not in claims:
            lines.append("- Source: analyst calibration (no source states this number).")
            continue
        claim = claims[cid]
        try:
            title = scenario.source(claim.source).title
        except KeyError:
            title = claim.source
        lines.append(f"- Claim: “{claim.statement}” — *{title}*")
    return "\n".join(lines)


#: Units of integer parameters that pick one of a few labelled options.
CHOICE_UNITS = ("choice", "switch")


def choice_labels(spec: ParamSpec, names: Mapping[str, str] | None = None) -> dict[int, str] | None:
    """Labels of a choice parameter, from its declared ``options``; ``None`` otherwise.

    ``names`` (display name -> actor name) puts the scenario's actors into
    labels that name a role.
    """
    if not spec.options:
        return None
    lo = int(spec.lo)
    return {lo + k: substitute(label, names or {}) for k, label in enumerate(spec.options)}


def sentence(text: str) -> str:
    """``text`` with its first letter in upper case (the rest untouched)."""
    return text[:1].upper() + text[1:]


def model_param_label(spec: ParamSpec, names: Mapping[str, str] | None = None) -> str:
    """A model parameter as a phrase with its symbol, in actor names:
    ``Russia's cost of war (c_A)``."""
    meaning = substitute(spec.meaning, names or {}) if spec.meaning else humanise(spec.name)
    return f"{sentence(meaning)} ({spec.symbol or spec.name})"


def scenario_param_label(p: Parameter) -> str:
    """A scenario parameter as its label with its symbol: ``Russia's cost of war (c_R)``."""
    if not p.symbol or f"({p.symbol})" in p.label or f" {p.symbol})" in p.label:
        return p.label  # the label already gives its symbol: "… (QRE λ)"
    return f"{p.label} ({p.symbol})"


def param_label(model: Model, analysis: Analysis, scenario_params: Mapping[str, Parameter],
                name: str, names: Mapping[str, str] | None = None) -> str:
    """The words for model parameter ``name`` of ``analysis``: the scenario's label when
    the scenario sets it, else the model's meaning in actor names."""
    source = analysis.params.get(name)
    if isinstance(source, str) and source in scenario_params:
        return scenario_param_label(scenario_params[source])
    return model_param_label(model.param(name), names)


def actor_names(scenario: Scenario, analysis: Analysis, model: Model) -> dict[str, str]:
    """Display name → actor name for the roles ``analysis`` casts (``Challenger`` →
    ``Russia``)."""
    actors = {a.id: a.in_text for a in scenario.actors}
    return role_names(model, {role: actors.get(actor, actor)
                              for role, actor in analysis.roles.items()})


def analysis_titles(scenario: Scenario) -> dict[str, str]:
    """Analysis id → its title in words and in the scenario's actor names."""
    return {a.id: analysis_title(scenario, a) for a in scenario.analyses}


def regime_words(model: str, regime: str, names: Mapping[str, str] | None = None) -> str:
    """A regime in plain words and actor names (see :mod:`sim.modelkit.regime_words`)."""
    return regime_phrase(model, regime, names)
