"""Regenerate ``iig_incomplete_golden.json``: pygambit's solutions of the hawk-dove IIG.

Run from the checkout root with pygambit installed::

    .venv/bin/python tests/data/golden/make_iig_incomplete_golden.py

For seeded parameter points, spread over the model's regimes, the tree of
``iig_incomplete_info`` is solved by ``pygambit.nash.logit_solve`` (the limit
of the principal logit branch, a sequential equilibrium). Points whose
limit is pure at every information set are kept, with the probability of
the first (escalatory) action at each set and the expected payoffs.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np

from sim.models import get_model
from tests.models.test_iig_incomplete_info import interesting_points
from tests.models.test_threat_trees_vs_pygambit import to_gambit

OUT = Path(__file__).with_name("iig_incomplete_golden.json")
SEED = 20220224
PER_REGIME = 3


def solve_with_pygambit(params: dict[str, float]) -> dict[str, Any]:
    """First-action probabilities at every information set and the payoffs."""
    import pygambit as gbt

    g = to_gambit(get_model("iig_incomplete_info").game(params))
    eq = gbt.nash.logit_solve(g).equilibria[0]
    first = {iset.label: float(eq[list(iset.actions)[0]])
             for player in g.players for iset in player.infosets}
    payoffs = {player.label: float(eq.payoff(player)) for player in g.players}
    return {"first_action": first, "payoffs": payoffs}


def main() -> None:
    import pygambit as gbt

    model = get_model("iig_incomplete_info")
    pts = interesting_points(np.random.default_rng(SEED), 400)
    kept: list[dict[str, Any]] = []
    seen: Counter[str] = Counter()
    for i in range(400):
        params = {k: round(float(v[i]), 3) for k, v in pts.items()}
        out = model.solve(params)
        if out.flags.boundary or seen[out.regime] >= PER_REGIME:
            continue
        if min(abs(float(m)) for m in out.details["demand_margins"].values()) < 1e-3:
            continue
        sol = solve_with_pygambit(params)
        if max(min(p, 1 - p) for p in sol["first_action"].values()) > 1e-3:
            continue
        seen[out.regime] += 1
        kept.append({"params": params, "regime": out.regime, **sol})
    OUT.write_text(json.dumps({"generator": "pygambit " + gbt.__version__,
                               "method": "nash.logit_solve", "points": kept},
                              indent=1) + "\n")


if __name__ == "__main__":
    main()
