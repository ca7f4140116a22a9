"""Files and links of the game lab: JSON form, Gambit files and compact URLs.

* The **JSON form** (``schema: "coercion-sim/game-lab"``, ``version: 1``) keeps
  expressions and parameter ranges; it is size-capped and validated by
  :class:`~sim.lab.model.LabGame`.
* **Gambit files** go through the engine's readers and writers
  (:mod:`sim.games.nfg`, :mod:`sim.games.efg`). Reading takes text, never a
  path, and refuses text over :data:`MAX_FILE_BYTES`; a written file holds
  the game at the current parameter values (Gambit has no parameters).
* A **link** carries a small game as ``zlib`` + base64url JSON, at most
  :data:`MAX_LINK_CHARS` characters, decompressed with a hard output cap.
"""

from __future__ import annotations

import base64
import binascii
import json
import zlib
from collections.abc import Mapping
from fractions import Fraction
from typing import Any

from pydantic import ValidationError

from sim.games.efg import format_efg, parse_efg
from sim.games.errors import GameError
from sim.games.extensive_form import Chance, Decision, ExtensiveFormGame, Node, Terminal
from sim.games.nfg import read_nfg, write_nfg
from sim.games.normal_form import NormalFormGame
from sim.lab.build import to_engine
from sim.lab.model import MAX_TREE_NODES, LabGame, max_strategies

__all__ = [
    "MAX_FILE_BYTES",
    "MAX_JSON_BYTES",
    "MAX_LINK_CHARS",
    "LabFileError",
    "from_engine",
    "read_game_text",
    "load_json",
    "dump_json",
    "to_gambit",
    "encode_link",
    "decode_link",
    "validation_messages",
]

#: Largest accepted Gambit or JSON upload.
MAX_FILE_BYTES = 512 * 1024
MAX_JSON_BYTES = 512 * 1024
#: Longest accepted link payload, and the most its JSON may inflate to.
MAX_LINK_CHARS = 8000
MAX_LINK_JSON = 64 * 1024


class LabFileError(GameError):
    """A file or link is not a lab game; the message says where and why."""


def validation_messages(exc: ValidationError, source: str) -> list[str]:
    """``source: field.path: what is wrong`` for each error pydantic found."""
    out = []
    for err in exc.errors():
        loc = ".".join(str(x) if not isinstance(x, int) else f"[{x}]" for x in err["loc"])
        loc = loc.replace(".[", "[")
        msg = str(err["msg"]).removeprefix("Value error, ")
        out.append(f"{source}: {loc}: {msg}" if loc else f"{source}: {msg}")
    return out


def _validate(data: Any, source: str) -> LabGame:
    try:
        return LabGame.model_validate(data)
    except ValidationError as exc:
        raise LabFileError("\n".join(validation_messages(exc, source))) from None


# -- engine games to lab games ----------------------------------------------------

def _num(v: Any) -> str:
    if isinstance(v, Fraction | int):
        f = Fraction(v)
        if max(abs(f.numerator), f.denominator) <= 10**9:
            return str(f.numerator) if f.denominator == 1 else f"{f.numerator}/{f.denominator}"
        # A decimal read from a file (0.09999999999999998 is 4999999999999999/5e16):
        # its shortest float text, which the expression parser reads back exactly.
        if Fraction(repr(float(f))) == f:
            return repr(float(f))
        v = float(f)
    x = float(v)
    return str(int(x)) if x.is_integer() and abs(x) < 1e15 else repr(x)


def from_engine(game: NormalFormGame | ExtensiveFormGame, *, source: str = "",
                description: str = "") -> LabGame:
    """A lab game holding ``game``'s numbers (no parameters).

    Raises
    ------
    LabFileError
        If the game is larger than the lab accepts.
    """
    title = game.title or "Untitled game"
    players = list(game.players)
    if len(players) > 4:
        raise LabFileError(f"the game has {len(players)} players; the lab takes 1 to 4")
    if isinstance(game, NormalFormGame):
        top = max_strategies(game.n_players)
        if game.n_players < 2 or max(game.shape) > top:
            dims = "x".join(map(str, game.shape))
            raise LabFileError(f"the game is {dims}; the lab takes two players with up to 10 "
                               "strategies each, or three or four with up to 4")
        arrays = game.to_arrays()
        cells = [[_num(a[idx]) for a in arrays] for idx in _profiles(game.shape)]
        data: dict[str, Any] = {
            "title": title, "players": players, "description": description,
            "source": source,
            "normal_form": {"strategies": [list(s) for s in game.strategies],
                            "payoffs": cells},
        }
        return _validate(data, "game")
    flat = game.flat()
    if len(flat) > MAX_TREE_NODES:
        raise LabFileError(f"the tree has {len(flat)} nodes; the lab takes at most "
                           f"{MAX_TREE_NODES}")
    nodes: list[dict[str, Any]] = []
    _tree_nodes(game.root, nodes)
    data = {"title": title, "players": players, "description": description,
            "source": source, "tree": {"nodes": nodes}}
    return _validate(data, "game")


def _profiles(shape: tuple[int, ...]) -> list[tuple[int, ...]]:
    import numpy as np

    return list(np.ndindex(*shape))


def _tree_nodes(root: Node, out: list[dict[str, Any]]) -> None:
    # Depth-first, the root first; ids are n1, n2, ... in that order.
    stack: list[tuple[Node, dict[str, Any] | None, dict[str, Any] | None]] = [(root, None, None)]
    while stack:
        node, parent_branch, _ = stack.pop()
        entry: dict[str, Any] = {"id": f"n{len(out) + 1}", "label": node.label}
        if parent_branch is not None:
            parent_branch["to"] = entry["id"]
        out.append(entry)
        if isinstance(node, Terminal):
            entry["kind"] = "terminal"
            entry["payoffs"] = [_num(v) for v in node.payoffs]
            continue
        branches: list[dict[str, Any]] = []
        children: list[tuple[Node, dict[str, Any]]] = []
        if isinstance(node, Decision):
            entry.update(kind="decision", player=node.player, infoset=node.infoset)
            for k, (a, child) in enumerate(node.actions):
                b = {"action": a or f"action {k + 1}", "to": ""}
                branches.append(b)
                children.append((child, b))
        else:
            assert isinstance(node, Chance)
            entry["kind"] = "chance"
            for k, (a, p, child) in enumerate(node.branches):
                b = {"action": a or f"chance {k + 1}", "to": "", "prob": _num(p)}
                branches.append(b)
                children.append((child, b))
        entry["branches"] = branches
        stack.extend((c, b, None) for c, b in reversed(children))


# -- Gambit files ---------------------------------------------------------------

def _text_of(raw: bytes | str, name: str) -> str:
    size = len(raw.encode("utf-8")) if isinstance(raw, str) else len(raw)
    if size > MAX_FILE_BYTES:
        raise LabFileError(f"{name}: the file is {size:,} bytes; the limit is "
                           f"{MAX_FILE_BYTES:,}")
    if isinstance(raw, str):
        return raw
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def read_game_text(raw: bytes | str, name: str) -> LabGame:
    """A lab game from the contents of a ``.nfg``, ``.efg`` or JSON file named ``name``.

    The name only chooses the format (and prefixes messages); nothing is
    read from disk.

    Raises
    ------
    LabFileError
        ``"name:line: what is wrong"`` on a malformed file, or a game larger
        than the lab accepts.
    """
    text = _text_of(raw, name)
    lower = name.lower()
    head = text.lstrip()[:4]
    if lower.endswith(".json") or head.startswith("{"):
        return load_json(text, name)
    if lower.endswith(".nfg") or head.startswith("NFG"):
        if not head.startswith("NFG"):
            raise LabFileError(f"{name}:1: a .nfg file starts with 'NFG'")
        try:
            game: NormalFormGame | ExtensiveFormGame = read_nfg(text)
        except GameError as exc:
            raise LabFileError(f"{name}:{_nfg_where(str(exc))}") from None
        return from_engine(game, source=f"Loaded from {name}")
    if lower.endswith(".efg") or head.startswith("EFG"):
        try:
            game = parse_efg(text, name)
        except GameError as exc:
            msg = str(exc)
            raise LabFileError(msg if msg.startswith(name) else f"{name}: {msg}") from None
        except RecursionError:
            raise LabFileError(f"{name}: the tree is nested too deeply") from None
        return from_engine(game, source=f"Loaded from {name}")
    raise LabFileError(f"{name}: unknown file type; expected .nfg, .efg or .json")


def _nfg_where(msg: str) -> str:
    # The .nfg reader says "line L, column C: what"; make it "L: what (column C)".
    import re

    m = re.match(r"^line (\d+), column (\d+): (.*)$", msg, re.S)
    if m:
        return f"{m.group(1)}: {m.group(3)} (column {m.group(2)})"
    return f"1: {msg}"


def to_gambit(game: LabGame, values: Mapping[str, Any] | None = None) -> tuple[str, str]:
    """``(file name, text)`` of the game at ``values`` as a Gambit ``.nfg`` or ``.efg``."""
    engine = to_engine(game, values)
    stem = "".join(ch if ch.isalnum() else "_" for ch in game.title.lower()).strip("_")
    stem = "_".join(part for part in stem.split("_") if part) or "game"
    if isinstance(engine, NormalFormGame):
        return f"{stem}.nfg", write_nfg(engine)
    return f"{stem}.efg", format_efg(engine)


# -- JSON form -------------------------------------------------------------------

def dump_json(game: LabGame, *, indent: int | None = 2) -> str:
    """The JSON form of ``game``."""
    return json.dumps(game.to_json_dict(), indent=indent, ensure_ascii=False)


def load_json(raw: bytes | str, source: str = "<json>") -> LabGame:
    """A lab game from its JSON form.

    Raises
    ------
    LabFileError
        ``"source:line: what"`` for malformed JSON, ``"source: field: what"``
        for a document that is not a valid lab game.
    """
    size = len(raw.encode("utf-8")) if isinstance(raw, str) else len(raw)
    if size > MAX_JSON_BYTES:
        raise LabFileError(f"{source}: {size:,} bytes; the limit is {MAX_JSON_BYTES:,}")
    try:
        data = json.loads(raw, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        raise LabFileError(f"{source}:{exc.lineno}: {exc.msg} (column {exc.colno})") from None
    except (ValueError, RecursionError) as exc:
        raise LabFileError(f"{source}:1: {exc}") from None
    if not isinstance(data, dict):
        raise LabFileError(f"{source}:1: the file must hold one JSON object")
    if data.get("schema") != "coercion-sim/game-lab":
        raise LabFileError(f"{source}: schema: expected \"coercion-sim/game-lab\"; this is "
                           "not a game-lab file")
    if data.get("version") != 1:
        raise LabFileError(f"{source}: version: {data.get('version')!r} is not supported "
                           "(this program reads version 1)")
    return _validate(data, source)


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


# -- links -----------------------------------------------------------------------

def encode_link(game: LabGame) -> str:
    """The game as a compact URL-safe token (zlib-compressed JSON, base64url).

    Raises
    ------
    LabFileError
        If the token would be longer than :data:`MAX_LINK_CHARS`; such a game
        is shared as a JSON file instead.
    """
    text = json.dumps(game.to_json_dict(), separators=(",", ":"), ensure_ascii=False)
    token = base64.urlsafe_b64encode(zlib.compress(text.encode("utf-8"), 9)).decode("ascii")
    token = token.rstrip("=")
    if len(token) > MAX_LINK_CHARS:
        raise LabFileError(f"the game is too large for a link ({len(token):,} characters, "
                           f"limit {MAX_LINK_CHARS:,}); download the JSON form instead")
    return token


def decode_link(token: str) -> LabGame:
    """The game in a token made by :func:`encode_link`.

    Raises
    ------
    LabFileError
        On a token that is too long, not base64url, not zlib data, inflates
        past :data:`MAX_LINK_JSON` bytes, or does not hold a valid game.
    """
    if len(token) > MAX_LINK_CHARS:
        raise LabFileError(f"link: the game part is {len(token):,} characters; the limit is "
                           f"{MAX_LINK_CHARS:,}")
    if any(not (ch.isascii() and (ch.isalnum() or ch in "-_=")) for ch in token):
        raise LabFileError("link: the game part is damaged (unexpected characters)")
    inflater = zlib.decompressobj()
    try:
        packed = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        raw = inflater.decompress(packed, MAX_LINK_JSON)
    except (binascii.Error, ValueError, zlib.error):
        raise LabFileError("link: the game part is damaged (not a game link)") from None
    if inflater.unconsumed_tail:
        raise LabFileError(f"link: the game inflates past {MAX_LINK_JSON:,} bytes")
    if not inflater.eof:
        raise LabFileError("link: the game part is cut short (copy the whole link)")
    return load_json(raw, "link")
