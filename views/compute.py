"""Cached computations behind the tabs: every argument is hashable plain data.

Parameters travel as sorted ``(name, value)`` tuples so that equal
calibrations hit the same cache entry whatever order they were built in.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

import pandas as pd
import streamlit as st

from sim.modelkit.render import render_game, render_outcome
from sim.models.base import Outcome
from sim.models.registry import get_model
from sim.sweep import RegimeMap, outcome_profile, regime_map

__all__ = ["Frozen", "freeze", "solve", "game_of", "cached_regime_map", "cached_profile",
           "seconds_per_point"]

Frozen = tuple[tuple[str, Any], ...]


def freeze(params: Mapping[str, Any]) -> Frozen:
    """A calibration as a hashable, order-independent tuple."""
    return tuple(sorted(params.items()))


@st.cache_data(show_spinner=False, max_entries=2048)
def solve(model_name: str, params: Frozen, names: Frozen = ()) -> Outcome:
    """The model's solution at ``params`` (raises ModelError on invalid input).

    ``names`` (display name -> actor name, frozen) renders it in the
    scenario's actor names.
    """
    return render_outcome(get_model(model_name).solve(dict(params)), dict(names))


@st.cache_data(show_spinner=False, max_entries=256)
def game_of(model_name: str, params: Frozen, names: Frozen = ()) -> Any:
    """The finite game the model solves at ``params`` in actor names, or ``None``."""
    return render_game(get_model(model_name).game(dict(params)), dict(names))


@st.cache_data(show_spinner=False, max_entries=32)
def cached_regime_map(model_name: str, fixed: Frozen, x: tuple[str, float, float],
                      y: tuple[str, float, float], n: int) -> RegimeMap:
    return regime_map(model_name, dict(fixed), x, y, nx=n, ny=n)


@st.cache_data(show_spinner=False, max_entries=64)
def cached_profile(model_name: str, fixed: Frozen, name: str, lo: float, hi: float,
                   n: int) -> pd.DataFrame:
    return outcome_profile(model_name, dict(fixed), name, lo, hi, n)


@st.cache_data(show_spinner=False, max_entries=128)
def seconds_per_point(model_name: str, fixed: Frozen, x: tuple[str, float, float],
                      y: tuple[str, float, float]) -> float:
    """Marginal solve time per point, from probe grids of 16 and 64 points (and 1,024
    when 64 are cheap).

    Models without a closed form are solved point by point and can be a thousand times
    slower than vectorised ones; the probe lets the page keep its time budget. The
    difference of two probe sizes removes the fixed cost of a call.
    """
    regime_map(model_name, dict(fixed), x, y, nx=2, ny=2)  # warm-up: compilation, caches

    def timed(n: int) -> tuple[float, int]:
        """Seconds for an n×n probe, and its points (an integer axis may have fewer)."""
        start = time.perf_counter()
        rm = regime_map(model_name, dict(fixed), x, y, nx=n, ny=n)
        return time.perf_counter() - start, rm.xs.size * rm.ys.size

    (small, n_small), (large, n_large) = timed(4), timed(8)
    if large < 0.05:  # cheap: repeat, so that a pause of the machine is not taken as cost
        small, large = min(small, timed(4)[0]), min(large, timed(8)[0])
    if 16 * large < 0.1:
        # A vectorised model's fixed cost still dominates at 64 points: take the
        # margin up to 1,024 points, where its cost per point shows.
        (small, n_small), (large, n_large) = (large, n_large), timed(32)
    margin = (large - small) / max(n_large - n_small, 1)
    return max(min(large / n_large, margin), 1e-9)


def solve_time_words(per_point: float, points: int) -> str:
    """A solve time in words: "a point takes about 0.41 ms to solve here, so 10,000 points
    take about 4.1 s"."""
    total = points * per_point
    seconds = ("under 0.1 s" if total < 0.1 else
               f"about {total:.2g} s" if total < 10 else f"about {total:.0f} s")
    return (f"a point takes about {1e3 * per_point:.2g} ms to solve here, so {points:,} "
            f"points take {seconds}")
