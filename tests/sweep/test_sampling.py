"""Samplers: exact designs, seeded reproducibility, distributions."""

from __future__ import annotations

import numpy as np
import pytest

from sim.sweep import Varied, sample, unit_points


def test_grid_has_endpoints_and_k_levels_per_dimension() -> None:
    u = unit_points("grid", 2, 9)
    assert u.shape == (9, 2)
    assert sorted(set(u[:, 0])) == [0.0, 0.5, 1.0]
    cols = sample([Varied("a", 2.0, 4.0), Varied("b", -1.0, 1.0)], "grid", 9)
    assert sorted(set(cols["a"])) == [2.0, 3.0, 4.0]
    assert sorted(set(cols["b"])) == [-1.0, 0.0, 1.0]


def test_random_and_lhs_are_reproducible_with_a_seed() -> None:
    v = [Varied("a", 0.0, 1.0), Varied("b", 0.0, 10.0)]
    for sampler in ("random", "lhs"):
        first = sample(v, sampler, 50, seed=7)
        again = sample(v, sampler, 50, seed=7)
        other = sample(v, sampler, 50, seed=8)
        assert np.array_equal(first["a"], again["a"])
        assert not np.array_equal(first["a"], other["a"])
        assert len(first["b"]) == 50
        assert first["b"].min() >= 0.0 and first["b"].max() <= 10.0


def test_lhs_puts_one_point_in_each_stratum() -> None:
    u = unit_points("lhs", 3, 20, seed=1)
    for j in range(3):
        assert sorted(np.floor(u[:, j] * 20).astype(int).tolist()) == list(range(20))


def test_triangular_inverse_cdf() -> None:
    v = Varied("a", 0.0, 2.0, dist="triangular", mode=0.5)
    # F(c) = (c - lo)/(hi - lo) = 0.25 at the mode; the ends map to the ends.
    assert v.ppf(np.array([0.0, 0.25, 1.0])) == pytest.approx([0.0, 0.5, 2.0])
    # F(x) = x**2 / (w (c - lo)) on the left: F(0.25) = 0.0625 / 1 = 0.0625.
    assert v.ppf(np.array([0.0625]))[0] == pytest.approx(0.25)


def test_integer_parameters_are_rounded() -> None:
    cols = sample([Varied("K", 1.0, 6.0, integer=True)], "random", 100, seed=3)
    assert np.array_equal(cols["K"], np.round(cols["K"]))
    assert set(cols["K"]) <= {1.0, 2.0, 3.0, 4.0, 5.0, 6.0}


@pytest.mark.parametrize("bad", [
    lambda: Varied("a", 1.0, 0.0),
    lambda: Varied("a", 0.0, 1.0, dist="normal"),  # type: ignore[arg-type]
    lambda: Varied("a", 0.0, 1.0, dist="triangular", mode=2.0),
    lambda: unit_points("sobol", 2, 10),  # type: ignore[arg-type]
    lambda: unit_points("grid", 0, 10),
    lambda: sample([Varied("a", 0, 1), Varied("a", 0, 1)], "grid", 4),
])
def test_invalid_designs_are_rejected(bad) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError):
        bad()
