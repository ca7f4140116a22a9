"""Regenerate ``nf_enummixed_oracle.json``: pygambit's extreme equilibria of random games.

Run from the checkout root with pygambit installed::

    .venv/bin/python tests/data/golden/make_nf_oracle.py

For every size, ``N_PER_KIND`` small-integer games (entries 0..3, mostly
degenerate; solved with ``enummixed_solve(rational=True)``, equilibria stored
as exact ``"p/q"`` strings) and ``N_PER_KIND`` float games (uniform entries
rounded to 6 decimals; ``rational=False``, equilibria stored as floats).
"""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np

OUT = Path(__file__).with_name("nf_enummixed_oracle.json")
SEED = 20220221
SIZES = ((2, 2), (2, 3), (3, 3), (3, 2), (4, 4), (5, 5), (6, 6))
N_PER_KIND = 300


def gambit_equilibria(A: Any, B: Any, rational: bool) -> list[list[list[Any]]]:
    """pygambit ``enummixed_solve`` on the bimatrix game ``(A, B)``."""
    import pygambit as gbt

    game = gbt.Game.from_arrays(A, B)
    result = gbt.nash.enummixed_solve(game, rational=rational)
    out = []
    for eq in result.equilibria:
        profile = []
        for player in game.players:
            probs = [eq[s] for s in player.strategies]
            profile.append([str(Fraction(str(p))) for p in probs] if rational
                           else [float(p) for p in probs])
        out.append(profile)
    return out


def make_cases() -> list[dict[str, Any]]:
    rng = np.random.default_rng(SEED)
    cases = []
    for m, n in SIZES:
        for k in range(N_PER_KIND):
            A = rng.integers(0, 4, (m, n)).tolist()
            B = rng.integers(0, 4, (m, n)).tolist()
            Af = [[Fraction(v) for v in row] for row in A]
            Bf = [[Fraction(v) for v in row] for row in B]
            cases.append({"id": f"int-{m}x{n}-{k:03d}", "kind": "int", "A": A, "B": B,
                          "equilibria": gambit_equilibria(Af, Bf, True)})
        for k in range(N_PER_KIND):
            A = np.round(rng.random((m, n)), 6).tolist()
            B = np.round(rng.random((m, n)), 6).tolist()
            cases.append({"id": f"float-{m}x{n}-{k:03d}", "kind": "float", "A": A, "B": B,
                          "equilibria": gambit_equilibria(np.array(A), np.array(B), False)})
    return cases


def main() -> None:
    import pygambit as gbt

    data = {
        "description": "pygambit enummixed_solve on random bimatrix games",
        "pygambit": gbt.__version__,
        "seed": SEED,
        "cases": make_cases(),
    }
    OUT.write_text(json.dumps(data, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {len(data['cases'])} cases to {OUT}")


if __name__ == "__main__":
    main()
