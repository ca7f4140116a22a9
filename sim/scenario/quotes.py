"""Checking quotes against the text of their sources.

A quote is a short verbatim excerpt. Before comparing, whitespace runs are
folded and typographic quotes, apostrophes and dashes are mapped to plain
ones, so that a quote typed on a plain keyboard matches the published text.
An ellipsis (``...`` or ``…``) inside a quote separates excerpts that must
appear in order.
"""

from __future__ import annotations

import re

__all__ = [
    "MAX_QUOTE_WORDS",
    "normalise",
    "quote_in_normalised",
    "quote_in_text",
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
    return quote_in_normalised(quote, normalise(text))


def quote_in_normalised(quote: str, haystack: str) -> bool:
    """:func:`quote_in_text` on a text already passed through :func:`normalise`."""
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
