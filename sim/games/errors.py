"""The errors raised when a game is malformed or too large."""

from __future__ import annotations

__all__ = ["GameError", "GameTooLarge"]


class GameError(ValueError):
    """A game (or game file) is malformed; the message says what is wrong."""


class GameTooLarge(GameError):
    """A game exceeds a size limit; the message names the limit and how to raise it."""
