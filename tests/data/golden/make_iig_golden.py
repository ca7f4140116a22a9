"""Regenerate ``iig_golden.json``: pygambit's solutions of random IIG trees.

Run from the checkout root with pygambit installed::

    .venv/bin/python tests/data/golden/make_iig_golden.py

* ``spe``: the limit of the principal logit branch (``pygambit.nash.logit_solve``,
  a sequential equilibrium) on trees with distinct utilities whose limit is
  pure at every node (so the SPE is unique), reduced to the choice at every node;
* ``aqre``: the agent logit QRE at given λ (``pygambit.qre.logit_solve_lambda``),
  node by node, with the outcome probabilities it implies.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from sim.games.extensive_form import Decision, ExtensiveFormGame, Terminal
from sim.kernels.iig import OUTCOMES
from sim.models.iig_complete_info import iig_game

OUT = Path(__file__).with_name("iig_golden.json")
SEED = 20220224
N_SPE = 40
N_AQRE = 12
LAMBDAS = (0.5, 2.0, 5.0, 10.0)


def to_gambit(game: ExtensiveFormGame) -> Any:
    """A pygambit tree of a perfect-information game; infosets labelled by node label."""
    import pygambit as gbt

    g = gbt.Game.new_tree(players=list(game.players), title=game.title)
    outcomes: dict[str, Any] = {}

    def build(gnode: Any, node: Any) -> None:
        if isinstance(node, Terminal):
            if node.label not in outcomes:
                outcomes[node.label] = g.add_outcome(payoffs=list(node.payoffs),
                                                     label=node.label)
            g.set_outcome(gnode, outcomes[node.label])
            return
        assert isinstance(node, Decision)
        g.append_move(gnode, game.players[node.player], [a for a, _ in node.actions])
        gnode.infoset.label = node.label
        for action, child in node.actions:
            build(gnode.children[action], child)

    build(g.root, game.root)
    return g


def escalation_by_node(g: Any, values: Any) -> dict[str, float]:
    """P(first action) at each infoset from a flat or action-indexed profile."""
    out = {}
    for k, action in enumerate(g.actions):
        label = action.infoset.label
        if label not in out:
            out[label] = float(values(k, action))
    return out


def outcome_probs(esc: dict[str, float]) -> dict[str, float]:
    """Outcome probabilities implied by escalation probabilities at every node."""
    from sim.kernels.iig import CHILDREN

    probs = dict.fromkeys(OUTCOMES, 0.0)

    def walk(node: int, mass: float) -> None:
        for j, child in enumerate(CHILDREN[node]):
            p = esc[f"n{node}"] if j == 0 else 1.0 - esc[f"n{node}"]
            if isinstance(child, str):
                probs[child] += mass * p
            else:
                walk(child, mass * p)

    walk(1, 1.0)
    return probs


def draw(rng: np.random.Generator) -> tuple[list[float], list[float]]:
    """Two utility vectors with distinct values on a 0.05 grid (no ties)."""
    grid = np.round(np.arange(-1.0, 1.0001, 0.05), 2)
    return ([float(v) for v in rng.choice(grid, 8, replace=False)],
            [float(v) for v in rng.choice(grid, 8, replace=False)])


def main() -> None:
    import pygambit as gbt

    rng = np.random.default_rng(SEED)
    spe: list[dict[str, Any]] = []
    while len(spe) < N_SPE:
        u_a, u_b = draw(rng)
        g = to_gambit(iig_game(np.array([u_a, u_b])))
        eq = gbt.nash.logit_solve(g).equilibria[0]
        esc = escalation_by_node(g, lambda k, a, eq=eq: eq[a])
        # Keep trees whose equilibrium is strict at every node (no indifference
        # between subtrees ending in the same outcome), so that it is unique.
        if max(min(p, 1.0 - p) for p in esc.values()) > 1e-3:
            continue
        spe.append({"U_A": u_a, "U_B": u_b,
                    "escalate": {n: p > 0.5 for n, p in esc.items()},
                    "prob_escalate": esc})
    aqre = []
    for _ in range(N_AQRE):
        u_a, u_b = draw(rng)
        g = to_gambit(iig_game(np.array([u_a, u_b])))
        for qre in gbt.qre.logit_solve_lambda(g, lam=list(LAMBDAS)):
            esc = escalation_by_node(g, lambda k, a, qre=qre: qre[k])
            aqre.append({"U_A": u_a, "U_B": u_b, "lam": float(qre.lam),
                         "prob_escalate_at_node": esc,
                         "outcome_probabilities": outcome_probs(esc)})
    OUT.write_text(json.dumps({"generator": "pygambit " + gbt.__version__,
                               "outcomes": list(OUTCOMES), "spe": spe, "aqre": aqre},
                              indent=1) + "\n")


if __name__ == "__main__":
    main()
