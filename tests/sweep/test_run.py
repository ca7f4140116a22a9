"""Sweeps, maps and sensitivity against closed forms of models.md."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sim.models.registry import get_model
from sim.scenario.sweep_spec import SweepSpec
from sim.sweep import (
    INVALID,
    evaluate,
    outcome_profile,
    regime_map,
    regime_shares,
    sensitivity,
)
from sim.sweep.engine import evaluate_in_memory
from sim.sweep.resolve import resolve_sweep

FEARON = "fearon_bargaining_range"


def _sweep(model: str, varied: dict, sampler: str = "grid", n: int = 1000,  # type: ignore[type-arg]
           seed: int = 0, fixed: dict | None = None) -> pd.DataFrame:  # type: ignore[type-arg]
    """A sweep of ``model`` through the one sweep stack, run in memory."""
    spec = SweepSpec.model_validate({"id": "t", "model": model, "varied": varied,
                                     "sampler": sampler, "n": n, "seed": seed,
                                     "fixed": fixed or {}})
    return evaluate_in_memory(resolve_sweep(spec), chunk_size=40).to_pandas()


def test_sweep_table_shape_columns_and_values() -> None:
    frame = _sweep(FEARON, {"x": {"grid": "0:1:101"}},
                   fixed={"p": 0.65, "c_R": 0.15, "c_W": 0.10})
    assert frame.shape == (101, 13)
    assert list(frame.columns[:3]) == ["point", "x", "regime"]
    assert {"P(Agreement)", "P(Status quo)", "P(War)", "p_war", "payoff[Challenger]",
            "payoff[Target]", "boundary", "valid"} <= set(frame.columns)
    # models.md §1a: a demand is accepted iff x <= p + c_W = 0.75.
    accepted = frame["regime"] == "demand_accepted"
    assert set(frame.loc[accepted, "x"].round(2)) == {round(k / 100, 2) for k in range(76)}
    assert (frame.loc[~accepted, "regime"] == "demand_rejected").all()
    assert frame.loc[~accepted, "p_war"].eq(1.0).all()
    assert regime_shares(frame)["demand_accepted"] == pytest.approx(76 / 101)


def test_sweep_matches_point_solutions() -> None:
    model = get_model(FEARON)
    frame = _sweep(FEARON, {"p": {"dist": "uniform"}, "c_W": {"dist": "uniform", "min": -0.5}},
                   "lhs", 200, seed=5)
    for _, row in frame.sample(10, random_state=0).iterrows():
        out = model.solve({"p": row["p"], "c_W": row["c_W"]})
        assert row["regime"] == out.regime
        assert row["p_war"] == pytest.approx(out.p_war)
        assert row["payoff[Target]"] == pytest.approx(out.payoffs["Target"])


def test_invalid_points_are_marked_not_fatal() -> None:
    # Chicken needs w > s > l > d; w_R below s_R = 0.5 is not a Chicken game.
    frame = _sweep("chicken_2x2", {"w_R": {"grid": "-1:3:9"}})
    bad = frame["w_R"] <= 0.5
    assert frame.loc[bad, "regime"].eq(INVALID).all()
    assert frame.loc[bad, "p_war"].isna().all()
    assert not frame.loc[bad, "valid"].any()
    assert frame.loc[~bad, "valid"].all()
    assert frame.loc[~bad, "p_war"].notna().all()


def test_evaluate_rejects_unknown_parameters() -> None:
    with pytest.raises(ValueError, match="unknown parameter 'zz'"):
        evaluate(FEARON, {"zz": 1.0}, {"x": np.array([0.5])})


def test_sweep_rejects_a_parameter_both_fixed_and_varied() -> None:
    with pytest.raises(ValueError, match="both fixed and varied"):
        _sweep(FEARON, {"x": {"grid": "0:1:4"}}, fixed={"x": 0.5})


def test_hundred_thousand_points() -> None:
    frame = _sweep(FEARON, {"x": {"dist": "uniform"}, "p": {"dist": "uniform"},
                            "c_W": {"dist": "uniform", "min": 0.0}}, "random", 100_000, seed=2)
    assert len(frame) == 100_000
    upper = frame["p"] + frame["c_W"]
    expected = np.where(frame["x"] <= np.minimum(1.0, upper) + 1e-12, "demand_accepted",
                        "demand_rejected")
    assert (frame["regime"].to_numpy() == expected).mean() == 1.0


def test_regime_map_boundary_is_the_line_x_equals_p_plus_cw() -> None:
    rm = regime_map(FEARON, {"c_W": 0.1}, ("x", 0.0, 1.0), ("p", 0.0, 0.9), nx=101, ny=91)
    assert rm.regime.shape == (91, 101)
    accept = rm.regimes.index("demand_accepted")
    gx, gy = np.meshgrid(rm.xs, rm.ys)
    assert np.array_equal(rm.regime == accept, gx <= gy + 0.1 + 1e-12)
    assert set(rm.regimes_present()) == {"demand_accepted", "demand_rejected"}
    shares = rm.shares()
    assert sum(shares.values()) == pytest.approx(1.0)
    assert shares["demand_accepted"] == pytest.approx((gx <= gy + 0.1 + 1e-12).mean())


def test_outcome_profile_of_integer_parameter_uses_whole_numbers() -> None:
    frame = outcome_profile("chicken_2x2", {}, "equilibrium", 0, 3, 50)
    assert frame["equilibrium"].tolist() == [0.0, 1.0, 2.0, 3.0]
    # models.md §3a: equilibrium 1 is Challenger Firm / Target Swerve, no war.
    assert frame.loc[1, "p_war"] == 0.0
    assert frame.loc[1, "regime"] == "challenger_firm"


def test_sensitivity_recovers_a_linear_law() -> None:
    rng = np.random.default_rng(0)
    a, b, c = rng.random((3, 5000))
    frame = pd.DataFrame({"a": a, "b": b, "c": c, "p_war": 3 * a - b})
    table = sensitivity(frame, ["a", "b", "c"])
    assert table["parameter"].tolist() == ["a", "b", "c"]
    # SRC_i = beta_i * sd(x_i) / sd(y): 3/sqrt(10) and -1/sqrt(10).
    assert table.loc[0, "src"] == pytest.approx(3 / np.sqrt(10), abs=0.01)
    assert table.loc[1, "src"] == pytest.approx(-1 / np.sqrt(10), abs=0.01)
    assert abs(table.loc[2, "src"]) < 0.02
    assert table.loc[0, "spearman"] > 0.9


def test_sensitivity_of_constant_parameter_is_nan() -> None:
    frame = pd.DataFrame({"a": [1.0, 2.0, 3.0, 4.0], "b": [1.0] * 4,
                          "p_war": [0.1, 0.2, 0.3, 0.4]})
    table = sensitivity(frame, ["a", "b"]).set_index("parameter")
    assert table.loc["a", "src"] == pytest.approx(1.0)
    assert np.isnan(table.loc["b", "src"])
