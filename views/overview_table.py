"""Pure builders of the Overview tab: the readings side by side, what moved, and agreement.

Everything here is plain data and words from :mod:`sim.scenario.compare`; no
identifier of the scenario file is shown.
"""

from __future__ import annotations

import pandas as pd

from sim.scenario.compare import (
    AnalysisComparison,
    Move,
    PresetComparison,
    cell_text,
    move_sentence,
)
from sim.scenario.schema import Scenario

__all__ = ["ANALYSIS", "MOVED", "overview_frame", "moved_words", "change_lines",
           "agreement_lines", "regime_words"]

ANALYSIS = "Analysis"
MOVED = "What moved it"


def regime_words(a: AnalysisComparison, regime: str) -> str:
    """A regime in words, with the analysis's actors for its roles."""
    return a.regime_words(regime)


def moved_words(scenario: Scenario, c: PresetComparison, move: Move) -> str:
    """The parameters that moved one change, by label: ``Prior that Russia is resolved``."""
    labels = {p.name: p.label for p in scenario.parameters}
    if not move.sets:
        return "none of its parameters"
    sets = [" and ".join(labels.get(n, n) for n in s) for s in move.sets]
    text = " or ".join(sets)
    return text + (" (together)" if move.together else "")


def _moved_cell(scenario: Scenario, c: PresetComparison, a: AnalysisComparison) -> str:
    """The parameters that move the analysis, by label (the list below says how)."""
    if not a.moves:
        return "Only P(war) changes" if a.responds else "No change"
    if len(a.moves) == 1 or len({m.sets for m in a.moves}) == 1:
        return moved_words(scenario, c, a.moves[0])
    labels = {p.name: p.label for p in scenario.parameters}
    names = dict.fromkeys(n for m in a.moves for s in m.sets for n in s)
    return ", ".join(labels.get(n, n) for n in names)


def overview_frame(scenario: Scenario, c: PresetComparison) -> pd.DataFrame:
    """One row per analysis: its title, one column per calibration, and what moved it."""
    records = []
    for a in c.analyses:
        row = {ANALYSIS: a.title}
        for p in c.presets:
            row[c.short_name(p)] = cell_text(a.reading(p))
        row[MOVED] = _moved_cell(scenario, c, a)
        row["Question"] = a.question
        records.append(row)
    return pd.DataFrame(records)


def change_lines(scenario: Scenario, c: PresetComparison) -> list[tuple[str, list[str]]]:
    """Per analysis that changes, its title and one sentence per change with its movers."""
    out = []
    for a in c.analyses:
        lines = []
        for m in a.moves:
            before, after = a.reading(m.start), a.reading(m.end)
            regime = ("" if before.regime == after.regime else
                      f" (from {regime_words(a, before.regime)} to "
                      f"{regime_words(a, after.regime)})")
            lines.append(f"{c.short_name(m.start)} to {c.short_name(m.end)}: "
                         f"{cell_text(before)} becomes {cell_text(after)}{regime}. Moved by "
                         f"{move_sentence(scenario, m)}")
        if lines:
            out.append((a.title, lines))
    return out


def agreement_lines(c: PresetComparison) -> list[tuple[str, tuple[str, ...]]]:
    """(calibration name, the sentences saying where the models agree under it)."""
    return [(c.name(p), c.agreement[k]) for k, p in enumerate(c.presets)]
