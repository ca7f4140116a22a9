"""Checking quotes against the text of their sources.

A quote is a short verbatim excerpt. Before comparing, whitespace runs are
folded and typographic quotes, apostrophes and dashes are mapped to plain
ones, so that a quote typed on a plain keyboard matches the published text.
An ellipsis (``...`` or ``…``) inside a quote separates excerpts that must
appear in order.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path

__all__ = [
    "MAX_QUOTE_WORDS",
    "normalise",
    "quote_in_text",
    "source_search_dirs",
    "find_source_text",
]

MAX_QUOTE_WORDS = 40

_TRANSLATE = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u00ab": '"', "\u00bb": '"',
    "\u2013": "-", "\u2014": "-", "\u2212": "-",
    "\u00a0": " ", "\u2009": " ", "\u202f": " ",
})
_ELLIPSIS = re.compile(r"\s*(?:\.\.\.|\u2026|\[\.\.\.\])\s*")
_SPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Fold whitespace and typographic punctuation."""
    return _SPACE.sub(" ", text.translate(_TRANSLATE)).strip()


def quote_in_text(quote: str, text: str) -> bool:
    """True if every ellipsis-separated part of ``quote`` occurs in order in ``text``."""
    haystack = normalise(text)
    start = 0
    parts = [p for p in _ELLIPSIS.split(quote.translate(_TRANSLATE)) if p.strip()]
    if not parts:
        return False
    for part in parts:
        needle = normalise(part)
        found = haystack.find(needle, start)
        if found < 0:
            return False
        start = found + len(needle)
    return True


def source_search_dirs(scenario_file: Path | None = None) -> list[Path]:
    """Where source texts are looked for.

    ``COERCION_SOURCES_DIR`` (``os.pathsep``-separated) when it is set;
    otherwise the shared seed folder beside the project checkout
    (``../shared/seed``), found from the scenario file's location and from
    this package's location.
    """
    env = os.environ.get("COERCION_SOURCES_DIR", "")
    if env.strip():
        return _unique([Path(d) for d in env.split(os.pathsep) if d])
    dirs: list[Path] = []
    anchors: list[Path] = [Path(__file__).resolve().parents[2]]
    if scenario_file is not None:
        anchors.insert(0, scenario_file.resolve().parent)
    for anchor in anchors:
        for base in (anchor, *anchor.parents):
            candidate = base.parent / "shared" / "seed"
            if candidate.is_dir():
                dirs.append(candidate)
                break
    return _unique(dirs)


def find_source_text(path_name: str, dirs: Iterable[Path]) -> str | None:
    """The text of source file ``path_name`` in the first dir holding it."""
    for d in dirs:
        candidate = d / path_name
        if candidate.is_file():
            return candidate.read_text(encoding="utf-8", errors="replace")
    return None


def _unique(paths: list[Path]) -> list[Path]:
    seen: set[Path] = set()
    out = []
    for p in paths:
        key = p.resolve() if p.exists() else p
        if key not in seen:
            seen.add(key)
            out.append(p)
    return out
