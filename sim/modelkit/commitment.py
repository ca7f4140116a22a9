"""Outcomes of the commitment-problem models: war now, or peace.

Both models of Powell's (2006) shifting-power game report one decision, the
declining state's attack in period 0; see
``docs/models/commitment_shifting_power.md`` and
``docs/models/commitment_guarantee_extension.md``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from sim.modelkit.vocabulary import check_power_shift
from sim.models.base import Flags, Model, Outcome

__all__ = ["war_or_peace", "check_power_shift_batch"]


def war_or_peace(model: Model, p: Mapping[str, Any], *, war: bool, regime: int,
                 payoffs: Sequence[float], flags: Flags, explanation: str,
                 details: Mapping[str, Any]) -> Outcome:
    """The outcome of one point: war (the declining state attacks) or agreement."""
    return model.point_outcome(
        p,
        outcome="War" if war else "Agreement",
        regime=model.regimes[regime],
        probabilities={"War": float(war), "Agreement": float(not war)},
        p_war=float(war),
        payoffs=dict(zip(model.players, payoffs, strict=True)),
        strategies={f"{model.players[0]} (period 0)": {"Attack": float(war),
                                                      "Accept": float(not war)}},
        flags=flags,
        explanation=explanation,
        details=details,
        method="closed form",
    )


def check_power_shift_batch(p0: np.ndarray, p1: np.ndarray) -> None:
    """Raise ModelError at the first point where power does not shift (p1 > p0)."""
    bad = p1 > p0
    if bad.any():
        k = int(np.argmax(bad))
        check_power_shift({"p0": float(p0[k]), "p1": float(p1[k])})
