"""The view settings a shared link carries beside the calibration.

The Regime map's axes, colouring, grid and one-parameter view, and the Sweep
tab's design, travel in the link as short ``map_*`` and ``sweep_*`` keys; an
uploaded scenario's file name travels as ``uploaded`` (a link cannot reopen an
uploaded file, so it names the file and nothing more). A link is typed by
anyone: every value is checked for shape and length here, and for meaning (is
it a parameter of this model?) where it is applied; what fails either check is
dropped without a word, and the view's default is used.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import TypeVar

__all__ = [
    "VIEW_STORE",
    "UPLOADED_KEY",
    "VIEW_KEYS",
    "is_view_key",
    "decode_view",
    "encode_view",
    "pick",
    "pick_int",
    "pick_names",
    "pick_range",
]

#: Session key of the view settings, the source of truth of the link's view keys.
VIEW_STORE = "_view"
#: Query key naming an uploaded scenario's file (not shareable: the file stays on the page).
UPLOADED_KEY = "uploaded"
#: The view keys of a link and what each holds.
VIEW_KEYS = {
    "map_x": "the map's horizontal axis (a parameter name)",
    "map_y": "the map's vertical axis",
    "map_colour": "what colours the map: regime or pwar",
    "map_grid": "the map's points per side",
    "map_one": "the one-parameter view's parameter",
    "sweep_vary": "the parameters the sweep varies, comma-separated",
    "sweep_design": "grid, random, lhs or sobol",
    "sweep_points": "the number of points wanted",
    "sweep_seed": "the sweep's seed",
    UPLOADED_KEY: "the uploaded file's name",
}
#: Per-parameter sweep keys: ``sweep_range.<name>=lo:hi`` and ``sweep_dist.<name>``.
_PREFIXED = ("sweep_range.", "sweep_dist.")
#: Longest value kept; names are short identifiers, numbers short literals.
MAX_VALUE = 200
#: Most per-parameter sweep keys read from one link.
MAX_PREFIXED = 32
_SAFE = re.compile(r"[A-Za-z0-9_.,:+\-]*")
_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,63}")

T = TypeVar("T")


def is_view_key(key: str) -> bool:
    """Whether ``key`` is a view key (the calibration's decoder skips those)."""
    return key in VIEW_KEYS or key.startswith(_PREFIXED)


def _clean_file_name(raw: str) -> str | None:
    base = raw.replace("\\", "/").rsplit("/", 1)[-1]
    text = "".join(ch for ch in base if ch.isprintable()).strip()[:80]
    return text or None


def decode_view(query: Mapping[str, str]) -> dict[str, str]:
    """The well-formed view keys of a link: short values of safe characters only.

    Anything else is dropped quietly; whether a value means something for the
    current model is decided where it is applied (:func:`pick` and friends).
    """
    out: dict[str, str] = {}
    prefixed = 0
    for key, raw in query.items():
        if not isinstance(raw, str) or not is_view_key(key):
            continue
        if key == UPLOADED_KEY:
            name = _clean_file_name(raw)
            if name is not None:
                out[key] = name
            continue
        if key.startswith(_PREFIXED):
            prefixed += 1
            if prefixed > MAX_PREFIXED or not _NAME.fullmatch(key.split(".", 1)[1]):
                continue
        if len(raw) <= MAX_VALUE and _SAFE.fullmatch(raw):
            out[key] = raw
    return out


def encode_view(view: Mapping[str, str]) -> dict[str, str]:
    """The query parameters of the view settings (only view keys, as given)."""
    return {k: v for k, v in view.items() if is_view_key(k)}


def pick(raw: str | None, allowed: Sequence[T], default: T) -> T:
    """``raw`` if it is one of ``allowed`` (compared as text), else ``default``."""
    for option in allowed:
        if raw is not None and str(option) == raw:
            return option
    return default


def pick_int(raw: str | None, lo: int, hi: int, default: int) -> int:
    """``raw`` as a whole number clipped to ``[lo, hi]``; ``default`` if it is none."""
    if raw is None or not re.fullmatch(r"[+-]?\d{1,12}", raw):
        return default
    return max(lo, min(hi, int(raw)))


def pick_names(raw: str | None, allowed: Sequence[str], default: list[str]) -> list[str]:
    """The comma-separated names of ``raw`` that are in ``allowed``, in order, once each;
    ``default`` if ``raw`` is absent. An empty list is kept (nothing chosen)."""
    if raw is None:
        return default
    wanted = [n for n in dict.fromkeys(raw.split(",")) if n in allowed]
    return wanted if wanted or raw == "" else default


def pick_range(raw: str | None, lo: float, hi: float) -> tuple[float, float]:
    """``raw`` (``a:b``) as a sub-range of ``[lo, hi]``, clipped; the whole range if
    it does not parse."""
    if raw is None or raw.count(":") != 1:
        return lo, hi
    try:
        a, b = (float(t) for t in raw.split(":"))
    except ValueError:
        return lo, hi
    if not (a == a and b == b):  # NaN
        return lo, hi
    a, b = max(lo, min(hi, a)), max(lo, min(hi, b))
    return (a, b) if a <= b else (b, a)
