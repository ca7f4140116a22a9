"""Benchmark the bimatrix solvers against nashpy, pygambit and QuantEcon, in one run.

Run from the checkout root (pygambit and quantecon are test extras)::

    .venv/bin/python benchmarks/bench_solvers.py                  # full run
    .venv/bin/python benchmarks/bench_solvers.py --quick          # fewer games
    .venv/bin/python benchmarks/bench_solvers.py --json benchmarks/results/solvers.json

``benchmarks/readme_speed.py`` turns the JSON into the README's speed tables.

Every figure is the median of at least 5 repeats on fixed-seed games, and is
shown beside the peers' figures from the same run, as a ratio. Three parts:

1. Single games, all equilibria, on random float games (2x2, 3x3, 4x4, 6x6,
   8x8): games per second of ours (``enummixed_solve``, which routes these
   sizes through a compiled kernel), nashpy's ``support_enumeration``,
   pygambit's ``enummixed_solve(rational=False)`` and QuantEcon's
   ``support_enumeration``. Each solver gets as many games per repeat as fit
   in about 0.3 s (at least one), so slow peers do not stall the run, and the
   repeats take the solvers in turn.
2. Batch throughput of ``batch_solve`` on one thread, into caller-owned
   buffers (``out=``) as a sweep streams its chunks, and on 2 threads
   (``threads=2``); targets 2x2 >= 5e7 games/s, 3x3 >= 2e6, 4x4 >= 4e5, 6x6 >=
   3x QuantEcon's per-game rate; the ratio to each peer's per-game rate.
3. Completeness on 200 tie-heavy integer games (entries 1..4): how many
   games each solver misses at least one extreme equilibrium of, the
   reference being pygambit's exact ``enummixed_solve`` (ours when pygambit is
   absent).

``--clock cpu`` times with the thread's CPU time instead of the wall clock:
on a machine shared with other work it shows what the code costs rather than
how long it waited for a core.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
import warnings
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np

from sim.games.normal_form import NormalFormGame
from sim.solvers import batch_solve, enummixed_solve
from sim.solvers.batch import batch_buffers

SEED = 20220224
REPEATS = 5
Profiles = list[np.ndarray]
Solver = Callable[[np.ndarray, np.ndarray], list[Profiles]]
CLOCK: Callable[[], float] = time.perf_counter


def ours(A: np.ndarray, B: np.ndarray) -> list[Profiles]:
    result = enummixed_solve(NormalFormGame.from_arrays(A, B))
    return [list(e.profile) for e in result.equilibria]


def ours_exact(A: np.ndarray, B: np.ndarray) -> list[Profiles]:
    game = NormalFormGame.from_arrays(A.tolist(), B.tolist())
    return [[s.astype(float) for s in e.profile] for e in enummixed_solve(game).equilibria]


def peers() -> dict[str, Solver]:
    found: dict[str, Solver] = {}
    try:
        import nashpy

        def nashpy_support(A: np.ndarray, B: np.ndarray) -> list[Profiles]:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                return [list(eq) for eq in nashpy.Game(A, B).support_enumeration()]

        found["nashpy"] = nashpy_support
    except ImportError:
        pass
    try:
        import pygambit as gbt

        def gambit(A: np.ndarray, B: np.ndarray) -> list[Profiles]:
            exact = A.dtype.kind == "i"
            if exact:
                g = gbt.Game.from_arrays(
                    [[Fraction(int(v)) for v in row] for row in A],
                    [[Fraction(int(v)) for v in row] for row in B],
                )
            else:
                g = gbt.Game.from_arrays(A, B)
            result = gbt.nash.enummixed_solve(g, rational=exact)
            return [[np.array([float(eq[s]) for s in p.strategies]) for p in g.players]
                    for eq in result.equilibria]

        found["pygambit"] = gambit
    except ImportError:
        pass
    try:
        from quantecon import game_theory as qe

        def quantecon(A: np.ndarray, B: np.ndarray) -> list[Profiles]:
            g = qe.NormalFormGame((qe.Player(A.astype(float)), qe.Player(B.T.astype(float))))
            return [list(eq) for eq in qe.support_enumeration(g)]

        found["quantecon"] = quantecon
    except ImportError:
        pass
    return found


def median_rates(solvers: dict[str, Solver], games: list[tuple[Any, Any]],
                 budget: float = 0.3) -> dict[str, float]:
    """Games per second of each solver: the median over repeats of (games solved / time).

    The repeats take the solvers in turn (round robin), so a change of load on
    a shared machine falls on all of them alike and the ratios stay fair.
    """
    counts = {}
    for name, solve in solvers.items():
        solve(*games[0])  # warm-up (numba compilation, caches), then one timed call
        t0 = CLOCK()
        solve(*games[1 % len(games)])
        one = max(CLOCK() - t0, 1e-7)
        counts[name] = max(1, min(len(games), int(budget / one)))
    rates: dict[str, list[float]] = {name: [] for name in solvers}
    for _ in range(REPEATS):
        for name, solve in solvers.items():
            t0 = CLOCK()
            for A, B in games[: counts[name]]:
                solve(A, B)
            rates[name].append(counts[name] / max(CLOCK() - t0, 1e-9))
    return {name: statistics.median(r) for name, r in rates.items()}


def part_single(n_games: int, rng: np.random.Generator) -> dict[int, dict[str, float]]:
    solvers: dict[str, Solver] = {"ours": ours, **peers()}
    names = list(solvers)
    others = [name for name in names if name != "ours"]
    print(f"\n1. Single-game solvers, random float games (games/s, median of {REPEATS})")
    print(f"{'size':>6}" + "".join(f"{name:>14}" for name in names)
          + "".join(f"{'ours/' + name:>16}" for name in others))
    rates: dict[int, dict[str, float]] = {}
    for k in (2, 3, 4, 6, 8):
        count = n_games if k <= 4 else max(10, n_games // 5) if k == 6 else 5
        games = [(rng.random((k, k)), rng.random((k, k))) for _ in range(count)]
        row = median_rates(solvers, games)
        rates[k] = row
        print(f"{f'{k}x{k}':>6}" + "".join(f"{row[n]:>14.1f}" for n in names)
              + "".join(f"{row['ours'] / row[n]:>16.2f}" for n in others))
    return rates


def _timed(fn: Callable[[], Any], clock: Callable[[], float] | None = None) -> float:
    clock = clock or CLOCK
    t0 = clock()
    fn()
    return max(clock() - t0, 1e-9)


def part_batch(scale: float, rng: np.random.Generator,
               single: dict[int, dict[str, float]]) -> dict[int, dict[str, Any]]:
    print(f"\n2. batch_solve throughput (games/s, median of {REPEATS})")
    targets: dict[int, float | None] = {2: 5e7, 3: 2e6, 4: 4e5, 6: None}
    sizes = {2: 1_000_000, 3: 200_000, 4: 50_000, 6: 4_000}
    others = [name for name in single[2] if name != "ours"]
    table: dict[int, dict[str, Any]] = {}
    for k, n in sizes.items():
        n = max(1000, int(n * scale))
        A, B = rng.random((n, k, k)), rng.random((n, k, k))
        out = batch_buffers(n, k, k)
        batch_solve(A[:600], B[:600])  # compile
        batch_solve(A[:600], B[:600], threads=2)

        def one(A: np.ndarray = A, B: np.ndarray = B, out: Any = out) -> object:
            return batch_solve(A, B, out=out)

        def two(A: np.ndarray = A, B: np.ndarray = B, out: Any = out) -> object:
            return batch_solve(A, B, out=out, threads=2)

        rate1 = n / statistics.median(_timed(one) for _ in range(REPEATS))
        # Threads are compared on the wall clock whatever --clock says: a
        # thread's CPU time does not see the other thread's work.
        wall1 = n / statistics.median(_timed(one, time.perf_counter) for _ in range(REPEATS))
        rate2 = n / statistics.median(_timed(two, time.perf_counter) for _ in range(REPEATS))
        target = targets[k]
        qe_rate = single.get(k, {}).get("quantecon")
        if target is None and qe_rate:
            target = 3 * qe_rate
        per_game = {name: rate1 / single[k][name] for name in others
                    if k in single and name in single[k]}
        table[k] = {"games": n, "one_thread": rate1, "one_thread_wall": wall1,
                    "two_threads_wall": rate2, "scaling": rate2 / wall1, "target": target,
                    "target_is_quantecon_multiple": targets[k] is None,
                    "met": None if target is None else rate1 >= target,
                    "ratio_to_peer_per_game": per_game}
        print(f"{k}x{k}: one thread {rate1:>12.4g}   2 threads {rate2:>12.4g} "
              f"({rate2 / wall1:.2f}x)   target {target or float('nan'):.3g}: "
              f"{table[k]['met']}   "
              + "  ".join(f"/{name} {r:,.0f}" for name, r in per_game.items()))
    return table


def _contains(found: list[Profiles], target: Profiles, tol: float = 1e-6) -> bool:
    flat = np.concatenate(target)
    return any(np.allclose(np.concatenate([np.asarray(s, float) for s in p]), flat, atol=tol)
               for p in found)


def part_ties(rng: np.random.Generator) -> dict[str, int]:
    solvers: dict[str, Solver] = {"ours": ours_exact, "ours (float input)": _float_input,
                                  **peers()}
    reference_name = "pygambit" if "pygambit" in solvers else "ours"
    games = [(rng.integers(1, 5, (k, k)), rng.integers(1, 5, (k, k)))
             for k in [3] * 100 + [4] * 100]
    misses = {name: 0 for name in solvers}
    for A, B in games:
        reference = solvers[reference_name](A, B)
        for name, solve in solvers.items():
            found = solve(A, B)
            if not all(_contains(found, eq) for eq in reference):
                misses[name] += 1
    print(f"\n3. Tie-heavy integer games (200: 100 3x3 + 100 4x4, entries 1..4); "
          f"games with a missed extreme equilibrium (reference: {reference_name})")
    for name, count in misses.items():
        print(f"{name:>20}: {count:>4} / {len(games)}")
    return misses


def _float_input(A: np.ndarray, B: np.ndarray) -> list[Profiles]:
    return ours(A.astype(float), B.astype(float))


def main() -> None:
    global CLOCK
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer games")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--clock", choices=("wall", "cpu"), default="wall",
                        help="wall clock (default) or the thread's CPU time")
    args = parser.parse_args()
    if args.clock == "cpu":
        CLOCK = time.thread_time
    rng = np.random.default_rng(SEED)
    load_before = os.getloadavg()[0]
    rates = part_single(40 if args.quick else 200, rng)
    batch = part_batch(0.1 if args.quick else 1.0, rng, rates)
    ties = part_ties(rng)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({
            "command": "benchmarks/bench_solvers.py" + (" --quick" if args.quick else "")
                       + (" --clock cpu" if args.clock == "cpu" else ""),
            "repeats": REPEATS, "clock": args.clock, "cpus": os.cpu_count(),
            "load_average": [load_before, os.getloadavg()[0]],
            "single": rates, "batch": batch, "ties": {"games": 200, "missed": ties},
        }, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
