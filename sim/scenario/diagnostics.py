"""Located error messages: ``file:line:col: field: what is wrong``.

Messages echo at most :data:`MAX_ECHO` characters of any value taken from
the file, so that a hostile file cannot flood a terminal or a page.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = [
    "MAX_ECHO",
    "MAX_REPORTED",
    "MAX_SUGGESTIONS",
    "Diagnostic",
    "ScenarioError",
    "Suggester",
    "clip",
    "did_you_mean",
    "finite_number",
    "format_path",
    "shown",
]

Path = tuple[str | int, ...]

#: Longest echo of a value in a message, in characters.
MAX_ECHO = 80
#: "Did you mean" look-ups per validated file; the rest go without a suggestion.
MAX_SUGGESTIONS = 5
#: Problems printed per file; a count stands for the rest.
MAX_REPORTED = 200
# Longer words are no typo of an identifier; matching them would cost O(len²) each.
_MAX_WORD = 100
# A message is a sentence or two; anything longer is cut.
_MAX_MESSAGE = 400


def clip(text: str, n: int = MAX_ECHO) -> str:
    """``text`` cut to ``n`` characters, with an ellipsis when cut."""
    return text if len(text) <= n else text[: n - 1] + "…"


def shown(value: Any, n: int = MAX_ECHO) -> str:
    """``repr(value)``, cut to about ``n`` characters, for echoing in a message."""
    if isinstance(value, str) and len(value) > 4 * n:
        value = value[: 4 * n]  # repr of a 900 KB string is not built just to be cut
    return clip(repr(value), n)


def finite_number(text: str) -> float:
    """``text`` as a finite float; a ValueError says what is wrong, after the echoed text."""
    try:
        value = float(text)
    except ValueError:
        raise ValueError("is not a number") from None
    if not math.isfinite(value):
        raise ValueError("is not a finite number")
    return value


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem in a file. ``line`` and ``column`` are 1-based."""

    file: str
    line: int
    column: int
    field: str
    message: str

    def __str__(self) -> str:
        return (f"{self.file}:{self.line}:{self.column}: {clip(self.field, 2 * MAX_ECHO)}: "
                f"{clip(self.message, _MAX_MESSAGE)}")


class ScenarioError(ValueError):
    """A scenario (or sweep specification) file is invalid.

    ``diagnostics`` lists every problem found, in file order.
    """

    def __init__(self, diagnostics: Sequence[Diagnostic]) -> None:
        self.diagnostics = tuple(sorted(diagnostics))
        super().__init__("\n".join(self.lines()))

    def lines(self, limit: int = MAX_REPORTED) -> list[str]:
        """The first ``limit`` problems as lines, then one line counting the rest."""
        out = [str(d) for d in self.diagnostics[:limit]]
        rest = len(self.diagnostics) - limit
        if rest > 0:
            last = self.diagnostics[limit]
            out.append(f"{last.file}:{last.line}:{last.column}: <document>: and {rest:,} more "
                       f"problems (the first {limit} are listed)")
        return out


def format_path(path: Iterable[str | int]) -> str:
    """``("demands", 2, "by")`` -> ``"demands[2].by"``; long keys are cut."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + clip(str(part), 40)
    return out or "<document>"


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` for a close match, else the empty string.

    Linear in the number of choices: ``difflib`` filters each candidate with its
    constant-time and linear bounds before computing a ratio.
    """
    if not isinstance(word, str) or len(word) > _MAX_WORD:
        return ""
    pool = [c for c in choices if isinstance(c, str) and len(c) <= _MAX_WORD]
    close = difflib.get_close_matches(word, pool, n=1, cutoff=0.6)
    if not close:
        lowered = word.lower()
        close = [c for c in pool if c.lower() == lowered][:1]
    return f" (did you mean {shown(close[0])}?)" if close else ""


class Suggester:
    """:func:`did_you_mean` with a budget of look-ups, one instance per file.

    A file with thousands of dangling references then costs a few linear
    look-ups rather than one per reference (quadratic in the file's size).
    """

    def __init__(self, budget: int = MAX_SUGGESTIONS) -> None:
        self.left = budget

    def __call__(self, word: str, choices: Iterable[str]) -> str:
        if self.left <= 0:
            return ""
        self.left -= 1
        return did_you_mean(word, choices)
