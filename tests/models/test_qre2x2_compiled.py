"""The compiled 2×2 logit-QRE continuation gives the numpy lockstep's values.

Maps of the logit-QRE model (and Chicken's QRE-limit selection) follow the
principal branch with :mod:`sim.kernels.qre2x2_compiled`; a single point is
still followed in numpy. Both must agree to 1e-8 on map grids and on seeded
random games, near-degenerate ones included.
"""

from __future__ import annotations

import numpy as np
import pytest

from sim.kernels import qre2x2
from sim.kernels.qre2x2 import qre2x2_limit, qre2x2_principal
from sim.models import get_model
from sim.sweep import regime_map

TOL = 1e-8
QRE = get_model("logit_qre_normal_form")


@pytest.fixture(params=["one thread", "threads"])
def compiled_maps(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Maps of any size take the compiled path, on one thread or on numba's threads."""
    monkeypatch.setattr(qre2x2, "COMPILED_MIN", 1)
    monkeypatch.setattr(qre2x2, "PARALLEL_MIN", 1 if request.param == "threads" else 10**9)


def _both(aR: np.ndarray, bR: np.ndarray, aW: np.ndarray, bW: np.ndarray,
          lam: np.ndarray) -> tuple[object, object]:
    slow = qre2x2_principal(aR, bR, aW, bW, lam, compiled=False)
    fast = qre2x2_principal(aR, bR, aW, bW, lam, compiled=True)
    return slow, fast


def _assert_same(slow: object, fast: object) -> None:
    for field in ("p", "q"):
        a, b = getattr(slow, field), getattr(fast, field)
        assert np.all(np.isfinite(b))
        np.testing.assert_allclose(b, a, rtol=0, atol=TOL, err_msg=field)
    np.testing.assert_array_equal(fast.fold, slow.fold)  # type: ignore[attr-defined]


def test_random_games_agree() -> None:
    rng = np.random.default_rng(20261202)
    n = 5000
    aR, bR, aW, bW = rng.normal(size=(4, n))
    lam = rng.uniform(0.0, 200.0, n)
    slow, fast = _both(aR, bR, aW, bW, lam)
    _assert_same(slow, fast)
    # the sample reaches the branch's folds as well as smooth branches
    assert 0 < int(slow.fold.sum()) < n


@pytest.mark.parametrize("lam", [0.0, 1e-9, 5.0, 200.0])
def test_near_degenerate_chicken_games_agree(lam: float) -> None:
    # Nearly symmetric games (the branch almost bifurcates), tiny payoff gaps
    # and gaps that differ by a few units in the last place.
    rng = np.random.default_rng(7)
    n = 3000
    gain, loss = rng.uniform(0.05, 2.0, (2, n))
    eps = 10.0 ** rng.uniform(-15, -2, n) * rng.choice([-1.0, 1.0], n)
    tiny = rng.random(n) < 0.2
    gain = np.where(tiny, 10.0 ** rng.uniform(-9, -4, n), gain)
    gain_B = np.where(rng.random(n) < 0.1, gain, gain + eps)
    loss_B = loss + eps * rng.uniform(-1, 1, n)
    slow, fast = _both(gain, -(gain + loss), gain_B, -(gain_B + loss_B), np.full(n, lam))
    _assert_same(slow, fast)
    if lam == 0.0:
        assert np.all(fast.p == 0.5) and np.all(fast.q == 0.5)  # type: ignore[attr-defined]


def test_limit_selection_agrees() -> None:
    # qre2x2_limit follows each branch far out (λ = 40 / smallest gap)
    rng = np.random.default_rng(11)
    n = 2000
    g, lo = rng.uniform(0.01, 3.0, (2, n))
    gW, lW = rng.uniform(0.01, 3.0, (2, n))
    p, q, fold, lam_max = qre2x2_limit(g, -(g + lo), gW, -(gW + lW))
    slow = qre2x2_principal(g, -(g + lo), gW, -(gW + lW), lam_max, compiled=False)
    np.testing.assert_allclose(p, slow.p, rtol=0, atol=TOL)
    np.testing.assert_allclose(q, slow.q, rtol=0, atol=TOL)
    np.testing.assert_array_equal(fold, slow.fold)
    # far out on the branch these asymmetric games end at a pure equilibrium
    assert not fold.any()
    assert np.all(np.abs(p - q) > 0.99)


@pytest.mark.parametrize(("x", "y", "fixed"), [
    (("w_A", 0.0, 10.0), ("s_A", -5.0, 5.0), {}),
    (("d_B", -10.0, -0.1), ("lam", 0.0, 200.0), {}),
    (("w_B", 0.6, 3.0), ("lam", 0.0, 200.0), {"normalise": 1}),
])
def test_map_grid_agrees_with_point_solver(compiled_maps: None, x: tuple[str, float, float],
                                           y: tuple[str, float, float],
                                           fixed: dict[str, float]) -> None:
    nx = ny = 13
    rm = regime_map(QRE, fixed, x, y, nx=nx, ny=ny)
    assert rm.valid.any()
    checked = 0
    for i, yv in enumerate(rm.ys):
        for j, xv in enumerate(rm.xs):
            if not rm.valid[i, j]:
                continue
            out = QRE.solve({**fixed, x[0]: float(xv), y[0]: float(yv)})
            assert abs(rm.p_war[i, j] - out.p_war) <= TOL, (xv, yv)
            assert QRE.regimes[rm.regime[i, j]] == out.regime, (xv, yv)
            checked += 1
    assert checked >= nx  # a map with only a sliver of valid points would test little


def test_map_batch_probabilities_agree_with_point_solver() -> None:
    rng = np.random.default_rng(3)
    n = 400
    assert n >= qre2x2.COMPILED_MIN  # the batch takes the compiled path
    d_A, d_B = rng.uniform(-10.0, -0.05, (2, n))
    lam = rng.uniform(0.0, 200.0, n)
    batch = QRE.solve_batch({"d_A": d_A, "d_B": d_B, "lam": lam})
    for k in range(0, n, 7):
        out = QRE.solve(d_A=float(d_A[k]), d_B=float(d_B[k]), lam=float(lam[k]))
        assert abs(batch.details["firm_A"][k] - out.details["firm_A"]) <= TOL
        assert abs(batch.details["firm_B"][k] - out.details["firm_B"]) <= TOL
        assert bool(batch.multiple_equilibria[k]) == out.flags.multiple_equilibria
        assert QRE.regimes[batch.regime[k]] == out.regime


def test_chicken_qre_limit_map_agrees_with_point_solver(compiled_maps: None) -> None:
    chicken = get_model("chicken_2x2")
    rm = regime_map(chicken, {"equilibrium": 3}, ("w_B", 0.6, 4.0), ("d_A", -10.0, -0.1),
                    nx=15, ny=15)
    assert rm.valid.all()
    for i, yv in enumerate(rm.ys):
        for j, xv in enumerate(rm.xs):
            out = chicken.solve(equilibrium=3, w_B=float(xv), d_A=float(yv))
            assert chicken.regimes[rm.regime[i, j]] == out.regime, (xv, yv)
            assert abs(rm.p_war[i, j] - out.p_war) <= TOL
    # the map crosses from one selected equilibrium to the other
    assert len(rm.regimes_present()) >= 2


def test_maps_drawn_from_two_threads_at_once_agree() -> None:
    # two dashboard sessions drawing at once share numba's thread pool
    from concurrent.futures import ThreadPoolExecutor

    rng = np.random.default_rng(29)
    n = 2 * qre2x2.PARALLEL_MIN
    games = [rng.normal(size=(4, n)) for _ in range(4)]
    lam = rng.uniform(0.0, 50.0, n)
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(lambda g: qre2x2_principal(*g, lam, compiled=True), games))
    for g, res in zip(games, results, strict=True):
        _assert_same(qre2x2_principal(*g, lam, compiled=False), res)
