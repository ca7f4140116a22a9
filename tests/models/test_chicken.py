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
    assert out.details["firm_R"] == pytest.approx(1 / 7, abs=1e-15)
    assert out.details["firm_W"] == pytest.approx(1 / 3, abs=1e-15)
    assert out.p_war == pytest.approx(1 / 21, abs=1e-15)
    assert out.payoffs == pytest.approx({"Russia": 1 / 3, "West": 3 / 7}, abs=1e-15)
    assert out.flags.multiple_equilibria
    assert sum(out.probabilities.values()) == pytest.approx(1.0, abs=1e-15)
    assert "opponent" in out.explanation and "0.14" in out.explanation


def test_pure_selections_and_qre_limit() -> None:
    firm = MODEL.solve(equilibrium=1)
    assert (firm.regime, firm.p_war, firm.payoffs["Russia"], firm.payoffs["West"]) == (
        "russia_firm", 0.0, 1.0, 0.0)
    assert firm.outcome == "Concession"
    soft = MODEL.solve(equilibrium=2)
    assert (soft.regime, soft.outcome, soft.payoffs["Russia"], soft.payoffs["West"]) == (
        "west_firm", "Back down", 0.0, 1.0)
    # models.md §3a: the logit-QRE limit selects (Russia Firm, West Swerve) here.
    assert MODEL.solve(equilibrium=3).regime == "russia_firm"
    # A symmetric game's branch tends to the mixed equilibrium.
    sym = {f"{k}_{s}": v for s in "RW" for k, v in zip("wsld", (4, 3, 2, 1), strict=True)}
    out = MODEL.solve(sym, equilibrium=3)
    assert out.regime == "mixed" and out.p_war == pytest.approx(0.25, abs=1e-15)


@pytest.mark.parametrize("bad", [{"s_R": 1.0}, {"l_W": -3.0}, {"d_R": 0.0}])
def test_payoff_order_is_enforced(bad: dict[str, float]) -> None:
    with pytest.raises(ModelError, match="w_. > s_. > l_. > d_."):
        MODEL.solve(bad)
    with pytest.raises(ModelError):
        MODEL.solve_batch({k: np.array([v, v]) for k, v in bad.items()})


@settings(max_examples=60, deadline=None)
@given(chicken_params())
def test_mixed_equilibrium_makes_each_opponent_indifferent(p: dict[str, float]) -> None:
    d = MODEL.solve(p).details
    x, y = d["firm_R"], d["firm_W"]
    # Russia's two strategies earn the same against the West's mix, and vice versa.
    swerve_R = (1 - y) * p["s_R"] + y * p["l_R"]
    firm_R = (1 - y) * p["w_R"] + y * p["d_R"]
    swerve_W = (1 - x) * p["s_W"] + x * p["l_W"]
    firm_W = (1 - x) * p["w_W"] + x * p["d_W"]
    assert swerve_R == pytest.approx(firm_R, abs=1e-9)
    assert swerve_W == pytest.approx(firm_W, abs=1e-9)
    assert d["eu_R_mixed"] == pytest.approx(swerve_R, abs=1e-9)


@settings(max_examples=40, deadline=None)
@given(chicken_params(), st.floats(0.25, 4.0))
def test_worse_western_war_makes_russia_less_firm(p: dict[str, float], extra: float) -> None:
    """The teaching caveat: d_W moves Russia's mixing, not the West's."""
    base = MODEL.solve(p).details
    worse = MODEL.solve({**p, "d_W": p["d_W"] - extra}).details
    assert worse["firm_R"] < base["firm_R"]
    assert worse["firm_W"] == base["firm_W"]


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
        assert batch.payoffs["Russia"][k] == pytest.approx(out.payoffs["Russia"], abs=1e-14)
        assert batch.payoffs["West"][k] == pytest.approx(out.payoffs["West"], abs=1e-14)
        assert list(batch.probabilities[k]) == pytest.approx(
            [out.probabilities[lab] for lab in batch.outcomes], abs=1e-14)
        assert bool(batch.boundary[k]) == out.flags.boundary
        assert bool(batch.multiple_equilibria[k]) == out.flags.multiple_equilibria


def test_game_solved_by_the_engine_matches_the_closed_form() -> None:
    enummixed = pytest.importorskip("sim.solvers.enummixed")
    g = MODEL.game()
    assert g.players == ("Russia", "West")
    assert g.strategies == (("Swerve", "Firm"), ("Swerve", "Firm"))
    res = enummixed.enummixed_solve(g)
    profiles = sorted((tuple(eq.profile[0]), tuple(eq.profile[1])) for eq in res.equilibria)
    expected = sorted([
        ((Fraction(1), Fraction(0)), (Fraction(0), Fraction(1))),
        ((Fraction(0), Fraction(1)), (Fraction(1), Fraction(0))),
        ((Fraction(6, 7), Fraction(1, 7)), (Fraction(2, 3), Fraction(1, 3))),
    ])
    assert profiles == expected


GOLDEN = json.loads((DATA / "golden" / "group_b_golden.json").read_text())


@pytest.mark.parametrize("entry", GOLDEN["chicken"], ids=lambda e: str(e["params"]["d_W"]))
def test_equilibria_match_gambit_enummixed_golden(entry: dict) -> None:
    out = MODEL.solve(entry["params"])
    found = sorted([e["firm_R"], e["firm_W"]] for e in out.details["equilibria"])
    assert len(found) == len(entry["equilibria"]) == out.details["n_equilibria"]
    for got, want in zip(found, entry["equilibria"], strict=True):
        assert got == pytest.approx(want, abs=1e-12)


@pytest.mark.parametrize("entry", GOLDEN["qre"], ids=lambda e: str(e["params"]["d_W"]))
def test_qre_limit_selection_matches_gambit_golden(entry: dict) -> None:
    p = entry["params"]
    out = MODEL.solve(p, equilibrium=3)
    if (p["w_R"] - p["s_R"], p["l_R"] - p["d_R"]) == (p["w_W"] - p["s_W"], p["l_W"] - p["d_W"]):
        # Strategically symmetric: the branch bifurcates and Gambit's path picks a side;
        # the model follows the symmetric branch to the mixed equilibrium and flags it.
        assert out.regime == "mixed" and out.flags.boundary
        return
    firm_R, firm_W = entry["limit"]
    assert (out.details["firm_R"], out.details["firm_W"]) == pytest.approx(
        (round(firm_R), round(firm_W)), abs=0)
