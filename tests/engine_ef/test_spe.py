"""Subgame-perfect equilibria by backward induction on textbook and model trees."""

from __future__ import annotations

from fractions import Fraction as F

import pytest

from sim.games.efg import read_efg
from sim.games.errors import GameError
from sim.games.extensive_form import Chance, Decision, ExtensiveFormGame, Terminal
from sim.solvers.spe import spe_solve
from tests.engine_ef import (
    GAMBIT_GAMES,
    beer_quiche,
    entry_deterrence,
    iig,
    model_case,
    not_escalating,
    threat_game,
)


def _choices(eq):
    return {k: next(a for a, p in d.items() if p == 1) for k, d in eq.behavior.items()}


def test_entry_deterrence_has_one_spe() -> None:
    res = spe_solve(entry_deterrence(), ties="all")
    assert len(res) == 1
    (eq,) = res.equilibria
    assert _choices(eq) == {"Entrant": "In", "Incumbent": "Accommodate"}
    assert eq.payoffs == (1, 1)
    assert eq.regret == 0
    assert res.paths == (("Entrant:In", "Incumbent:Accommodate"),)
    assert not res.boundary and not res.multiple_equilibria


def test_iig_negotiation_case() -> None:
    case = model_case("M5-iig-negotiation")
    game = iig(case["params"]["U_A"], case["params"]["U_B"])
    res = spe_solve(game, preferred_on_tie=not_escalating)
    (eq,) = res.equilibria
    assert list(res.paths[0]) == case["expected"]["equilibrium_path"]
    expected = (case["expected"]["payoff_A"], case["expected"]["payoff_B"])
    assert eq.payoffs == pytest.approx(expected)
    esc = {k: ("not" if a.startswith("n") else "escalate") for k, a in _choices(eq).items()}
    assert esc == case["expected"]["choice_at_every_node"]
    assert eq.regret == 0
    assert len(spe_solve(game, ties="all")) == 1


def test_iig_war_utilities_give_war_started_by_a() -> None:
    params = model_case("M9-aqre-iig-war-case-lambda-5")["params"]
    res = spe_solve(iig(params["U_A"], params["U_B"]), ties="all")
    assert res.paths == (("n1:D", "n3:D", "n5:F", "n10:R"),)
    assert res.equilibria[0].payoffs == pytest.approx((-0.1, -0.4))


@pytest.mark.parametrize("case_id", ["M2-ci-credible-concede", "M2-ci-audience-cost-ties-hands"])
def test_threat_game_cases(case_id: str) -> None:
    case = model_case(case_id)
    p = {k: F(str(v)) for k, v in case["params"].items()}
    game = threat_game(p["q"], p["x"], p["p"], p["c_C"], p["c_T"], p["a"], p["b"])
    res = spe_solve(game, preferred_on_tie=not_escalating)
    (eq,) = res.equilibria
    assert res.paths[0] == ("C:Demand", "T:Concede")
    e = case["expected"]
    assert eq.payoffs == (F(str(e["payoff_C"])), F(str(e["payoff_T"])))
    assert _choices(eq)["C after Resist"] == "Execute"


def test_exogenous_demand_outside_range_gives_war() -> None:
    # models.md §2b: x = 0.9 > p + c_T = 0.75 and C credible -> war.
    game = threat_game(F(1, 5), F(9, 10), F(13, 20), F(3, 20), F(1, 10), F(1, 10), 0)
    res = spe_solve(game, preferred_on_tie=not_escalating)
    assert res.paths[0] == ("C:Demand", "T:Resist", "C after Resist:Execute")
    assert res.equilibria[0].payoffs == (F(1, 2), F(1, 4))


def test_tie_rule_and_all_ties() -> None:
    # T indifferent: 1 - x = 0.4 equals its war payoff 1 - p - c_T = 0.4.
    game = threat_game(F(3, 10), F(3, 5), F(1, 2), F(1, 10), F(1, 10), F(1, 10), 0)
    one = spe_solve(game, preferred_on_tie={"T": "Concede"})
    assert one.paths[0] == ("C:Demand", "T:Concede")
    assert one.boundary and one.tie_nodes == ("T",)
    assert any("broken by the tie rule: Concede" in n for n in one.notes)
    default = spe_solve(game)
    assert any("broken by action order" in n for n in default.notes)
    every = spe_solve(game, ties="all")
    assert every.multiple_equilibria
    assert sorted(every.paths) == [
        ("C:Demand", "T:Concede"),
        ("C:Demand", "T:Resist", "C after Resist:Execute"),
    ]
    assert all(e.regret == 0 for e in every.equilibria)


def test_off_path_ties_multiply_equilibria() -> None:
    leaf = Terminal((0, 0))
    tree = Decision(0, (
        ("Out", Terminal((5, 5))),
        ("In", Decision(1, (("a", leaf), ("b", Terminal((0, 0))), ("c", Terminal((0, -1)))),
                        "B")),
    ), "A")
    res = spe_solve(ExtensiveFormGame(tree, ("A", "B")), ties="all")
    assert len(res) == 2
    assert {r for r in res.paths} == {("A:Out",)}


def test_near_ties_flag_boundary_float() -> None:
    game = threat_game(0.3, 0.6, 0.5, 0.1, 0.1 + 1e-13, 0.1, 0.0)
    res = spe_solve(game)
    assert res.boundary


def test_chance_nodes_take_expectations() -> None:
    # The first mover gambles (expected 3/2 for player 0) only if the second then cooperates.
    second = Decision(1, (("keep", Terminal((0, 2))), ("share", Terminal((3, 1)))), "B")
    tree = Decision(0, (
        ("safe", Terminal((1, 1))),
        ("gamble", Chance((("good", F(1, 2), second), ("bad", F(1, 2), Terminal((0, 0)))))),
    ), "A")
    res = spe_solve(ExtensiveFormGame(tree, ("A", "B")))
    assert res.paths[0] == ("A:safe",)
    assert res.equilibria[0].behavior["B"] == {"keep": 1, "share": 0}
    with pytest.raises(GameError, match="spe_solve needs perfect information"):
        spe_solve(beer_quiche(F(1, 2)))


@pytest.mark.skipif(not GAMBIT_GAMES.is_dir(), reason="Gambit's game collection is absent")
@pytest.mark.parametrize(
    ("name", "payoffs"),
    [
        ("contrib/cent4.efg", (F(4, 5), F(1, 5))),
        ("contrib/cent6.efg", (F(4, 5), F(1, 5))),
        ("contrib/centcs6.efg", (F(8, 5), F(8, 5))),
        ("contrib/centcs10.efg", (F(8, 5), F(8, 5))),
    ],
)
def test_gambit_centipedes_unravel(name: str, payoffs) -> None:
    res = spe_solve(read_efg(GAMBIT_GAMES / name), ties="all")
    assert len(res) == 1
    assert res.paths == (("(1,1):TAKE",),)
    assert res.equilibria[0].payoffs == payoffs
    assert all(d["TAKE"] == 1 for d in res.equilibria[0].behavior.values() if "TAKE" in d)


@pytest.mark.skipif(not GAMBIT_GAMES.is_dir(), reason="Gambit's game collection is absent")
def test_centipede_with_altruists_needs_another_solver() -> None:
    with pytest.raises(GameError, match="spe_solve needs perfect information"):
        spe_solve(read_efg(GAMBIT_GAMES / "contrib/cent3.efg"))


@pytest.mark.parametrize("length", [2, 5, 8])
def test_centipede_unravels(length: int) -> None:
    # Rosenthal's centipede: taking at node k gives the mover k + 2 and the other k - 1;
    # passing to the end gives both length + 1.
    node: object = Terminal((length + 1, length + 1))
    for k in range(length, 0, -1):
        mover = (k + 1) % 2
        take = (k + 2, k - 1) if mover == 0 else (k - 1, k + 2)
        node = Decision(mover, (("take", Terminal(take)), ("pass", node)), f"c{k}")
    res = spe_solve(ExtensiveFormGame(node, ("1", "2")), ties="all")
    assert len(res) == 1
    assert res.paths[0] == ("c1:take",)
    assert all(d["take"] == 1 for d in res.equilibria[0].behavior.values())
