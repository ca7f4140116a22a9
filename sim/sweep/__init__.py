"""Sweeps: a design of parameter points, solved in vectorised chunks, summarised.

One stack serves the command line and the dashboard: a :class:`SweepSpec`
(``sim.scenario.sweep_spec``) is resolved against its model
(:mod:`sim.sweep.resolve`), its points come from the streamed design
(:mod:`sim.sweep.design`), and :mod:`sim.sweep.engine` evaluates them, in
memory or into a chunked Parquet dataset.

The names below are loaded on first use, so that reading and checking a
spec does not import pandas.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sim.scenario.sweep_spec import SAMPLERS

if TYPE_CHECKING:
    from sim.sweep.run import (
        INVALID,
        PointSolutions,
        RegimeMap,
        evaluate,
        outcome_profile,
        regime_map,
        regime_shares,
        sensitivity,
    )

__all__ = [
    "INVALID",
    "SAMPLERS",
    "PointSolutions",
    "RegimeMap",
    "evaluate",
    "outcome_profile",
    "regime_map",
    "regime_shares",
    "sensitivity",
]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from sim.sweep import run

        return getattr(run, name)
    raise AttributeError(f"module 'sim.sweep' has no attribute {name!r}")
