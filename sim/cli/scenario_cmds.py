"""Scenario commands: ``list``, ``validate``, ``show`` and ``schema``.

Everything a scenario file says is printed as plain text: rich markup such
as ``[bold]`` or ``[/x]`` in a name is escaped, never interpreted.
"""

from __future__ import annotations

import json
import sys
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from rich.console import Console

    from sim.scenario import ValidationReport

# rich and the scenario stack (pydantic, YAML) are imported inside the commands,
# so that ``coercion --help`` starts quickly.

__all__ = ["register", "open_scenario", "console", "plain", "EXIT_INVALID", "SourcesOption"]

#: Exit status for invalid input (a malformed file, an unknown name).
EXIT_INVALID = 2

#: The ``--sources`` option of every command that reads a scenario file.
SourcesOption = Annotated[list[Path] | None, typer.Option(
    "--sources", metavar="DIR",
    help="A folder of source texts to check quotes against (repeatable); "
         "replaces COERCION_SOURCES_DIR and the default folder.")]


def console() -> Console:
    """A console that prints no emoji codes and highlights nothing by itself."""
    from rich.console import Console

    return Console(soft_wrap=False, width=160, emoji=False, highlight=False)


def plain(text: object) -> str:
    """``text`` with rich markup escaped, for printing through a console."""
    from rich.markup import escape

    return escape(str(text))


def _out() -> Console:
    return console()


def open_scenario(name: str, sources: list[Path] | None = None) -> ValidationReport:
    """Load a bundled id or a path; on bad input print the errors and exit 2."""
    from sim.scenario import ScenarioError, bundled_scenarios, load_scenario, resolve_scenario
    from sim.scenario.diagnostics import clip

    try:
        return load_scenario(resolve_scenario(name), sources=sources)
    except FileNotFoundError:
        known = ", ".join(bundled_scenarios()) or "none"
        typer.echo(f"{clip(name)}:1:1: <document>: no scenario {clip(repr(name))}: not a "
                   f"file, nor a bundled id ({known})", err=True)
        raise typer.Exit(EXIT_INVALID) from None
    except ScenarioError as exc:
        for line in exc.lines():
            typer.echo(line, err=True)
        raise typer.Exit(EXIT_INVALID) from None


def cmd_list() -> None:
    """List the bundled scenarios."""
    from rich.table import Table

    from sim.scenario import ScenarioError, bundled_scenarios, load_scenario

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
            table.add_row(plain(sid), plain(meta.title), date, plain(path.name))
        except ScenarioError as exc:
            table.add_row(plain(sid), f"(invalid: {len(exc.diagnostics)} errors)", "",
                          plain(path.name))
    _out().print(table)


def cmd_validate(
    files: Annotated[list[Path], typer.Argument(help="Scenario files to validate.")],
    sources: SourcesOption = None,
) -> None:
    """Validate scenario files; every error is printed as file:line:col: field: message."""
    from sim.scenario import ScenarioError, load_scenario

    failed = 0
    for f in files:
        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always", DeprecationWarning)
                report = load_scenario(f, sources=sources)
        except ScenarioError as exc:
            failed += 1
            for line in exc.lines():
                typer.echo(line, err=True)
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
    sources: SourcesOption = None,
) -> None:
    """Print a scenario's actors, demands, concessions, threats and parameters."""
    report = open_scenario(scenario, sources)
    sc = report.scenario
    if as_json:
        json.dump(sc.to_data(), sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
        return
    out = _out()
    out.print(f"[bold]{plain(sc.meta.title)}[/bold]  ({plain(sc.meta.id)})")
    out.print(plain(sc.meta.summary))
    out.print(f"[dim]{plain(report.summary())}[/dim]\n")
    _table(out, "Actors", ("id", "name", "kind", "leaders"), [
        (a.id, a.name, a.kind, ", ".join(f"{ld.name} ({ld.role})" for ld in a.leaders))
        for a in sc.actors])
    _table(out, "Demands", ("id", "by", "to", "issue", "form", "status", "quote"), [
        (d.id, d.by, ", ".join(d.addressed_to), d.issue, d.form, d.status,
         d.quote or "(paraphrase)") for d in sc.demands])
    _table(out, "Concessions", ("id", "by", "to", "issue", "from → to", "status", "quote"), [
        (c.id, c.by, ", ".join(c.to), c.issue, f"{c.from_position:g} → {c.to_position:g}",
         c.status, c.quote or "(paraphrase)") for c in sc.concessions])
    _table(out, "Threats", ("id", "by", "against", "action", "trigger", "quote"), [
        (th.id, th.by, ", ".join(th.against), th.action, th.trigger, th.quote or "(paraphrase)")
        for th in sc.threats])
    _table(out, "Parameters", ("name", "label", "value", "range", "unit", "derived from"), [
        (p.name, p.label, f"{p.value:g}", f"[{p.min:g}, {p.max:g}]", p.unit,
         ", ".join(p.derived_from)) for p in sc.parameters])
    if sc.presets:
        _table(out, "Presets", ("id", "name", "values"), [
            (pr.id, pr.name, ", ".join(f"{k}={v:g}" for k, v in pr.values.items()))
            for pr in sc.presets])


def _table(out: Console, title: str, columns: tuple[str, ...],
           rows: list[tuple[str, ...]]) -> None:
    """Print a table whose every cell is plain text."""
    from rich.table import Table

    t = Table(title=title)
    for col in columns:
        t.add_column(col, overflow="fold")
    for row in rows:
        t.add_row(*(plain(cell) for cell in row))
    out.print(t)


def cmd_schema() -> None:
    """Print the JSON Schema of scenario files."""
    from sim.scenario import scenario_json_schema

    json.dump(scenario_json_schema(), sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")


def register(app: typer.Typer) -> None:
    app.command("list")(cmd_list)
    app.command("validate")(cmd_validate)
    app.command("show")(cmd_show)
    app.command("schema")(cmd_schema)
