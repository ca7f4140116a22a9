"""Finite games: normal form and extensive form."""

from sim.games.errors import GameError
from sim.games.extensive_form import Chance, Decision, ExtensiveFormGame, Terminal
from sim.games.normal_form import NormalFormGame

__all__ = [
    "GameError",
    "NormalFormGame",
    "ExtensiveFormGame",
    "Terminal",
    "Decision",
    "Chance",
]
