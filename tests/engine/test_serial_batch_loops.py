"""The one-thread batch loops go through numba's parallel pipeline but hold no parallel loop.

They are compiled with ``parallel=True`` for that pipeline's optimisations
only (see :mod:`sim.solvers.bimatrix_kernels`). Should a change ever give
them a parallel loop, a call from one of the dashboard's threads would fan
out over numba's threads; numba's warning that it found nothing to
parallelise is what proves it does not.
"""

from __future__ import annotations

import re
import warnings

import numba
import numpy as np
import pytest
from numba.core.errors import NumbaPerformanceWarning

from sim.solvers import batch_solve
from sim.solvers import bimatrix_kernels as kernels
from sim.solvers.batch import batch_buffers
from sim.solvers.enummixed import polytope_systems


def _args(k: int, n: int = 50) -> tuple[np.ndarray, ...]:
    rng = np.random.default_rng(k)
    A, B = rng.random((n, k, k)), rng.random((n, k, k))
    out = batch_buffers(n, k, k)
    tail = (out.count, out.row, out.col, out.payoff_row, out.payoff_col, np.empty(n, np.int8))
    if k == 2:
        return (A, B, *tail)
    support, tight, size = polytope_systems(k, k)
    return (A, B, support, tight, size, np.arange(k), np.arange(k, 2 * k), *tail)


@pytest.mark.parametrize("name, k", [("batch_2x2", 2), ("batch_general", 3)])
def test_a_fresh_compile_finds_nothing_to_parallelise(name: str, k: int) -> None:
    fresh = numba.njit(error_model="numpy", parallel=True)(getattr(kernels, name).py_func)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fresh(*_args(k))
    said = [str(w.message) for w in caught if issubclass(w.category, NumbaPerformanceWarning)]
    assert any(re.search(re.escape(kernels.SERIAL_PARALLEL_WARNING), s) for s in said)


def test_the_first_call_says_nothing(recwarn: pytest.WarningsRecorder) -> None:
    for k in (2, 3, 4):
        rng = np.random.default_rng(k)
        batch_solve(rng.random((20, k, k)), rng.random((20, k, k)))
    assert not [w for w in recwarn if issubclass(w.category, NumbaPerformanceWarning)]
