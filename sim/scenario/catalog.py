"""The bundled scenarios in ``scenarios/``, like pygambit's ``catalog``."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

__all__ = ["scenarios_dir", "bundled_scenarios", "bundled_titles", "resolve_scenario",
           "DEFAULT_SCENARIO"]

#: The scenario the dashboard opens with.
DEFAULT_SCENARIO = "russia_nato_2022_02"


def scenarios_dir() -> Path:
    """``COERCION_SCENARIOS_DIR``, else the project's ``scenarios/`` folder."""
    env = os.environ.get("COERCION_SCENARIOS_DIR")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[2] / "scenarios"


def bundled_scenarios() -> dict[str, Path]:
    """Bundled scenario ids (file stems) mapped to their files, sorted."""
    folder = scenarios_dir()
    if not folder.is_dir():
        return {}
    return {p.stem: p for p in sorted(folder.glob("*.yaml"))}


def resolve_scenario(name: str) -> Path:
    """A bundled id, or a path that exists (the loader refuses what is not a regular
    file, with a located message); raises FileNotFoundError."""
    bundled = bundled_scenarios()
    if name in bundled:
        return bundled[name]
    path = Path(name)
    if os.path.lexists(path):
        return path
    known = ", ".join(bundled) or "none"
    raise FileNotFoundError(f"no scenario {name!r}: not a file, nor a bundled id ({known})")


_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@lru_cache(maxsize=64)
def _title(path: Path, mtime: float) -> str | None:
    try:
        with path.open("rb") as f:
            data = yaml.load(f, Loader=_LOADER)  # noqa: S506 - a safe loader
    except (OSError, yaml.YAMLError):
        return None
    meta = data.get("meta") if isinstance(data, dict) else None
    title = meta.get("title") if isinstance(meta, dict) else None
    return " ".join(title.split()) if isinstance(title, str) and title.strip() else None


def bundled_titles() -> dict[str, str]:
    """Bundled scenario ids mapped to their titles (``meta.title``; the id if it has none).

    Only the bundled files are read, with a safe loader; a file that does not parse
    keeps its id, and the loader reports its errors when it is opened.
    """
    out: dict[str, str] = {}
    for sid, path in bundled_scenarios().items():
        try:
            mtime = path.stat().st_mtime
        except OSError:
            out[sid] = sid
            continue
        out[sid] = _title(path, mtime) or sid
    return out
