"""The Sweep tab: vary several parameters at once and see what drives the outcome."""

from __future__ import annotations

from typing import Any, cast

import streamlit as st

from sim.sweep import SAMPLERS, Varied, run_sweep, sensitivity
from views.compute import freeze, seconds_per_point
from views.map_figures import mappable_params, param_range
from views.sidebar import Selection
from views.sweep_figures import (
    histogram_figure,
    sensitivity_figure,
    shares_figure,
    to_parquet_bytes,
)

__all__ = ["render_sweep_tab", "RESULT_KEY", "MAX_POINTS"]

RESULT_KEY = "_sweep"
MAX_POINTS = 100_000
_SAMPLER_NAMES = {"grid": "grid", "random": "random", "lhs": "Latin hypercube"}


def render_sweep_tab(sel: Selection) -> None:
    if sel.bound is None:
        st.error(sel.error or "no model")
        return
    model = sel.bound.model
    names = mappable_params(model)
    if not names:
        st.info("This model has no numeric parameter to vary.")
        return
    specs = {p.name: p for p in sel.scenario.parameters}
    chosen = st.multiselect("Parameters to vary", names, default=names[:2],
                            key=f"sweep_vary.{model.name}")
    if len(names) >= 2:
        xr = param_range(model, sel.analysis, specs, names[0])
        yr = param_range(model, sel.analysis, specs, names[1])
        per_point = seconds_per_point(model.name, freeze(sel.params), (names[0], *xr),
                                      (names[1], *yr))
        if per_point > 1e-4:
            st.caption(f"This model is solved point by point (about {1e3 * per_point:.1f} ms "
                       f"a point): 10,000 points take about {1e4 * per_point:.0f} s.")
    with st.form(key="sweep_form"):
        varied: list[Varied] = []
        for name in chosen:
            lo, hi = param_range(model, sel.analysis, specs, name)
            spec = model.param(name)
            c1, c2 = st.columns([3, 1])
            if spec.kind == "integer":
                rng: Any = c1.slider(f"{name} range", int(lo), int(hi), (int(lo), int(hi)),
                                     key=f"sweep_range.{model.name}.{name}")
            else:
                rng = c1.slider(f"{name} range", float(lo), float(hi), (float(lo), float(hi)),
                                step=float(spec.step), key=f"sweep_range.{model.name}.{name}")
            dist = c2.selectbox(f"{name} distribution", ["uniform", "triangular"],
                                key=f"sweep_dist.{model.name}.{name}")
            varied.append(Varied(name, float(rng[0]), float(rng[1]), dist=cast(Any, dist),
                                 integer=spec.kind == "integer"))
        c1, c2, c3 = st.columns(3)
        sampler = c1.radio("Design", list(SAMPLERS), index=2, key="sweep_sampler",
                           format_func=lambda s: _SAMPLER_NAMES[s], horizontal=True)
        n = c2.number_input("Points", min_value=10, max_value=MAX_POINTS, value=2000,
                            step=1000, key="sweep_n")
        seed = c3.number_input("Seed", min_value=0, max_value=2**31 - 1, value=0,
                               key="sweep_seed")
        submitted = st.form_submit_button("Run sweep")
    if submitted:
        if not varied:
            st.warning("Choose at least one parameter to vary.")
        else:
            skip = {d.name for d in varied}
            fixed = {k: x for k, x in sel.params.items() if k not in skip}
            bar = st.progress(0.0, text="Solving…")

            def progress(done: int, total: int) -> None:
                bar.progress(done / total, text=f"Solved {done:,} of {total:,} points")

            frame = run_sweep(model, fixed, varied, cast(Any, sampler), int(n), int(seed),
                              chunk_size=10_000, progress=progress)
            st.session_state[RESULT_KEY] = {
                "model": model.name, "analysis": sel.analysis.id, "frame": frame,
                "varied": [v.name for v in varied], "fixed": fixed,
                "design": f"{_SAMPLER_NAMES[sampler]}, {len(frame):,} points, seed {seed}",
            }
    _render_result(sel)


def _render_result(sel: Selection) -> None:
    result = st.session_state.get(RESULT_KEY)
    if result is None or result["analysis"] != sel.analysis.id:
        st.caption("Set the ranges and press **Run sweep**. Up to 100,000 points are "
                   "solved in vectorised chunks.")
        return
    frame = result["frame"]
    st.success(f"Sweep of {result['analysis']}: {result['design']}, varying "
               f"{', '.join(result['varied'])}.")
    if any(sel.params.get(k) != v for k, v in result["fixed"].items()):
        st.caption("The sidebar values have changed since this sweep; run it again to "
                   "update it.")
    left, right = st.columns(2)
    with left:
        st.plotly_chart(shares_figure(frame), key="sweep_shares")
    with right:
        st.plotly_chart(histogram_figure(frame, "p_war"), key="sweep_hist_pwar")
    sens = sensitivity(frame, result["varied"])
    st.plotly_chart(sensitivity_figure(sens), key="sweep_sensitivity")
    st.dataframe(sens, hide_index=True, key="sweep_sensitivity_table")
    column = st.selectbox("Histogram of", result["varied"], key="sweep_hist_param")
    st.plotly_chart(histogram_figure(frame, column), key="sweep_hist_param_fig")
    st.dataframe(frame.head(1000), hide_index=True, key="sweep_table")
    c1, c2 = st.columns(2)
    stem = f"sweep_{result['analysis']}"
    c1.download_button("Download CSV", lambda: frame.to_csv(index=False),
                       file_name=f"{stem}.csv", mime="text/csv", key="sweep_csv")
    c2.download_button("Download Parquet", lambda: to_parquet_bytes(frame),
                       file_name=f"{stem}.parquet", mime="application/octet-stream",
                       key="sweep_parquet")
