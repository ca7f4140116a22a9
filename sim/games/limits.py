"""Size limits for game files, and a bounded reader for them.

A game file may come from anyone (an upload, a download, a classroom), so
reading it must take bounded memory and time whatever it declares: at most
:data:`MAX_FILE_BYTES` are read, only from regular files, and a game larger
than :class:`GameLimits` allows is refused before anything is allocated for it.
Every refusal is a :class:`~sim.games.errors.GameError` whose message says
which limit was hit and how to raise it.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, fields, replace
from fractions import Fraction

from sim.games.errors import GameError

__all__ = ["GameLimits", "DEFAULT_LIMITS", "MAX_FILE_BYTES", "read_game_text", "bounded_number"]

#: Game files larger than this are refused (the scenario files' limit too).
MAX_FILE_BYTES = 1 << 20

#: Payoffs are converted to floats by the solvers, so their magnitude is bounded
#: whatever ``digits`` allows.
MAX_MAGNITUDE = 1e300


@dataclass(frozen=True)
class GameLimits:
    """Caps on the size of a game read from a file.

    Attributes
    ----------
    strategies
        Strategies of one player in a normal-form game (also reduced
        strategies of a tree, and actions at one move).
    profiles
        Payoff entries of a normal-form game: strategy profiles times players.
    players
        Players of a game.
    nodes
        Nodes of a game tree.
    depth
        Depth of a game tree (moves from the root to the deepest leaf).
    digits
        Digits of one number: the digits written plus the size of its
        exponent, so ``1e100000000`` counts 100,000,001 digits.
    systems
        Square linear systems that enumerating every equilibrium of a
        bimatrix game may solve (``C(m + n, m) - 1`` for an ``m x n`` game).
    """

    strategies: int = 100
    profiles: int = 1_000_000
    players: int = 16
    nodes: int = 100_000
    depth: int = 200
    digits: int = 100
    systems: int = 2_000_000

    def raised(self, spec: str) -> GameLimits:
        """These limits with some raised, from ``"key=N[,key=N...]"``.

        Raises
        ------
        GameError
            On an unknown key or a value that is not a positive integer.
        """
        names = [f.name for f in fields(self)]
        changes: dict[str, int] = {}
        for part in spec.split(","):
            key, sep, value = part.strip().partition("=")
            if not sep or key not in names:
                raise GameError(
                    f"--max-size {part.strip()[:40]!r}: expected KEY=N with KEY one of "
                    + ", ".join(names)
                )
            if not value.isdigit() or len(value) > 12 or int(value) < 1:
                raise GameError(f"--max-size {key}: {value[:40]!r} is not a positive integer")
            changes[key] = int(value)
        return replace(self, **changes)

    def hint(self, key: str) -> str:
        """The advice appended to a refusal: which option raises the limit."""
        return f"the limit is {getattr(self, key):,}; raise it with --max-size {key}=N"


DEFAULT_LIMITS = GameLimits()


def read_game_text(
    path: str | os.PathLike[str],
    *,
    max_bytes: int = MAX_FILE_BYTES,
    fallback_encoding: str | None = None,
) -> str:
    """The text of a game file, read within bounds.

    Only a regular file is read (a FIFO, a device, a directory or a symbolic
    link to one is refused without blocking), and at most ``max_bytes``.
    The text must be UTF-8, or else is decoded with ``fallback_encoding``
    when one is given.

    Raises
    ------
    GameError
        ``"path:line: what is wrong"``.
    """
    name = str(path)
    try:
        # O_NONBLOCK: opening a FIFO must not wait for a writer.
        fd = os.open(name, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        raise GameError(f"{name}: no such file") from None
    except OSError as exc:
        raise GameError(f"{name}:1: cannot open the file: {exc.strerror or exc}") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            kind = "a directory" if stat.S_ISDIR(info.st_mode) else "not a regular file"
            raise GameError(f"{name}:1: {kind}; a game must be a regular file")
        if info.st_size > max_bytes:
            raise GameError(
                f"{name}:1: the file has {info.st_size:,} bytes, more than the limit of "
                f"{max_bytes:,}"
            )
        chunks = []
        left = max_bytes + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 16))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        data = b"".join(chunks)
    finally:
        os.close(fd)
    if len(data) > max_bytes:
        raise GameError(f"{name}:1: the file is larger than the limit of {max_bytes:,} bytes")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if fallback_encoding is not None:
            return data.decode(fallback_encoding, errors="replace")
        line = data.count(b"\n", 0, exc.start) + 1
        raise GameError(
            f"{name}:{line}: not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start})"
        ) from None


def _digit_count(text: str) -> int:
    """Digits of the exact value of a number token: written digits plus |exponent|."""
    body, _, den = text.partition("/")
    mantissa, _, exponent = body.lower().partition("e")
    count = sum(ch.isdigit() for ch in mantissa) + sum(ch.isdigit() for ch in den)
    if exponent:
        digits = exponent.lstrip("+-")
        # An exponent of more than 12 digits is beyond any limit; do not parse it.
        count += 10**13 if len(digits) > 12 else int(digits)
    return count


def bounded_number(text: str, limits: GameLimits = DEFAULT_LIMITS) -> Fraction:
    """The exact value of a number token, refused when it is too long or too large.

    ``text`` is an integer, a decimal with an optional exponent, or ``p/q``;
    its syntax has already been checked.

    Raises
    ------
    GameError
        Without location (the caller adds it): too many digits, a zero
        denominator, or a magnitude above ``1e300``.
    """
    n = _digit_count(text)
    if n > limits.digits:
        shown = text if len(text) <= 40 else text[:37] + "..."
        raise GameError(f"the number {shown!r} has {n:,} digits; {limits.hint('digits')}")
    body, slash, den = text.partition("/")
    value = Fraction(body)
    if slash:
        if int(den) == 0:
            raise GameError(f"zero denominator in {text!r}")
        value /= int(den)
    if abs(value) > MAX_MAGNITUDE:
        raise GameError(f"the number {text[:40]!r} is larger than 1e300 in magnitude")
    return value
