"""Server-side timings of the dashboard, measured with Streamlit's AppTest.

Run ``.venv/bin/python benchmarks/bench_dashboard.py``. Prints, in milliseconds:

* a slider move on the Equilibrium tab (a full script rerun with a new value);
* a slider move on the Regime map tab, which recomputes the 200×200 map;
* the 200×200 map alone (``sim.sweep.regime_map``) for every analysis;
* a 100,000-point Latin-hypercube sweep (``sim.sweep.engine.evaluate_in_memory``), alone and
  submitted through the Sweep tab's form (solve, charts and tables).

Targets: under 200 ms per Equilibrium rerun, under 1 s per 200×200 map.

``--profile TAB`` instead profiles ten slider moves on that tab (``Equilibrium``,
``"Regime map"``) with cProfile inside the script's own thread, and prints the 30
costliest calls by cumulative time. What the browser then does is measured by
``bench_browser.py``.
"""

from __future__ import annotations

import argparse
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the view layer lives beside app.py, not in the package

from sim.scenario import load_scenario  # noqa: E402
from sim.scenario.binding import bind_analysis, scenario_values  # noqa: E402
from sim.scenario.sweep_spec import SweepSpec  # noqa: E402
from sim.sweep import regime_map  # noqa: E402
from sim.sweep.engine import evaluate_in_memory  # noqa: E402
from sim.sweep.resolve import resolve_for_model  # noqa: E402
from views.compute import freeze, seconds_per_point  # noqa: E402
from views.map_figures import mappable_params, param_range  # noqa: E402
from views.map_tab import default_resolution  # noqa: E402

APP = str(ROOT / "app.py")
SCENARIO = ROOT / "scenarios" / "russia_nato_2022_02.yaml"


def _reruns(tab: str, key: str, values: list[float]) -> list[float]:
    at = AppTest.from_file(APP, default_timeout=300)
    at.query_params["tab"] = tab
    at.run()
    times = []
    for v in values:
        at.slider(key=key).set_value(v)
        t = time.perf_counter()
        at.run()
        times.append(1e3 * (time.perf_counter() - t))
        assert not at.exception, at.exception
    return times


def _report(name: str, times: list[float]) -> None:
    print(f"{name:<58} median {statistics.median(times):7.1f} ms   "
          f"max {max(times):7.1f} ms   (n={len(times)})")


def _sweep_in_page(n: int) -> list[float]:
    at = AppTest.from_file(APP, default_timeout=300)
    at.query_params["tab"] = "Sweep"
    at.run()
    at.number_input(key="sweep_n").set_value(n)
    next(b for b in at.button if b.label == "Run sweep").click()
    t = time.perf_counter()
    at.run()
    elapsed = 1e3 * (time.perf_counter() - t)
    assert not at.exception, at.exception
    assert len(at.session_state["_sweep"]["frame"]) == n
    return [elapsed]


#: The page run under cProfile; the profile of each run is written beside this file.
_PROFILED = """
import cProfile, sys
sys.path.insert(0, {root!r})
from views.app_main import main
pr = cProfile.Profile()
pr.enable()
try:
    main()
finally:
    pr.disable()
    import streamlit as st
    if st.session_state.get("_profile_run") is not None:
        st.session_state["_profile_run"] += 1
        pr.dump_stats({folder!r} + f"/run{{st.session_state['_profile_run']}}.prof")
"""


def profile(tab: str, moves: int = 10) -> None:
    """cProfile of ``moves`` slider moves on ``tab``, printed by cumulative time."""
    with tempfile.TemporaryDirectory() as folder:
        app = Path(folder) / "profiled_app.py"
        app.write_text(_PROFILED.format(root=str(ROOT), folder=folder), encoding="utf-8")
        at = AppTest.from_file(str(app), default_timeout=300)
        at.query_params["tab"] = tab
        at.run()
        at.session_state["_profile_run"] = 0
        for k in range(moves):
            at.slider(key="sp.x").set_value(0.89 - 0.01 * k)
            at.run()
            assert not at.exception, at.exception
        stats = pstats.Stats(*[str(p) for p in sorted(Path(folder).glob("run*.prof"))])
        stats.sort_stats("cumulative").print_stats(30)


def main() -> None:
    parser = argparse.ArgumentParser(description="Server-side timings of the dashboard.")
    parser.add_argument("--profile", metavar="TAB", help="profile slider moves on TAB")
    args = parser.parse_args()
    if args.profile:
        profile(args.profile)
        return
    values = [0.9 - 0.01 * k for k in range(1, 21)]
    _report("Equilibrium tab: slider move (fearon_range, x)",
            _reruns("Equilibrium", "sp.x", values))
    _report("Regime map tab: slider move, 200x200 map recomputed",
            _reruns("Regime map", "sp.x", values[:8]))

    sc = load_scenario(SCENARIO).scenario
    vals = scenario_values(sc)
    specs = {p.name: p for p in sc.parameters}
    print()
    for analysis in sc.analyses:
        bound = bind_analysis(sc, analysis, vals)
        names = mappable_params(bound.model)
        if len(names) < 2:
            continue
        x, y = names[:2]
        xr = param_range(bound.model, analysis, specs, x)
        yr = param_range(bound.model, analysis, specs, y)
        # Point-by-point models are timed at the grid the page starts them on.
        per_point = seconds_per_point(bound.model.name, freeze(bound.params), (x, *xr),
                                      (y, *yr))
        n = default_resolution(bound.model, (x, *xr), (y, *yr), per_point)
        times = []
        for _ in range(3):
            t = time.perf_counter()
            regime_map(bound.model, bound.params, (x, *xr), (y, *yr), n, n)
            times.append(1e3 * (time.perf_counter() - t))
        _report(f"{n}x{n} map {analysis.id} ({x} x {y})", times)

    print()
    bound = bind_analysis(sc, "fearon_range", vals)
    spec = SweepSpec.model_validate({
        "id": "bench", "model": bound.model.name, "sampler": "lhs", "n": 100_000, "seed": 0,
        "varied": {"x": {"dist": "uniform"}, "p": {"dist": "uniform"},
                   "c_W": {"dist": "uniform", "min": 0.0, "max": 0.5}}})
    t = time.perf_counter()
    frame = evaluate_in_memory(resolve_for_model(spec, bound.model, bound.params))
    _report(f"sweep fearon_range, {frame.num_rows:,} LHS points",
            [1e3 * (time.perf_counter() - t)])
    _report("Sweep tab: 100,000-point run with progress bar and charts",
            _sweep_in_page(100_000))


if __name__ == "__main__":
    main()
