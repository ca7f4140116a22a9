"""The Regime map tab: how the equilibrium changes over two parameters (or one)."""

from __future__ import annotations

import streamlit as st

from sim.sweep import regime_shares
from views.compute import cached_profile, cached_regime_map, freeze
from views.map_figures import mappable_params, param_range, profile_figure, regime_map_figure
from views.sidebar import Selection
from views.state import humanise

__all__ = ["render_map_tab"]

RESOLUTIONS = (50, 100, 200)


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
    if len(names) >= 2:
        c1, c2, c3, c4 = st.columns(4)
        x = c1.selectbox("Horizontal axis", names, index=0, key=f"map_x.{model.name}")
        y_names = [n for n in names if n != x]
        y = c2.selectbox("Vertical axis", y_names, index=0, key=f"map_y.{model.name}")
        kind = c3.radio("Colour by", ["regime", "P(war)"], horizontal=True, key="map_kind")
        n = c4.selectbox("Grid", RESOLUTIONS, index=len(RESOLUTIONS) - 1, key="map_n",
                         format_func=lambda k: f"{k}×{k}")
        xr = param_range(model, sel.analysis, specs, x)
        yr = param_range(model, sel.analysis, specs, y)
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
    frame = cached_profile(model.name, freeze(params), one, lo, hi, 201)
    st.plotly_chart(profile_figure(frame, one, tuple(model.outcomes),
                                   float(params[one]) if one in params else None),
                    key="map_profile")
    st.caption("Regimes along this line: " + ", ".join(
        f"{humanise(k)} {v:.0%}" for k, v in regime_shares(frame).items()))

