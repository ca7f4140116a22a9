"""The bundled scenarios in ``scenarios/``, like pygambit's ``catalog``."""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["scenarios_dir", "bundled_scenarios", "resolve_scenario", "DEFAULT_SCENARIO"]

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
