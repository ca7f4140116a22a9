"""Live pygambit cross-checks of Chicken, its logit QRE and the escalation ladders."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

pytest.importorskip("pygambit")

import pygambit as gbt  # noqa: E402

from sim.games.extensive_form import ExtensiveFormGame  # noqa: E402
from sim.models import get_model  # noqa: E402
from sim.models.escalation_ladder_complete import ladder_tree  # noqa: E402
from tests.data.golden.make_chicken_ladder_golden import (  # noqa: E402
    chicken_equilibria,
    qre_at,
    qre_limit,
    random_chicken,
    random_ladder,
    to_gambit,
)

pytestmark = pytest.mark.oracle

CHICKEN = get_model("chicken_2x2")
QRE = get_model("logit_qre_normal_form")
COMPLETE = get_model("escalation_ladder_complete")
INCOMPLETE = get_model("escalation_ladder_incomplete")

RNG_GAMES = [random_chicken(np.random.default_rng(s)) for s in range(8)]
CASE_GAMES = [
    {f"{k}_{s}": v for s in "AB" for k, v in zip("wsld", (4, 3, 2, 1), strict=True)},
    CHICKEN.defaults() | {"equilibrium": 0},
]


def _payoffs(p: dict) -> dict:
    return {k: v for k, v in p.items() if k != "equilibrium"}


@pytest.mark.parametrize("p", CASE_GAMES + RNG_GAMES)
def test_chicken_equilibria_match_enummixed(p: dict) -> None:
    out = CHICKEN.solve(_payoffs(p))
    found = sorted([e["firm_A"], e["firm_B"]] for e in out.details["equilibria"])
    want = chicken_equilibria(_payoffs(p))
    assert len(found) == len(want)
    for got, exp in zip(found, want, strict=True):
        assert got == pytest.approx(exp, abs=1e-12)


@pytest.mark.parametrize("p", [CASE_GAMES[1]] + RNG_GAMES)
@pytest.mark.parametrize("lam", [0.3, 2.0, 10.0])
def test_qre_matches_logit_solve_lambda(p: dict, lam: float) -> None:
    d = QRE.solve(_payoffs(p), lam=lam).details
    firm_A, firm_B = qre_at(_payoffs(p), lam)
    if d["symmetric_game"]:
        assert any(q["firm_A"] == pytest.approx(firm_A, abs=1e-7) for q in d["all_qre"])
        return
    assert d["firm_A"] == pytest.approx(firm_A, abs=1e-7)
    assert d["firm_B"] == pytest.approx(firm_B, abs=1e-7)


@pytest.mark.parametrize("p", [CASE_GAMES[1]] + RNG_GAMES)
def test_qre_limit_selection_matches_logit_solve(p: dict) -> None:
    out = CHICKEN.solve(_payoffs(p), equilibrium=3)
    if out.flags.boundary:
        return
    firm_A, firm_B = qre_limit(_payoffs(p))
    assert (out.details["firm_A"], out.details["firm_B"]) == (round(firm_A), round(firm_B))


def _gambit_escalation(game) -> dict[str, float]:
    g = to_gambit(game)
    eq = gbt.nash.logit_solve(g).equilibria[0]
    return {iset.label: float(eq[iset.actions["Escalate"]])
            for pl in g.players for iset in pl.infosets}


@pytest.mark.parametrize("p", [
    {"risks": [0.1, 0.2, 0.3, 1.0], "v_A": 1, "v_B": 1, "d_A": 2, "d_B": 4},
    {"risks": [0.05, 0.1, 0.15, 0.2, 1.0], "v_A": 1, "v_B": 1, "d_A": 0.5, "d_B": 3.0},
])
def test_complete_ladder_matches_logit_solve(p: dict) -> None:
    out = COMPLETE.solve(p)
    # The model's tree with information sets labelled by step, to read Gambit's profile.
    values = (Fraction(repr(float(p[k]))) for k in ("v_A", "v_B", "d_A", "d_B"))
    tree = ladder_tree(p["risks"], *values, shared=True)
    esc = _gambit_escalation(ExtensiveFormGame(tree, COMPLETE.players))
    for k, action in enumerate(out.details["actions_by_step"], start=1):
        key = f"A{k}" if k % 2 == 1 else f"B{k}"
        assert esc[key] == pytest.approx(1.0 if action == "E" else 0.0, abs=1e-6)


@pytest.mark.parametrize("p", [
    {"risks": [0.05, 0.2, 0.3, 0.4, 1.0], "v_A": 1.0, "v_B": 1.0, "d_A": 1.5,
     "d_B_res": 1.0, "d_B_irr": 3.0, "prior_res": 0.15},
    *(random_ladder(np.random.default_rng(50 + s)) for s in range(6)),
])
def test_incomplete_ladder_matches_logit_solve_on_path(p: dict) -> None:
    out = INCOMPLETE.solve(p)
    g = to_gambit(INCOMPLETE.game(p))
    eq = gbt.nash.logit_solve(g).equilibria[0]
    if eq.max_regret() > 1e-6:
        pytest.skip("Gambit's path-following stopped before converging")
    esc = {iset.label: float(eq[iset.actions["Escalate"]])
           for pl in g.players for iset in pl.infosets}
    reach = {"res": 1.0, "irr": 1.0}
    for k in range(1, len(out.details["risks"]) + 1):
        for t in ("res", "irr"):
            key = f"A{k}" if k % 2 == 1 else f"B{k}_{t}"
            if reach[t] > 1e-9:
                assert out.details["esc_prob"][key] == pytest.approx(esc[key], abs=1e-4)
            reach[t] *= esc[key] * (1 - out.details["risks"][k - 1])
