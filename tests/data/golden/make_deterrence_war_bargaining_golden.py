"""Regenerate ``deterrence_war_bargaining_oracle.json``: pygambit's answers for two models.

For sampled points of ``extended_deterrence`` and ``bargaining_while_fighting``
the model's game tree is rebuilt in pygambit and solved with ``logit_solve``,
whose limit is a sequential equilibrium (McKelvey & Palfrey 1998). The file
keeps Gambit's behaviour at the information sets the equilibrium reaches, so
the model tests can compare against it where pygambit is not installed.

Run from the repository root: ``python -m tests.data.golden.make_deterrence_war_bargaining_golden``.
"""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np

from sim.games.extensive_form import Chance, Decision, ExtensiveFormGame, Node, Terminal
from sim.models import get_model
from tests.models.test_threat_trees_vs_pygambit import to_gambit

OUT = Path(__file__).with_name("deterrence_war_bargaining_oracle.json")


def exact_chance(node: Node) -> Node:
    """The same tree with chance probabilities as fractions that sum to exactly one.

    Gambit rejects float chance probabilities whose sum is not exactly 1.
    """
    if isinstance(node, Chance):
        probs = [Fraction(repr(float(p))) for _, p, _ in node.branches]
        probs[-1] = 1 - sum(probs[:-1])
        return Chance(tuple((a, q, exact_chance(c))
                            for (a, _, c), q in zip(node.branches, probs, strict=True)))
    if isinstance(node, Decision):
        return Decision(node.player, tuple((a, exact_chance(c)) for a, c in node.actions),
                        infoset=node.infoset, label=node.label)
    return node


#: Bonus for accepting an offer, so that Gambit's limit follows the tie rule (accept when
#: indifferent): a take-it-or-leave-it offer leaves the marginal type exactly indifferent,
#: and the logit limit would otherwise mix half and half there.
ACCEPT_BONUS = 1e-4


def accept_ties(node: Node) -> Node:
    """The same tree with :data:`ACCEPT_BONUS` added to the responder's payoff of ``Accept``."""
    if isinstance(node, Chance):
        return Chance(tuple((a, q, accept_ties(c)) for a, q, c in node.branches))
    if isinstance(node, Decision):
        moves = []
        for a, c in node.actions:
            if a == "Accept" and isinstance(c, Terminal):
                pay = list(c.payoffs)
                pay[node.player] += ACCEPT_BONUS
                c = Terminal(tuple(pay), c.label)
            moves.append((a, accept_ties(c)))
        return Decision(node.player, tuple(moves), infoset=node.infoset, label=node.label)
    return node


def gambit_behaviour(game: ExtensiveFormGame) -> tuple[dict[str, dict[str, float]], float]:
    """Behaviour of Gambit's logit-QRE limit at every information set, and its max regret."""
    import pygambit as gbt

    root = exact_chance(accept_ties(game.root))
    g = to_gambit(ExtensiveFormGame(root, game.players, game.title))
    eq = gbt.nash.logit_solve(g, maxregret=1e-10).equilibria[0]
    behaviour = {iset.label: {a.label: float(eq[a]) for a in iset.actions}
                 for pl in g.players for iset in pl.infosets}
    return behaviour, float(eq.agent_max_regret())  # max_regret enumerates strategies


def _reached(model: Any, point: dict[str, Any]) -> set[str]:
    """Information sets the closed-form equilibrium reaches with positive probability."""
    game = model.game(point)
    flat = game.flat()
    behaviour = model.behaviour(point) if hasattr(model, "behaviour") else \
        model.solve(point).strategies
    reach = flat.reach_probs(behaviour)
    return {flat.infoset[i] for i in flat.decisions if reach[i] > 1e-12}  # type: ignore[misc]


def deterrence_points() -> list[dict[str, Any]]:
    """Points around the defaults, so that the sample covers wars, concessions and deterrence."""
    model = get_model("extended_deterrence")
    rng = np.random.default_rng(1997)
    points: list[dict[str, Any]] = []
    regimes: dict[str, int] = {}
    while len(points) < 10:
        point = {s.name: round(float(np.clip(s.default + rng.uniform(-0.1, 0.1), s.lo, s.hi)), 2)
                 for s in model.params}
        point["kappa"] = float(rng.choice([0.0, 0.25, 0.45, 0.75]))
        out = model.solve(point)
        margins = [abs(v) for k, v in out.details.items() if k.endswith("margin")]
        if out.flags.boundary or min(margins) < 1e-2 or regimes.get(out.regime, 0) >= 3:
            continue
        regimes[out.regime] = regimes.get(out.regime, 0) + 1
        points.append(point)
    return points


def war_points() -> list[dict[str, Any]]:
    model = get_model("bargaining_while_fighting")
    rng = np.random.default_rng(2004)
    points: list[dict[str, Any]] = []
    while len(points) < 10:
        point = {"p_hi": float(rng.choice([0.5, 0.6, 0.75])),
                 "p_lo": float(rng.choice([0.25, 0.3])),
                 "pi": round(float(rng.uniform(0.1, 0.9)), 2),
                 "c_A": round(float(rng.uniform(0.05, 0.2)), 2),
                 "c_B": round(float(rng.uniform(0.05, 0.2)), 2),
                 "k_A": float(rng.choice([0.0, 0.005, 0.01])),
                 "k_B": 0.005, "T": int(rng.choice([1, 2]))}
        if model.solve(point).flags.boundary or not _clear_choices(model, point):
            continue
        points.append(point)
    return points


def _clear_choices(model: Any, point: dict[str, Any], gap: float = 1e-2) -> bool:
    """Every choice of Side A on the tree beats its alternatives by at least ``gap``."""
    game = model.game(point)
    flat = game.flat()
    behaviour = model.behaviour(point)
    values = flat.node_values(behaviour)
    reach = flat.reach_probs(behaviour)
    for nodes in flat.members.values():
        if flat.player[nodes[0]] != 0:
            continue
        total = sum(reach[i] for i in nodes)
        weights = [reach[i] / total if total > 0 else 1 / len(nodes) for i in nodes]
        acts = flat.actions[nodes[0]]
        u = [sum(w * values[flat.children[i][a]][0] for w, i in zip(weights, nodes, strict=True))
             for a in range(len(acts))]
        ranked = sorted(u, reverse=True)
        if len(ranked) > 1 and ranked[0] - ranked[1] < gap:
            return False
    return True


def main() -> None:
    entries = []
    for name, points in (("extended_deterrence", deterrence_points()),
                         ("bargaining_while_fighting", war_points())):
        model = get_model(name)
        for k, point in enumerate(points):
            behaviour, regret = gambit_behaviour(model.game(point))
            if regret > 1e-6:
                continue
            keep = _reached(model, point)
            entries.append({
                "model": name, "id": f"{name}-{k}", "params": point, "max_regret": regret,
                "behaviour": {key: probs for key, probs in behaviour.items() if key in keep},
            })
    OUT.write_text(json.dumps({"source": "pygambit logit_solve (maxregret 1e-10)",
                               "points": entries}, indent=1) + "\n")
    print(f"wrote {len(entries)} points to {OUT}")


if __name__ == "__main__":
    main()
