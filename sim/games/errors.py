"""The error raised when a game is malformed."""

from __future__ import annotations

__all__ = ["GameError"]


class GameError(ValueError):
    """A game (or game file) is malformed; the message says what is wrong."""
