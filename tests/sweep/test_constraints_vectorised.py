"""Constraints checked over whole columns agree with the per-point check.

``sim.sweep.constraints.VECTORISED`` lists the models whose cross-parameter
constraints a map checks in one numpy expression; each must mark exactly the
points that the model's own ``check_constraints`` rejects, ties included.
"""

from __future__ import annotations

import numpy as np
import pytest

from sim.kernels.chicken import PAYOFF_NAMES, chicken_order_holds, chicken_order_violation
from sim.models.base import Model, ModelError
from sim.models.registry import get_model
from sim.sweep import constraints, evaluate, regime_map
from sim.sweep.constraints import VECTORISED, constraints_hold


def _per_point(model: Model, values: dict[str, np.ndarray], n: int) -> np.ndarray:
    out = np.ones(n, dtype=bool)
    for k in range(n):
        point = {**model.defaults(), **{name: float(v[k]) for name, v in values.items()}}
        try:
            model.check_constraints(point)
        except ModelError:
            out[k] = False
    return out


def _payoff_columns(rng: np.random.Generator, n: int) -> dict[str, np.ndarray]:
    # Half the points from a coarse lattice, so that ties (w = s, l = d, ...) are
    # common; the rest continuous, so that strict orders are common too.
    lattice = rng.integers(-2, 3, (8, n)) * 0.5
    smooth = np.sort(rng.uniform(-10, 10, (4, 2, n)), axis=0)[::-1].reshape(8, n)
    smooth = smooth[[0, 2, 4, 6, 1, 3, 5, 7]]  # w, s, l, d of side A, then of side B
    pick = rng.random(n) < 0.5
    cols = np.where(pick, lattice, smooth)
    return {name: cols[i] for i, name in enumerate(PAYOFF_NAMES)}


def test_chicken_order_holds_is_chicken_order_violation_vectorised() -> None:
    rng = np.random.default_rng(5)
    n = 4000
    cols = _payoff_columns(rng, n)
    cols["d_B"][:10] = np.nan
    holds = chicken_order_holds(cols)
    expected = [chicken_order_violation({k: v[i] for k, v in cols.items()}) is None
                for i in range(n)]
    np.testing.assert_array_equal(holds, expected)
    assert 0.1 < holds.mean() < 0.9  # both kinds of point are well represented
    assert not holds[:10].any()


@pytest.mark.parametrize("name", sorted(VECTORISED))
def test_vectorised_constraints_agree_with_check_constraints(name: str) -> None:
    model = get_model(name)
    rng = np.random.default_rng(17)
    n = 3000
    cols = _payoff_columns(rng, n)
    values = {**model.defaults(), **cols}
    candidates = rng.random(n) < 0.9
    got = constraints_hold(model, values, candidates)
    expected = _per_point(model, cols, n) & candidates
    np.testing.assert_array_equal(got, expected)
    assert 0 < got.sum() < candidates.sum()


@pytest.mark.parametrize("name", sorted(VECTORISED))
def test_map_through_vectorised_constraints_equals_per_point_path(
        name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    model = get_model(name)
    # steps of 0.25: the grid holds s_A = 0.5 and d_A = −1 exactly
    x, y = ("w_A", -1.0, 2.75), ("l_A", -2.0, 1.75)
    fast = regime_map(model, {}, x, y, nx=16, ny=16)
    monkeypatch.setattr(constraints, "VECTORISED", {})
    slow = regime_map(model, {}, x, y, nx=16, ny=16)
    np.testing.assert_array_equal(fast.valid, slow.valid)
    np.testing.assert_array_equal(fast.regime, slow.regime)
    np.testing.assert_array_equal(fast.p_war, slow.p_war)
    assert 0.1 < fast.valid.mean() < 0.9
    # the boundary points themselves (ties) are rejected
    assert not fast.valid[:, fast.xs == 0.5].any()
    assert not fast.valid[fast.ys == -1.0, :].any()
    assert (fast.xs == 0.5).sum() == 1 and (fast.ys == -1.0).sum() == 1


def test_evaluate_rejects_exactly_the_unordered_points() -> None:
    model = get_model("chicken_2x2")
    rng = np.random.default_rng(23)
    n = 2000
    cols = _payoff_columns(rng, n)
    sol = evaluate(model, {}, cols)
    np.testing.assert_array_equal(sol.valid, chicken_order_holds(cols))
    assert np.all(sol.regime[~sol.valid] == -1)
    assert np.all(np.isfinite(sol.p_war[sol.valid]))


def test_every_listed_model_is_registered() -> None:
    for name in VECTORISED:
        assert get_model(name).name == name
