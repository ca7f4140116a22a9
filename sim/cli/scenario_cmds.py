"""Scenario commands: ``list``, ``validate``, ``show`` and ``schema``."""

from __future__ import annotations

import json
import sys
import warnings
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from sim.scenario import (
    ScenarioError,
    ValidationReport,
    bundled_scenarios,
    load_scenario,
    resolve_scenario,
    scenario_json_schema,
)

__all__ = ["register", "open_scenario", "EXIT_INVALID"]

#: Exit status for invalid input (a malformed file, an unknown name).
EXIT_INVALID = 2


def _out() -> Console:
    return Console(soft_wrap=False, width=160)


def open_scenario(name: str) -> ValidationReport:
    """Load a bundled id or a path; on bad input print the errors and exit 2."""
    try:
        return load_scenario(resolve_scenario(name))
    except FileNotFoundError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(EXIT_INVALID) from None
    except ScenarioError as exc:
        for d in exc.diagnostics:
            typer.echo(str(d), err=True)
        raise typer.Exit(EXIT_INVALID) from None


def cmd_list() -> None:
    """List the bundled scenarios."""
    table = Table(title="Bundled scenarios")
    for col in ("id", "title", "date", "file"):
        table.add_column(col)
    for sid, path in bundled_scenarios().items():
        try:
            meta = load_scenario(path).scenario.meta
            if meta.date is not None:
                date = str(meta.date)
            elif meta.date_range is not None:
                date = f"{meta.date_range.start} – {meta.date_range.end}"
            else:
                date = ""
            table.add_row(sid, meta.title, date, str(path.name))
        except ScenarioError as exc:
            table.add_row(sid, f"(invalid: {len(exc.diagnostics)} errors)", "", str(path.name))
    _out().print(table)


def cmd_validate(
    files: Annotated[list[Path], typer.Argument(help="Scenario files to validate.")],
) -> None:
    """Validate scenario files; every error is printed as file:line:col: field: message."""
    failed = 0
    for f in files:
        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always", DeprecationWarning)
                report = load_scenario(f)
        except ScenarioError as exc:
            failed += 1
            for d in exc.diagnostics:
                typer.echo(str(d), err=True)
            continue
        for note in dict.fromkeys(str(w.message) for w in caught
                                  if issubclass(w.category, DeprecationWarning)):
            typer.echo(f"{f}: note: {note}", err=True)
        typer.echo(f"{f}: valid ({report.summary()})")
    if failed:
        typer.echo(f"{failed} of {len(files)} files invalid", err=True)
        raise typer.Exit(EXIT_INVALID)


def cmd_show(
    scenario: Annotated[str, typer.Argument(help="A bundled scenario id or a path.")],
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
) -> None:
    """Print a scenario's actors, demands, concessions, threats and parameters."""
    report = open_scenario(scenario)
    sc = report.scenario
    if as_json:
        json.dump(sc.to_data(), sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
        return
    out = _out()
    out.print(f"[bold]{sc.meta.title}[/bold]  ({sc.meta.id})")
    out.print(sc.meta.summary)
    out.print(f"[dim]{report.summary()}[/dim]\n")
    t = Table(title="Actors")
    for col in ("id", "name", "kind", "leaders"):
        t.add_column(col)
    for a in sc.actors:
        t.add_row(a.id, a.name, a.kind, ", ".join(f"{ld.name} ({ld.role})" for ld in a.leaders))
    out.print(t)
    t = Table(title="Demands")
    for col in ("id", "by", "to", "issue", "form", "status", "quote"):
        t.add_column(col, overflow="fold")
    for d in sc.demands:
        t.add_row(d.id, d.by, ", ".join(d.addressed_to), d.issue, d.form, d.status,
                  d.quote or "(paraphrase)")
    out.print(t)
    t = Table(title="Concessions")
    for col in ("id", "by", "to", "issue", "from → to", "status", "quote"):
        t.add_column(col, overflow="fold")
    for c in sc.concessions:
        t.add_row(c.id, c.by, ", ".join(c.to), c.issue,
                  f"{c.from_position:g} → {c.to_position:g}", c.status, c.quote or "(paraphrase)")
    out.print(t)
    t = Table(title="Threats")
    for col in ("id", "by", "against", "action", "trigger", "quote"):
        t.add_column(col, overflow="fold")
    for th in sc.threats:
        t.add_row(th.id, th.by, ", ".join(th.against), th.action, th.trigger,
                  th.quote or "(paraphrase)")
    out.print(t)
    t = Table(title="Parameters")
    for col in ("name", "label", "value", "range", "unit", "derived from"):
        t.add_column(col, overflow="fold")
    for p in sc.parameters:
        t.add_row(p.name, p.label, f"{p.value:g}", f"[{p.min:g}, {p.max:g}]", p.unit,
                  ", ".join(p.derived_from))
    out.print(t)
    if sc.presets:
        t = Table(title="Presets")
        for col in ("id", "name", "values"):
            t.add_column(col, overflow="fold")
        for pr in sc.presets:
            t.add_row(pr.id, pr.name, ", ".join(f"{k}={v:g}" for k, v in pr.values.items()))
        out.print(t)


def cmd_schema() -> None:
    """Print the JSON Schema of scenario files."""
    json.dump(scenario_json_schema(), sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")


def register(app: typer.Typer) -> None:
    app.command("list")(cmd_list)
    app.command("validate")(cmd_validate)
    app.command("show")(cmd_show)
    app.command("schema")(cmd_schema)
