"""The compiled vertex enumeration names, for each vertex, the system that yields it.

Systems of up to three variables are visited by nested loops rather than read
from the table of :func:`polytope_systems`; the index each vertex reports must
still be that system's row in the table, since the batch solver reads the
vertex's support and tight columns from there.
"""

from __future__ import annotations

from itertools import combinations

import numpy as np
import pytest

from sim.solvers.bimatrix_kernels import polytope_vertices
from sim.solvers.enummixed import polytope_systems

SHAPES = [(1, 3), (3, 1), (2, 2), (2, 5), (5, 2), (3, 3), (3, 4), (4, 4), (4, 6), (5, 5)]


def _vertices(C: np.ndarray) -> tuple[np.ndarray, ...]:
    d, e = C.shape
    support, tight, size = polytope_systems(d, e)
    cap = size.shape[0]
    out_z, out_mask = np.zeros((cap, d)), np.zeros(cap, dtype=np.int64)
    out_system = np.zeros(cap, dtype=np.int64)
    n = polytope_vertices(C, support, tight, size, np.arange(d), np.arange(d, d + e),
                          1e-11, 1e-12, 1e-7, out_z, out_mask, out_system)
    return support, tight, size, out_z[:n], out_mask[:n], out_system[:n]


def _all_vertices(C: np.ndarray) -> list[np.ndarray]:
    # Every basic feasible point, by brute force over square systems.
    d, e = C.shape
    found: list[np.ndarray] = []
    for k in range(1, min(d, e) + 1):
        for S in combinations(range(d), k):
            for T in combinations(range(e), k):
                M = C[np.ix_(S, T)].T
                if abs(np.linalg.det(M)) < 1e-12:
                    continue
                z = np.zeros(d)
                z[list(S)] = np.linalg.solve(M, np.ones(k))
                if z.min() >= -1e-11 and (C.T @ z).max() <= 1 + 1e-11 \
                        and not any(np.allclose(z, f, atol=1e-7) for f in found):
                    found.append(z)
    return found


@pytest.mark.parametrize("shape", SHAPES, ids=[f"{d}x{e}" for d, e in SHAPES])
def test_each_vertex_solves_the_system_it_names(shape: tuple[int, int]) -> None:
    rng = np.random.default_rng(sum(shape))
    for trial in range(60):
        d, e = shape
        # random floats, then tie-heavy integers (degenerate vertices)
        C = rng.random(shape) + 1.0 if trial % 2 else rng.integers(1, 4, shape).astype(float)
        support, tight, size, zs, masks, systems = _vertices(C)
        for z, mask, c in zip(zs, masks, systems, strict=True):
            k = size[c]
            S, T = support[c, :k], tight[c, :k]
            assert np.all(z[np.setdiff1d(np.arange(d), S)] == 0.0)
            np.testing.assert_allclose((C.T @ z)[T], 1.0, atol=1e-9)
            assert all(mask >> int(d + t) & 1 for t in T)
        # nothing lost, nothing invented: the same points as brute force
        brute = _all_vertices(C)
        assert len(brute) == len(zs)
        for z in zs:
            assert any(np.allclose(z, b, atol=1e-7) for b in brute)
