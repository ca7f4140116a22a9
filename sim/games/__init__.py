"""Finite games: normal form and extensive form.

The names below are imported on first use, so that importing one submodule
(``sim.games.errors``, say) does not load numpy and every game class.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__all__ = [
    "GameError",
    "NormalFormGame",
    "ExtensiveFormGame",
    "Terminal",
    "Decision",
    "Chance",
]

_HOME = {
    "GameError": "sim.games.errors",
    "NormalFormGame": "sim.games.normal_form",
    "ExtensiveFormGame": "sim.games.extensive_form",
    "Terminal": "sim.games.extensive_form",
    "Decision": "sim.games.extensive_form",
    "Chance": "sim.games.extensive_form",
}

if TYPE_CHECKING:
    from sim.games.errors import GameError
    from sim.games.extensive_form import Chance, Decision, ExtensiveFormGame, Terminal
    from sim.games.normal_form import NormalFormGame


def __getattr__(name: str) -> Any:
    if name in _HOME:
        value = getattr(import_module(_HOME[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'sim.games' has no attribute {name!r}")
