"""The Sweep tab: vary several parameters at once and see what drives the outcome.

The tab runs the same sweep stack as ``coercion sweep``: it writes a sweep
spec, resolves it against the analysis's model at the sidebar's values, and
evaluates the same streamed design (grid, random, Latin hypercube or Sobol)
with the same engine. In the page the points are solved in memory; with
"save as dataset" the engine also writes its chunked Parquet output
(chunks, manifest and merged table) to the server's sweeps folder.
"""

from __future__ import annotations

import math
import os
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from sim.modelkit.render import substitute
from sim.scenario.sweep_spec import SweepSpec
from sim.sweep import sensitivity
from sim.sweep.engine import evaluate_in_memory, read_results, run_resolved
from sim.sweep.resolve import SweepError, resolve_for_model
from sim.sweep.summary import sobol_indices
from views.compute import freeze, seconds_per_point, solve_time_words
from views.map_figures import axis_labels, param_range
from views.sidebar import Selection, set_view, view_setting
from views.state import analysis_titles, param_label, regime_words
from views.sweep_figures import (
    histogram_figure,
    sensitivity_figure,
    shares_figure,
    sobol_figure,
    to_parquet_bytes,
)
from views.view_query import pick, pick_int, pick_names, pick_range

__all__ = ["render_sweep_tab", "RESULT_KEY", "MAX_POINTS", "sweeps_folder", "page_spec"]

RESULT_KEY = "_sweep"
MAX_POINTS = 100_000
CHUNK = 10_000
_SAMPLER_NAMES = {"grid": "grid", "random": "random", "lhs": "Latin hypercube",
                  "sobol": "Sobol (Saltelli)"}
_SOBOL_WORDS = {"S1": "alone (first-order index)", "S1_lo": "alone, low end of 95% interval",
                "S1_hi": "alone, high end of 95% interval",
                "ST": "with interactions (total index)",
                "ST_lo": "with interactions, low end of 95% interval",
                "ST_hi": "with interactions, high end of 95% interval"}
_SENSITIVITY_WORDS = {"src": "standardised regression coefficient",
                      "spearman": "rank correlation (Spearman)"}
_DIST_NAMES = {"uniform": "uniform", "triangular": "triangular, peak in the middle"}


def sweeps_folder() -> Path:
    """Where "save as dataset" writes: ``COERCION_SWEEPS_DIR``, else ``./sweeps``."""
    return Path(os.environ.get("COERCION_SWEEPS_DIR") or "sweeps")


def page_spec(model: str, ranges: dict[str, tuple[float, float]], dists: dict[str, str],
              sampler: str, points: int, seed: int) -> SweepSpec:
    """The sweep spec of the page's form (the same format as a sweep file).

    ``points`` is the number of points wanted: a grid takes
    ``round(points ** (1/k))`` levels per parameter (at least 2), and Sobol
    takes the largest power of two ``N`` with ``N·(k+2) <= points``.
    """
    k = len(ranges)
    varied: dict[str, Any] = {}
    n = points
    if sampler == "grid":
        levels = max(2, round(points ** (1.0 / k)))
        varied = {name: {"grid": f"{lo!r}:{hi!r}:{levels if hi > lo else 1}"}
                  for name, (lo, hi) in ranges.items()}
    else:
        for name, (lo, hi) in ranges.items():
            if hi <= lo:
                varied[name] = {"values": [lo]}
            elif dists.get(name) == "triangular":
                varied[name] = {"dist": "triangular", "min": lo, "max": hi,
                                "mode": 0.5 * (lo + hi)}
            else:
                varied[name] = {"dist": "uniform", "min": lo, "max": hi}
        if sampler == "sobol":
            n = 2 ** max(0, int(math.floor(math.log2(max(1, points // (k + 2))))))
    return SweepSpec.model_validate({"id": f"dashboard-{model}", "model": model,
                                     "varied": varied, "sampler": sampler, "n": n,
                                     "seed": seed, "chunk_size": CHUNK})


def render_sweep_tab(sel: Selection) -> None:
    if sel.bound is None:
        st.error(sel.error or "no model")
        return
    model = sel.bound.model
    specs = {p.name: p for p in sel.scenario.parameters}
    labels = axis_labels(model, sel.analysis, specs, sel.bound.names)
    names = list(labels)
    if not names:
        st.info("This model has no numeric parameter to vary.")
        return
    vary_key = f"sweep_vary.{model.name}"
    if vary_key not in st.session_state:
        st.session_state[vary_key] = pick_names(view_setting("sweep_vary"), names, names[:2])
    chosen = st.multiselect("Parameters to vary", names, key=vary_key,
                            format_func=labels.__getitem__)
    set_view("sweep_vary", ",".join(chosen))
    if len(names) >= 2:
        xr = param_range(model, sel.analysis, specs, names[0])
        yr = param_range(model, sel.analysis, specs, names[1])
        per_point = seconds_per_point(model.name, freeze(sel.params), (names[0], *xr),
                                      (names[1], *yr))
        if per_point > 1e-4:
            words = solve_time_words(per_point, 10_000)
            st.caption(f"{words[0].upper()}{words[1:]}.")
    _seed_design()
    with st.form(key="sweep_form"):
        ranges: dict[str, tuple[float, float]] = {}
        dists: dict[str, str] = {}
        for name in chosen:
            lo, hi = param_range(model, sel.analysis, specs, name)
            spec = model.param(name)
            c1, c2 = st.columns([3, 1])
            rkey, dkey = f"sweep_range.{model.name}.{name}", f"sweep_dist.{model.name}.{name}"
            if rkey not in st.session_state:
                a, b = pick_range(view_setting(f"sweep_range.{name}"), float(lo), float(hi))
                st.session_state[rkey] = ((int(round(a)), int(round(b)))
                                          if spec.kind == "integer" else (a, b))
            if dkey not in st.session_state:
                st.session_state[dkey] = pick(view_setting(f"sweep_dist.{name}"),
                                              list(_DIST_NAMES), "uniform")
            if spec.kind == "integer":
                rng: Any = c1.slider(f"Range of {labels[name]}", int(lo), int(hi), key=rkey)
            else:
                rng = c1.slider(f"Range of {labels[name]}", float(lo), float(hi),
                                step=float(spec.step), key=rkey)
            dists[name] = c2.selectbox("Distribution", list(_DIST_NAMES),
                                       format_func=lambda d: _DIST_NAMES[d], key=dkey)
            ranges[name] = (float(rng[0]), float(rng[1]))
        c1, c2, c3 = st.columns(3)
        sampler = c1.radio("Design", list(_SAMPLER_NAMES), key="sweep_sampler",
                           format_func=lambda s: _SAMPLER_NAMES[s], horizontal=True)
        n = c2.number_input("Points", min_value=10, max_value=MAX_POINTS, step=1000,
                            key="sweep_n")
        seed = c3.number_input("Seed", min_value=0, max_value=2**31 - 1, key="sweep_seed")
        save = st.checkbox("Save as dataset (chunked Parquet files with a manifest, in the "
                           "server's sweeps folder)", key="sweep_save")
        submitted = st.form_submit_button("Run sweep")
    if submitted:
        set_view("sweep_design", str(sampler))
        set_view("sweep_points", str(int(n)))
        set_view("sweep_seed", str(int(seed)))
        for name, (a, b) in ranges.items():
            set_view(f"sweep_range.{name}", f"{a:.10g}:{b:.10g}")
            set_view(f"sweep_dist.{name}", dists[name])
    if submitted:
        if not ranges:
            st.warning("Choose at least one parameter to vary.")
        else:
            _run(sel, ranges, dists, str(sampler), int(n), int(seed), bool(save))
    _render_result(sel)


def _seed_design() -> None:
    """The design widgets start from the link's values, clipped to what they allow."""
    if "sweep_sampler" not in st.session_state:
        st.session_state["sweep_sampler"] = pick(view_setting("sweep_design"),
                                                 list(_SAMPLER_NAMES), "lhs")
    if "sweep_n" not in st.session_state:
        st.session_state["sweep_n"] = pick_int(view_setting("sweep_points"), 10, MAX_POINTS,
                                               2000)
    if "sweep_seed" not in st.session_state:
        st.session_state["sweep_seed"] = pick_int(view_setting("sweep_seed"), 0, 2**31 - 1, 0)


def in_words(frame: pd.DataFrame, labels: dict[str, str], model: str,
             names: dict[str, str]) -> pd.DataFrame:
    """A sweep's table for the page: columns and regimes in words, actor names in the
    payoffs (the downloads keep the machine-readable names)."""
    columns = {**labels, "p_war": "P(war)", "regime": "regime", "block": "sample block"}
    for c in frame.columns:
        if c.startswith("payoff[") and c.endswith("]"):
            who = names.get(c[7:-1], c[7:-1])
            columns[c] = f"expected payoff of {who}"
        elif c.startswith("P(") and c not in columns:
            columns[c] = substitute(c, names)
    for c in frame.columns:
        columns.setdefault(c, c.replace("_", " "))
    out = frame.rename(columns=columns)
    if "regime" in out.columns:
        out["regime"] = [regime_words(model, r, names) for r in out["regime"]]
    return out


def _run(sel: Selection, ranges: dict[str, tuple[float, float]], dists: dict[str, str],
         sampler: str, n: int, seed: int, save: bool) -> None:
    assert sel.bound is not None
    model = sel.bound.model
    fixed = {k: x for k, x in sel.params.items() if k not in ranges}
    bar = st.progress(0.0, text="Solving…")

    def progress(done: int, total: int) -> None:
        bar.progress(min(1.0, done / max(total, 1)), text=f"Solved {done:,} of {total:,} points")

    try:
        spec = page_spec(model.name, ranges, dists, sampler, n, seed)
        resolved = resolve_for_model(spec, model, sel.params, ranges)
        saved = None
        if save:
            saved = sweeps_folder() / f"{sel.analysis.id}-{resolved.fingerprint[:12]}"
            run_resolved(resolved, saved, workers=1, max_grid_points=MAX_POINTS,
                         progress=progress)
            frame = read_results(saved).to_pandas()
        else:
            frame = evaluate_in_memory(resolved, chunk_size=CHUNK, max_points=MAX_POINTS,
                                       progress=progress).to_pandas()
    except (SweepError, ValueError) as exc:
        bar.empty()
        st.error(f"The sweep cannot run: {exc}")
        return
    except OSError as exc:
        bar.empty()
        st.error(f"The sweep could not be saved: {exc.strerror or exc}")
        return
    frame["regime"] = frame["regime"].astype(str)
    if "block" in frame.columns:
        frame["block"] = frame["block"].astype(str)
    st.session_state[RESULT_KEY] = {
        "model": model.name, "analysis": sel.analysis.id, "frame": frame,
        "varied": list(ranges), "fixed": fixed, "sampler": sampler,
        "design": f"{_SAMPLER_NAMES[sampler]}, {len(frame):,} points, seed {seed}",
        "saved": None if saved is None else str(saved),
    }


def _render_result(sel: Selection) -> None:
    result = st.session_state.get(RESULT_KEY)
    if result is None or result["analysis"] != sel.analysis.id:
        st.caption("Set the ranges and press **Run sweep**. Up to 100,000 points are "
                   "solved in vectorised chunks, by the same engine as the command line's "
                   "sweeps.")
        return
    frame: pd.DataFrame = result["frame"]
    assert sel.bound is not None
    model = sel.bound.model
    specs = {p.name: p for p in sel.scenario.parameters}
    labels = {n: param_label(model, sel.analysis, specs, n, sel.bound.names)
              for n in result["varied"]}
    shown = in_words(frame, labels, model.name, sel.bound.names)
    st.success(f"Sweep of {analysis_titles(sel.scenario)[sel.analysis.id]}: "
               f"{result['design']}, varying {'; '.join(labels.values())}.")
    if result.get("saved"):
        st.caption(f"Saved as a dataset in {result['saved']}.")
    if any(sel.params.get(k) != v for k, v in result["fixed"].items()):
        st.caption("The sidebar values have changed since this sweep; run it again to "
                   "update it.")
    left, right = st.columns(2)
    blocks = "sample block"
    sample = shown[shown[blocks].isin(["A", "B"])] if blocks in shown.columns else shown
    with left:
        st.plotly_chart(shares_figure(sample), key="sweep_shares")
    with right:
        st.plotly_chart(histogram_figure(sample, "P(war)"), key="sweep_hist_pwar")
    if result.get("sampler") == "sobol":
        indices = sobol_indices(frame, result["varied"], n_boot=100)
        indices["parameter"] = indices["parameter"].map(lambda n: labels.get(n, n))
        st.plotly_chart(sobol_figure(indices), key="sweep_sobol")
        st.dataframe(indices.rename(columns=_SOBOL_WORDS), hide_index=True,
                     key="sweep_sobol_table")
    else:
        sens = sensitivity(frame, result["varied"])
        sens["parameter"] = sens["parameter"].map(lambda n: labels.get(n, n))
        st.plotly_chart(sensitivity_figure(sens), key="sweep_sensitivity")
        st.dataframe(sens.rename(columns=_SENSITIVITY_WORDS), hide_index=True,
                     key="sweep_sensitivity_table")
    column = st.selectbox("Histogram of", list(labels.values()), key="sweep_hist_param")
    st.plotly_chart(histogram_figure(sample, column), key="sweep_hist_param_fig")
    st.dataframe(shown.head(1000), hide_index=True, key="sweep_table")
    c1, c2 = st.columns(2)
    stem = f"sweep_{result['analysis']}"
    c1.download_button("Download CSV", lambda: frame.to_csv(index=False),
                       file_name=f"{stem}.csv", mime="text/csv", key="sweep_csv")
    c2.download_button("Download Parquet", lambda: to_parquet_bytes(frame),
                       file_name=f"{stem}.parquet", mime="application/octet-stream",
                       key="sweep_parquet")
