"""``coercion analyze``: run every analysis of a scenario and explain the outcomes."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Annotated, Any

import typer

from sim.cli.scenario_cmds import EXIT_INVALID, SourcesOption, console, open_scenario, plain

if TYPE_CHECKING:
    from sim.scenario.binding import AnalysisRun
    from sim.scenario.schema import Scenario

__all__ = ["register", "parse_assignments"]

#: Longest name of a parameter or preset (identifiers of the scenario format).
MAX_NAME = 64


def parse_assignments(items: list[str]) -> dict[str, float]:
    """``["p=0.6", "c_R=0.2"]`` -> ``{"p": 0.6, "c_R": 0.2}``; raises BindingError."""
    from sim.scenario.binding import BindingError
    from sim.scenario.diagnostics import finite_number, shown

    out: dict[str, float] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise BindingError(f"--set {shown(item)}: expected name=value")
        if len(name.strip()) > MAX_NAME:
            raise BindingError(f"--set {shown(item)}: the name is not a parameter name")
        try:
            out[name.strip()] = finite_number(value)
        except ValueError as e:
            raise BindingError(f"--set {shown(item)}: {shown(value)} {e}") from None
    return out


def _runs(scenario: Scenario, preset: str | None, overrides: dict[str, float]) -> list[AnalysisRun]:
    from sim.scenario.binding import run_analyses, scenario_values

    return run_analyses(scenario, scenario_values(scenario, preset, overrides))


def cmd_analyze(
    scenario: Annotated[str, typer.Argument(help="A bundled scenario id or a path.")],
    preset: Annotated[str | None, typer.Option(help="Preset id (default: the scenario's).")] = None,
    set_: Annotated[list[str] | None, typer.Option(
        "--set", help="Override a scenario parameter: name=value (repeatable).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
    compare: Annotated[bool, typer.Option(
        "--compare-presets",
        help="Tabulate outcome and P(war) by analysis for the article, skeptical and "
             "hindsight presets (else every preset), say which parameters move each change, "
             "and where the models agree.")] = False,
    sources: SourcesOption = None,
) -> None:
    """Run every analysis of a scenario and print its outcome and explanation."""
    # Loaded here, not at import, so that ``coercion --help`` starts fast.
    from sim.cli.analyze_output import (
        agreement_summary,
        comparison_json,
        print_comparison,
        run_json,
    )
    from sim.models.base import ModelError
    from sim.scenario.binding import BindingError
    from sim.scenario.compare import compare_presets, compared_presets
    from sim.scenario.diagnostics import clip, shown

    report = open_scenario(scenario, sources)
    sc = report.scenario
    try:
        if preset is not None and len(preset) > MAX_NAME:
            raise BindingError(f"--preset {shown(preset)}: no preset has so long a name")
        overrides = parse_assignments(set_ or [])
        if compare:
            comparison = compare_presets(sc, compared_presets(sc), overrides)
        else:
            name = preset or sc.default_preset or "defaults"
            runs = _runs(sc, preset, overrides)
    except (BindingError, ModelError) as exc:
        typer.echo(f"error: {clip(str(exc), 400)}", err=True)
        raise typer.Exit(EXIT_INVALID) from None
    if as_json:
        payload: dict[str, Any] = {"scenario": sc.meta.id, "overrides": overrides}
        if compare:
            payload.update(comparison_json(sc, comparison))
        else:
            payload["presets"] = {name: {
                "agreement": agreement_summary(sc, runs),
                "analyses": [run_json(sc, r) for r in runs]}}
        json.dump(payload, sys.stdout, indent=2, ensure_ascii=False, default=str)
        sys.stdout.write("\n")
        return
    out = console()
    if compare:
        print_comparison(out, sc, comparison)
        return
    out.print(f"[bold]{plain(sc.meta.title)}[/bold] — preset: {plain(name)}"
              + (f"; overrides: {plain(overrides)}" if overrides else ""))
    out.print("[dim]Teaching values, not estimates.[/dim]\n")
    for r in runs:
        o = r.outcome
        out.print(f"[bold]{plain(r.analysis.id)}[/bold] ({plain(r.model.title)})")
        out.print(f"  Q: {plain(r.analysis.question)}")
        flags = [k for k, v in vars(o.flags).items() if v]
        out.print(plain(f"  Outcome: {o.outcome}   regime: {o.regime}   P(war): {o.p_war:.3f}"
                        + (f"   flags: {', '.join(flags)}" if flags else "")))
        out.print(f"  {plain(o.explanation)}\n")
    out.print(plain(agreement_summary(sc, runs)))


def register(app: typer.Typer) -> None:
    app.command("analyze")(cmd_analyze)
