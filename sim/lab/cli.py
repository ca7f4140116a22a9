"""``coercion solve GAME.json --set name=value``: the lab's JSON form on the command line.

The solve command hands a ``.json`` file here; it comes back as an engine game
at the chosen parameter values, so every ``--method`` of the command applies.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from sim.games.errors import GameError
from sim.games.limits import read_game_text
from sim.lab.build import EngineGame, to_engine
from sim.lab.files import MAX_JSON_BYTES, load_json

__all__ = ["parse_sets", "load_lab_json", "split_assignments"]


def split_assignments(items: Iterable[str], malformed: Callable[[str], Exception]
                      ) -> Iterator[tuple[str, str, str]]:
    """``(item, name, value text)`` of each ``"name=value"`` in ``items``.

    An item without both parts raises ``malformed(item)``.
    """
    for item in items:
        name, eq, text = item.partition("=")
        name = name.strip()
        if not eq or not name:
            raise malformed(item)
        yield item, name, text


def parse_sets(sets: Sequence[str], source: str) -> dict[str, float]:
    """``["c=3", "w=1.5"]`` to ``{"c": 3.0, "w": 1.5}``, with plain messages."""
    out: dict[str, float] = {}
    for item, name, text in split_assignments(
            sets, lambda item: GameError(f"{source}: --set {item!r}: write --set name=value")):
        try:
            value = float(text)
        except ValueError:
            raise GameError(f"{source}: --set {item!r}: {text.strip()!r} is not a number"
                            ) from None
        if value != value or value in (float("inf"), float("-inf")):
            raise GameError(f"{source}: --set {item!r}: the value must be finite")
        out[name] = value
    return out


def load_lab_json(path: Path, sets: Sequence[str] = ()) -> tuple[str, EngineGame]:
    """``("nfg" or "efg", game)`` for the lab game in ``path`` at the ``--set`` values.

    Raises
    ------
    GameError
        ``"FILE:line: what"`` or ``"FILE: field: what"`` for a bad file, and
        ``"FILE: ..."`` for an unknown parameter or a value that cannot be used.
    """
    # A regular file only, read within bounds: a FIFO or /dev/zero is refused unread.
    text = read_game_text(path, max_bytes=MAX_JSON_BYTES)
    game = load_json(text.encode("utf-8"), str(path))
    values: dict[str, Any] = parse_sets(sets, str(path))
    try:
        engine = to_engine(game, values)
    except GameError as exc:
        raise GameError(f"{path}: {exc}") from None
    return ("nfg" if game.normal_form is not None else "efg"), engine
