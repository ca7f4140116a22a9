"""Simulated students: policies that pick a move for a role and type.

A policy is written as text, as on the command line:

* ``nash``: the game's equilibrium prediction for the agent;
* ``qre:λ``: the principal-branch logit QRE at precision λ (McKelvey & Palfrey 1995);
* ``uniform``: every action equally likely;
* ``always:ACTION``: that action wherever the agent has it, else the equilibrium.

Draws use an explicit numpy ``Generator``, so a seeded class plays the same way.
:class:`BotClass` joins simulated students through the store's public
``join``/``player_state``/``submit`` calls, exactly as the browser does.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass, field

import numpy as np

from sim.classroom.games import ClassroomGame

__all__ = ["Policy", "parse_policy", "BotClass"]


@dataclass(frozen=True)
class Policy:
    """A parsed bot policy: ``kind`` is nash, qre, uniform or always."""

    kind: str
    lam: float = 0.0
    action: str = ""

    @property
    def text(self) -> str:
        if self.kind == "qre":
            return f"qre:{self.lam:g}"
        if self.kind == "always":
            return f"always:{self.action}"
        return self.kind

    def probabilities(self, game: ClassroomGame, role: str, type_: str | None,
                      infoset: str | None = None) -> dict[str, float]:
        """The probability of each action of the agent ``(role, type_)``, or of a tree's
        agent at ``infoset``."""
        agent = game.agent_at(infoset) if infoset is not None else game.agent(role, type_)
        if self.kind == "uniform":
            return {a: 1.0 / len(agent.actions) for a in agent.actions}
        if self.kind == "always" and self.action in agent.actions:
            return {a: float(a == self.action) for a in agent.actions}
        if self.kind == "qre":
            profile = _qre(game.name, tuple(sorted(game.params.items())), self.lam, game.source)
            return dict(profile[agent.key])
        return {a: float(game.prediction[agent.key][a]) for a in agent.actions}

    def choose(self, game: ClassroomGame, role: str, type_: str | None,
               rng: np.random.Generator, infoset: str | None = None) -> str:
        probs = self.probabilities(game, role, type_, infoset)
        names = list(probs)
        weights = np.clip(np.array([probs[a] for a in names], dtype=float), 0.0, None)
        weights = weights / weights.sum() if weights.sum() > 0 else np.full(len(names),
                                                                              1 / len(names))
        return names[int(rng.choice(len(names), p=weights))]


def parse_policy(text: str, game: ClassroomGame | None = None) -> Policy:
    """Parse ``nash``, ``uniform``, ``qre:2.0`` or ``always:ACTION``; a clear error otherwise."""
    raw = str(text or "").strip()
    kind, _, arg = raw.partition(":")
    kind = kind.strip().lower()
    if kind in ("nash", "uniform") and not arg:
        return Policy(kind)
    if kind == "qre":
        try:
            lam = float(arg)
        except ValueError:
            lam = math.nan
        if not math.isfinite(lam) or lam < 0 or lam > 1000:
            raise ValueError(f"policy {raw!r}: λ must be a number from 0 to 1000, as in qre:2.0")
        return Policy("qre", lam=lam)
    if kind == "always" and arg.strip():
        action = arg.strip()
        if game is not None:
            known = sorted({a for agent in game.agents for a in agent.actions})
            match = [a for a in known if a.lower() == action.lower()]
            if not match:
                raise ValueError(f"policy {raw!r}: no player has the action {action!r}; "
                                 f"choose one of: {', '.join(known)}")
            action = match[0]
        return Policy("always", action=action)
    raise ValueError(f"unknown policy {raw!r}; use nash, uniform, qre:LAMBDA or always:ACTION")


@functools.lru_cache(maxsize=32)
def _qre(game_name: str, params: tuple[tuple[str, float], ...], lam: float, source: str = ""
         ) -> dict[str, dict[str, float]]:
    from sim.classroom.debrief import qre_profile
    from sim.classroom.games import make_game
    from sim.classroom.lab_games import LAB_GAME_NAME, lab_game_from_json

    if game_name == LAB_GAME_NAME:
        import json

        return qre_profile(lab_game_from_json(source, json.dumps(dict(params), sort_keys=True)),
                           lam)
    return qre_profile(make_game(game_name, dict(params)), lam)


@dataclass
class BotClass:
    """Simulated students who play a session through the store's public calls.

    Parameters
    ----------
    store
        A :class:`~sim.classroom.store.ClassroomStore` (same database as the browser).
    code
        The session's join code.
    policy
        Their policy.
    seed
        Seed of their draws: bot ``i`` in round ``r`` draws from ``default_rng([seed, i, r])``.
    """

    store: object
    code: str
    policy: Policy
    seed: int = 0
    tokens: list[str] = field(default_factory=list)

    def join(self, n: int, prefix: str = "Bot") -> list[str]:
        """Join ``n`` simulated students, named ``Bot 1``, ``Bot 2``, … (skipping taken names)."""
        from sim.classroom.store import ClassroomError

        k = 0
        joined = 0
        while joined < n:
            k += 1
            if k > n + 1000:
                raise ClassroomError("could not find free names for the simulated students")
            try:
                ticket = self.store.join(self.code, f"{prefix} {k}", client="bots")  # type: ignore[attr-defined]
            except ClassroomError as exc:
                if "taken" in str(exc):
                    continue
                raise
            self.tokens.append(ticket.player_token)
            joined += 1
        return list(self.tokens)

    def play(self) -> int:
        """Each bot whose move it is moves; returns how many moved.

        In a simultaneous game a bot moves once per round. In a tree a bot
        moves when the page would tell it that it is its move; call
        :meth:`play_round` to go on until every group of the round is waiting
        for someone else or finished.
        """
        game = None
        moved = 0
        for i, token in enumerate(self.tokens):
            me = self.store.player_state(token)  # type: ignore[attr-defined]
            if me.ended or not me.round_open:
                continue
            if me.in_turn and me.turn is None:
                continue  # a tree's round not started yet, or joined after it started
            if me.turn is not None:
                if not me.turn.my_move:
                    continue
            elif me.submitted is not None:
                continue
            if game is None:
                game = self.store.player_game(token)  # type: ignore[attr-defined]
            if me.turn is not None:
                rng = np.random.default_rng([self.seed, i, me.round, me.turn.step])
                action = self.policy.choose(game, me.role, me.type, rng, me.turn.infoset)
                self.store.submit(token, action, me.round,  # type: ignore[attr-defined]
                                  step=me.turn.step)
            else:
                rng = np.random.default_rng([self.seed, i, me.round])
                action = self.policy.choose(game, me.role, me.type, rng)
                self.store.submit(token, action, me.round)  # type: ignore[attr-defined]
            moved += 1
        return moved

    def play_round(self, limit: int = 100) -> int:
        """Play until no bot has a move left in the open round; returns the moves made."""
        total = 0
        for _ in range(limit):
            moved = self.play()
            total += moved
            if not moved:
                break
        return total
