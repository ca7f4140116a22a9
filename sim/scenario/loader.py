"""Load and validate scenario files, reporting every error with its location.

>>> from sim.scenario import load_scenario, bundled_scenarios
>>> report = load_scenario(bundled_scenarios()["russia_nato_2022_02"])
>>> report.scenario.meta.id
'russia_nato_2022_02'
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from sim.scenario.diagnostics import Diagnostic, ScenarioError, did_you_mean, format_path
from sim.scenario.pydantic_errors import pydantic_diagnostics
from sim.scenario.quotes import MAX_QUOTE_WORDS, find_source_text, quote_in_text, source_search_dirs
from sim.scenario.references import Problem, check_references
from sim.scenario.safe_yaml import load_located
from sim.scenario.schema import Scenario

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


def load_scenario(path: str | Path, *, check_models: bool = True) -> ValidationReport:
    """Load and validate a scenario file.

    Raises
    ------
    ScenarioError
        Listing every problem as ``file:line:col: field: message``.
    """
    p = Path(path)
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise ScenarioError(
            [Diagnostic(str(path), 1, 1, "<document>", f"cannot read file: {exc.strerror}")]
        ) from None
    return load_scenario_bytes(raw, str(path), base=p, check_models=check_models)


def load_scenario_bytes(
    raw: bytes, name: str, *, base: Path | None = None, check_models: bool = True
) -> ValidationReport:
    """Validate scenario YAML given as bytes (an upload); ``name`` labels messages."""
    located = load_located(raw, name)
    data = located.data
    diagnostics: list[Diagnostic] = []
    if not isinstance(data, Mapping):
        raise ScenarioError([Diagnostic(name, 1, 1, "<document>",
                                        "a scenario must be a mapping of sections")])
    scenario: Scenario | None = None
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        diagnostics.extend(pydantic_diagnostics(exc, located, name, Scenario))
    model_check = _model_checker() if check_models else None
    for path, message, at_key in check_references(data, model_check):
        line, col = located.locate(path, key=at_key)
        diagnostics.append(Diagnostic(name, line, col, format_path(path), message))
    quotes, quote_problems = _check_quotes(data, base)
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
def _model_checker() -> Any:
    """Checks analyses against the model registry, once models are registered.

    Old role keys and parameter names of the alias table are accepted with a
    DeprecationWarning (the CLI prints it as a note).
    """
    from sim.models.aliases import resolve_param_aliases, resolve_role_aliases
    from sim.models.registry import all_models

    models = all_models()
    if not models:
        return None

    def check(item: Mapping[str, Any], path: PathT, scenario_params: set[str]) -> list[Problem]:
        problems: list[Problem] = []
        name = item.get("model")
        if not isinstance(name, str):
            return problems
        if name not in models:
            problems.append(((*path, "model"),
                             f"unknown model {name!r}{did_you_mean(name, models)}", False))
            return problems
        model = models[name]
        roles = item.get("roles")
        if isinstance(roles, Mapping):
            roles = resolve_role_aliases(name, {str(k): v for k, v in roles.items()})
            for role in roles:
                if role not in model.roles:
                    problems.append(((*path, "roles", role),
                                     f"model {name!r} has no role {role!r}"
                                     f"{did_you_mean(str(role), model.roles)}; its roles are "
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
                                     f"model {name!r} has no parameter {pname!r}"
                                     f"{did_you_mean(str(pname), specs)}", True))
                    continue
                spec = specs[pname]
                if isinstance(v, int | float) and not isinstance(v, bool):
                    if not spec.is_scalar:
                        continue
                    if not spec.lo <= v <= spec.hi:
                        problems.append(((*path, "params", pname),
                                         f"{v:g} is outside the model's range "
                                         f"[{spec.lo:g}, {spec.hi:g}]", False))
        return problems

    return check


# -- quotes ---------------------------------------------------------------------
def _check_quotes(
    data: Mapping[str, Any], base: Path | None
) -> tuple[list[QuoteCheck], list[tuple[PathT, str]]]:
    sources: dict[str, Mapping[str, Any]] = {}
    raw_sources = data.get("sources")
    if isinstance(raw_sources, list):
        for s in raw_sources:
            if isinstance(s, Mapping) and isinstance(s.get("id"), str):
                sources[s["id"]] = s
    dirs = source_search_dirs(base)
    texts: dict[str, str | None] = {}
    checks: list[QuoteCheck] = []
    problems: list[tuple[PathT, str]] = []
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
            if isinstance(file_name, str) and sid not in texts:
                texts[sid] = find_source_text(file_name, dirs)
            text = texts.get(sid) if isinstance(file_name, str) else None
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
                                         f"text of source {sid!r} ({file_name}) not found; "
                                         "set COERCION_SOURCES_DIR"))
            elif quote_in_text(quote, text):
                checks.append(QuoteCheck(label, sid, "verified"))
            else:
                problems.append((path, f"quote not found in the text of source {sid!r}: "
                                       f"{_clip(quote)!r}"))
    return checks, problems


def _clip(text: str, n: int = 60) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"
