"""Read and write Gambit's extensive-game ``.efg`` format (version 2).

Reading is more lenient than Gambit 16.7, which rejects files with repeated
node labels or repeated information-set names of one player (e.g.
``4cards.efg``, ``holdout.efg`` in Gambit's own collection); we read them.
Written files keep labels unique, so Gambit reads them back.

The format (Gambit manual, "The extensive game (.efg) file format") is a
header ``EFG 2 R "title" { "Player 1" "Player 2" }``, an optional comment
string, then one line per node in depth-first (prefix) order:

* ``p "name" player infoset "infoset name" { "a" "b" } outcome ...``
* ``c "name" infoset "infoset name" { "a" 1/2 "b" 1/2 } outcome ...``
* ``t "name" outcome "outcome name" { u1, u2 }``

An outcome is a number, followed the first time it appears by its name and
payoffs. The infoset name and action list may be omitted for an infoset
already defined. Outcomes attached to non-terminal nodes add to the payoffs
of every terminal below them (Gambit's convention); on reading they are
pushed down to the terminals, so a written file carries outcomes at the
leaves only. Labels are written as Gambit 16.7 requires (printable ASCII,
single spaces, no leading or trailing space; see :func:`gambit_label`).
Repeated action labels at one move (which Gambit allows) are
made distinct by suffixes ``" (2)"``, ``" (3)"``, ...

Numbers are kept exact: ``19/20`` and ``.80`` become ``Fraction``; only
numbers with an exponent are read as floats.

A file is read within the bounds of :class:`~sim.games.limits.GameLimits`
(players, nodes, depth, actions at a move, digits of a number); beyond them
it is refused at its line.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction
from os import PathLike
from pathlib import Path
from typing import Any

from sim.games.errors import GameError
from sim.games.extensive_form import Chance, Decision, ExtensiveFormGame, Node, Terminal
from sim.games.limits import DEFAULT_LIMITS, GameLimits, bounded_number, read_game_text

__all__ = ["read_efg", "write_efg", "parse_efg", "format_efg", "gambit_label"]

_TOKEN = re.compile(
    r'\s*(?:(?P<str>"(?:[^"\\]|\\.)*")|(?P<brace>[{}])|(?P<comma>,)'
    r"|(?P<word>[^\s{},\"]+))"
)
_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?(/\d+)?$")


@dataclass
class _Tok:
    kind: str
    text: str
    line: int


def _tokens(text: str, source: str) -> list[_Tok]:
    out: list[_Tok] = []
    pos, line = 0, 1
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None:
            if text[pos:].strip() == "":
                break
            raise GameError(f"{source}:{line}: cannot read {text[pos:pos + 20]!r}")
        line += text.count("\n", pos, m.start(m.lastgroup or 0))
        kind = m.lastgroup or ""
        raw = m.group(kind)
        if kind == "str":
            out.append(_Tok("str", re.sub(r"\\(.)", r"\1", raw[1:-1]), line))
            line += raw.count("\n")
        elif kind != "comma":
            out.append(_Tok(kind, raw, line))
        pos = m.end()
    return out


class _Reader:
    def __init__(self, text: str, source: str, limits: GameLimits = DEFAULT_LIMITS) -> None:
        self.source = source
        self.toks = _tokens(text, source)
        self.i = 0
        self.limits = limits

    def error(self, msg: str, tok: _Tok | None = None) -> GameError:
        if tok is None:
            tok = self.toks[self.i] if self.i < len(self.toks) else None
        line = tok.line if tok is not None else (self.toks[-1].line if self.toks else 1)
        return GameError(f"{self.source}:{line}: {msg}")

    def peek(self) -> _Tok | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def next(self, what: str) -> _Tok:
        tok = self.peek()
        if tok is None:
            raise self.error(f"unexpected end of file, expected {what}")
        self.i += 1
        return tok

    def string(self, what: str) -> str:
        tok = self.next(what)
        if tok.kind != "str":
            raise self.error(f"expected {what} (a quoted string), found {tok.text[:40]!r}", tok)
        return tok.text

    def word(self, expected: str) -> None:
        tok = self.next(repr(expected))
        if tok.text != expected:
            raise self.error(f"expected {expected!r}, found {tok.text[:40]!r}", tok)

    def integer(self, what: str) -> int:
        tok = self.next(what)
        if tok.kind != "word" or not re.fullmatch(r"\d{1,18}", tok.text):
            raise self.error(
                f"expected {what} (a non-negative integer), found {tok.text[:40]!r}", tok
            )
        return int(tok.text)

    def number(self, what: str) -> Any:
        tok = self.next(what)
        if tok.kind != "word" or not _NUMBER.match(tok.text):
            raise self.error(f"expected {what} (a number), found {tok.text[:40]!r}", tok)
        try:
            return _parse_number(tok.text, self.limits)
        except (GameError, ValueError, ZeroDivisionError) as exc:
            raise self.error(str(exc) or f"bad number {tok.text[:40]!r}", tok) from None

    def at(self, kind: str, text: str | None = None) -> bool:
        tok = self.peek()
        return tok is not None and tok.kind == kind and (text is None or tok.text == text)


def _parse_number(text: str, limits: GameLimits = DEFAULT_LIMITS) -> Any:
    f = bounded_number(text, limits)  # refuses too many digits before any big arithmetic
    if "e" in text.lower():
        value = float(f)
        return int(value) if value.is_integer() and "/" not in text else value
    return int(f) if f.denominator == 1 else f


@dataclass
class _Infoset:
    key: str
    actions: tuple[str, ...]
    probs: tuple[Any, ...] = ()


class _EfgParser:
    def __init__(self, text: str, source: str, limits: GameLimits = DEFAULT_LIMITS) -> None:
        self.r = _Reader(text, source, limits)
        self.limits = limits
        self.n_nodes = 0
        self.players: list[str] = []
        self.infosets: dict[tuple[int, int], _Infoset] = {}
        self.names: dict[str, int] = {}
        self.outcomes: dict[int, tuple[str, tuple[Any, ...]]] = {}
        self._last_outcome_name = ""

    def parse(self) -> ExtensiveFormGame:
        r = self.r
        r.word("EFG")
        r.word("2")
        tok = r.next("'R' or 'D'")
        if tok.text not in ("R", "D"):
            raise r.error(f"expected 'R' or 'D', found {tok.text[:40]!r}", tok)
        title = r.string("the game title")
        if not r.at("brace", "{"):
            raise r.error("expected '{' before the player names")
        r.next("'{'")
        while not r.at("brace", "}"):
            if len(self.players) == self.limits.players:
                raise r.error(
                    f"more than {self.limits.players} players; {self.limits.hint('players')}"
                )
            self.players.append(r.string("a player name"))
        r.next("'}'")
        if not self.players:
            raise r.error("the game has no players")
        if r.at("str"):
            r.next("comment")
        root = self.node()
        extra = r.peek()
        if extra is not None:
            raise r.error(f"unexpected {extra.text[:40]!r} after the last node")
        try:
            return ExtensiveFormGame(root, self.players, title)
        except GameError as exc:
            raise GameError(f"{r.source}:1: {exc}") from None

    def node(self, depth: int = 0, above: tuple[Any, ...] | None = None) -> Node:
        """Parse one node and its subtree; outcomes are pushed to the leaves.

        ``above`` sums the outcomes met on the way from the root, so each
        leaf gets them in one addition (linear in the size of the tree).
        """
        r = self.r
        limits = self.limits
        self.n_nodes += 1
        if self.n_nodes > limits.nodes:
            raise r.error(f"more than {limits.nodes:,} nodes; {limits.hint('nodes')}")
        if depth > limits.depth:
            raise r.error(f"the tree is deeper than {limits.depth} moves; {limits.hint('depth')}")
        tok = r.next("a node ('p', 'c' or 't')")
        if tok.text not in ("p", "c", "t"):
            raise r.error(f"expected a node type 'p', 'c' or 't', found {tok.text[:40]!r}", tok)
        name = r.string("the node name")
        if tok.text == "t":
            pay = self.outcome(tok)
            if pay is None:
                pay = (0,) * len(self.players)
            if above is not None:
                pay = tuple(a + b for a, b in zip(pay, above, strict=True))
            return Terminal(pay, self._last_outcome_name or name)
        if tok.text == "p":
            pl_tok = r.peek()
            player = r.integer("the player number")
            if not 1 <= player <= len(self.players):
                raise r.error(f"player {player} does not exist", pl_tok)
        else:
            player = 0
        iset_tok = r.peek()
        number = r.integer("the information set number")
        iname = r.string("the information set name") if r.at("str") else None
        actions: list[str] = []
        probs: list[Any] = []
        if r.at("brace", "{"):
            r.next("'{'")
            while not r.at("brace", "}"):
                if len(actions) == limits.strategies:
                    raise r.error(
                        f"a move with more than {limits.strategies} actions; "
                        + limits.hint("strategies")
                    )
                actions.append(r.string("an action label"))
                if tok.text == "c":
                    probs.append(r.number("a chance probability"))
            r.next("'}'")
        info = self.infosets.get((player, number))
        if info is None:
            if not actions:
                raise r.error(
                    f"information set {number} is used before its actions are given", iset_tok
                )
            key = self._key(player, number, iname or "")
            info = _Infoset(key, _distinct(actions), tuple(probs))
            self.infosets[(player, number)] = info
        elif actions and (
            _distinct(actions) != info.actions or (probs and tuple(probs) != info.probs)
        ):
            raise r.error(f"information set {number} is redefined with different actions", iset_tok)
        out_tok = r.peek()
        pay = self.outcome(out_tok)
        if pay is not None:
            above = pay if above is None else tuple(
                a + b for a, b in zip(pay, above, strict=True))
        children = [self.node(depth + 1, above) for _ in info.actions]
        if tok.text == "c":
            return Chance(
                tuple(zip(info.actions, info.probs, children, strict=True)), name
            )
        return Decision(player - 1, tuple(zip(info.actions, children, strict=True)), info.key, name)

    def outcome(self, where: _Tok | None) -> tuple[Any, ...] | None:
        r = self.r
        number = r.integer("the outcome number")
        self._last_outcome_name = ""
        name = r.string("the outcome name") if r.at("str") else None
        pay: list[Any] = []
        if r.at("brace", "{"):
            r.next("'{'")
            while not r.at("brace", "}"):
                pay.append(r.number("a payoff"))
            r.next("'}'")
            if len(pay) != len(self.players):
                raise r.error(
                    f"outcome {number} has {len(pay)} payoffs for {len(self.players)} players",
                    where,
                )
        if number == 0:
            return None
        if number in self.outcomes:
            if pay and tuple(pay) != self.outcomes[number][1]:
                raise r.error(f"outcome {number} is redefined with different payoffs", where)
            stored_name, stored = self.outcomes[number]
            self._last_outcome_name = stored_name
            return stored
        if not pay:
            raise r.error(f"outcome {number} is used before its payoffs are given", where)
        self.outcomes[number] = (name or "", tuple(pay))
        self._last_outcome_name = name or ""
        return tuple(pay)

    def _key(self, player: int, number: int, name: str) -> str:
        # Infoset names are keys when they are unique; otherwise "player:number".
        fallback = f"{player}:{number}" if player else f"chance:{number}"
        if not name or name in self.names:
            return fallback
        self.names[name] = player
        return name


def _distinct(labels: list[str]) -> tuple[str, ...]:
    """Action labels made distinct: a repeated label ``a`` becomes ``"a (2)"``, ...

    Gambit allows repeated labels at one move; our trees address children by
    label, so repeats are renamed (the only change made on reading).
    """
    out: list[str] = []
    for a in labels:
        new, k = a, 1
        while new in out:
            k += 1
            new = f"{a} ({k})"
        out.append(new)
    return tuple(out)


def parse_efg(
    text: str, source: str = "<string>", *, limits: GameLimits = DEFAULT_LIMITS
) -> ExtensiveFormGame:
    """Parse the text of an ``.efg`` file.

    Raises
    ------
    GameError
        With message ``"source:line: what is wrong"`` on a malformed file or
        one beyond ``limits``.
    """
    return _EfgParser(text, source, limits).parse()


def read_efg(
    path: str | PathLike[str], *, limits: GameLimits = DEFAULT_LIMITS
) -> ExtensiveFormGame:
    """Read a Gambit ``.efg`` file (see :func:`parse_efg`), at most 1 MiB of it.

    Text that is not UTF-8 is read as Latin-1, as older Gambit files are.
    """
    p = Path(path)
    text = read_game_text(p, fallback_encoding="latin-1")
    return parse_efg(text, str(p), limits=limits)


def _quote(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


_DASHES = str.maketrans({"\u2013": "-", "\u2014": "-", "\u2019": "'", "\u2018": "'",
                         "\u201c": "'", "\u201d": "'", "\t": " ", "\n": " "})


def gambit_label(label: str) -> str:
    """``label`` as Gambit 16.7 accepts it: printable ASCII, single spaces, trimmed."""
    text = unicodedata.normalize("NFKD", label.translate(_DASHES))
    text = "".join(ch for ch in text if " " <= ch <= "~")
    return " ".join(text.split())


def _label(s: str) -> str:
    return _quote(gambit_label(s))


def _fmt(v: Any) -> str:
    if isinstance(v, Fraction):
        return str(v.numerator) if v.denominator == 1 else f"{v.numerator}/{v.denominator}"
    if isinstance(v, int):
        return str(v)
    f = float(v)
    if f.is_integer() and abs(f) < 1e15:
        return str(int(f))
    return repr(f)


def _exact_probs(probs: list[Any]) -> list[Fraction]:
    """Chance probabilities as rationals summing to exactly 1, as Gambit requires.

    Floats are read as the decimals they print as; the last branch takes the rest.
    """
    exact = [Fraction(v) if isinstance(v, Fraction | int) else Fraction(repr(float(v)))
             for v in probs]
    if sum(exact) != 1:
        exact[-1] = Fraction(1) - sum(exact[:-1], Fraction(0))
    return exact


def _lines(game: ExtensiveFormGame) -> Iterator[str]:
    numbers: dict[str, tuple[int, int]] = {}
    per_player = [0] * (game.n_players + 1)
    outcome = 0
    outcomes: dict[tuple[str, str], tuple[int, str]] = {}
    used: set[str] = set()
    stack: list[tuple[str, Node]] = [("", game.root)]
    flat_keys = iter(game.flat().infoset)
    seen_names: set[str] = set()

    def name_of(node: Decision | Chance) -> str:
        # Gambit 16.7 rejects repeated non-empty node labels.
        name = base = gambit_label(node.label)
        if name:
            k = 1
            while name in seen_names:
                k += 1
                name = f"{base} ({k})"
            seen_names.add(name)
        return _quote(name)

    while stack:
        _, node = stack.pop()
        key = next(flat_keys)
        if isinstance(node, Terminal):
            pay = ", ".join(_fmt(v) for v in node.payoffs)
            # Equal labelled outcomes share a number; Gambit 16.7 wants unique labels.
            wanted = gambit_label(node.label) or f"Outcome {outcome + 1}"
            known = outcomes.get((wanted, pay))
            if known is None:
                outcome += 1
                label = wanted if wanted not in used else f"{wanted} ({outcome})"
                used.add(label)
                known = outcomes[(wanted, pay)] = (outcome, label)
            number, label = known
            yield f't "" {number} {_quote(label)} {{ {pay} }}'
        elif isinstance(node, Decision):
            assert key is not None
            if key in numbers:
                yield f'p {name_of(node)} {node.player + 1} {numbers[key][1]} 0'
            else:
                per_player[node.player + 1] += 1
                numbers[key] = (node.player + 1, per_player[node.player + 1])
                name = "" if key.startswith("#") else key
                labels = _distinct([gambit_label(a) for a, _ in node.actions])
                acts = " ".join(_quote(a) for a in labels)
                yield (
                    f"p {name_of(node)} {node.player + 1} {per_player[node.player + 1]} "
                    f"{_label(name)} {{ {acts} }} 0"
                )
            stack.extend((a, c) for a, c in reversed(node.actions))
        else:
            per_player[0] += 1
            names = _distinct([gambit_label(a) for a, _, _ in node.branches])
            probs = _exact_probs([p for _, p, _ in node.branches])
            acts = " ".join(
                f"{_quote(a)} {_fmt(p)}" for a, p in zip(names, probs, strict=True)
            )
            yield f'c {name_of(node)} {per_player[0]} "" {{ {acts} }} 0'
            stack.extend((a, c) for a, _, c in reversed(node.branches))


def format_efg(game: ExtensiveFormGame) -> str:
    """The ``.efg`` text of ``game``; exact numbers are written exactly."""
    players = " ".join(_label(p) for p in game.players)
    head = f"EFG 2 R {_quote(game.title)} {{ {players} }}\n\"\"\n\n"
    return head + "\n".join(_lines(game)) + "\n"


def write_efg(game: ExtensiveFormGame, path: str | PathLike[str]) -> None:
    """Write ``game`` to ``path`` in Gambit's ``.efg`` format."""
    Path(path).write_text(format_efg(game), encoding="utf-8")
