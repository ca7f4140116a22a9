"""Chunked, resumable sweeps written as a Parquet dataset.

Layout of an output directory::

    manifest.json               fingerprint, seed, sizes, chunks done
    chunks/part-000000.parquet  one file per chunk, written atomically
    results.parquet             the merged table, once every chunk is done

Each chunk is evaluated with the model's vectorised ``solve_batch`` (through
:func:`sim.sweep.run.evaluate`), written to a temporary name and renamed, so
a partially written chunk is never taken as done. Chunk files carry the
sweep's fingerprint; a re-run recomputes only chunks that are missing,
unreadable or from another sweep, and the merged table is identical to an
uninterrupted run's whatever the chunk size, worker count or executor.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from sim.sweep.design import Design, build_design
from sim.sweep.resolve import ResolvedSweep, SweepError
from sim.sweep.run import evaluate

__all__ = ["ChunkTask", "RunSummary", "run_resolved", "evaluate_chunk", "read_results",
           "MANIFEST", "RESULTS"]

MANIFEST = "manifest.json"
RESULTS = "results.parquet"
_CHUNKS = "chunks"
_META_KEY = b"coercion-sim"
#: Rows per row group of the merged file, fixed so its bytes do not depend on chunking.
_ROW_GROUP = 1 << 20

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class ChunkTask:
    """Everything a worker needs to evaluate one chunk (picklable)."""

    index: int
    start: int
    model: str
    base: Mapping[str, Any]
    feeds: Mapping[str, tuple[str, ...]]
    columns: Mapping[str, np.ndarray]
    block: np.ndarray | None
    fingerprint: str


@dataclass(frozen=True)
class RunSummary:
    """What a run did."""

    out_dir: Path
    n_points: int
    n_chunks: int
    computed: int
    reused: int
    seconds: float

    @property
    def results(self) -> Path:
        return self.out_dir / RESULTS


def evaluate_chunk(task: ChunkTask) -> pa.Table:
    """Solve one chunk; returns its rows as an Arrow table (runs in workers)."""
    from sim.models.registry import get_model

    model = get_model(task.model)
    model_cols: dict[str, np.ndarray] = {}
    for name, targets in task.feeds.items():
        for t in targets:
            model_cols[t] = task.columns[name]
    fixed = {k: v for k, v in task.base.items() if k not in model_cols}
    sol = evaluate(model, fixed, model_cols)
    n = len(sol)
    data: dict[str, pa.Array] = {
        "point": pa.array(np.arange(task.start, task.start + n, dtype=np.int64)),
    }
    if task.block is not None:
        data["block"] = pa.array(task.block.astype(str))
    for name, col in task.columns.items():
        data[name] = pa.array(np.asarray(col, dtype=float))
    labels = [*sol.regimes, "invalid parameters"]
    codes = np.where(sol.regime < 0, len(sol.regimes), sol.regime).astype(np.int32)
    data["regime"] = pa.DictionaryArray.from_arrays(pa.array(codes), pa.array(labels))
    for j, label in enumerate(sol.outcomes):
        data[f"P({label})"] = pa.array(sol.probabilities[:, j])
    data["p_war"] = pa.array(sol.p_war)
    for player in sol.players:
        data[f"payoff[{player}]"] = pa.array(sol.payoffs[player])
    data["boundary"] = pa.array(sol.boundary)
    data["multiple_equilibria"] = pa.array(sol.multiple_equilibria)
    data["assumption_violated"] = pa.array(sol.assumption_violated)
    data["valid"] = pa.array(sol.valid)
    meta = {_META_KEY: json.dumps({"fingerprint": task.fingerprint, "chunk": task.index,
                                   "start": task.start, "rows": n}).encode()}
    return pa.table(data).replace_schema_metadata(meta)


# -- directory state ------------------------------------------------------------
def _write_json_atomic(path: Path, data: Mapping[str, Any]) -> None:
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    tmp.write_text(json.dumps(data, indent=2, sort_keys=True), encoding="utf-8")
    os.replace(tmp, path)


def _chunk_path(out: Path, index: int) -> Path:
    return out / _CHUNKS / f"part-{index:06d}.parquet"


def _write_chunk(out: Path, index: int, table: pa.Table) -> None:
    final = _chunk_path(out, index)
    tmp = final.with_name(f".{final.name}.tmp-{os.getpid()}")
    try:
        pq.write_table(table, tmp, compression="zstd")
        os.replace(tmp, final)
    except BaseException:
        tmp.unlink(missing_ok=True)  # interrupted mid-write: leave no partial file behind
        raise


def _remove_partial(out: Path) -> None:
    """Delete temporary chunk files a killed run left behind (never counted as done)."""
    folder = out / _CHUNKS
    if folder.is_dir():
        for stale in folder.glob(".part-*.parquet.tmp-*"):
            stale.unlink(missing_ok=True)


def _chunk_ok(out: Path, index: int, fingerprint: str, rows: int) -> bool:
    """A chunk file that is complete, readable and of this sweep."""
    path = _chunk_path(out, index)
    if not path.is_file():
        return False
    try:
        meta = pq.read_metadata(path)
        info = json.loads((meta.metadata or {}).get(_META_KEY, b"{}"))
    except (OSError, ValueError, pa.ArrowException):
        return False
    return bool(info.get("fingerprint") == fingerprint and info.get("chunk") == index
                and info.get("rows") == rows and meta.num_rows == rows)


def _prepare(out: Path, resolved: ResolvedSweep, n_points: int, chunk_size: int,
             resume: bool) -> dict[str, Any]:
    manifest_path = out / MANIFEST
    if out.exists() and not out.is_dir():
        raise SweepError(f"{out} exists and is not a directory")
    if manifest_path.is_file() and resume:
        try:
            manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise SweepError(f"{manifest_path}: unreadable manifest ({exc}); re-run with "
                             "--no-resume to start over") from None
        if manifest.get("fingerprint") != resolved.fingerprint:
            theirs = str(manifest.get("fingerprint"))[:12]
            raise SweepError(
                f"{out} holds a different sweep (fingerprint {theirs}…, this spec "
                f"{resolved.fingerprint[:12]}…): use another --out, or --no-resume to discard it")
        _remove_partial(out)
        if manifest.get("chunk_size") != chunk_size:
            raise SweepError(
                f"{out} was computed with chunk size {manifest.get('chunk_size')}; resume with "
                f"--chunk-size {manifest.get('chunk_size')}, or use --no-resume")
        return dict(manifest)
    if out.exists() and not resume:
        for name in (_CHUNKS, MANIFEST, RESULTS):
            target = out / name
            if target.is_dir():
                shutil.rmtree(target)
            elif target.exists():
                target.unlink()
    elif out.exists() and any(out.iterdir()) and not manifest_path.is_file():
        raise SweepError(f"{out} is not empty and holds no sweep manifest; choose another --out")
    (out / _CHUNKS).mkdir(parents=True, exist_ok=True)
    _remove_partial(out)
    return {
        "format": 1,
        "fingerprint": resolved.fingerprint,
        "sweep": resolved.spec.id,
        "model": resolved.model.name,
        "seed": resolved.spec.seed,
        "sampler": resolved.spec.sampler,
        "n_points": n_points,
        "chunk_size": chunk_size,
        "n_chunks": -(-n_points // chunk_size),
        "done": [],
        "finished": False,
        "varied": list(resolved.spec.varied),
        "spec": resolved.spec.model_dump(mode="json"),
    }


# -- running --------------------------------------------------------------------
def _tasks(resolved: ResolvedSweep, design: Design, chunk_size: int,
           missing: list[int]) -> Iterator[ChunkTask]:
    for index in missing:
        start = index * chunk_size
        stop = min(start + chunk_size, design.n_points)
        yield ChunkTask(
            index=index, start=start, model=resolved.model.name, base=dict(resolved.base),
            feeds=dict(resolved.feeds),
            columns={k: v[start:stop] for k, v in design.columns.items()},
            block=None if design.block is None else design.block[start:stop],
            fingerprint=resolved.fingerprint,
        )


def run_resolved(
    resolved: ResolvedSweep,
    out_dir: str | Path,
    *,
    executor: str = "local",
    workers: int | None = None,
    scheduler: str | None = None,
    dask_workers: int | None = None,
    chunk_size: int | None = None,
    resume: bool = True,
    progress: Progress | None = None,
) -> RunSummary:
    """Run (or resume) a sweep into ``out_dir``.

    Parameters
    ----------
    executor
        ``"local"``: a process pool over ``workers`` processes (default: the
        machine's cores; chunks run in this process when there is one worker
        or one chunk). ``"dask"``: ``dask.distributed``, connected to
        ``scheduler`` (``tcp://HOST:PORT``) or to a ``LocalCluster`` of
        ``dask_workers`` processes started for the run.
    chunk_size
        Points per chunk (default: the spec's).
    resume
        Reuse the chunks a previous run of the same sweep completed.
    progress
        Called as ``progress(points_done, points_total)``.
    """
    t0 = time.perf_counter()
    out = Path(out_dir)
    size = int(chunk_size or resolved.spec.chunk_size)
    if size < 1:
        raise SweepError("--chunk-size must be at least 1")
    design = build_design(resolved.spec, list(resolved.axes))
    n_points = design.n_points
    manifest = _prepare(out, resolved, n_points, size, resume)
    n_chunks = manifest["n_chunks"]

    def rows_of(i: int) -> int:
        return min(size, n_points - i * size)

    done = {i for i in range(n_chunks) if _chunk_ok(out, i, resolved.fingerprint, rows_of(i))}
    missing = [i for i in range(n_chunks) if i not in done]
    reused = len(done)
    manifest["done"] = sorted(done)
    manifest["finished"] = False
    _write_json_atomic(out / MANIFEST, manifest)
    points_done = sum(rows_of(i) for i in done)
    if progress is not None:
        progress(points_done, n_points)

    def record(index: int, table: pa.Table) -> None:
        nonlocal points_done
        _write_chunk(out, index, table)
        done.add(index)
        manifest["done"] = sorted(done)
        _write_json_atomic(out / MANIFEST, manifest)
        points_done += table.num_rows
        if progress is not None:
            progress(points_done, n_points)

    tasks = _tasks(resolved, design, size, missing)
    if executor == "local":
        _run_local(tasks, len(missing), workers, record)
    elif executor == "dask":
        _run_dask(tasks, scheduler, dask_workers, record)
    else:
        raise SweepError(f"unknown executor {executor!r}; choose local or dask")
    _merge(out, n_chunks, resolved.fingerprint)
    manifest["finished"] = True
    _write_json_atomic(out / MANIFEST, manifest)
    return RunSummary(out, n_points, n_chunks, len(missing), reused, time.perf_counter() - t0)


def _run_local(tasks: Iterator[ChunkTask], n_tasks: int, workers: int | None,
               record: Callable[[int, pa.Table], None]) -> None:
    n_workers = max(1, int(workers or os.cpu_count() or 1))
    if n_workers == 1 or n_tasks <= 1:
        for task in tasks:
            record(task.index, evaluate_chunk(task))
        return
    import multiprocessing as mp
    from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait

    ctx = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else None
    with ProcessPoolExecutor(max_workers=n_workers, mp_context=ctx) as pool:
        pending: dict[Future[pa.Table], int] = {}
        queue = iter(tasks)
        try:
            for task in queue:
                pending[pool.submit(evaluate_chunk, task)] = task.index
                # keep memory bounded: at most two chunks in flight per worker
                while len(pending) >= 2 * n_workers:
                    finished, _ = wait(pending, return_when=FIRST_COMPLETED)
                    for fut in finished:
                        record(pending.pop(fut), fut.result())
            while pending:
                finished, _ = wait(pending, return_when=FIRST_COMPLETED)
                for fut in finished:
                    record(pending.pop(fut), fut.result())
        except BaseException:
            for fut in pending:
                fut.cancel()
            raise


def _run_dask(tasks: Iterator[ChunkTask], scheduler: str | None, dask_workers: int | None,
              record: Callable[[int, pa.Table], None]) -> None:
    try:
        from dask.distributed import Client, LocalCluster, as_completed
    except ImportError:
        raise SweepError("the dask executor needs dask.distributed: "
                         "pip install 'coercion-sim[distributed]'") from None
    cluster = None
    if scheduler is None:
        cluster = LocalCluster(n_workers=int(dask_workers or 2), threads_per_worker=1,
                               processes=True, host="127.0.0.1", dashboard_address=None)
        client = Client(cluster)
    else:
        client = Client(scheduler)
    try:
        futures = [client.submit(evaluate_chunk, task, pure=False, key=f"chunk-{task.index}")
                   for task in tasks]
        index = {f.key: int(str(f.key).split("-")[-1]) for f in futures}
        for fut in as_completed(futures):
            record(index[fut.key], fut.result())
            fut.release()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _merge(out: Path, n_chunks: int, fingerprint: str) -> None:
    tables = [pq.read_table(_chunk_path(out, i)) for i in range(n_chunks)]
    merged = pa.concat_tables([t.replace_schema_metadata(None) for t in tables])
    merged = merged.unify_dictionaries().combine_chunks()
    merged = merged.replace_schema_metadata(
        {_META_KEY: json.dumps({"fingerprint": fingerprint, "rows": merged.num_rows}).encode()})
    final = out / RESULTS
    tmp = final.with_name(f".{final.name}.tmp-{os.getpid()}")
    pq.write_table(merged, tmp, compression="zstd", row_group_size=_ROW_GROUP)
    os.replace(tmp, final)


def read_results(out_dir: str | Path) -> pa.Table:
    """The merged results of a finished sweep."""
    out = Path(out_dir)
    path = out / RESULTS
    if not path.is_file():
        raise SweepError(f"{out} has no {RESULTS}: the sweep is not finished; re-run it")
    return pq.read_table(path)
