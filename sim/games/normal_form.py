"""Finite N-player games in strategic (normal) form.

A game holds one payoff array per player. Every array has the shape
``(n_1, ..., n_N)``: entry ``payoffs[i][s_1, ..., s_N]`` is player ``i``'s
payoff when player ``k`` plays strategy ``s_k``. This is the convention of
Gambit's ``Game.from_arrays`` and of nashpy's bimatrix ``Game(A, B)``.

Payoffs are either floats (``float64`` arrays) or exact rationals
(``fractions.Fraction`` in ``object`` arrays). Exact games keep exact
arithmetic through the solvers, so certificates (max regret) are exact.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from functools import lru_cache
from math import fsum, isfinite
from numbers import Rational, Real
from typing import Any

import numpy as np
import numpy.typing as npt

from sim.games.errors import GameError

__all__ = ["NormalFormGame", "as_payoff_array"]


@lru_cache(maxsize=64)
def _default_players(n: int) -> tuple[str, ...]:
    return tuple(f"Player {i + 1}" for i in range(n))


@lru_cache(maxsize=256)
def _default_labels(k: int) -> tuple[str, ...]:
    return tuple(str(j + 1) for j in range(k))


def as_payoff_array(values: npt.ArrayLike, *, exact: bool | None = None) -> np.ndarray:
    """Convert payoffs to a read-only float or exact-rational array.

    Parameters
    ----------
    values
        Nested sequence or array of numbers.
    exact
        ``True`` converts every entry to ``Fraction`` (floats are converted
        exactly, via their binary value); ``False`` converts to ``float64``;
        ``None`` keeps entries exact when they are all ``int`` or ``Fraction``.

    Raises
    ------
    GameError
        If an entry is not a finite real number.
    """
    if exact is False or exact is None:
        numeric = np.asarray(values)
        # Fast path for float arrays (exact=None keeps integer arrays exact).
        if numeric.dtype.kind == "f" or (exact is False and numeric.dtype.kind in "iu"):
            out = np.array(numeric, dtype=float)
            if not np.isfinite(out).all():
                raise GameError(f"payoff {out[~np.isfinite(out)][0]!r} is not finite")
            out.setflags(write=False)
            return out
    raw = np.asarray(values, dtype=object)
    flat = raw.reshape(-1)
    for v in flat:
        if isinstance(v, bool) or not isinstance(v, Real):
            raise GameError(f"payoff {v!r} is not a real number")
        if not np.isfinite(float(v)):
            raise GameError(f"payoff {v!r} is not finite")
    if exact is None:
        exact = all(isinstance(v, Rational) for v in flat)
    if exact:
        out = np.empty(raw.shape, dtype=object)
        out.reshape(-1)[:] = [Fraction(v) for v in flat]
    else:
        out = np.array(raw, dtype=float)
    out.setflags(write=False)
    return out


class NormalFormGame:
    """A finite game in normal form with labelled players and strategies.

    Parameters
    ----------
    payoffs
        One array per player, each of shape ``(n_1, ..., n_N)``.
    players
        Player names; defaults to ``"Player 1"``, ``"Player 2"``, ...
    strategies
        For each player, the labels of its strategies; defaults to
        ``"1"``, ``"2"``, ... as Gambit numbers them.
    title
        A short title, written to Gambit files.
    exact
        See :func:`as_payoff_array`. All arrays share one arithmetic: if any
        array is float the whole game is float unless ``exact=True``.

    Examples
    --------
    >>> g = NormalFormGame.from_arrays([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    >>> g.shape
    (2, 2)
    >>> g.is_exact
    True
    """

    __slots__ = ("_payoffs", "_players", "_strategies", "_title", "_exact")

    def __init__(
        self,
        payoffs: Sequence[npt.ArrayLike],
        players: Sequence[str] | None = None,
        strategies: Sequence[Sequence[str]] | None = None,
        title: str = "",
        *,
        exact: bool | None = None,
    ) -> None:
        if len(payoffs) == 0:
            raise GameError("a game needs at least one player")
        if (players is None and strategies is None and exact is not True
                and self._init_float(payoffs, title)):
            return
        try:
            kinds = [np.asarray(a).dtype.kind for a in payoffs]
        except ValueError as exc:
            raise GameError(f"payoff arrays must be rectangular: {exc}") from exc
        if exact is None and all(kind == "f" for kind in kinds):
            exact = False
        if exact is None:
            exact = all(
                isinstance(v, Rational) and not isinstance(v, bool)
                for a in payoffs
                for v in np.asarray(a, dtype=object).reshape(-1)
            )
        arrays = tuple(as_payoff_array(a, exact=exact) for a in payoffs)
        n = len(arrays)
        shape = arrays[0].shape
        if len(shape) != n:
            raise GameError(
                f"payoff array of player 1 has {len(shape)} dimensions; "
                f"a {n}-player game needs {n}"
            )
        for i, a in enumerate(arrays):
            if a.shape != shape:
                raise GameError(
                    f"payoff array of player {i + 1} has shape {a.shape}; expected {shape}"
                )
        if any(k == 0 for k in shape):
            raise GameError("every player needs at least one strategy")
        if players is None:
            players = [f"Player {i + 1}" for i in range(n)]
        players = tuple(str(p) for p in players)
        if len(players) != n:
            raise GameError(f"{len(players)} player names given for {n} players")
        if len(set(players)) != n:
            raise GameError("player names must be distinct")
        if strategies is None:
            strategies = [[str(j + 1) for j in range(k)] for k in shape]
        strategies = tuple(tuple(str(s) for s in labels) for labels in strategies)
        if len(strategies) != n:
            raise GameError(f"strategy labels given for {len(strategies)} players; expected {n}")
        for i, (labels, k) in enumerate(zip(strategies, shape, strict=True)):
            if len(labels) != k:
                raise GameError(
                    f"player {players[i]!r} has {k} strategies but {len(labels)} labels"
                )
            if len(set(labels)) != k:
                raise GameError(f"strategy labels of player {players[i]!r} must be distinct")
        self._payoffs = arrays
        self._players = players
        self._strategies = strategies
        self._title = str(title)
        self._exact = bool(exact)

    def _init_float(self, payoffs: Sequence[npt.ArrayLike], title: str) -> bool:
        """The common case made cheap: float arrays of one shape, default labels.

        Returns ``False`` (having set nothing) when the general path is needed.
        """
        n = len(payoffs)
        arrays = []
        shape = None
        for a in payoffs:
            if type(a) is not np.ndarray or a.dtype != np.float64:
                return False
            if shape is None:
                shape = a.shape
            if a.shape != shape:
                return False
            arrays.append(a.copy())
        assert shape is not None
        if len(shape) != n or 0 in shape:
            return False
        for a in arrays:
            # One sum screens every entry (fsum is the cheapest for the small
            # games this path is for); non-finite values, or a sum beyond the
            # float range, take the general path, which names the culprit.
            try:
                if not isfinite(fsum(a.flat) if a.size <= 64 else a.sum()):
                    return False
            except OverflowError:
                return False
            a.setflags(write=False)
        self._payoffs = tuple(arrays)
        self._players = _default_players(n)
        self._strategies = tuple(_default_labels(k) for k in shape)
        self._title = str(title)
        self._exact = False
        return True

    # -- constructors -------------------------------------------------------
    @classmethod
    def from_arrays(
        cls,
        *arrays: npt.ArrayLike,
        players: Sequence[str] | None = None,
        strategies: Sequence[Sequence[str]] | None = None,
        title: str = "",
        exact: bool | None = None,
    ) -> NormalFormGame:
        """Build a game from one payoff array per player (Gambit's convention)."""
        return cls(list(arrays), players, strategies, title, exact=exact)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> NormalFormGame:
        """Inverse of :meth:`to_dict`."""
        exact = bool(data.get("exact", False))
        payoffs = data["payoffs"]
        if exact:
            payoffs = [_parse_fractions(a) for a in payoffs]
        return cls(
            payoffs,
            data.get("players"),
            data.get("strategies"),
            data.get("title", ""),
            exact=exact,
        )

    def to_arrays(self) -> tuple[np.ndarray, ...]:
        """The payoff arrays, one per player (read-only)."""
        return self._payoffs

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict; exact payoffs are written as ``"p/q"`` strings."""
        if self._exact:
            payoffs: list[Any] = [_format_fractions(a) for a in self._payoffs]
        else:
            payoffs = [a.tolist() for a in self._payoffs]
        return {
            "title": self._title,
            "players": list(self._players),
            "strategies": [list(s) for s in self._strategies],
            "exact": self._exact,
            "payoffs": payoffs,
        }

    # -- properties ---------------------------------------------------------
    @property
    def payoffs(self) -> tuple[np.ndarray, ...]:
        return self._payoffs

    @property
    def players(self) -> tuple[str, ...]:
        return self._players

    @property
    def strategies(self) -> tuple[tuple[str, ...], ...]:
        return self._strategies

    @property
    def title(self) -> str:
        return self._title

    @property
    def is_exact(self) -> bool:
        return self._exact

    @property
    def n_players(self) -> int:
        return len(self._players)

    @property
    def shape(self) -> tuple[int, ...]:
        return tuple(self._payoffs[0].shape)

    def as_float(self) -> NormalFormGame:
        """The same game with float payoffs."""
        if not self._exact:
            return self
        return NormalFormGame(
            [a.astype(float) for a in self._payoffs],
            self._players,
            self._strategies,
            self._title,
            exact=False,
        )

    def as_exact(self) -> NormalFormGame:
        """The same game with exact rational payoffs."""
        if self._exact:
            return self
        return NormalFormGame(
            self._payoffs, self._players, self._strategies, self._title, exact=True
        )

    # -- evaluation ---------------------------------------------------------
    def expected_payoffs(self, profile: Sequence[npt.ArrayLike]) -> np.ndarray:
        """Expected payoff of every player under a mixed profile.

        ``profile[i]`` is player ``i``'s probability vector. With an exact game
        and ``Fraction`` probabilities the result is exact.
        """
        return np.array([self._contract(a, profile, skip=None) for a in self._payoffs])

    def strategy_values(self, profile: Sequence[npt.ArrayLike], player: int) -> np.ndarray:
        """Payoff to ``player`` of each of its pure strategies against ``profile``."""
        return np.asarray(self._contract(self._payoffs[player], profile, skip=player))

    def regret(self, profile: Sequence[npt.ArrayLike]) -> Any:
        """Max regret: the most any player gains by a unilateral deviation."""
        worst: Any = 0
        for i in range(self.n_players):
            values = self.strategy_values(profile, i)
            probs = np.asarray(profile[i], dtype=object if self._exact else float)
            current = sum(v * p for v, p in zip(values, probs, strict=True))
            worst = max(worst, max(values) - current)
        return worst

    def _contract(
        self, array: np.ndarray, profile: Sequence[npt.ArrayLike], skip: int | None
    ) -> Any:
        result: Any = array
        # Contract from the last axis so axis numbers of earlier players stay valid.
        for k in range(self.n_players - 1, -1, -1):
            if k == skip:
                continue
            probs = np.asarray(profile[k], dtype=object if self._exact else float)
            result = np.tensordot(result, probs, axes=([k], [0]))
        return result

    # -- dunder -------------------------------------------------------------
    def __eq__(self, other: object) -> bool:
        if not isinstance(other, NormalFormGame):
            return NotImplemented
        return (
            self._players == other._players
            and self._strategies == other._strategies
            and self._title == other._title
            and self._exact == other._exact
            and all(
                np.array_equal(a, b) for a, b in zip(self._payoffs, other._payoffs, strict=True)
            )
        )

    def __hash__(self) -> int:
        return hash((self._players, self._strategies, self._title, self.shape))

    def __repr__(self) -> str:
        dims = "x".join(str(k) for k in self.shape)
        kind = "exact" if self._exact else "float"
        return f"NormalFormGame({dims}, players={list(self._players)}, {kind})"


def _format_fractions(a: np.ndarray) -> Any:
    return np.vectorize(lambda v: str(Fraction(v)), otypes=[object])(a).tolist()


def _parse_fractions(a: Any) -> np.ndarray:
    arr = np.asarray(a, dtype=object)
    return np.vectorize(lambda v: Fraction(v), otypes=[object])(arr)
