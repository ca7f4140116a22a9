"""Rewrite the README's speed tables from the benchmarks' JSON output.

Run from the checkout root, after the benchmarks::

    .venv/bin/python benchmarks/bench_solvers.py --json benchmarks/results/solvers.json
    .venv/bin/python benchmarks/bench_sweep.py --json benchmarks/results/sweep.json
    .venv/bin/python benchmarks/bench_startup.py --json benchmarks/results/startup.json
    .venv/bin/python benchmarks/bench_maps.py --all-axes --json benchmarks/results/maps.json
    .venv/bin/python benchmarks/bench_classroom.py --db sqlite --db postgres \
        --json benchmarks/results/classroom.json
    .venv/bin/python benchmarks/bench_classroom.py --game threat --db sqlite --db postgres \
        --json benchmarks/results/classroom_threat.json
    .venv/bin/python benchmarks/readme_speed.py

Everything between ``<!-- speed: begin -->`` and ``<!-- speed: end -->`` in
README.md is replaced, and the classroom load figures between
``<!-- classroom-load: begin -->`` and ``<!-- classroom-load: end -->``; a missing
JSON file leaves its tables out. ``--check`` exits 1 instead of writing when the
README is not what the JSON gives.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
RESULTS = ROOT / "benchmarks" / "results"
BEGIN, END = "<!-- speed: begin -->", "<!-- speed: end -->"
CLASS_BEGIN, CLASS_END = "<!-- classroom-load: begin -->", "<!-- classroom-load: end -->"
SUPERSCRIPT = "⁰¹²³⁴⁵⁶⁷⁸⁹"


def rate(value: float) -> str:
    """``31,234`` below 10^5, else ``3.12×10⁷``."""
    if value >= 1e5:
        mantissa, exponent = f"{value:.2e}".split("e")
        return f"{mantissa}×10{''.join(SUPERSCRIPT[int(d)] for d in str(int(exponent)))}"
    if value >= 100:
        return f"{value:,.0f}"
    return f"{value:.3g}"


def ratio(value: float) -> str:
    return f"{value:,.0f}×" if value >= 100 else f"{value:.3g}×"


def yes_no(met: bool | None) -> str:
    return "—" if met is None else ("yes" if met else "no")


def _load(data: dict[str, Any]) -> str:
    load = data.get("load_average")
    if isinstance(load, (int, float)):
        load = [load]
    if isinstance(load, list) and load:
        low, high = min(load), max(load)
        return f"load average {low:.1f}" if high - low < 0.5 else \
            f"load average {low:.1f} to {high:.1f}"
    return "load not recorded"


def solver_tables(data: dict[str, Any]) -> list[str]:
    single = {int(k): v for k, v in data["single"].items()}
    names = list(next(iter(single.values())))
    peers = [n for n in names if n != "ours"]
    clock = "wall-clock time" if data["clock"] == "wall" else "the thread's CPU time"
    lines = [f"*`{data['command']}`: medians of {data['repeats']} repeats, {clock}, every "
             f"solver in the same run, on {data['cpus']} cores ({_load(data)}).*", "",
             "**Single games, all equilibria** (random float games, games/s):", "",
             "| size | " + " | ".join(names) + " | "
             + " | ".join(f"ours ÷ {p}" for p in peers) + " |",
             "|---" * (1 + len(names) + len(peers)) + "|"]
    for k, row in single.items():
        lines.append(f"| {k}×{k} | " + " | ".join(rate(row[n]) for n in names) + " | "
                     + " | ".join(ratio(row["ours"] / row[p]) for p in peers) + " |")
    batch = {int(k): v for k, v in data["batch"].items()}
    lines += ["", "**Batch solver** (`batch_solve` into caller-owned buffers, games/s; the last "
              "columns divide the one-thread rate by each peer's single-game rate):", "",
              "| size | one thread | 2 threads (wall clock) | 2-thread scaling | target | met | "
              + " | ".join(f"÷ {p} per game" for p in peers) + " |",
              "|---" * (6 + len(peers)) + "|"]
    for k, row in batch.items():
        target = row["target"]
        target_text = "—" if target is None else f"≥ {rate(target)}" + (
            " (3× QuantEcon)" if row["target_is_quantecon_multiple"] else "")
        per_game = row["ratio_to_peer_per_game"]
        lines.append(f"| {k}×{k} | {rate(row['one_thread'])} | {rate(row['two_threads_wall'])} | "
                     f"{row['scaling']:.2f}× | {target_text} | {yes_no(row['met'])} | "
                     + " | ".join(ratio(per_game[p]) if p in per_game else "—" for p in peers)
                     + " |")
    ties = data["ties"]
    lines += ["", f"**Completeness** on {ties['games']} tie-heavy integer games (3×3 and 4×4, "
              "entries 1 to 4):", "", "| solver | games with a missed equilibrium |",
              "|---|---|"]
    lines += [f"| {name} | {count} of {ties['games']} |" for name, count in ties["missed"].items()]
    return lines


def sweep_tables(data: dict[str, Any]) -> list[str]:
    fearon = data.get("fearon")
    load = f", {_load(fearon)}" if fearon else ""
    lines = [f"**Sweeps** (`benchmarks/bench_sweep.py`, medians of 5 runs{load}):", "",
             "| sweep | ours | per-point loop | ratio | target | met |",
             "|---|---|---|---|---|---|"]
    if fearon:
        loop = fearon["solve_loop_points_per_s"]
        ours = fearon["points"] / fearon["wall_s"]
        lines.append(f"| Fearon private costs, {rate(fearon['points'])} points end to end with "
                     f"Parquet written, one core | {fearon['wall_s']:.2f} s wall clock, "
                     f"{fearon['cpu_s']:.2f} s CPU ({rate(ours)} points/s) | our `solve()`: "
                     f"{rate(loop)}/s | {ratio(ours / loop)} | "
                     f"< {fearon['target_s']} s | {yes_no(fearon['met'])} |")
    for key, title, target in (
            ("chicken", "2×2 Chicken payoffs, all equilibria", "< 3 s"),
            ("compellence", "compellence PBE (`solve_batch`)", "≥ 10⁶ points/s")):
        row = data.get(key)
        if not row:
            continue
        ours = row["points_per_s"]
        peers = row["peers_points_per_s"]
        lines.append(f"| {title}, {rate(row['points'])} points | {rate(ours)} points/s | "
                     + "; ".join(f"{name} {rate(v)}/s" for name, v in peers.items()) + " | "
                     + "; ".join(ratio(ours / v) for v in peers.values())
                     + f" | {target} | {yes_no(row['met'])} |")
    dask = data.get("dask")
    if dask:
        bound = dask.get("cpu_bound")
        met = dask["met"] and (bound is None or bound >= dask["target"])
        lines += ["", f"**Dask** (`LocalCluster`, one thread per worker process, "
                  f"{rate(dask['points'])}-point Fearon sweep, median of {dask['repeats']}, "
                  f"cluster start-up excluded, {_load(dask)}): 1 worker "
                  f"{dask['one_worker_s']:.2f} s, 2 workers {dask['two_workers_s']:.2f} s, "
                  f"wall-clock speed-up {dask['speedup']:.2f}×."]
        if bound is not None:
            w, p = dask["worker_cpu_s"]["2"], dask["parent_cpu_s"]["2"]
            lines[-1] += (f" In CPU seconds, which do not depend on the load, the workers "
                          f"spent {w:.2f} s and the submitting process (chunk files, merge) "
                          f"{p:.2f} s, so on 2 otherwise idle cores 2 workers can be at most "
                          f"{bound:.2f}× faster than 1.")
        lines[-1] += f" Target ≥ {dask['target']}×: {yes_no(met)}."
    return lines


def startup_lines(data: dict[str, Any]) -> list[str]:
    imports = ", ".join(f"{name} {1e3 * sec:.0f} ms" for name, sec in data["slowest_imports"][:3])
    return [f"**Start-up** (`benchmarks/bench_startup.py`, medians of {data['repeats']} fresh "
            f"processes, {_load(data)}): `python -m sim --help` takes {data['help_s']:.2f} s "
            f"wall clock and {data['help_cpu_s']:.2f} s of CPU (a bare `python -c pass`: "
            f"{data['python_s']:.2f} s and {data['python_cpu_s']:.2f} s); target < "
            f"{data['target_s']} s: {yes_no(data['met'])}. Slowest imports: {imports}."]


def map_table(data: dict[str, Any]) -> list[str]:
    n, budget = data["n"], data["budget_s"]
    slowest = bool(data.get("all_axes"))
    lines = [f"**Regime maps** (`benchmarks/bench_maps.py{' --all-axes' if slowest else ''}`, "
             f"{n}×{n} grids through `solve_batch`, other parameters at their defaults, "
             f"medians of {data['repeats']} runs, {_load(data)}; the dashboard's budget is "
             f"{budget:g} s a map):", ""]
    head = "| model | default axes | s/map |"
    rule = "|---|---|---|"
    if slowest:
        head += f" slowest axes (of every pair, timed once at {data['screen']}×"
        head += f"{data['screen']}) | s/map |"
        rule += "---|---|"
    lines += [head + " within budget |", rule + "---|"]
    for name, row in data["models"].items():
        kinds = ["default", "slowest"] if slowest else ["default"]
        cells = []
        for kind in kinds:
            fig = row[kind]
            cells += [" × ".join(f"`{a}`" for a in fig["axes"]), f"{fig['seconds']:.3f}"]
        met = all(row[kind]["seconds"] <= budget for kind in kinds)
        lines.append(f"| `{name}` | " + " | ".join(cells) + f" | {yes_no(met)} |")
    return lines


def _p50_p95(op: dict[str, Any] | None) -> str:
    if not op:
        return "—"
    return f"{op['p50_s']:.2f} s, {op['p95_s']:.2f} s"


def _cpu_memory(cpu: float | None, mb: float | None) -> str:
    if cpu is None:
        return "—"
    return f"{cpu:.1f} s" + ("" if mb is None else f", {mb:.0f} MB")


def classroom_lines(data: dict[str, Any]) -> list[str]:
    """The class load runs, one row per back end, as run one after the other."""
    runs = data["runs"]
    loads = "; ".join(f"{r['label'].split(',', 1)[0]} {_load(r)}" for r in runs)
    first = runs[0]
    play = ("of Chicken, two moves each (a choice and a change of mind)"
            if first.get("game", "chicken") == "chicken" else
            f"of the {first['game']} game played in turn (a student moves when the page says "
            "it is their move)")
    lines = [f"*`{data['command']}`: {first['students']} students joining at the same "
             f"moment, then {first['rounds']} rounds {play} while every page polls, one back "
             f"end after the other, on {first['cpus']} cores shared with other jobs "
             f"({loads}).*", "",
             "| back end | join (p50, p95) | move (p50, p95) | page poll (p50, p95) "
             "| serving process (CPU, peak memory) | database server (CPU, peak memory) "
             "| moves stored | lost | counted twice | p95 < 1 s |",
             "|---" * 10 + "|"]
    for r in runs:
        ops = r["operations"]
        name = r["label"].split(",", 1)[0]
        db = _cpu_memory(r["db_cpu_s"], r["db_peak_mb"]) if r["db_cpu_s"] is not None \
            else ("in the serving process" if r["backend"] == "sqlite" else "—")
        lines.append(
            f"| {name} | {_p50_p95(ops.get('join'))} | {_p50_p95(ops.get('move'))} | "
            f"{_p50_p95(ops.get('wait'))} | {_cpu_memory(r['app_cpu_s'], r['app_peak_mb'])} | "
            f"{db} | {r['stored_moves']} of {r['acknowledged_moves']} | {r['lost']} | "
            f"{r['duplicated']} | {yes_no(r['met'])} |")
    right = [r["label"].split(",", 1)[0] for r in runs if r["counts_right"]]
    if len(right) == len(runs):
        lines += ["", f"On {' and '.join(right)} every student joined once, no request failed, "
                  "and every acknowledged move was stored once and scored once (the benchmark "
                  "checks these counts and fails otherwise)."]
    for r in runs:
        if r["problems"]:
            lines += ["", f"{r['label'].split(',', 1)[0]}: " + "; ".join(r["problems"]) + "."]
    return lines


def render_classroom(results: Path = RESULTS) -> str:
    """The classroom load section: the figures of ``classroom.json``, of
    ``classroom_before.json`` (the same load before the store's last change) and of
    ``classroom_threat.json`` (a tree played in turn), those that exist."""
    lines = ["*Generated by `benchmarks/readme_speed.py` from "
             "`benchmarks/results/classroom*.json`; do not edit by hand.*"]
    for name, title in (
            ("classroom.json", "**Now**, with the store's own connection pool:"),
            ("classroom_before.json", "**Before**, when the benchmark's store kept 10 "
             "connections, opened up to 90 more on demand and let every one of them write:"),
            ("classroom_threat.json", "**A tree played in turn**, now (the threat game: "
             "a move there reads and writes its group's state under the session's lock):")):
        path = results / name
        if path.is_file():
            lines += ["", title, "", *classroom_lines(json.loads(path.read_text(encoding="utf-8")))]
    return "\n".join(lines)


def render(results: Path = RESULTS) -> str:
    blocks = []
    for name, fn in (("solvers", solver_tables), ("sweep", sweep_tables),
                     ("maps", map_table), ("startup", startup_lines)):
        path = results / f"{name}.json"
        if path.is_file():
            blocks.append("\n".join(fn(json.loads(path.read_text(encoding="utf-8")))))
    head = ("*Generated by `benchmarks/readme_speed.py` from `benchmarks/results/*.json`; "
            "do not edit by hand.*")
    return "\n\n".join([head, *blocks])


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="exit 1 if the README differs from what the JSON gives")
    args = parser.parse_args()
    text = README.read_text(encoding="utf-8")
    new = text
    for begin, end, make in ((BEGIN, END, render), (CLASS_BEGIN, CLASS_END, render_classroom)):
        pattern = re.compile(re.escape(begin) + r".*?" + re.escape(end), re.S)
        if not pattern.search(new):
            raise SystemExit(f"{README}: no {begin} ... {end} section")
        replacement = f"{begin}\n{make()}\n{end}"
        new = pattern.sub(lambda _m: replacement, new)  # noqa: B023 (used at once)
    if args.check:
        sys.exit(0 if new == text else 1)
    README.write_text(new, encoding="utf-8")
    print(f"updated {README}")


if __name__ == "__main__":
    main()
