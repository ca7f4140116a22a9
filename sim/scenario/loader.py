"""Load and validate scenario files, reporting every error with its location.

>>> from sim.scenario import load_scenario, bundled_scenarios
>>> report = load_scenario(bundled_scenarios()["russia_nato_2022_02"])
>>> report.scenario.meta.id
'russia_nato_2022_02'
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeGuard

from pydantic import ValidationError

from sim.scenario.diagnostics import Diagnostic, ScenarioError, Suggester, format_path, shown
from sim.scenario.files import UnreadableFile, read_bounded
from sim.scenario.pydantic_errors import pydantic_diagnostics
from sim.scenario.quotes import MAX_QUOTE_WORDS, normalise, quote_in_normalised
from sim.scenario.references import Problem, check_references
from sim.scenario.safe_yaml import MAX_BYTES, load_located
from sim.scenario.schema import Scenario
from sim.scenario.sources import find_source_text, source_name_problem, sources_dirs

__all__ = ["ValidationReport", "QuoteCheck", "load_scenario", "load_scenario_bytes"]

PathT = tuple[str | int, ...]
_QUOTED = ("demands", "concessions", "threats", "events", "claims")


@dataclass(frozen=True)
class QuoteCheck:
    """The result of checking one quote against its source."""

    path: str
    source: str
    status: str  # "verified" | "skipped" | "paraphrase"
    reason: str = ""


@dataclass(frozen=True)
class ValidationReport:
    """A valid scenario, with the outcome of every quote check."""

    file: str
    scenario: Scenario
    quotes: tuple[QuoteCheck, ...] = field(default=())

    @property
    def verified(self) -> int:
        return sum(q.status == "verified" for q in self.quotes)

    @property
    def skipped(self) -> tuple[QuoteCheck, ...]:
        return tuple(q for q in self.quotes if q.status == "skipped")

    def summary(self) -> str:
        n_para = sum(q.status == "paraphrase" for q in self.quotes)
        parts = [f"{self.verified} quotes verified against their sources"]
        if self.skipped:
            reasons = sorted({q.reason for q in self.skipped})
            parts.append(f"{len(self.skipped)} quote checks skipped ({'; '.join(reasons)})")
        if n_para:
            parts.append(f"{n_para} paraphrased entries without quotes")
        return ", ".join(parts)


def load_scenario(
    path: str | Path, *, sources: Sequence[str | Path] | None = None, check_models: bool = True
) -> ValidationReport:
    """Load and validate a scenario file.

    Only a regular file is read, and at most 1 MiB of it. Quotes are checked
    against source texts in ``sources`` (folders), else the configured sources
    folders (see :mod:`sim.scenario.sources`).

    Raises
    ------
    ScenarioError
        Listing every problem as ``file:line:col: field: message``.
    """
    name = str(path)
    try:
        raw = read_bounded(path, MAX_BYTES)
    except UnreadableFile as exc:
        message = (f"file is {exc.size:,} bytes; the limit is {MAX_BYTES:,} (1 MiB)"
                   if exc.size is not None else exc.reason)
        raise ScenarioError([Diagnostic(name, 1, 1, "<document>", message)]) from None
    return load_scenario_bytes(raw, name, sources=sources, check_models=check_models)


def load_scenario_bytes(
    raw: bytes, name: str, *, sources: Sequence[str | Path] | None = None,
    check_models: bool = True,
) -> ValidationReport:
    """Validate scenario YAML given as bytes (an upload); ``name`` labels messages.

    Nothing but the configured sources folders is read, whatever the file says.
    """
    located = load_located(raw, name)
    data = located.data
    diagnostics: list[Diagnostic] = []
    if not isinstance(data, Mapping):
        raise ScenarioError([Diagnostic(name, 1, 1, "<document>",
                                        "a scenario must be a mapping of sections")])
    suggest = Suggester()
    scenario: Scenario | None = None
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        diagnostics.extend(pydantic_diagnostics(exc, located, name, Scenario, suggest))
    model_check = _model_checker(data, suggest) if check_models else None
    for path, message, at_key in check_references(data, model_check, suggest):
        line, col = located.locate(path, key=at_key)
        diagnostics.append(Diagnostic(name, line, col, format_path(path), message))
    quotes, quote_problems = _check_quotes(data, sources_dirs(sources))
    for path, message in quote_problems:
        line, col = located.locate(path)
        diagnostics.append(Diagnostic(name, line, col, format_path(path), message))
    if diagnostics or scenario is None:
        raise ScenarioError(_dedupe(diagnostics))
    return ValidationReport(file=name, scenario=scenario, quotes=tuple(quotes))


def _dedupe(diags: list[Diagnostic]) -> list[Diagnostic]:
    seen: set[tuple[str, str]] = set()
    out = []
    for d in sorted(diags):
        if (d.field, d.message) not in seen:
            seen.add((d.field, d.message))
            out.append(d)
    return out


# -- models ---------------------------------------------------------------------
def _finite(v: Any) -> TypeGuard[float]:
    return isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)


def _param_ranges(data: Mapping[str, Any]) -> dict[str, tuple[int, float, float]]:
    """Scenario parameter name -> (index, min, max), for well-formed entries."""
    out: dict[str, tuple[int, float, float]] = {}
    items = data.get("parameters")
    for i, item in enumerate(items if isinstance(items, list) else []):
        if not isinstance(item, Mapping) or not isinstance(item.get("name"), str):
            continue
        lo, hi = item.get("min"), item.get("max")
        if _finite(lo) and _finite(hi) and lo <= hi:
            out.setdefault(item["name"], (i, float(lo), float(hi)))
    return out


def _model_checker(
    data: Mapping[str, Any], suggest: Callable[[str, Iterable[str]], str]
) -> Callable[[Mapping[str, Any], PathT, set[str]], list[Problem]]:
    """Checks analyses against the model registry.

    Besides names and roles, a scenario parameter bound to a model parameter
    must range within the model's range, so that no slider can leave it.
    Old role keys and parameter names of the alias table are accepted with a
    DeprecationWarning (the CLI prints it as a note).
    """
    from sim.modelkit.aliases import resolve_param_aliases, resolve_role_aliases
    from sim.models.registry import all_models

    models = all_models()
    ranges = _param_ranges(data)

    def check(item: Mapping[str, Any], path: PathT, scenario_params: set[str]) -> list[Problem]:
        problems: list[Problem] = []
        name = item.get("model")
        if not isinstance(name, str):
            return problems
        if name not in models:
            problems.append(((*path, "model"),
                             f"unknown model {shown(name)}{suggest(name, models)}", False))
            return problems
        model = models[name]
        roles = item.get("roles")
        if isinstance(roles, Mapping):
            roles = resolve_role_aliases(name, {str(k): v for k, v in roles.items()})
            for role in roles:
                if role not in model.roles:
                    problems.append(((*path, "roles", role),
                                     f"model {name!r} has no role {shown(role)}"
                                     f"{suggest(str(role), model.roles)}; its roles are "
                                     f"{', '.join(model.roles)}", True))
            for role in model.roles:
                if role not in roles:
                    problems.append(((*path, "roles"),
                                     f"role {role!r} of model {name!r} is not assigned an actor",
                                     False))
        mapping = item.get("params")
        if isinstance(mapping, Mapping):
            mapping = resolve_param_aliases(name, {str(k): v for k, v in mapping.items()})
            specs = {s.name: s for s in model.params}
            for pname, v in mapping.items():
                if pname not in specs:
                    problems.append(((*path, "params", pname),
                                     f"model {name!r} has no parameter {shown(pname)}"
                                     f"{suggest(str(pname), specs)}", True))
                    continue
                spec = specs[pname]
                if not spec.is_scalar:
                    continue
                if _finite(v):
                    if not spec.lo <= v <= spec.hi:
                        problems.append(((*path, "params", pname),
                                         f"{v:g} is outside the model's range "
                                         f"[{spec.lo:g}, {spec.hi:g}]", False))
                elif isinstance(v, str) and v in ranges:
                    _, lo, hi = ranges[v]
                    if lo < spec.lo or hi > spec.hi:
                        problems.append(((*path, "params", pname),
                                         f"scenario parameter {v!r} ranges over [{lo:g}, {hi:g}],"
                                         f" beyond the range [{spec.lo:g}, {spec.hi:g}] of "
                                         f"parameter {pname!r} of model {name!r}", False))
        return problems

    return check


# -- quotes ---------------------------------------------------------------------
def _check_quotes(
    data: Mapping[str, Any], dirs: Sequence[Path]
) -> tuple[list[QuoteCheck], list[tuple[PathT, str]]]:
    """Check every quote against its source's text, read only from ``dirs``."""
    sources: dict[str, Mapping[str, Any]] = {}
    texts: dict[str, str | None] = {}
    problems: list[tuple[PathT, str]] = []
    raw_sources = data.get("sources")
    for i, s in enumerate(raw_sources if isinstance(raw_sources, list) else []):
        if not isinstance(s, Mapping) or not isinstance(s.get("id"), str):
            continue
        sid = s["id"]
        sources.setdefault(sid, s)
        file_name = s.get("path")
        if sid in texts or not isinstance(file_name, str) or source_name_problem(file_name):
            continue  # a bad name is reported by the schema, and never looked up
        found = find_source_text(file_name, dirs)
        texts[sid] = None if found.text is None else normalise(found.text)
        if found.problem:
            problems.append((("sources", i, "path"), found.problem))
    checks: list[QuoteCheck] = []
    for section in _QUOTED:
        items = data.get(section)
        if not isinstance(items, list):
            continue
        for i, item in enumerate(items):
            if not isinstance(item, Mapping):
                continue
            sid = item.get("source")
            if not isinstance(sid, str) or sid not in sources:
                continue  # reported as a dangling reference
            src = sources[sid]
            quote = item.get("quote")
            path: PathT = (section, i, "quote")
            label = format_path(path)
            file_name = src.get("path")
            text = texts.get(sid)
            if quote is None:
                if text is not None:
                    problems.append(((section, i),
                                     f"quote is required: the text of source {sid!r} is available"))
                else:
                    checks.append(QuoteCheck(label, sid, "paraphrase"))
                continue
            if not isinstance(quote, str):
                continue  # reported by the schema
            words = len(quote.split())
            if words > MAX_QUOTE_WORDS:
                problems.append((path, f"quote has {words} words; a quote is a short excerpt "
                                       f"of at most {MAX_QUOTE_WORDS}"))
                continue
            if not isinstance(file_name, str):
                checks.append(QuoteCheck(label, sid, "skipped", "source has no text file"))
            elif text is None:
                checks.append(QuoteCheck(label, sid, "skipped",
                                         f"text of source {sid!r} ({shown(file_name)}) not "
                                         "found; set COERCION_SOURCES_DIR or use --sources"))
            elif quote_in_normalised(quote, text):
                checks.append(QuoteCheck(label, sid, "verified"))
            else:
                problems.append((path, f"quote not found in the text of source {sid!r}: "
                                       f"{shown(quote, 60)}"))
    return checks, problems
