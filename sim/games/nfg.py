"""Read and write Gambit ``.nfg`` strategic-form game files.

The format is the one Gambit 16 reads and writes (Gambit documentation,
"Game representation formats", section "The strategic game (.nfg) file
format"). A file starts with a header::

    NFG 1 R "title" { "Player 1" "Player 2" }

followed by the strategies, either as labels (``{ { "a" "b" } { "c" "d" } }``)
or as counts (``{ 2 2 }``), an optional comment string, and then one of two
bodies:

* the *payoff* form: a flat list of numbers, one payoff per player for every
  strategy profile, the first player's strategy changing fastest;
* the *outcome* form: a list of outcomes ``{ "label" p_1, p_2, ... }`` and one
  outcome number per strategy profile (same order; ``0`` is the null outcome,
  worth zero to everybody).

Blank or repeated player and strategy labels are made unique as Gambit 16
does: the ``k``-th occurrence of label ``s`` becomes ``s_k`` (``""`` becomes
``_1``, ``_2``, ...).

Numbers are integers, decimals (``0.5``, ``-1.25e2``) or rationals (``3/2``).
Every number is read exactly, as a ``Fraction`` (a decimal is an exact
rational), so games read from files are exact unless ``exact=False``.

A file is read within the bounds of :class:`~sim.games.limits.GameLimits`:
too many players, strategies or payoffs, or a number with too many digits,
is refused at its line before anything is allocated for it.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from fractions import Fraction
from itertools import product
from pathlib import Path
from typing import Any

import numpy as np

from sim.games.errors import GameError
from sim.games.limits import DEFAULT_LIMITS, GameLimits, bounded_number, read_game_text
from sim.games.normal_form import NormalFormGame

__all__ = ["read_nfg", "parse_nfg", "write_nfg", "format_number"]

_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<string>"(?:[^"\\]|\\.)*")
  | (?P<brace>[{}])
  | (?P<comma>,)
  | (?P<number>[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?(?:/\d+)?)
  | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
    """,
    re.VERBOSE,
)


@dataclass(frozen=True)
class _Token:
    kind: str
    text: str
    line: int
    column: int


def _tokenize(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    pos = 0
    line = 1
    line_start = 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None:
            snippet = text[pos : pos + 20].splitlines()[0] if text[pos:].strip() else ""
            raise GameError(
                f"line {line}, column {pos - line_start + 1}: unexpected text {snippet!r}"
            )
        kind = m.lastgroup or ""
        if kind != "ws":
            tokens.append(_Token(kind, m.group(), line, pos - line_start + 1))
        newlines = m.group().count("\n")
        if newlines:
            line += newlines
            line_start = pos + m.group().rindex("\n") + 1
        pos = m.end()
    return tokens


class _Parser:
    def __init__(self, text: str, limits: GameLimits = DEFAULT_LIMITS) -> None:
        self.tokens = _tokenize(text)
        self.i = 0
        self.limits = limits

    def _where(self, tok: _Token | None = None) -> str:
        if tok is None:
            tok = self.tokens[self.i] if self.i < len(self.tokens) else None
        if tok is None:
            return "end of file"
        return f"line {tok.line}, column {tok.column}"

    def error(self, message: str) -> GameError:
        return GameError(f"{self._where()}: {message}")

    def peek(self) -> _Token | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def next(self, kind: str, text: str | None = None, what: str = "") -> _Token:
        tok = self.peek()
        if tok is None or tok.kind != kind or (text is not None and tok.text != text):
            expected = what or (repr(text) if text else kind)
            found = "end of file" if tok is None else repr(tok.text[:40])
            raise self.error(f"expected {expected}, found {found}")
        self.i += 1
        return tok

    def at(self, kind: str, text: str | None = None) -> bool:
        tok = self.peek()
        return tok is not None and tok.kind == kind and (text is None or tok.text == text)

    def string(self, what: str) -> str:
        return _unquote(self.next("string", what=what).text)

    def number(self, what: str = "a number") -> Fraction:
        tok = self.next("number", what=what)
        return _parse_number(tok.text, self._where(tok), self.limits)


def _unquote(quoted: str) -> str:
    return re.sub(r"\\(.)", r"\1", quoted[1:-1])


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _parse_number(text: str, where: str, limits: GameLimits = DEFAULT_LIMITS) -> Fraction:
    try:
        return bounded_number(text, limits)
    except GameError as exc:
        raise GameError(f"{where}: {exc}") from None
    except (ValueError, ZeroDivisionError):
        raise GameError(f"{where}: bad number {text[:40]!r}") from None


def read_nfg(
    source: str | Path, *, exact: bool = True, limits: GameLimits = DEFAULT_LIMITS
) -> NormalFormGame:
    """Read a game in Gambit's ``.nfg`` format.

    Parameters
    ----------
    source
        The file's text, or a :class:`pathlib.Path` to it. A ``str`` is always
        text, never a path: text from a user must not make the reader open a file.
    exact
        Keep payoffs exact (``Fraction``); ``False`` converts them to floats.
    limits
        Caps on players, strategies, payoff entries and digits of a number.

    Raises
    ------
    GameError
        On malformed input, or input beyond ``limits``; the message gives the
        line and column (a file that cannot be read: ``path:1: ...``).
    """
    text = read_game_text(source) if isinstance(source, Path) else str(source)
    return parse_nfg(text, exact=exact, limits=limits)[0]


def parse_nfg(
    text: str, *, exact: bool = True, limits: GameLimits = DEFAULT_LIMITS
) -> tuple[NormalFormGame, int]:
    """Parse the text of an ``.nfg`` file (see :func:`read_nfg`).

    Returns
    -------
    game, line
        The game, and the line where its strategies are declared (where a
        refusal of the game's size is reported).
    """
    p = _Parser(text, limits)
    p.next("word", "NFG", what="'NFG' at the start of the file")
    version = p.next("number", what="the version number 1")
    if version.text != "1":
        raise GameError(f"{p._where(version)}: unsupported NFG version {version.text[:40]!r}")
    kind = p.next("word", what="'R' or 'D'")
    if kind.text not in ("R", "D"):
        raise GameError(f"{p._where(kind)}: expected 'R' or 'D', found {kind.text[:40]!r}")
    title = p.string("the game title")
    p.next("brace", "{")
    players: list[str] = []
    while p.at("string"):
        if len(players) == limits.players:
            raise p.error(f"more than {limits.players} players; {limits.hint('players')}")
        players.append(p.string("a player name"))
    p.next("brace", "}", what="a player name or '}'")
    if not players:
        raise p.error("the game has no players")
    opening = p.next("brace", "{", what="'{' opening the strategies")
    strategies_line = opening.line
    strategies: list[list[str]] = []
    if p.at("brace", "{"):
        for name in players:
            p.next("brace", "{", what=f"'{{' opening the strategies of {name!r}")
            labels: list[str] = []
            while p.at("string"):
                if len(labels) == limits.strategies:
                    raise p.error(
                        f"{name!r} has more than {limits.strategies} strategies; "
                        + limits.hint("strategies")
                    )
                labels.append(p.string("a strategy label"))
            p.next("brace", "}", what="a strategy label or '}'")
            strategies.append(labels)
    else:
        for name in players:
            tok = p.next("number", what="a number of strategies")
            text = tok.text
            if not text.isdigit() or int(text[:19]) < 1:
                raise GameError(f"{p._where(tok)}: bad number of strategies {text[:40]!r}")
            if len(text) > 18 or int(text) > limits.strategies:
                shown = text if len(text) <= 20 else text[:17] + "..."
                raise GameError(
                    f"{p._where(tok)}: {name!r} has {shown} strategies; "
                    + limits.hint("strategies")
                )
            strategies.append([str(j + 1) for j in range(int(text))])
    p.next("brace", "}", what="'}' closing the strategies")
    if len(strategies) != len(players):
        raise p.error(f"{len(strategies)} strategy lists for {len(players)} players")
    if p.at("string"):
        p.string("the comment")
    shape = tuple(len(s) for s in strategies)
    if any(k == 0 for k in shape):
        raise p.error("every player needs at least one strategy")
    n = len(players)
    n_profiles = 1
    for k in shape:
        n_profiles *= k  # Python integers: no overflow before the check
    if n_profiles * n > limits.profiles:
        dims = "x".join(str(k) for k in shape)
        raise GameError(
            f"{p._where(opening)}: a {dims} game has {n_profiles * n:,} payoffs; "
            + limits.hint("profiles")
        )
    # Profiles are listed with the first player's strategy changing fastest.
    flat = np.empty((n_profiles, n), dtype=object)
    if p.at("brace", "{"):
        _read_outcome_body(p, flat, n, n_profiles)
    else:
        for k in range(n_profiles):
            for i in range(n):
                if p.peek() is None:
                    raise p.error(
                        f"expected {n_profiles * n} payoffs, found {k * n + i}"
                    )
                flat[k, i] = p.number("a payoff")
    extra = p.peek()
    if extra is not None:
        raise p.error(f"unexpected {extra.text[:40]!r} after the payoffs")
    arrays = [flat[:, i].reshape(shape[::-1]).transpose() for i in range(n)]
    players = _unique_labels(players)
    strategies = [_unique_labels(labels) for labels in strategies]
    try:
        return NormalFormGame(arrays, players, strategies, title, exact=exact), strategies_line
    except GameError as exc:
        raise GameError(f"invalid game: {exc}") from exc


def _unique_labels(labels: list[str]) -> list[str]:
    """Gambit 16's relabelling: blank or repeated labels get ``_k`` (k-th occurrence)."""
    counts = Counter(labels)
    seen: dict[str, int] = {}
    out = []
    for label in labels:
        if label == "" or counts[label] > 1:
            seen[label] = seen.get(label, 0) + 1
            out.append(f"{label}_{seen[label]}")
        else:
            out.append(label)
    return out


def _read_outcome_body(p: _Parser, flat: np.ndarray, n: int, n_profiles: int) -> None:
    p.next("brace", "{")
    outcomes: list[list[Fraction]] = []
    while p.at("brace", "{"):
        p.next("brace", "{")
        p.string("an outcome label")
        payoffs: list[Fraction] = []
        while not p.at("brace", "}"):
            if p.at("comma"):
                p.next("comma")
                continue
            payoffs.append(p.number("a payoff"))
        p.next("brace", "}")
        if len(payoffs) != n:
            raise p.error(f"outcome {len(outcomes) + 1} has {len(payoffs)} payoffs for {n} players")
        outcomes.append(payoffs)
    p.next("brace", "}", what="an outcome or '}'")
    zero = [Fraction(0)] * n
    for k in range(n_profiles):
        tok = p.next("number", what=f"the outcome number of profile {k + 1} of {n_profiles}")
        if not tok.text.isdigit() or len(tok.text) > 18 or int(tok.text) > len(outcomes):
            raise GameError(f"{p._where(tok)}: no outcome numbered {tok.text[:40]!r}")
        index = int(tok.text)
        flat[k, :] = zero if index == 0 else outcomes[index - 1]


def format_number(value: Any) -> str:
    """Format a payoff for a ``.nfg`` file: ``p/q`` when exact, ``repr`` for floats."""
    if isinstance(value, float | np.floating):
        f = float(value)
        return str(int(f)) if f.is_integer() and abs(f) < 2**53 else repr(f)
    return str(Fraction(value))


def write_nfg(game: NormalFormGame, *, form: str = "outcome") -> str:
    """Write ``game`` in Gambit's ``.nfg`` format.

    Parameters
    ----------
    game
        The game.
    form
        ``"outcome"`` (one outcome per strategy profile, as Gambit 16 writes
        games built from arrays) or ``"payoff"`` (a flat payoff list).
    """
    if form not in ("outcome", "payoff"):
        raise GameError(f"unknown .nfg form {form!r}; use 'outcome' or 'payoff'")
    players = " ".join(_quote(name) for name in game.players)
    lines = [f"NFG 1 R {_quote(game.title)} {{ {players} }}", ""]
    strategy_lines = [
        "{ " + " ".join(_quote(s) for s in labels) + " }" for labels in game.strategies
    ]
    lines.append("{ " + "\n".join(strategy_lines))
    lines.append("}")
    lines.append('""')
    lines.append("")
    arrays = game.to_arrays()
    # First player's strategy changes fastest: iterate over reversed index order.
    profiles = [tuple(reversed(idx)) for idx in product(*(range(k) for k in reversed(game.shape)))]
    if form == "payoff":
        lines.append(
            " ".join(format_number(a[idx]) for idx in profiles for a in arrays)
        )
    else:
        lines.append("{")
        for idx in profiles:
            payoffs = ", ".join(format_number(a[idx]) for a in arrays)
            lines.append(f'{{ "" {payoffs} }}')
        lines.append("}")
        lines.append(" ".join(str(k + 1) for k in range(len(profiles))))
    return "\n".join(lines) + "\n"
