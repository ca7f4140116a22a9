"""Regenerate ``threat_trees_oracle.json``: pygambit's logit-QRE limit on the threat trees.

Run from the checkout root with pygambit installed::

    .venv/bin/python tests/data/golden/make_threat_trees_oracle.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT))

from sim.models import get_model  # noqa: E402
from tests.models.test_threat_trees_vs_pygambit import oracle_behaviour  # noqa: E402

POINTS = [
    ("threat_game_incomplete_info", "case-semi",
     {"q": 0.3, "x": 0.6, "p": 0.55, "c_B": 0.2, "a_A": 0.1, "b_B": 0.0,
      "c_res": 0.05, "c_irr": 0.4, "pi": 0.3}),
    ("threat_game_incomplete_info", "pooling",
     {"q": 0.3, "x": 0.6, "p": 0.55, "c_B": 0.2, "a_A": 0.1, "b_B": 0.0,
      "c_res": 0.05, "c_irr": 0.4, "pi": 0.8}),
    ("threat_game_incomplete_info", "high-audience-cost",
     {"q": 0.3, "x": 0.6, "p": 0.55, "c_B": 0.2, "a_A": 0.3, "b_B": 0.0,
      "c_res": 0.05, "c_irr": 0.7, "pi": 0.3}),
    ("threat_game_incomplete_info", "reputation-gain",
     {"q": 0.2, "x": 0.5, "p": 0.6, "c_B": 0.1, "a_A": 0.15, "b_B": 0.1,
      "c_res": 0.1, "c_irr": 0.6, "pi": 0.4}),
    ("threat_game_incomplete_info", "2022-defaults", {}),
    ("sanctions_incomplete_info", "case-semi", {}),
    ("sanctions_incomplete_info", "pooling", {"pi": 0.9}),
    ("sanctions_incomplete_info", "resolved-gains-from-war",
     {"V_S": 1.0, "V_T": 0.5, "k_T": 1.0, "a_S": 0.5, "b_T": 0.2, "k_S_res": 0.2,
      "k_S_irr": 0.9, "pi": 0.3}),
    ("threat_game_complete_info", "case-credible", {"q": 0.3, "x": 0.6, "p": 0.55,
                                                    "c_A": 0.1, "c_B": 0.2, "a_A": 0.05}),
    ("threat_game_complete_info", "2022-defaults", {}),
    ("threat_game_complete_info", "not-credible", {"c_A": 0.6}),
    ("sanctions_complete_info", "case-not-credible", {}),
    ("sanctions_complete_info", "credible-effective", {"k_S": 0.1}),
    ("sanctions_complete_info", "credible-ineffective", {"k_S": 0.1, "k_T": 0.4}),
]


def main() -> None:
    points = []
    for model_name, ident, params in POINTS:
        model = get_model(model_name)
        full = model.validate(params)
        behaviour = oracle_behaviour(model.game(full))
        points.append({"model": model_name, "id": ident, "params": full,
                       "behaviour": behaviour})
    out = Path(__file__).with_name("threat_trees_oracle.json")
    out.write_text(json.dumps({"source": "pygambit 16.7.0 nash.logit_solve (logit-QRE limit)",
                               "points": points}, indent=1) + "\n")


if __name__ == "__main__":
    main()
