"""Regenerate ``chicken_ladder_golden.json``: pygambit's solutions of Chicken and ladder games.

Run from the checkout root with pygambit installed::

    .venv/bin/python tests/data/golden/make_chicken_ladder_golden.py

* ``chicken``: every extreme equilibrium of random Chicken games
  (``pygambit.nash.enummixed_solve``, exact rationals), as (firm_A, firm_B);
* ``qre``: the logit QRE at given λ (``pygambit.qre.logit_solve_lambda``) and
  the limit of the principal branch (``pygambit.nash.logit_solve``);
* ``ladder``: the limit of the agent logit principal branch
  (``pygambit.nash.logit_solve``, a sequential equilibrium) on random
  complete- and incomplete-information ladders, at the information sets
  reached with positive probability in that limit, with Gambit's max regret.
"""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np

from sim.games.extensive_form import Chance, Decision, ExtensiveFormGame, Node, Terminal
from sim.models import get_model

OUT = Path(__file__).with_name("chicken_ladder_golden.json")
SEED = 20220221
N_CHICKEN = 12
N_QRE = 12
N_LADDER = 10
LAMBDAS = (0.5, 2.0, 5.0, 10.0)
PAYOFF_NAMES = ("w_A", "s_A", "l_A", "d_A", "w_B", "s_B", "l_B", "d_B")


def random_chicken(rng: np.random.Generator) -> dict[str, float]:
    """Payoffs on a 0.25 grid in [−5, 5] with w > s > l > d for each side."""
    out: dict[str, float] = {}
    for side in "AB":
        vals = rng.choice(np.arange(-20, 21), size=4, replace=False) / 4
        for k, v in zip("wsld", sorted(vals, reverse=True), strict=True):
            out[f"{k}_{side}"] = float(v)
    return out


def chicken_arrays(p: dict[str, float]) -> tuple[list[list[Fraction]], list[list[Fraction]]]:
    f = {k: Fraction(repr(v)) for k, v in p.items()}
    A = [[f["s_A"], f["l_A"]], [f["w_A"], f["d_A"]]]
    B = [[f["s_B"], f["w_B"]], [f["l_B"], f["d_B"]]]
    return A, B


def gambit_chicken(p: dict[str, float]) -> Any:
    import pygambit as gbt

    A, B = chicken_arrays(p)
    A_ = np.array([[gbt.Rational(str(v)) for v in row] for row in A], dtype=object)
    B_ = np.array([[gbt.Rational(str(v)) for v in row] for row in B], dtype=object)
    return gbt.Game.from_arrays(A_, B_)


def chicken_equilibria(p: dict[str, float]) -> list[list[float]]:
    """Sorted (firm_A, firm_B) of every extreme equilibrium."""
    import pygambit as gbt

    g = gambit_chicken(p)
    res = gbt.nash.enummixed_solve(g, rational=True)
    out = []
    for eq in res.equilibria:
        r, w = g.players
        out.append([float(eq[list(r.strategies)[1]]), float(eq[list(w.strategies)[1]])])
    return sorted(out)


def qre_at(p: dict[str, float], lam: float) -> list[float]:
    """(firm_A, firm_B) on the principal branch at ``lam`` (raw payoffs)."""
    import pygambit as gbt

    g = gambit_chicken(p)
    prof = gbt.qre.logit_solve_lambda(g, [lam])[0]
    return [float(prof[1]), float(prof[3])]


def qre_limit(p: dict[str, float]) -> list[float]:
    import pygambit as gbt

    g = gambit_chicken(p)
    eq = gbt.nash.logit_solve(g).equilibria[0]
    r, w = g.players
    return [float(eq[list(r.strategies)[1]]), float(eq[list(w.strategies)[1]])]


def to_gambit(game: ExtensiveFormGame) -> Any:
    """A pygambit tree equal to ``game``; information sets keep their labels."""
    import pygambit as gbt

    g = gbt.Game.new_tree(players=list(game.players), title=game.title or "game")
    sets: dict[str, Any] = {}
    count = [0]

    def num(v: Any) -> Any:
        return gbt.Rational(str(Fraction(v))) if not isinstance(v, float) else v

    def build(gnode: Any, node: Node) -> None:
        if isinstance(node, Terminal):
            out = g.add_outcome(f"{node.label or 'outcome'} {count[0]}",
                                [num(v) for v in node.payoffs])
            count[0] += 1
            g.set_outcome(gnode, out)
        elif isinstance(node, Decision):
            key = node.infoset
            if key is not None and key in sets:
                g.append_infoset(gnode, sets[key])
            else:
                g.append_move(gnode, game.players[node.player], [a for a, _ in node.actions])
                if key is not None:
                    sets[key] = gnode.infoset
                    gnode.infoset.label = key
            for (_, child), gchild in zip(node.actions, gnode.children, strict=True):
                build(gchild, child)
        elif isinstance(node, Chance):
            g.append_move(gnode, g.players.chance, [a for a, _, _ in node.branches])
            g.set_chance_probs(gnode.infoset, [num(q) for _, q, _ in node.branches])
            for (_, _, child), gchild in zip(node.branches, gnode.children, strict=True):
                build(gchild, child)

    build(g.root, game.root)
    return g


def ladder_limit(params: dict[str, Any]) -> tuple[dict[str, float], float]:
    """Escalation probability at every information set reached in the logit limit.

    Also returns Gambit's max regret of the profile: where its path-following
    stops early (probabilities underflow), the regret stays large.
    """
    import pygambit as gbt

    model = get_model("escalation_ladder_incomplete")
    risks = params["risks"]
    g = to_gambit(model.game(params))
    eq = gbt.nash.logit_solve(g, maxregret=1e-10).equilibria[0]
    esc = {iset.label: float(eq[iset.actions["Escalate"]])
           for pl in g.players for iset in pl.infosets}
    reach = {"res": 1.0, "irr": 1.0}
    out: dict[str, float] = {}
    for k in range(1, len(risks) + 1):
        for t in ("res", "irr"):
            key = f"A{k}" if k % 2 == 1 else f"B{k}_{t}"
            if reach[t] > 1e-9:
                out[key] = esc[key]
            reach[t] *= esc[key] * (1 - risks[k - 1])
    return out, float(eq.max_regret())


def random_ladder(rng: np.random.Generator) -> dict[str, Any]:
    K = int(rng.integers(3, 10))
    risks = sorted(np.round(rng.uniform(0, 0.6, K - 1), 3).tolist()) + [1.0]
    return {"risks": risks, "v_A": round(float(rng.uniform(0.5, 2)), 2),
            "v_B": round(float(rng.uniform(0.5, 2)), 2),
            "d_A": round(float(rng.uniform(0.2, 4)), 2),
            "d_B_res": round(float(rng.uniform(0.1, 2)), 2),
            "d_B_irr": round(float(rng.uniform(2, 5)), 2),
            "prior_res": round(float(rng.uniform(0.05, 0.9)), 2)}


def build() -> dict[str, Any]:
    rng = np.random.default_rng(SEED)
    chicken = []
    for _ in range(N_CHICKEN):
        p = random_chicken(rng)
        chicken.append({"params": p, "equilibria": chicken_equilibria(p)})
    qre = []
    for _ in range(N_QRE):
        p = random_chicken(rng)
        qre.append({"params": p, "at": {str(lam): qre_at(p, lam) for lam in LAMBDAS},
                    "limit": qre_limit(p)})
    ladder = []
    for _ in range(N_LADDER):
        p = random_ladder(rng)
        esc, regret = ladder_limit(p)
        ladder.append({"params": p, "esc_prob": esc, "gambit_max_regret": regret})
    return {"seed": SEED, "chicken": chicken, "qre": qre, "ladder": ladder}


if __name__ == "__main__":
    OUT.write_text(json.dumps(build(), indent=1) + "\n")
    print(f"wrote {OUT}")
