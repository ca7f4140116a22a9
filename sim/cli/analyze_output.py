"""What ``coercion analyze`` prints and writes: one run, and the comparison of calibrations."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table

from sim.cli.scenario_cmds import plain
from sim.scenario.binding import AnalysisRun
from sim.scenario.compare import (
    AnalysisComparison,
    PresetComparison,
    agreement_sentences,
    cell_text,
    compare_outcomes,
    move_sentence,
    parameter_words,
)
from sim.scenario.schema import Scenario

__all__ = ["run_json", "comparison_json", "print_comparison", "agreement_summary"]


def agreement_summary(scenario: Scenario, runs: list[AnalysisRun]) -> str:
    """Where the models agree at one calibration, judged on outcome classes."""
    rows = compare_outcomes(scenario, [(r.analysis, r.outcome) for r in runs])
    return " ".join(agreement_sentences(rows, 0))


def run_json(sc: Scenario, r: AnalysisRun) -> dict[str, Any]:
    return {"id": r.analysis.id, "model": r.model.name, "question": r.analysis.question,
            "params": r.bound.params, "outcome": r.outcome.to_dict()}


def comparison_json(sc: Scenario, c: PresetComparison) -> dict[str, Any]:
    """The comparison as plain data: per preset, per analysis, and what moved each change."""
    def analysis(a: AnalysisComparison) -> dict[str, Any]:
        return {
            "id": a.id, "title": a.title, "question": a.question, "model": a.model,
            "readings": {r.preset: {"outcome": r.outcome, "outcome_class": r.outcome_class,
                                    "p_war": None if r.error else r.p_war,
                                    "regime": r.regime, "flags": list(r.flags),
                                    "error": r.error, "text": cell_text(r)}
                         for r in a.readings},
            "class_changes": a.class_changes, "outcome_changes": a.outcome_changes,
            "regime_changes": a.regime_changes, "responds": a.responds,
            "moves": [{"from": m.start, "to": m.end, "changed": list(m.changed),
                       "differing": list(m.differing), "parameters": [list(s) for s in m.sets],
                       "together": m.together, "complete": m.complete, "trials": m.trials,
                       "text": move_sentence(sc, m)} for m in a.moves],
        }

    return {
        "presets": {p: {"name": c.name(p), "agreement": " ".join(c.agreement[k]),
                        "agreement_sentences": list(c.agreement[k])}
                    for k, p in enumerate(c.presets)},
        "analyses": [analysis(a) for a in c.analyses],
        "method": c.method,
    }


def _short(name: str) -> str:
    """A calibration's name without its gloss, for a narrow column: "Hindsight"."""
    return name.split(" (")[0].split(": ")[0]


def _moved_cell(sc: Scenario, c: PresetComparison, a: AnalysisComparison) -> str:
    """Compact "what moved" for the table: the calibrations changed, then the parameters."""
    parts = []
    for m in a.moves:
        sets = " or ".join(" with ".join(parameter_words(sc, n) for n in s) for s in m.sets)
        parts.append(f"{_short(c.name(m.start))} → {_short(c.name(m.end))}: "
                     f"{sets or 'nothing it binds'}"
                     + ("" if m.complete else " (not searched further)"))
    return "\n".join(parts) if parts else "—"


def print_comparison(out: Console, sc: Scenario, c: PresetComparison) -> None:
    table = Table(title=f"{plain(sc.meta.title)}: the analyses under each calibration",
                  show_lines=True)
    table.add_column("analysis (id)", overflow="fold", ratio=3)
    for p in c.presets:
        table.add_column(f"{plain(c.name(p))}", overflow="fold", ratio=2)
    table.add_column("what moved it", overflow="fold", ratio=2)
    for a in c.analyses:
        table.add_row(f"{plain(a.title)}\n[dim]{plain(a.id)}[/dim]",
                      *(plain(cell_text(r)) for r in a.readings), plain(_moved_cell(sc, c, a)))
    out.print(table)
    out.print("[dim]Teaching values, not estimates. Each cell: the most likely outcome and "
              "whether war is likely (P(war) ≥ 0.5), with P(war); P(war) is the probability "
              "of war, disaster or sanctions imposition, as each model defines it.[/dim]\n")
    out.print("[bold]Where the models agree[/bold]")
    for k, p in enumerate(c.presets):
        out.print(f"[bold]{plain(c.name(p))}[/bold]: {plain(' '.join(c.agreement[k]))}")
    moved = [a for a in c.analyses if a.moves]
    out.print(f"\n[bold]What moved[/bold] ({len([a for a in c.analyses if a.responds])} of "
              f"{len(c.analyses)} analyses respond to the calibrations; the war verdict "
              f"changes in {sum(a.class_changes for a in c.analyses)})")
    if not moved:
        out.print("No analysis changes its outcome or regime with the calibration.")
    for a in moved:
        out.print(f"[bold]{plain(a.title)}[/bold] ([dim]{plain(a.id)}[/dim])")
        for m in a.moves:
            before = next(r for r in a.readings if r.preset == m.start)
            after = next(r for r in a.readings if r.preset == m.end)
            out.print(plain(f"  {c.name(m.start)} → {c.name(m.end)}: {cell_text(before)} → "
                            f"{cell_text(after)}" + (f" ({a.regime_words(before.regime)} → "
                                                     f"{a.regime_words(after.regime)})"
                                                     if before.regime
                                                     != after.regime else "")
                            + f"; moved by {move_sentence(sc, m)}"))
