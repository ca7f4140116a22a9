"""The Regime map tab: how the equilibrium changes over two parameters (or one)."""

from __future__ import annotations

import numpy as np
import streamlit as st

from sim.models.base import Model
from sim.sweep import regime_shares
from views.compute import cached_profile, cached_regime_map, freeze, seconds_per_point
from views.map_figures import mappable_params, param_range, profile_figure, regime_map_figure
from views.sidebar import Selection
from views.state import humanise

__all__ = ["render_map_tab"]

RESOLUTIONS = (10, 25, 50, 100, 200)
#: Seconds a map may take by default; slower models get a coarser default grid.
MAP_BUDGET = 1.0


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


def render_map_tab(sel: Selection) -> None:
    if sel.bound is None:
        st.error(sel.error or "no model")
        return
    model = sel.bound.model
    names = mappable_params(model)
    if not names:
        st.info("This model has no numeric parameter to map.")
        return
    specs = {p.name: p for p in sel.scenario.parameters}
    params = sel.params
    profile_n = 201
    if len(names) >= 2:
        c1, c2, c3, c4 = st.columns(4)
        x = c1.selectbox("Horizontal axis", names, index=0, key=f"map_x.{model.name}")
        y_names = [n for n in names if n != x]
        y = c2.selectbox("Vertical axis", y_names, index=0, key=f"map_y.{model.name}")
        kind = c3.radio("Colour by", ["regime", "P(war)"], horizontal=True, key="map_kind")
        xr = param_range(model, sel.analysis, specs, x)
        yr = param_range(model, sel.analysis, specs, y)
        per_point = seconds_per_point(model.name, freeze(params), (x, *xr), (y, *yr))
        best = default_resolution(model, (x, *xr), (y, *yr), per_point)
        profile_n = int(np.clip(MAP_BUDGET / max(per_point, 1e-9), 21, 201))
        n = c4.selectbox("Grid", RESOLUTIONS, index=RESOLUTIONS.index(best),
                         key=f"map_n.{model.name}", format_func=lambda k: f"{k}×{k}")
        if best < RESOLUTIONS[-1]:
            st.caption(f"This model is solved point by point (about {1e3 * per_point:.1f} ms "
                       f"a point), so the map starts at {best}×{best}; a "
                       f"{n}×{n} map takes about "
                       f"{grid_points(model, (x, *xr), (y, *yr), n) * per_point:.0f} s.")
        rm = cached_regime_map(model.name, freeze(params), (x, *xr), (y, *yr), n)
        point = (float(params[x]), float(params[y])) if x in params and y in params else None
        st.plotly_chart(regime_map_figure(rm, "p_war" if kind == "P(war)" else "regime", point),
                        key="map_figure")
        other = ", ".join(f"{k} = {v:g}" for k, v in params.items()
                          if k not in (x, y) and isinstance(v, int | float))
        st.caption(f"Other parameters held at their current values: {other}.")
        st.caption("Share of the map in each regime: " + ", ".join(
            f"{humanise(k)} {v:.0%}" for k, v in rm.shares().items()))
    st.markdown("#### One parameter")
    one = st.selectbox("Parameter", names, key=f"map_one.{model.name}")
    lo, hi = param_range(model, sel.analysis, specs, one)
    frame = cached_profile(model.name, freeze(params), one, lo, hi, profile_n)
    st.plotly_chart(profile_figure(frame, one, tuple(model.outcomes),
                                   float(params[one]) if one in params else None),
                    key="map_profile")
    st.caption("Regimes along this line: " + ", ".join(
        f"{humanise(k)} {v:.0%}" for k, v in regime_shares(frame).items()))

