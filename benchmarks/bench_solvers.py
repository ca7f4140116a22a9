"""Benchmark the bimatrix solvers against nashpy, pygambit and QuantEcon.

Run from the checkout root (pygambit and quantecon are test extras)::

    .venv/bin/python benchmarks/bench_solvers.py          # full run
    .venv/bin/python benchmarks/bench_solvers.py --quick  # fewer games

Three parts, all on fixed-seed games:

1. Single-game solvers on random float games (2x2, 3x3, 4x4, 6x6 and one
   8x8): median games per second of ours (``enummixed_solve``), nashpy's
   ``support_enumeration``, pygambit's ``enummixed_solve(rational=False)`` and
   QuantEcon's ``support_enumeration``, and our speed ratio to each.
2. Batch throughput of ``batch_solve`` (one process; the kernel is
   single-threaded) against the targets 2x2 >= 1e7 games/s, 3x3 >= 1e6,
   4x4 >= 1.5e5 and 6x6 >= 2x QuantEcon's per-game rate.
3. Completeness on 200 tie-heavy integer games (entries 1..4): how many games
   each solver misses at least one extreme equilibrium of, the reference
   being pygambit's exact ``enummixed_solve`` (ours when pygambit is absent).
"""

from __future__ import annotations

import argparse
import statistics
import time
import warnings
from collections.abc import Callable
from fractions import Fraction
from typing import Any

import numpy as np

from sim.games.normal_form import NormalFormGame
from sim.solvers import batch_solve, enummixed_solve

SEED = 20220224
Profiles = list[np.ndarray]


def ours(A: np.ndarray, B: np.ndarray) -> list[Profiles]:
    game = NormalFormGame.from_arrays(A, B)
    result = enummixed_solve(game)
    return [[np.asarray(s, dtype=float) for s in e.profile] for e in result.equilibria]


def ours_exact(A: np.ndarray, B: np.ndarray) -> list[Profiles]:
    game = NormalFormGame.from_arrays(A.tolist(), B.tolist())
    return [[s.astype(float) for s in e.profile] for e in enummixed_solve(game).equilibria]


def peers() -> dict[str, Callable[[np.ndarray, np.ndarray], list[Profiles]]]:
    found: dict[str, Callable[[np.ndarray, np.ndarray], list[Profiles]]] = {}
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


def median_rate(
    solve: Callable[[np.ndarray, np.ndarray], Any], games: list[tuple[Any, Any]]
) -> float:
    """Games per second from the median time of one game."""
    solve(*games[0])  # warm-up (numba compilation, caches)
    times = []
    for A, B in games:
        t0 = time.perf_counter()
        solve(A, B)
        times.append(time.perf_counter() - t0)
    return 1.0 / statistics.median(times)


def part_single(n_games: int, rng: np.random.Generator) -> dict[int, dict[str, float]]:
    solvers = {"ours": ours, **peers()}
    print("\n1. Single-game solvers, random float games (median games/s)")
    header = f"{'size':>6}" + "".join(f"{name:>14}" for name in solvers)
    print(header + "".join(f"{'ours/' + name:>16}" for name in solvers if name != "ours"))
    rates: dict[int, dict[str, float]] = {}
    for k, count in ((2, n_games), (3, n_games), (4, n_games), (6, max(10, n_games // 5)),
                     (8, 1)):
        games = [(rng.random((k, k)), rng.random((k, k))) for _ in range(count + 1)]
        row = {name: median_rate(solve, games if k < 8 else games[:1])
               for name, solve in solvers.items()}
        rates[k] = row
        label = f"{k}x{k}" + (" (1)" if k == 8 else "")
        line = f"{label:>6}" + "".join(f"{row[name]:>14.1f}" for name in solvers)
        line += "".join(f"{row['ours'] / row[name]:>16.2f}" for name in solvers if name != "ours")
        print(line)
        if k == 8:
            found = {name: len(solve(*games[0])) for name, solve in solvers.items()}
            print("        equilibria found in the 8x8: "
                  + ", ".join(f"{name} {count}" for name, count in found.items()))
    return rates


def part_batch(scale: float, rng: np.random.Generator, qe_6x6: float | None) -> None:
    print("\n2. batch_solve throughput (games/s, best of 3)")
    targets = {2: 1e7, 3: 1e6, 4: 1.5e5, 6: None}
    sizes = {2: 1_000_000, 3: 200_000, 4: 50_000, 6: 2_000}
    for k, n in sizes.items():
        n = max(100, int(n * scale))
        A, B = rng.random((n, k, k)), rng.random((n, k, k))
        batch_solve(A[:10], B[:10])  # compile
        def run(A: np.ndarray = A, B: np.ndarray = B) -> object:
            return batch_solve(A, B)

        best = min(_timed(run) for _ in range(3))
        rate = n / best
        target = targets[k]
        if target is None and qe_6x6 is not None:
            met = "met" if rate >= 2 * qe_6x6 else "MISSED"
            note = f"target 2x QuantEcon = {2 * qe_6x6:.0f}: {met}"
        elif target is not None:
            note = f"target {target:.1e}: {'met' if rate >= target else 'MISSED'}"
        else:
            note = "(QuantEcon not installed)"
        print(f"{k}x{k}: {rate:>14.0f}   {note}")


def _timed(fn: Callable[[], Any]) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def _contains(found: list[Profiles], target: Profiles, tol: float = 1e-6) -> bool:
    flat = np.concatenate(target)
    return any(np.allclose(np.concatenate([np.asarray(s, float) for s in p]), flat, atol=tol)
               for p in found)


def part_ties(rng: np.random.Generator) -> None:
    solvers = {"ours": ours_exact, **peers()}
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
        print(f"{name:>12}: {count:>4} / {len(games)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer games")
    args = parser.parse_args()
    rng = np.random.default_rng(SEED)
    rates = part_single(40 if args.quick else 200, rng)
    part_batch(0.1 if args.quick else 1.0, rng, rates[6].get("quantecon"))
    part_ties(rng)


if __name__ == "__main__":
    main()
