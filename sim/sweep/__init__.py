"""In-memory sweeps: sample parameters, solve in vectorised chunks, summarise."""

from sim.sweep.run import (
    INVALID,
    PointSolutions,
    RegimeMap,
    evaluate,
    outcome_profile,
    regime_map,
    regime_shares,
    run_sweep,
    sensitivity,
)
from sim.sweep.sampling import DISTRIBUTIONS, SAMPLERS, Varied, sample, unit_points

__all__ = [
    "DISTRIBUTIONS",
    "INVALID",
    "SAMPLERS",
    "PointSolutions",
    "RegimeMap",
    "Varied",
    "evaluate",
    "outcome_profile",
    "regime_map",
    "regime_shares",
    "run_sweep",
    "sample",
    "sensitivity",
    "unit_points",
]
