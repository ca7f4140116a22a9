"""The Dask executor writes the bytes the local one does, and tracks its own futures."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from sim.scenario.sweep_spec import SweepSpec
from sim.sweep.engine import RESULTS, read_results, run_resolved
from sim.sweep.resolve import resolve_sweep

distributed = pytest.importorskip("dask.distributed")

SPEC = {
    "id": "dask-test", "model": "fearon_tioli_private_costs",
    "varied": {"p": {"dist": "uniform"}, "c_A": {"dist": "uniform", "max": 0.5}},
    "sampler": "random", "n": 3000, "seed": 5, "chunk_size": 700,
}


@pytest.fixture(scope="module")
def cluster() -> Any:
    # threads, not processes: the same code paths, without the start-up of worker processes
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as local:
        yield local


def test_a_dask_run_writes_the_local_runs_bytes(tmp_path: Path, cluster: Any) -> None:
    resolved = resolve_sweep(SweepSpec.model_validate(SPEC))
    run_resolved(resolved, tmp_path / "local", workers=1)
    summary = run_resolved(resolved, tmp_path / "dask", executor="dask",
                           scheduler=cluster.scheduler_address)
    assert summary.computed == 5
    assert (tmp_path / "dask" / RESULTS).read_bytes() == (tmp_path / "local" / RESULTS).read_bytes()
    assert read_results(tmp_path / "dask").column("point").to_pylist() == list(range(3000))


def test_futures_are_tracked_on_the_sweeps_client_not_the_callers(
        tmp_path: Path, cluster: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    # A caller with a Client of its own (a notebook, say) makes that client the default;
    # futures of the sweep's client tracked on the caller's loop arrive seconds late.
    loops: list[object] = []
    real = distributed.as_completed

    def recording(*args: Any, **kwargs: Any) -> Any:
        loops.append(kwargs.get("loop"))
        return real(*args, **kwargs)

    monkeypatch.setattr(distributed, "as_completed", recording)
    with distributed.Client(cluster.scheduler_address) as callers:
        assert distributed.default_client() is callers
        resolved = resolve_sweep(SweepSpec.model_validate(SPEC))
        run_resolved(resolved, tmp_path / "dask", executor="dask",
                     scheduler=cluster.scheduler_address)
    assert len(loops) == 1
    assert loops[0] is not None and loops[0] is not callers.loop
    assert read_results(tmp_path / "dask").num_rows == 3000
