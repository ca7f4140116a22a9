"""``coercion analyze``: run every analysis of a scenario and explain the outcomes."""

from __future__ import annotations

import json
import math
import sys
from collections import Counter
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from sim.cli.scenario_cmds import EXIT_INVALID, SourcesOption, console, open_scenario, plain
from sim.models.base import ModelError
from sim.scenario.binding import AnalysisRun, BindingError, run_analyses, scenario_values
from sim.scenario.diagnostics import clip, shown
from sim.scenario.schema import Scenario

__all__ = ["register", "parse_assignments", "compare_presets", "agreement_summary"]

#: Longest name of a parameter or preset (identifiers of the scenario format).
MAX_NAME = 64
#: Presets compared by ``--compare-presets``, when the scenario has them.
COMPARED = ("article", "skeptical", "hindsight")


def parse_assignments(items: list[str]) -> dict[str, float]:
    """``["p=0.6", "c_R=0.2"]`` -> ``{"p": 0.6, "c_R": 0.2}``; raises BindingError."""
    out: dict[str, float] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise BindingError(f"--set {shown(item)}: expected name=value")
        if len(name.strip()) > MAX_NAME:
            raise BindingError(f"--set {shown(item)}: the name is not a parameter name")
        try:
            number = float(value)
        except ValueError:
            raise BindingError(f"--set {shown(item)}: {shown(value)} is not a number") from None
        if not math.isfinite(number):
            raise BindingError(f"--set {shown(item)}: {shown(value)} is not a finite number")
        out[name.strip()] = number
    return out


def _runs(scenario: Scenario, preset: str | None, overrides: dict[str, float]) -> list[AnalysisRun]:
    return run_analyses(scenario, scenario_values(scenario, preset, overrides))


def _is_war(run: AnalysisRun) -> bool:
    return run.outcome.p_war >= 0.5


def agreement_summary(runs: list[AnalysisRun]) -> str:
    """Where the models agree and disagree, in one or two sentences."""
    war_models = [r.analysis.id for r in runs if r.model.family != "spatial" and _is_war(r)]
    relevant = [r for r in runs if r.model.family != "spatial"]
    n = len(relevant)
    if not n:
        return "No analysis predicts war or peace."
    if not war_models:
        return f"All {n} models agree: war is not the likely outcome (P(war) < 0.5 in each)."
    if len(war_models) == n:
        return f"All {n} models agree: war is the likely outcome (P(war) ≥ 0.5 in each)."
    return (f"The models disagree: {len(war_models)} of {n} make war the likely outcome "
            f"({', '.join(war_models)}); the others do not.")


def compare_presets(scenario: Scenario, presets: list[str]) -> dict[str, list[AnalysisRun]]:
    return {p: _runs(scenario, p, {}) for p in presets}


def cmd_analyze(
    scenario: Annotated[str, typer.Argument(help="A bundled scenario id or a path.")],
    preset: Annotated[str | None, typer.Option(help="Preset id (default: the scenario's).")] = None,
    set_: Annotated[list[str] | None, typer.Option(
        "--set", help="Override a scenario parameter: name=value (repeatable).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
    compare: Annotated[bool, typer.Option(
        "--compare-presets",
        help="Tabulate P(war) and outcome by model for the article, skeptical and hindsight "
             "presets, and say where the models agree.")] = False,
    sources: SourcesOption = None,
) -> None:
    """Run every analysis of a scenario and print its outcome and explanation."""
    report = open_scenario(scenario, sources)
    sc = report.scenario
    try:
        if preset is not None and len(preset) > MAX_NAME:
            raise BindingError(f"--preset {shown(preset)}: no preset has so long a name")
        overrides = parse_assignments(set_ or [])
        if compare:
            chosen = [p for p in COMPARED if p in {x.id for x in sc.presets}]
            if len(chosen) < 2:
                chosen = [p.id for p in sc.presets]
            results = {p: _runs(sc, p, overrides) for p in chosen}
        else:
            results = {preset or sc.default_preset or "defaults": _runs(sc, preset, overrides)}
    except (BindingError, ModelError) as exc:
        typer.echo(f"error: {clip(str(exc), 400)}", err=True)
        raise typer.Exit(EXIT_INVALID) from None
    if as_json:
        payload: dict[str, Any] = {
            "scenario": sc.meta.id,
            "overrides": overrides,
            "presets": {
                p: {"agreement": agreement_summary(runs),
                    "analyses": [{"id": r.analysis.id, "model": r.model.name,
                                  "question": r.analysis.question,
                                  "params": r.bound.params,
                                  "outcome": r.outcome.to_dict()} for r in runs]}
                for p, runs in results.items()
            },
        }
        json.dump(payload, sys.stdout, indent=2, ensure_ascii=False, default=str)
        sys.stdout.write("\n")
        return
    out = console()
    if compare:
        _print_comparison(out, sc, results)
        return
    ((name, runs),) = results.items()
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
    out.print(plain(agreement_summary(runs)))


def _print_comparison(out: Console, sc: Scenario, results: dict[str, list[AnalysisRun]]) -> None:
    names = {p.id: p.name for p in sc.presets}
    table = Table(title=f"{plain(sc.meta.title)}: the models under each calibration",
                  show_lines=False)
    table.add_column("analysis")
    table.add_column("model")
    for p in results:
        table.add_column(f"{plain(names.get(p, p))}\noutcome", overflow="fold")
        table.add_column("P(war)", justify="right")
    first = next(iter(results.values()))
    for i, r in enumerate(first):
        row = [r.analysis.id, r.model.name]
        for runs in results.values():
            o = runs[i].outcome
            row += [o.outcome, f"{o.p_war:.2f}"]
        table.add_row(*(plain(cell) for cell in row))
    out.print(table)
    out.print("[dim]Teaching values, not estimates. P(war) is the probability of war, "
              "disaster or sanctions imposition, as each model defines it.[/dim]\n")
    for p, runs in results.items():
        out.print(f"[bold]{plain(names.get(p, p))}[/bold]: {plain(agreement_summary(runs))}")
    flips = _flips(results)
    if flips:
        out.print("\nModels whose prediction changes with the calibration: "
                  + plain(", ".join(flips)))
    else:
        out.print("\nNo model's prediction (war or not) changes with the calibration.")


def _flips(results: dict[str, list[AnalysisRun]]) -> list[str]:
    verdicts: dict[str, Counter[bool]] = {}
    for runs in results.values():
        for r in runs:
            verdicts.setdefault(r.analysis.id, Counter())[_is_war(r)] += 1
    return [aid for aid, c in verdicts.items() if len(c) > 1]


def register(app: typer.Typer) -> None:
    app.command("analyze")(cmd_analyze)
