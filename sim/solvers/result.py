"""Frozen results shared by every ``<method>_solve`` function.

Each result records the method, its parameters, the equilibria and, for every
equilibrium, its max regret: the most any player gains by deviating. The
regret is the certificate a user can check; it is exact for exact games.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from types import MappingProxyType
from typing import Any

import numpy as np

__all__ = ["Equilibrium", "SolveResult"]


@dataclass(frozen=True)
class Equilibrium:
    """One equilibrium.

    Attributes
    ----------
    profile
        Normal-form mixed profile: one probability vector per player
        (``float64``, or ``object`` arrays of ``Fraction`` for exact games).
        Empty for purely behavioural results.
    payoffs
        Expected payoff of each player.
    regret
        Max regret of the profile (0 for an exact equilibrium).
    behavior
        Behaviour strategies of an extensive-form game: information-set key,
        then action label, then probability.
    beliefs
        Beliefs at information sets: information-set key, then node (path of
        action labels joined by ``"/"``), then probability.
    label
        A short description (``"pure"``, ``"mixed"``, ``"pooling"``, ...).
    """

    profile: tuple[np.ndarray, ...]
    payoffs: tuple[Any, ...]
    regret: float | Fraction
    behavior: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    beliefs: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    label: str = ""

    @classmethod
    def normal_form(cls, profile: tuple[np.ndarray, ...], payoffs: tuple[Any, ...],
                    regret: float | Fraction, label: str) -> Equilibrium:
        """A normal-form equilibrium, built without the frozen ``__init__``'s checks.

        For the compiled fast paths, where building the result would otherwise
        cost as much as solving a 2x2 game. The two empty mappings are shared
        and read-only.
        """
        self = object.__new__(cls)
        self.__dict__.update(profile=profile, payoffs=payoffs, regret=regret,
                             behavior=_EMPTY, beliefs=_EMPTY, label=label)
        return self


_EMPTY: Mapping[str, Mapping[str, Any]] = MappingProxyType({})


@dataclass(frozen=True)
class SolveResult:
    """The output of a ``<method>_solve`` call.

    Attributes
    ----------
    method
        Name of the method (``"enummixed"``, ``"lp"``, ``"spe"``, ...).
    parameters
        The parameters the method was called with.
    game
        The game that was solved.
    equilibria
        Every equilibrium found, in a deterministic order.
    degenerate
        The game is degenerate: equilibria may form connected components
        and only their extreme points are listed.
    components
        Groups of indices into ``equilibria`` that lie in one connected
        component of the equilibrium set (only when ``degenerate``).
    notes
        Human-readable remarks (ties broken, bifurcations met, ...).
    """

    method: str
    parameters: Mapping[str, Any]
    game: Any
    equilibria: tuple[Equilibrium, ...]
    degenerate: bool = False
    components: tuple[tuple[int, ...], ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def multiple_equilibria(self) -> bool:
        return len(self.equilibria) > 1

    @property
    def max_regret(self) -> float | Fraction:
        return max((e.regret for e in self.equilibria), default=0)

    def exact_regrets(self) -> tuple[Fraction, ...]:
        """The max regret of each equilibrium in exact rational arithmetic.

        The certificate checked without rounding: every probability and payoff
        is taken at its exact (for floats, binary) value. For a float game the
        regrets are small but rarely zero; for an exact game they are zero.
        """
        game = self.game.as_exact()
        out = []
        for e in self.equilibria:
            profile = [np.array([Fraction(v) for v in np.asarray(p).tolist()], dtype=object)
                       for p in e.profile]
            out.append(Fraction(game.regret(profile)))
        return tuple(out)

    def __len__(self) -> int:
        return len(self.equilibria)
