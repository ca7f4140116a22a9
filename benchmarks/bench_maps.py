"""Regime-map speed: a 200×200 map through ``solve_batch`` for every vectorised model.

Run with ``.venv/bin/python benchmarks/bench_maps.py`` (``--model NAME`` for one
model, ``--repeat N`` for the number of runs, ``--n N`` for the grid side).
For each registered model that overrides the point-by-point batch fallback it
draws a map over its first two real-valued mappable parameters (their full
ranges; other parameters at their defaults) with
:func:`sim.sweep.regime_map`, and prints the median over the runs of the
seconds per map and the points solved per second. The dashboard draws a map at
200×200 when it fits in ``views.map_tab.MAP_BUDGET`` (1 s); a model over the
budget is marked.

``--all-axes`` also looks for each model's slowest pair of real axes: every
pair is timed once on a ``--screen``×``--screen`` grid (default: the full
grid side), and the slowest pair is then timed like the default one.
``--json FILE`` writes the figures (``benchmarks/results/maps.json``, read by
``benchmarks/readme_speed.py``).
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the view layer lives beside app.py, not in the package

from sim.models import all_models  # noqa: E402
from sim.models.base import Model  # noqa: E402
from sim.sweep import regime_map  # noqa: E402
from views.map_figures import mappable_params  # noqa: E402
from views.map_tab import MAP_BUDGET  # noqa: E402


def vectorised(model: Model) -> bool:
    """Whether the model solves a batch at once rather than point by point."""
    return type(model)._solve_batch is not Model._solve_batch


Axis = tuple[str, float, float]
Axes = tuple[Axis, Axis]


def real_axes(model: Model) -> list[Axis]:
    """Every real mappable parameter as a full-range axis ``(name, lo, hi)``."""
    # Real axes, so that every map has n×n points (an integer axis has one column a value).
    specs = [model.param(n) for n in mappable_params(model) if model.param(n).kind == "real"]
    return [(s.name, s.lo, s.hi) for s in specs]


def axes(model: Model) -> Axes | None:
    """The model's default map: its first two real mappable parameters."""
    names = real_axes(model)
    return (names[0], names[1]) if len(names) >= 2 else None


def time_map(model: Model, n: int, repeat: int, grid: Axes | None = None,
             warm: bool = True) -> tuple[float, int]:
    """Median seconds of an ``n``×``n`` map of ``model``, and its number of points."""
    grid = grid or axes(model)
    assert grid is not None
    if warm:
        regime_map(model, {}, *grid, nx=24, ny=24)  # warm-up: imports, compiled kernels
    times, points = [], 0
    for _ in range(repeat):
        t0 = time.perf_counter()
        rm = regime_map(model, {}, *grid, nx=n, ny=n)
        times.append(time.perf_counter() - t0)
        points = int(rm.regime.size)
    return statistics.median(times), points


def slowest_axes(model: Model, screen: int) -> Axes:
    """The pair of real axes whose ``screen``×``screen`` map takes longest."""
    pairs = list(itertools.combinations(real_axes(model), 2))
    return max(pairs, key=lambda g: time_map(model, screen, 1, g, warm=False)[0])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", action="append", help="only this model (repeatable)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--n", type=int, default=200, help="grid side")
    parser.add_argument("--all-axes", action="store_true",
                        help="also time each model's slowest pair of real axes")
    parser.add_argument("--screen", type=int,
                        help="grid side of the search for the slowest pair (default: --n)")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    args.screen = args.screen or args.n
    models = [m for name, m in sorted(all_models().items())
              if vectorised(m) and axes(m) is not None
              and (not args.model or name in args.model)]
    print(f"{args.n}×{args.n} regime maps, median of {args.repeat} runs "
          f"(budget {MAP_BUDGET:g} s a map)")
    print(f"{'model':40s} {'axes':28s} {'points':>7s} {'s/map':>8s} {'points/s':>12s}")
    load = [os.getloadavg()[0]]
    rows: dict[str, Any] = {}
    for m in models:
        grid = axes(m)
        assert grid is not None
        kinds = [("default", grid)]
        if args.all_axes:
            time_map(m, 24, 1, grid, warm=False)  # warm-up before the screen
            kinds.append(("slowest", slowest_axes(m, args.screen)))
        row: dict[str, Any] = {}
        for kind, g in kinds:
            seconds, points = time_map(m, args.n, args.repeat, g)
            mark = "" if seconds <= MAP_BUDGET else "  over budget"
            label = ("" if kind == "default" else "slowest: ") + g[0][0] + " × " + g[1][0]
            print(f"{m.name:40s} {label:28s} {points:7d} "
                  f"{seconds:8.3f} {points / seconds:12,.0f}{mark}", flush=True)
            row[kind] = {"axes": [g[0][0], g[1][0]], "points": points, "seconds": seconds}
        rows[m.name] = row
    load.append(os.getloadavg()[0])
    if args.json:
        data = {"n": args.n, "repeats": args.repeat, "budget_s": MAP_BUDGET,
                "all_axes": args.all_axes, "screen": args.screen, "cpus": os.cpu_count(),
                "load_average": load, "models": rows}
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
