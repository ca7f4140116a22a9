"""The Regime map tab: how the equilibrium changes over two parameters (or one)."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
import streamlit as st

from sim.modelkit.render import substitute
from sim.models.base import Model
from sim.scenario.schema import Analysis, Parameter
from sim.sweep import INVALID, RegimeMap, regime_shares
from views.compute import (
    cached_profile,
    cached_regime_map,
    freeze,
    seconds_per_point,
    solve_time_words,
)
from views.map_figures import axis_labels, param_range, profile_figure, regime_map_figure
from views.sidebar import Selection, set_view, view_setting
from views.state import regime_words
from views.view_query import pick

__all__ = ["render_map_tab", "profile_in_words", "map_in_words", "COLOURINGS"]

RESOLUTIONS = (10, 25, 50, 100, 200)
#: Seconds a map may take by default; slower models get a coarser default grid.
MAP_BUDGET = 1.0
#: What colours the map: the link's value → the radio's words.
COLOURINGS = {"regime": "regime", "pwar": "P(war)"}


def grid_points(model: Model, x: tuple[str, float, float], y: tuple[str, float, float],
                n: int) -> int:
    """Points of an ``n``×``n`` map (integer axes have one column per whole number)."""
    def size(axis: tuple[str, float, float]) -> int:
        if model.param(axis[0]).kind == "integer":
            return min(n, int(np.floor(axis[2]) - np.ceil(axis[1])) + 1)
        return n

    return size(x) * size(y)


def default_resolution(model: Model, x: tuple[str, float, float],
                       y: tuple[str, float, float], seconds_per_point: float) -> int:
    """The finest grid expected to be drawn within :data:`MAP_BUDGET`."""
    fits = [n for n in RESOLUTIONS
            if grid_points(model, x, y, n) * seconds_per_point <= MAP_BUDGET]
    return fits[-1] if fits else RESOLUTIONS[0]


def map_in_words(rm: RegimeMap, x_label: str, y_label: str,
                 names: Mapping[str, str]) -> RegimeMap:
    """The map with its axes and regimes named in words and actor names."""
    return dataclasses.replace(rm, x_name=x_label, y_name=y_label,
                               regimes=tuple(regime_words(rm.model, r, names)
                                             for r in rm.regimes))


def profile_in_words(frame: pd.DataFrame, name: str, label: str, outcomes: Sequence[str],
                     names: Mapping[str, str]) -> tuple[pd.DataFrame, tuple[str, ...]]:
    """A one-parameter profile with the parameter's words for its column and the
    outcomes in actor names; returns the renamed frame and the outcome labels."""
    worded = tuple(substitute(o, names) for o in outcomes)
    columns = {name: label, **{f"P({o})": f"P({w})" for o, w in zip(outcomes, worded,
                                                                    strict=True)}}
    return frame.rename(columns=columns), worded


#: Points per line when looking for the axes along which the equilibrium changes.
PROBE_POINTS = 21
#: Models slower than this per point keep their first two parameters as axes.
PROBE_MAX_SECONDS = 1e-3


def informative_axes(model: Model, analysis: Analysis, specs: Mapping[str, Parameter],
                     params: Mapping[str, object], names: Sequence[str],
                     per_point: float) -> list[str]:
    """``names`` ordered by how much the equilibrium changes along each one alone:
    most regimes crossed first, then the widest swing of P(war). A map over the first
    two then shows a boundary, not a uniform field or a split along one axis only.
    Point-by-point models are not probed (the order is kept)."""
    if per_point > PROBE_MAX_SECONDS:
        return list(names)
    score: dict[str, tuple[int, float, float]] = {}
    for name in names:
        lo, hi = param_range(model, analysis, specs, name)
        frame = cached_profile(model.name, freeze(dict(params)), name, lo, hi, PROBE_POINTS)
        valid = frame["regime"] != INVALID
        swing = frame.loc[valid, "p_war"]
        score[name] = (-int(frame.loc[valid, "regime"].nunique()), float(1.0 - valid.mean()),
                       -float(swing.max() - swing.min()) if len(swing) else 0.0)
    # Most regimes crossed, then fewest invalid points, then the widest swing of P(war).
    return sorted(names, key=lambda n: (*score[n], names.index(n)))


def _seed(key: str, value: object) -> None:
    if key not in st.session_state:
        st.session_state[key] = value


def render_map_tab(sel: Selection) -> None:
    if sel.bound is None:
        st.error(sel.error or "no model")
        return
    model = sel.bound.model
    specs = {p.name: p for p in sel.scenario.parameters}
    actors = sel.bound.names
    labels = axis_labels(model, sel.analysis, specs, actors)
    names = list(labels)
    if not names:
        st.info("This model has no numeric parameter to map.")
        return
    params = sel.params
    profile_n = 201
    if len(names) >= 2:
        c1, c2, c3, c4 = st.columns(4)
        kx, ky, kn = f"map_x.{model.name}", f"map_y.{model.name}", f"map_n.{model.name}"
        if kx not in st.session_state or ky not in st.session_state:
            first = (names[0], *param_range(model, sel.analysis, specs, names[0]))
            second = (names[1], *param_range(model, sel.analysis, specs, names[1]))
            ranked = informative_axes(model, sel.analysis, specs, params, names,
                                      seconds_per_point(model.name, freeze(params), first,
                                                        second))
        else:
            ranked = list(names)
        _seed(kx, pick(view_setting("map_x"), names, ranked[0]))
        x = c1.selectbox("Horizontal axis", names, key=kx, format_func=labels.__getitem__)
        y_names = [n for n in names if n != x]
        if st.session_state.get(ky) not in y_names:
            st.session_state[ky] = pick(view_setting("map_y"), y_names,
                                        next(n for n in ranked if n != x))
        y = c2.selectbox("Vertical axis", y_names, key=ky, format_func=labels.__getitem__)
        _seed("map_kind", pick(view_setting("map_colour"), list(COLOURINGS), "regime"))
        kind = c3.radio("Colour by", list(COLOURINGS), horizontal=True, key="map_kind",
                        format_func=COLOURINGS.__getitem__)
        xr = param_range(model, sel.analysis, specs, x)
        yr = param_range(model, sel.analysis, specs, y)
        per_point = seconds_per_point(model.name, freeze(params), (x, *xr), (y, *yr))
        best = default_resolution(model, (x, *xr), (y, *yr), per_point)
        profile_n = int(np.clip(MAP_BUDGET / max(per_point, 1e-9), 21, 201))
        _seed(kn, pick(view_setting("map_grid"), RESOLUTIONS, best))
        n = c4.selectbox("Grid", RESOLUTIONS, key=kn, format_func=lambda k: f"{k}×{k}")
        for key, value in (("map_x", x), ("map_y", y), ("map_colour", kind),
                           ("map_grid", str(n))):
            set_view(key, str(value))
        if best < RESOLUTIONS[-1]:
            words = solve_time_words(per_point, grid_points(model, (x, *xr), (y, *yr), n))
            st.caption(f"The map starts at {best}×{best}, to be drawn within a second: {words}.")
        rm = cached_regime_map(model.name, freeze(params), (x, *xr), (y, *yr), n)
        point = (float(params[x]), float(params[y])) if x in params and y in params else None
        worded = map_in_words(rm, labels[x], labels[y], actors)
        st.plotly_chart(regime_map_figure(worded, "p_war" if kind == "pwar" else "regime",
                                          point), key="map_figure")
        other = [f"{labels[k]} = {v:g}" for k, v in params.items()
                 if k in labels and k not in (x, y) and isinstance(v, int | float)]
        if other:
            st.caption("Other parameters held at their current values: "
                       + "; ".join(other) + ".")
        else:
            st.caption("The model has no other numeric parameter.")
        st.caption("Share of the map in each regime: " + "; ".join(
            f"{k} {v:.0%}" for k, v in worded.shares().items()))
    st.markdown("#### One parameter")
    _seed(f"map_one.{model.name}", pick(view_setting("map_one"), names, names[0]))
    one = st.selectbox("Parameter", names, key=f"map_one.{model.name}",
                       format_func=labels.__getitem__)
    set_view("map_one", one)
    lo, hi = param_range(model, sel.analysis, specs, one)
    frame = cached_profile(model.name, freeze(params), one, lo, hi, profile_n)
    shown, outcomes = profile_in_words(frame, one, labels[one], model.outcomes, actors)
    st.plotly_chart(profile_figure(shown, labels[one], outcomes,
                                   float(params[one]) if one in params else None),
                    key="map_profile")
    st.caption("Regimes along this line: " + "; ".join(
        f"{regime_words(model.name, k, actors)} {v:.0%}"
        for k, v in regime_shares(frame).items()))
