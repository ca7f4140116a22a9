"""Streamed sweep designs: every chunking gives the same points, and memory stays bounded."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import numpy as np
import pytest
from scipy.stats import qmc

from sim.scenario.sweep_spec import SweepSpec
from sim.sweep.design import Axis, DesignTooLarge, build_design, lhs_permutation
from tests.paths import ROOT


def _design(sampler: str, varied: dict, n: int = 1000, seed: int = 7,  # type: ignore[type-arg]
            max_grid_points: int = 100_000_000):  # type: ignore[no-untyped-def]
    spec = SweepSpec.model_validate({"id": "t", "model": "fearon_bargaining_range",
                                     "varied": varied, "sampler": sampler, "n": n,
                                     "seed": seed})
    axes = [Axis(k, 0.0, 1.0, v) for k, v in spec.varied.items()]
    return build_design(spec, axes, max_grid_points)


UNIFORM = {"p": {"dist": "uniform"}, "x": {"dist": "uniform", "min": 0.2, "max": 0.6}}


@pytest.mark.parametrize("sampler,n", [("random", 1000), ("lhs", 1000), ("sobol", 256)])
def test_chunks_concatenate_to_the_whole_design_whatever_the_chunk_size(sampler: str,
                                                                         n: int) -> None:
    design = _design(sampler, UNIFORM, n)
    whole = design.all()
    for size in (1, 7, 100, 333):
        parts = [design.chunk(s, min(s + size, design.n_points))
                 for s in range(0, design.n_points, size)]
        for name in design.names:
            assert np.array_equal(np.concatenate([c.columns[name] for c in parts]),
                                  whole.columns[name])
        if whole.block is not None:
            assert np.array_equal(np.concatenate([c.block for c in parts]), whole.block)


def test_random_rows_are_the_seeded_generator_draws() -> None:
    design = _design("random", UNIFORM, 500, seed=11)
    u = np.random.default_rng(11).random((500, 2))
    chunk = design.chunk(123, 321)
    assert np.array_equal(chunk.columns["p"], u[123:321, 0])
    assert np.allclose(chunk.columns["x"], 0.2 + 0.4 * u[123:321, 1])


@pytest.mark.parametrize("n", [1, 2, 3, 17, 64, 1000, 4097])
def test_lhs_permutation_is_a_bijection(n: int) -> None:
    keys = np.random.SeedSequence(3).generate_state(6, np.uint64)
    image = lhs_permutation(np.arange(n, dtype=np.uint64), n, keys)
    assert sorted(image.tolist()) == list(range(n))


def test_lhs_puts_one_point_in_each_stratum_and_changes_with_the_seed() -> None:
    n = 2000
    design = _design("lhs", {"p": {"dist": "uniform"}, "x": {"dist": "uniform"}}, n)
    cols = design.all().columns
    for name in ("p", "x"):
        strata = np.floor(cols[name] * n).astype(int)
        assert sorted(strata.tolist()) == list(range(n))
    # the two dimensions are permuted independently
    assert abs(np.corrcoef(cols["p"], cols["x"])[0, 1]) < 0.1
    other = _design("lhs", {"p": {"dist": "uniform"}, "x": {"dist": "uniform"}}, n, seed=8)
    assert not np.array_equal(other.all().columns["p"], cols["p"])


def test_sobol_rows_are_saltelli_blocks_of_the_scrambled_sequence() -> None:
    n, k = 64, 2
    design = _design("sobol", UNIFORM, n, seed=5)
    assert design.n_points == n * (k + 2)
    assert design.block_labels == ("A", "B", "AB:p", "AB:x")
    base = qmc.Sobol(d=2 * k, scramble=True, rng=np.random.default_rng(5)).random(n)
    a, b = base[:, :k], base[:, k:]
    whole = design.all()
    p = whole.columns["p"]
    assert np.array_equal(p[:n], a[:, 0])          # A
    assert np.array_equal(p[n:2 * n], b[:, 0])     # B
    assert np.array_equal(p[2 * n:3 * n], b[:, 0])  # AB_p takes p from B
    assert np.array_equal(p[3 * n:], a[:, 0])      # AB_x keeps p from A
    assert np.allclose(whole.columns["x"][3 * n:], 0.2 + 0.4 * b[:, 1])
    assert np.array_equal(whole.block, np.repeat(np.arange(4), n))


def test_grid_rows_match_a_meshgrid_of_linspace() -> None:
    design = _design("grid", {"p": {"grid": "0:1:5"}, "x": {"values": [0.1, 0.3, 0.2]}})
    assert design.n_points == 15
    gp, gx = np.meshgrid(np.linspace(0, 1, 5), [0.1, 0.3, 0.2], indexing="ij")
    cols = design.chunk(2, 13).columns
    assert np.array_equal(cols["p"], gp.reshape(-1)[2:13])
    assert np.array_equal(cols["x"], gx.reshape(-1)[2:13])


@pytest.mark.parametrize("varied,points", [
    ({"p": {"grid": "0:1:1000000000"}}, "1,000,000,000"),
    ({"p": {"grid": "0:1:100000000"}, "x": {"grid": "0:1:100000000"}},
     "10,000,000,000,000,000"),
])
def test_grids_above_the_cap_are_refused_before_any_point_is_built(varied: dict,  # type: ignore[type-arg]
                                                                   points: str) -> None:
    with pytest.raises(DesignTooLarge, match=f"{points} points.*--max-grid-points"):
        _design("grid", varied)
    # the cap can be raised: the design is only described, not built
    design = _design("grid", varied, max_grid_points=10**17)
    assert design.n_points == int(points.replace(",", ""))
    last = design.chunk(design.n_points - 3, design.n_points).columns["p"]
    assert last[-1] == 1.0


_UNDER_CAP = textwrap.dedent("""
    import resource, sys
    cap = int(sys.argv[1])
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    import numpy as np
    from sim.scenario.sweep_spec import SweepSpec
    from sim.sweep.design import Axis, build_design
    def design(sampler, n):
        spec = SweepSpec.model_validate({"id": "big", "model": "m", "sampler": sampler,
            "n": n, "seed": 3, "varied": {k: {"dist": "uniform"} for k in ("a", "b", "c")}})
        return build_design(spec, [Axis(k, 0.0, 1.0, v) for k, v in spec.varied.items()])
    lhs = design("lhs", 100_000_000)
    sobol = design("sobol", 2 ** 26)
    assert lhs.n_points == 100_000_000 and sobol.n_points == 5 * 2 ** 26
    size = 200_000
    for d in (lhs, sobol):
        for start in (0, d.n_points // 2 + 12345, d.n_points - size):
            chunk = d.chunk(start, start + size)
            for col in chunk.columns.values():
                assert len(col) == size and 0.0 <= col.min() and col.max() <= 1.0
    # in a Latin hypercube of n points, rows land in distinct strata
    strata = np.floor(lhs.chunk(0, size).columns["a"] * lhs.base_n).astype(np.int64)
    assert len(np.unique(strata)) == size
    print("ok")
""")


def test_huge_lhs_and_sobol_designs_stream_under_an_address_space_cap() -> None:
    # the whole designs would take 2.4 GB (LHS, 10^8 x 3) and 8 GB (Sobol, 2^26 x 5 x 3)
    cap = 1536 << 20
    proc = subprocess.run([sys.executable, "-c", _UNDER_CAP, str(cap)], cwd=ROOT,
                          capture_output=True, text=True, timeout=300,
                          env={"PYTHONPATH": str(ROOT), "OPENBLAS_NUM_THREADS": "1",
                               "PATH": "/usr/bin:/bin"})
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.strip() == "ok"
