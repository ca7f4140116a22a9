"""What the class store hands back: frozen records of sessions, players and rounds."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["CreatedSession", "JoinTicket", "RoundRecord", "PlayerState", "RoundClose",
           "InstructorState", "TurnState", "GroupProgress"]


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
class TurnState:
    """A student's place in a tree played in turn, as their information set shows it.

    ``seen`` are plain sentences of what they have observed so far; ``step``
    counts the moves made in their group (a move names it, so a repeated
    click is never played at the next node).
    """

    group: int
    my_move: bool
    infoset: str | None
    where: str
    actions: tuple[str, ...]
    seen: tuple[str, ...]
    step: int
    waiting_for: str | None
    seconds_left: float | None
    finished: bool
    outcome: str | None = None
    payoff: float | None = None
    paused: bool = False


@dataclass(frozen=True)
class GroupProgress:
    """Where one group of a tree round is, with nothing private: whose move, and how long."""

    group: int
    members: tuple[str, ...]
    waiting_for: str | None
    step: int
    seconds_left: float | None
    finished: bool


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
    #: a tree played in turn: this round's place in it (``None`` before the round starts
    #: or for a simultaneous game)
    turn: TurnState | None = None
    in_turn: bool = False
    started: bool = True
    seconds_left: float | None = None
    paused: bool = False
    removed: bool = False


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
    in_turn: bool = False
    #: whether the open round's groups are formed (always, for a simultaneous game)
    started: bool = True
    groups: tuple[GroupProgress, ...] = ()
    paused: bool = False
    time_limit: float | None = None
    default_move: str = ""
    #: seconds left of the simultaneous round's time limit
    seconds_left: float | None = None
    #: outcome label to count over the closed rounds
    outcomes_so_far: tuple[tuple[int, str, int], ...] = ()

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
