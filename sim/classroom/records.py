"""What the class store hands back: frozen records of sessions, players and rounds."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["CreatedSession", "JoinTicket", "RoundRecord", "PlayerState", "RoundClose",
           "InstructorState"]


@dataclass(frozen=True)
class CreatedSession:
    """A new session: its code, the instructor's secret token and the one-time recovery code."""

    session_id: int
    code: str
    instructor_token: str
    recovery_code: str


@dataclass(frozen=True)
class JoinTicket:
    player_token: str
    role: str
    type: str | None
    rejoined: bool = False


@dataclass(frozen=True)
class RoundRecord:
    """One closed round as its student saw it."""

    round: int
    action: str
    partners: dict[str, str]
    outcome: str
    payoff: float
    role: str = ""
    type: str | None = None
    opponent: str | None = None
    opponent_is_bot: bool = False


@dataclass(frozen=True)
class PlayerState:
    name: str
    role: str
    type: str | None
    actions: tuple[str, ...]
    round: int
    round_open: bool
    submitted: str | None
    last_outcome: str | None
    last_payoff: float | None
    game_title: str
    briefing: str
    game_name: str = ""
    params: tuple[tuple[str, float], ...] = ()
    history: tuple[RoundRecord, ...] = ()
    ended: bool = False
    rounds: int | None = None
    rotate: bool = False


@dataclass(frozen=True)
class RoundClose:
    """What closing a round did: the outcomes, and who was left out for not moving."""

    round: int
    outcomes: tuple[dict[str, Any], ...]
    dropped: tuple[str, ...]
    already_closed: bool = False


@dataclass(frozen=True)
class InstructorState:
    """The live view of a session. Private types are not in it: the page is projected."""

    code: str
    game: str
    round: int
    round_open: bool
    players: tuple[dict[str, Any], ...]
    submitted: int
    ended: bool = False
    by_role: tuple[tuple[str, int, int], ...] = ()
    rounds: int | None = None
    matching: str = "random"
    rotate: bool = False
    fill_gap: bool = False
    #: whether the computer player that fills the gap of an odd class has played
    computer_player: bool = False

    @property
    def finished(self) -> bool:
        """Whether every one of a fixed number of rounds has been played."""
        return self.rounds is not None and self.round > self.rounds

    @property
    def joined(self) -> int:
        return len(self.players)

    @property
    def missing(self) -> tuple[str, ...]:
        """Names of the students who have not moved in the current round."""
        return tuple(p["name"] for p in self.players if not p["submitted"])
