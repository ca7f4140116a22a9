"""Reading the comparisons an explanation states, to check them against its numbers.

An explanation says things such as "π = 0.20 is at least μ* = 0.62" or "κ exceeds
κ* = 0.31 by 0.09". :func:`stated_relations` finds each such comparison whose two
sides are printed numbers and :func:`false_relations` returns those that do not
hold for the numbers as printed, which are the numbers a reader checks.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["Relation", "stated_relations", "false_relations"]

_NUM = r"(?<![\w.^/])[−-]?\d+(?:\.\d+)?(?![\w.]*[A-Za-z_(])"
_Cmp = Callable[[float, float], bool]

#: Words of a comparison → the relation it claims between the number before and the
#: number after.
_WORDS: tuple[tuple[str, _Cmp], ...] = (
    (r"is at or below", operator.le),
    (r"is at or above", operator.ge),
    (r"is not less than|not less than", operator.ge),
    (r"is no more than|no more than", operator.le),
    (r"is at least|at least", operator.ge),
    (r"is at most|at most", operator.le),
    (r"is below|lies below|fell below|below", operator.lt),
    (r"is above|lies above|rose above|above", operator.gt),
    (r"is larger than|larger than|is greater than|greater than|more than", operator.gt),
    (r"is smaller than|smaller than|is less than|less than", operator.lt),
    (r"exceeds|beats", operator.gt),
    (r"meets|equals|is exactly", operator.ge),
    (r"≤", operator.le),
    (r"≥", operator.ge),
    (r"<", operator.lt),
    (r">", operator.gt),
)
_REL = "|".join(f"(?:{w})" for w, _ in _WORDS)
# "a (...) REL ... b": a number, an optional parenthesis, the relation, then within the
# same clause an optional name and "=" and the second number.
_PAIR = re.compile(
    rf"(?P<a>{_NUM})(?:\s*\([^()]*\))?\s*,?\s+(?P<rel>{_REL})\s+"
    rf"(?P<mid>[^.,;:\d]{{0,80}}?)(?P<b>{_NUM})(?:\s+by\s+(?P<by>{_NUM}))?")
# "a is d below/above b" and "a, d more/less than b": a number, its distance, the side.
_GAP = re.compile(
    rf"(?P<a>{_NUM})\s*,?\s+(?:(?:is|lies)\s+)?(?P<d>{_NUM})\s+"
    rf"(?P<side>below|above|more than|less than)\s+(?P<mid>[^.,;:\d]{{0,80}}?)(?P<b>{_NUM})")
# "is 0.00 below": a distance that prints as nothing.
_NO_GAP = re.compile(r"(?:(?:is|lies)\s+[−-]?0(?:\.0+)?\s+(?:below|above)\b)|"
                     r"(?:(?:exceeds|beats)\s[^.;:]{0,40}?\bby\s+[−-]?0(?:\.0+)?(?![\d.]))")


def _num(text: str) -> float:
    return float(text.replace("−", "-"))


def _decimals(text: str) -> int:
    return len(text.split(".")[1]) if "." in text else 0


@dataclass(frozen=True)
class Relation:
    """One stated comparison: its text, the two numbers and whether it holds."""

    text: str
    a: float
    b: float
    holds: bool


def _relation_of(word: str) -> _Cmp:
    for pattern, cmp in _WORDS:
        if re.fullmatch(pattern, word):
            return cmp
    raise ValueError(word)


def stated_relations(text: str) -> list[Relation]:
    """Every comparison of two printed numbers that ``text`` states."""
    found: list[Relation] = []
    for m in _GAP.finditer(text):
        a, d, b = _num(m["a"]), _num(m["d"]), _num(m["b"])
        tol = 1.01 * 10.0 ** -min(_decimals(m["a"]), _decimals(m["d"]), _decimals(m["b"]))
        signed = -d if m["side"] in ("below", "less than") else d
        ok = d > 0 and abs((a - b) - signed) <= tol
        found.append(Relation(m.group(0), a, b, ok))
    for m in _NO_GAP.finditer(text):
        found.append(Relation(m.group(0), 0.0, 0.0, False))
    gaps = {m.start("d") for m in _GAP.finditer(text)} | {m.start("a") for m in
                                                        _GAP.finditer(text)}
    for m in _PAIR.finditer(text):
        if m.start() in gaps or m["mid"].strip().endswith(("of", "to", "from", "with", "by")):
            continue
        a, b = _num(m["a"]), _num(m["b"])
        ok = _relation_of(m["rel"])(a, b)
        if m["by"] is not None:
            tol = 1.01 * 10.0 ** -min(_decimals(m["a"]), _decimals(m["b"]), _decimals(m["by"]))
            ok = ok and abs(abs(a - b) - _num(m["by"])) <= tol
        found.append(Relation(m.group(0), a, b, ok))
    return found


def false_relations(text: str) -> list[Relation]:
    """The comparisons of ``text`` that are false for the numbers it prints."""
    return [r for r in stated_relations(text) if not r.holds]
