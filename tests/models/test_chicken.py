"""2×2 Chicken (models.md §3a): closed forms, properties, batch agreement, engine."""

from __future__ import annotations

import json
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.models import ModelError, get_model
from sim.models.chicken_2x2 import PAYOFF_NAMES
from sim.solvers import enummixed
from tests.paths import DATA

MODEL = get_model("chicken_2x2")


def _ordered(draw: st.DrawFn) -> tuple[float, float, float, float]:
    vals = draw(st.lists(st.integers(-20, 20), min_size=4, max_size=4, unique=True))
    w, s, l, d = sorted((v / 4 for v in vals), reverse=True)  # noqa: E741
    return w, s, l, d


@st.composite
def chicken_params(draw: st.DrawFn) -> dict[str, float]:
    r, w = _ordered(draw), _ordered(draw)
    return dict(zip(PAYOFF_NAMES, (*r, *w), strict=True))


def test_default_is_the_asymmetric_war_cost_case() -> None:
    out = MODEL.solve()
    assert out.regime == "mixed"
    assert out.details["firm_A"] == pytest.approx(1 / 7, abs=1e-15)
    assert out.details["firm_B"] == pytest.approx(1 / 3, abs=1e-15)
    assert out.p_war == pytest.approx(1 / 21, abs=1e-15)
    assert out.payoffs == pytest.approx({"Challenger": 1 / 3, "Target": 3 / 7}, abs=1e-15)
    assert out.flags.multiple_equilibria
    assert sum(out.probabilities.values()) == pytest.approx(1.0, abs=1e-15)
    assert "opponent" in out.explanation and "0.14" in out.explanation


def test_pure_selections_and_qre_limit() -> None:
    firm = MODEL.solve(equilibrium=1)
    assert (firm.regime, firm.p_war, firm.payoffs["Challenger"], firm.payoffs["Target"]) == (
        "challenger_firm", 0.0, 1.0, 0.0)
    assert firm.outcome == "Concession"
    soft = MODEL.solve(equilibrium=2)
    assert (soft.regime, soft.outcome, soft.payoffs["Challenger"], soft.payoffs["Target"]) == (
        "target_firm", "Back down", 0.0, 1.0)
    # models.md §3a: the logit-QRE limit selects (Challenger Firm, Target Swerve) here.
    assert MODEL.solve(equilibrium=3).regime == "challenger_firm"
    # A symmetric game's branch tends to the mixed equilibrium.
    sym = {f"{k}_{s}": v for s in "AB" for k, v in zip("wsld", (4, 3, 2, 1), strict=True)}
    out = MODEL.solve(sym, equilibrium=3)
    assert out.regime == "mixed" and out.p_war == pytest.approx(0.25, abs=1e-15)


@pytest.mark.parametrize("bad", [{"s_A": 1.0}, {"l_B": -3.0}, {"d_A": 0.0}])
def test_payoff_order_is_enforced(bad: dict[str, float]) -> None:
    with pytest.raises(ModelError, match="w_. > s_. > l_. > d_."):
        MODEL.solve(bad)
    with pytest.raises(ModelError):
        MODEL.solve_batch({k: np.array([v, v]) for k, v in bad.items()})


@settings(max_examples=60, deadline=None)
@given(chicken_params())
def test_mixed_equilibrium_makes_each_opponent_indifferent(p: dict[str, float]) -> None:
    d = MODEL.solve(p).details
    x, y = d["firm_A"], d["firm_B"]
    # Challenger's two strategies earn the same against Target's mix, and vice versa.
    swerve_A = (1 - y) * p["s_A"] + y * p["l_A"]
    firm_A = (1 - y) * p["w_A"] + y * p["d_A"]
    swerve_B = (1 - x) * p["s_B"] + x * p["l_B"]
    firm_B = (1 - x) * p["w_B"] + x * p["d_B"]
    assert swerve_A == pytest.approx(firm_A, abs=1e-9)
    assert swerve_B == pytest.approx(firm_B, abs=1e-9)
    assert d["eu_A_mixed"] == pytest.approx(swerve_A, abs=1e-9)


@settings(max_examples=40, deadline=None)
@given(chicken_params(), st.floats(0.25, 4.0))
def test_worse_western_war_makes_challenger_less_firm(p: dict[str, float], extra: float) -> None:
    """The teaching caveat: d_B moves Challenger's mixing, not Target's."""
    base = MODEL.solve(p).details
    worse = MODEL.solve({**p, "d_B": p["d_B"] - extra}).details
    assert worse["firm_A"] < base["firm_A"]
    assert worse["firm_B"] == base["firm_B"]


def test_batch_agrees_with_solve() -> None:
    rng = np.random.default_rng(7)
    n = 40
    vals = np.sort(rng.uniform(-5, 5, size=(n, 2, 4)), axis=2)[:, :, ::-1]
    cols = {name: vals[:, i // 4, i % 4] for i, name in enumerate(PAYOFF_NAMES)}
    cols["equilibrium"] = rng.integers(0, 4, n)
    batch = MODEL.solve_batch(cols)
    for k in range(n):
        out = MODEL.solve({name: float(cols[name][k]) for name in cols})
        assert batch.regime_labels()[k] == out.regime
        assert batch.p_war[k] == pytest.approx(out.p_war, abs=1e-14)
        assert batch.payoffs["Challenger"][k] == pytest.approx(out.payoffs["Challenger"], abs=1e-14)
        assert batch.payoffs["Target"][k] == pytest.approx(out.payoffs["Target"], abs=1e-14)
        assert list(batch.probabilities[k]) == pytest.approx(
            [out.probabilities[lab] for lab in batch.outcomes], abs=1e-14)
        assert bool(batch.boundary[k]) == out.flags.boundary
        assert bool(batch.multiple_equilibria[k]) == out.flags.multiple_equilibria


def test_game_solved_by_the_engine_matches_the_closed_form() -> None:
    g = MODEL.game()
    assert g.players == ("Challenger", "Target")
    assert g.strategies == (("Swerve", "Firm"), ("Swerve", "Firm"))
    res = enummixed.enummixed_solve(g)
    profiles = sorted((tuple(eq.profile[0]), tuple(eq.profile[1])) for eq in res.equilibria)
    expected = sorted([
        ((Fraction(1), Fraction(0)), (Fraction(0), Fraction(1))),
        ((Fraction(0), Fraction(1)), (Fraction(1), Fraction(0))),
        ((Fraction(6, 7), Fraction(1, 7)), (Fraction(2, 3), Fraction(1, 3))),
    ])
    assert profiles == expected


GOLDEN = json.loads((DATA / "golden" / "chicken_ladder_golden.json").read_text())


@pytest.mark.parametrize("entry", GOLDEN["chicken"], ids=lambda e: str(e["params"]["d_B"]))
def test_equilibria_match_gambit_enummixed_golden(entry: dict) -> None:
    out = MODEL.solve(entry["params"])
    found = sorted([e["firm_A"], e["firm_B"]] for e in out.details["equilibria"])
    assert len(found) == len(entry["equilibria"]) == out.details["n_equilibria"]
    for got, want in zip(found, entry["equilibria"], strict=True):
        assert got == pytest.approx(want, abs=1e-12)


@pytest.mark.parametrize("entry", GOLDEN["qre"], ids=lambda e: str(e["params"]["d_B"]))
def test_qre_limit_selection_matches_gambit_golden(entry: dict) -> None:
    p = entry["params"]
    out = MODEL.solve(p, equilibrium=3)
    if (p["w_A"] - p["s_A"], p["l_A"] - p["d_A"]) == (p["w_B"] - p["s_B"], p["l_B"] - p["d_B"]):
        # Strategically symmetric: the branch bifurcates and Gambit's path picks a side;
        # the model follows the symmetric branch to the mixed equilibrium and flags it.
        assert out.regime == "mixed" and out.flags.boundary
        return
    firm_A, firm_B = entry["limit"]
    assert (out.details["firm_A"], out.details["firm_B"]) == pytest.approx(
        (round(firm_A), round(firm_B)), abs=0)
