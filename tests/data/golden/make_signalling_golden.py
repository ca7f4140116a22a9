"""Regenerate ``signalling_golden.json``: every extreme Nash equilibrium pygambit finds.

For seeded points of the mobilisation and reassurance models, pygambit's
``enummixed_solve`` enumerates the extreme equilibria of the tree's strategic
form; each is stored (once) as behaviour at the sender's type information sets
and the receiver's information sets. The tests check, without pygambit, that the
closed form's equilibrium is among them. Run from the checkout root::

    .venv/bin/python tests/data/golden/make_signalling_golden.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT))

from sim.models import get_model  # noqa: E402
from tests.models.test_mobilisation_signalling import random_points as mob_points  # noqa: E402
from tests.models.test_reassurance_game import random_points as rea_points  # noqa: E402
from tests.models.test_threat_trees_vs_pygambit import to_gambit  # noqa: E402

OUT = Path(__file__).with_name("signalling_golden.json")
N_POINTS = 12


def gambit_equilibria(game: Any) -> list[dict[str, dict[str, float]]]:
    """Behaviour of every extreme Nash equilibrium of the tree's strategic form."""
    import pygambit as gbt

    g = to_gambit(game)
    result = gbt.nash.enummixed_solve(g, rational=False)
    out: list[dict[str, dict[str, float]]] = []
    for eq in result.equilibria:
        beh = eq.as_behavior()
        # The sender's message and the receiver's replies; the last moves are fixed
        # by strict preference and are checked separately.
        entry = {iset.label: {a.label: round(float(beh[a]), 9) for a in iset.actions}
                 for player in g.players for iset in player.infosets
                 if "," not in iset.label}
        if entry not in out:
            out.append(entry)
    return out


def points() -> list[dict[str, Any]]:
    entries = []
    for name, draw, seed in (("mobilisation_signalling", mob_points, 41),
                             ("reassurance_game", rea_points, 42)):
        model = get_model(name)
        rng = np.random.default_rng(seed)
        taken = 0
        while taken < N_POINTS:
            point = {k: float(v[0]) for k, v in draw(rng, 1).items()}
            if model.solve(point).flags.boundary:
                continue
            entries.append({"model": name, "params": point,
                            "equilibria": gambit_equilibria(model.game(point))})
            taken += 1
    return entries


if __name__ == "__main__":
    import pygambit

    data = {"pygambit": pygambit.__version__, "method": "enummixed_solve on the strategic form",
            "points": points()}
    OUT.write_text(json.dumps(data, indent=1) + "\n")
    print(f"wrote {len(data['points'])} points to {OUT}")
