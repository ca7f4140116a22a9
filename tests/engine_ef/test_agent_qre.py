"""Agent logit QRE: Signorino's recursion, the general fixed point, and pygambit's values."""

from __future__ import annotations

import json
from fractions import Fraction

import numpy as np
import pytest

from sim.games.efg import read_efg
from sim.games.errors import GameError
from sim.solvers.agent_qre import agent_qre_at, agent_qre_limit, agent_qre_solve, signorino_qre
from sim.solvers.spe import spe_solve
from tests.engine_ef import (
    GAMBIT_GAMES,
    GOLDEN,
    IIG_OUTCOMES,
    beer_quiche,
    behavior_by_first_node,
    entry_deterrence,
    iig,
    model_case,
)

QRE = json.loads((GOLDEN / "ef_agent_qre.json").read_text())["data"]


def _trees():
    war = model_case("M9-aqre-iig-war-case-lambda-5")["params"]
    neg = model_case("M5-iig-negotiation")["params"]
    return {
        "iig_war": iig(war["U_A"], war["U_B"]),
        "iig_negotiation": iig(neg["U_A"], neg["U_B"]),
        "beer_quiche_0.9": beer_quiche(Fraction(9, 10)),
        "beer_quiche_0.3": beer_quiche(Fraction(3, 10)),
        "entry_deterrence": entry_deterrence(),
    }


def _game(name):
    trees = _trees()
    if name in trees:
        return trees[name]
    if not GAMBIT_GAMES.is_dir():
        pytest.skip("Gambit's game collection is absent")
    return read_efg(GAMBIT_GAMES / name)


def test_iig_case_lambda_5_node_by_node() -> None:
    case = model_case("M9-aqre-iig-war-case-lambda-5")
    game = iig(case["params"]["U_A"], case["params"]["U_B"])
    res = signorino_qre(game, case["params"]["lambda"])
    for node, p in case["expected"]["prob_escalate_at_node"].items():
        escalate = next(a for a in res.behavior[node] if not a.startswith("n"))
        assert res.behavior[node][escalate] == pytest.approx(p, abs=case["tolerance"])
    flat = game.flat()
    reach = flat.reach_probs(res.behavior)
    outcome = dict.fromkeys(IIG_OUTCOMES, 0.0)
    for i in range(len(flat)):
        if flat.kind[i] == "t":
            outcome[flat.nodes[i].label] += reach[i]
    for name, p in case["expected"]["outcome_probabilities"].items():
        assert outcome[name] == pytest.approx(p, abs=case["tolerance"])


@pytest.mark.parametrize("lam", [0.0, 0.3, 2.0, 5.0, 12.0])
def test_recursion_equals_the_general_fixed_point(lam: float) -> None:
    game = _trees()["iig_war"]
    a = agent_qre_at(game, lam, method="recursion")
    b = agent_qre_at(game, lam, method="continuation")
    for key in a.behavior:
        for act in a.behavior[key]:
            assert a.behavior[key][act] == pytest.approx(b.behavior[key][act], abs=1e-9)
    assert a.payoffs == pytest.approx(b.payoffs, abs=1e-9)


def test_lambda_zero_is_uniform() -> None:
    res = agent_qre_at(beer_quiche(Fraction(1, 2)), 0.0)
    assert all(p == pytest.approx(0.5) for d in res.behavior.values() for p in d.values())


@pytest.mark.parametrize("name", sorted(QRE))
@pytest.mark.parametrize("lam", ["0.5", "1.0", "5.0"])
def test_matches_pygambit_at_lambda(name: str, lam: str) -> None:
    game = _game(name)
    res = agent_qre_at(game, float(lam))
    ours = behavior_by_first_node(game, res.behavior)
    theirs = QRE[name]["lambda"][lam]
    assert ours.keys() == theirs.keys()
    for key, probs in theirs.items():
        assert ours[key] == pytest.approx(probs, abs=1e-6), key


@pytest.mark.parametrize("name", sorted(QRE))
def test_limit_matches_pygambit_logit_solve(name: str) -> None:
    game = _game(name)
    res = agent_qre_limit(game)
    ours = behavior_by_first_node(game, res.behavior)
    theirs = QRE[name]["limit"]
    # Both stop once regret is below 1e-8 of the payoff range; compare where it matters.
    flat = game.flat()
    reach = flat.reach_probs(res.behavior)
    for key, probs in theirs.items():
        if reach[int(key)] > 1e-6:
            assert ours[key] == pytest.approx(probs, abs=1e-3), key


def test_limit_on_perfect_information_is_the_spe() -> None:
    game = _trees()["iig_war"]
    limit = agent_qre_limit(game)
    spe = spe_solve(game).equilibria[0]
    for key, dist in spe.behavior.items():
        for act, p in dist.items():
            assert limit.behavior[key][act] == pytest.approx(float(p), abs=1e-6)


def test_beer_quiche_limit_selects_the_intuitive_equilibrium() -> None:
    res = agent_qre_limit(beer_quiche(Fraction(9, 10)))
    assert res.behavior["strong"]["Beer"] == pytest.approx(1.0)
    assert res.behavior["weak"]["Beer"] == pytest.approx(1.0)
    assert res.behavior["after Quiche"]["Duel"] == pytest.approx(1.0)
    assert res.beliefs["after Beer"]["strong/Beer"] == pytest.approx(0.9)
    assert res.regret < 1e-7


def test_solve_result_wrapper() -> None:
    res = agent_qre_solve(entry_deterrence(), 1.0)
    assert res.method == "agent_qre"
    (eq,) = res.equilibria
    e = np.exp(1.0)
    # incumbent: Fight -1 vs Accommodate 1
    assert eq.behavior["Incumbent"]["Accommodate"] == pytest.approx(e**1 / (e**1 + e**-1))


def test_negative_lambda_rejected() -> None:
    with pytest.raises(GameError, match="lambda must be a finite number >= 0, got -1"):
        agent_qre_at(entry_deterrence(), -1)
