"""How long a slider move takes in the Game lab: rebuild the game and solve it.

A slider move re-evaluates every payoff expression at the new value, builds the
engine's game (exact arithmetic) and solves it. The target is under 200 ms for
normal forms up to 6 x 6 and trees up to 50 nodes. Also timed: a 200 x 200
regime map. Run from the checkout root::

    python benchmarks/bench_game_lab.py
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from sim.lab.catalogue import catalogue_game
from sim.lab.model import LabGame
from sim.lab.regime import lab_regime_map
from sim.lab.solve import solve_lab


def random_normal_form(m: int, n: int, seed: int) -> LabGame:
    """An m x n game whose payoffs are expressions in two parameters."""
    rng = np.random.default_rng(seed)
    cells = []
    for _ in range(m * n):
        a, b = rng.integers(-5, 6, size=2)
        c, d = rng.integers(-3, 4, size=2)
        cells.append([f"{a} + {c}*x", f"{b} - {d}*y"])
    return LabGame.model_validate({
        "title": f"Random {m}x{n}", "players": ["Row", "Column"],
        "parameters": [{"name": "x", "value": 0.5, "lo": 0, "hi": 1},
                       {"name": "y", "value": 0.5, "lo": 0, "hi": 1}],
        "normal_form": {"strategies": [[f"r{i}" for i in range(m)], [f"c{j}" for j in range(n)]],
                        "payoffs": cells}})


def random_tree(depth: int, seed: int) -> LabGame:
    """A binary perfect-information tree of the given depth (2^(depth+1) - 1 nodes)."""
    rng = np.random.default_rng(seed)
    nodes: list[dict[str, Any]] = []

    def add(level: int) -> str:
        nid = f"n{len(nodes) + 1}"
        entry: dict[str, Any] = {"id": nid}
        nodes.append(entry)
        if level == depth:
            a, b = rng.integers(-5, 6, size=2)
            entry.update(kind="terminal", label=f"end {nid}", payoffs=[f"{a} + x", f"{b} - y"])
        else:
            entry.update(kind="decision", player=level % 2, label=f"move {nid}")
            entry["branches"] = [{"action": "L", "to": add(level + 1)},
                                 {"action": "R", "to": add(level + 1)}]
        return nid

    add(0)
    return LabGame.model_validate({
        "title": "Random tree", "players": ["First", "Second"],
        "parameters": [{"name": "x", "value": 0.5, "lo": 0, "hi": 1},
                       {"name": "y", "value": 0.5, "lo": 0, "hi": 1}],
        "tree": {"nodes": nodes}})


def time_moves(game: LabGame, moves: int = 15) -> tuple[float, float]:
    """Median and worst time (ms) of a slider move: new x, rebuild, solve."""
    solve_lab(game)  # compile and warm caches
    times = []
    for k in range(moves):
        x = game.parameter("x")
        value = x.lo + (x.hi - x.lo) * (k + 0.5) / moves
        start = time.perf_counter()
        solve_lab(game, {"x": value})
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), max(times)


def timed(fn: Callable[[], Any]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> None:
    print("slider move (rebuild and solve), ms: median / worst")
    for m in (2, 3, 4, 5, 6):
        for seed in (1, 2):
            med, worst = time_moves(random_normal_form(m, m, seed))
            print(f"  {m}x{m} normal form (seed {seed}): {med:7.1f} / {worst:7.1f}")
    for depth in (3, 4, 5):
        game = random_tree(depth, 3)
        n = len(game.tree.nodes) if game.tree else 0
        med, worst = time_moves(game)
        print(f"  tree, {n} nodes, perfect information: {med:7.1f} / {worst:7.1f}")
    for key in ("entry_deterrence", "beer_quiche", "seltens_horse", "blockade_1962",
                "centipede", "chicken", "volunteers_dilemma"):
        game = catalogue_game(key)
        if not game.parameters:
            game = game.model_copy(update={"parameters": []})
            start = time.perf_counter()
            solve_lab(game)
            print(f"  {key}: {(time.perf_counter() - start) * 1000:7.1f}")
            continue
        name = game.parameters[0].name
        solve_lab(game)
        times = []
        for v in np.linspace(game.parameters[0].lo, game.parameters[0].hi, 9):
            start = time.perf_counter()
            solve_lab(game, {name: float(v)})
            times.append((time.perf_counter() - start) * 1000)
        print(f"  {key}: {statistics.median(times):7.1f} / {max(times):7.1f}")
    print("regime map, 200 x 200, seconds")
    chicken = catalogue_game("chicken")
    lab_regime_map(chicken, ("w", 0, 5), ("c", 0.1, 10), n=10)
    lab_regime_map(chicken, ("w", 0, 5), ("c", 0.1, 10), n=10, outcome="Straight / Straight",
                   selection="qre")
    print(f"  Chicken, kind of equilibria: "
          f"{timed(lambda: lab_regime_map(chicken, ('w', 0, 5), ('c', 0.1, 10))):.2f}")
    print("  Chicken, P(crash) under the QRE limit: " + "{:.2f}".format(timed(
        lambda: lab_regime_map(chicken, ("w", 0, 5), ("c", 0.1, 10),
                               outcome="Straight / Straight", selection="qre"))))
    six = random_normal_form(6, 6, 1)
    print(f"  random 6x6, kind of equilibria: "
          f"{timed(lambda: lab_regime_map(six, ('x', 0, 1), ('y', 0, 1))):.2f}")
    block = catalogue_game("blockade_1962")
    print(f"  1962 blockade tree (backward induction): "
          f"{timed(lambda: lab_regime_map(block, ('q', 0, 1), ('w', 0, 10))):.2f}")


if __name__ == "__main__":
    main()
