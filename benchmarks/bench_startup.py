"""Start-up time of the command line: ``python -m sim --help``, in fresh processes.

Run from the checkout root::

    .venv/bin/python benchmarks/bench_startup.py --json benchmarks/results/startup.json

Prints the median wall-clock and CPU time of ``python -m sim --help`` (target:
under 0.5 s), of a bare ``python -c pass`` for reference, and the slowest imports
that ``python -X importtime`` records for the help command, so a regression
names its cause.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET_S = 0.5


def _median_seconds(args: list[str], repeat: int) -> tuple[float, float]:
    """Median wall-clock and CPU (user + system) seconds of a fresh process."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    times, cpus = [], []
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        subprocess.run(args, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - t0)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    return statistics.median(times), statistics.median(cpus)


def _slowest_imports(top: int = 8) -> list[tuple[str, float]]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    run = subprocess.run([sys.executable, "-X", "importtime", "-m", "sim", "--help"], cwd=ROOT,
                         env=env, check=True, capture_output=True, text=True)
    rows = []
    for line in run.stderr.splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        _, cumulative, name = (part.strip() for part in line.split("|"))
        if not name.startswith(" "):  # top-level imports only (their cumulative time)
            rows.append((name.strip(), int(cumulative) / 1e6))
    return sorted(rows, key=lambda r: -r[1])[:top]


def measure(repeat: int) -> dict[str, object]:
    python, python_cpu = _median_seconds([sys.executable, "-c", "pass"], repeat)
    help_s, help_cpu = _median_seconds([sys.executable, "-m", "sim", "--help"], repeat)
    return {"repeats": repeat, "python_s": python, "python_cpu_s": python_cpu,
            "help_s": help_s, "help_cpu_s": help_cpu, "target_s": TARGET_S,
            "met": help_s < TARGET_S, "slowest_imports": _slowest_imports(),
            "load_average": os.getloadavg()[0], "cpus": os.cpu_count()}


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--repeat", type=int, default=9, help="runs per figure (median)")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    result = measure(max(5, args.repeat))
    print(f"python -c pass: {result['python_s']:.3f} s; python -m sim --help: "
          f"{result['help_s']:.3f} s wall, {result['help_cpu_s']:.3f} s CPU (medians of "
          f"{result['repeats']}; target < {TARGET_S} s: {'met' if result['met'] else 'not met'})"
          f"; load average {result['load_average']:.1f}")
    for name, seconds in result["slowest_imports"]:  # type: ignore[attr-defined]
        print(f"   import {name:40s} {1e3 * seconds:7.1f} ms")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
