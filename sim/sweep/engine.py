"""Chunked, resumable sweeps written as a Parquet dataset.

Layout of an output directory::

    .lock                       held by the run writing the directory
    manifest.json               fingerprint, seed, sizes, each chunk's rows and SHA-256
    chunks/part-000000.parquet  one file per chunk, written atomically
    results.parquet             the merged table, once every chunk is done

Each chunk's points are generated from the design where the chunk is
evaluated (a worker needs only the spec, not the points), solved with the
model's vectorised ``solve_batch`` (through :func:`sim.sweep.run.evaluate`)
and encoded to Parquet there. The writing process stores the bytes under a
temporary name, renames them, and records their SHA-256 in the manifest. A
re-run recomputes every chunk that is missing or whose bytes no longer match
the recorded hash, so a corrupted chunk is never reused. The merged table is
written in fixed row groups, so its bytes are identical whatever the chunk
size, worker count or executor. Workers encode their chunks in those very row
groups, and the merge copies the bytes of a chunk that starts on a row-group
boundary (:mod:`sim.sweep.parquet_concat`) rather than decoding and
re-encoding it: the writing process's share of the work, which does not
spread over workers, stays a small fraction of the whole. Memory stays
bounded by the chunk size times the number of chunks in flight.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import json
import os
import shutil
import signal
import sys
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from sim.models.base import FLAG_FIELDS, ModelError
from sim.sweep.design import MAX_GRID_POINTS, Design, DesignTooLarge, build_design
from sim.sweep.lock import DirectoryLock
from sim.sweep.parquet_concat import (
    ConcatWriter,
    FooterError,
    RowGroupPiece,
    file_footer,
    row_group_pieces,
)
from sim.sweep.resolve import ResolvedSweep, SweepError
from sim.sweep.run import evaluate

__all__ = ["ChunkTask", "EncodedChunk", "RunSummary", "run_resolved", "evaluate_chunk",
           "evaluate_in_memory", "encode_chunk", "write_chunk", "plan", "read_manifest",
           "read_results", "sweep_design",
           "MANIFEST", "RESULTS", "MAX_CHUNKS"]

MANIFEST = "manifest.json"
RESULTS = "results.parquet"
_CHUNKS = "chunks"
_META_KEY = b"coercion-sim"
#: Rows per row group, in chunks and in the merged file, fixed so that the merged file's
#: bytes do not depend on chunking. It divides the usual chunk sizes (100,000 by
#: default), so that the merge copies the chunks' row groups instead of re-encoding them.
_ROW_GROUP = 50_000
#: More chunks than this make the manifest itself a burden; use larger chunks.
MAX_CHUNKS = 100_000
#: Seconds between manifest writes while chunks stream in (it is always written at the end).
_MANIFEST_EVERY = 1.0
#: Parquet options. Dictionary encoding only for the label columns: random floats never
#: compress by dictionary, and trying triples the encoding time. No compression (it
#: saves about 12% on these columns of random floats, for twice the encoding time) and
#: version-1 data pages, the cheapest to write and the most widely read. Chunks are
#: written exactly as the merged file's row groups (with column statistics), so that
#: the merge can copy them.
_LABELS = ["regime", "block"]
_PARQUET: dict[str, Any] = {"compression": "none", "use_dictionary": _LABELS,
                            "data_page_version": "1.0", "row_group_size": _ROW_GROUP}

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class ChunkTask:
    """Everything a worker needs to evaluate one chunk (small and picklable)."""

    index: int
    start: int
    stop: int
    design: Design
    model: str
    base: Mapping[str, Any]
    feeds: Mapping[str, tuple[str, ...]]
    fingerprint: str


@dataclass(frozen=True)
class EncodedChunk:
    """A chunk's Parquet bytes and their SHA-256, as a worker returns them.

    ``table`` is the decoded chunk when it was evaluated in this process (so
    the merge need not decode the bytes again), else ``None``. ``stored``
    says a worker has already written the bytes to the chunk's file, and
    ``data`` is then empty. ``pieces`` are the chunk's row groups as the merge
    copies them (:func:`chunk_pieces`), read from its footer by the worker, so
    that the writing process does not parse every footer itself.
    """

    index: int
    rows: int
    data: bytes | memoryview
    sha256: str
    table: pa.Table | None = None
    stored: bool = False
    pieces: tuple[RowGroupPiece, ...] | None = None


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


def _dictionary(codes: np.ndarray, labels: list[str]) -> pa.DictionaryArray:
    return pa.DictionaryArray.from_arrays(pa.array(codes, type=pa.int8()),
                                          pa.array(labels, type=pa.string()))


def evaluate_chunk(task: ChunkTask) -> pa.Table:
    """Generate and solve one chunk; returns its rows as an Arrow table."""
    from sim.models.registry import get_model

    model = get_model(task.model)
    chunk = task.design.chunk(task.start, task.stop)
    model_cols: dict[str, np.ndarray] = {}
    for name, targets in task.feeds.items():
        for t in targets:
            model_cols[t] = chunk.columns[name]
    fixed = {k: v for k, v in task.base.items() if k not in model_cols}
    try:
        sol = evaluate(model, fixed, model_cols)
    except ModelError as exc:
        raise SweepError(f"chunk {task.index}: {exc}") from None
    n = len(sol)
    data: dict[str, pa.Array] = {"point": pa.array(np.arange(task.start, task.start + n))}
    if chunk.block is not None:
        data["block"] = _dictionary(chunk.block, list(task.design.block_labels))
    for name in task.design.names:
        data[name] = pa.array(chunk.columns[name])
    labels = [*sol.regimes, "invalid parameters"]
    data["regime"] = _dictionary(np.where(sol.regime < 0, len(sol.regimes), sol.regime)
                                 .astype(np.int8), labels)
    probabilities = np.ascontiguousarray(sol.probabilities.T)
    for j, label in enumerate(sol.outcomes):
        data[f"P({label})"] = pa.array(probabilities[j])
    data["p_war"] = pa.array(sol.p_war)
    for player in sol.players:
        data[f"payoff[{player}]"] = pa.array(sol.payoffs[player])
    for flag in (*FLAG_FIELDS, "valid"):
        data[flag] = pa.array(getattr(sol, flag))
    meta = {_META_KEY: json.dumps({"fingerprint": task.fingerprint, "chunk": task.index,
                                   "start": task.start, "rows": n}).encode()}
    return pa.table(data).replace_schema_metadata(meta)


def encode_chunk(task: ChunkTask, keep_table: bool = False) -> EncodedChunk:
    """Evaluate one chunk and encode it as Parquet bytes (runs in workers)."""
    table = evaluate_chunk(task)
    sink = io.BytesIO()
    pq.write_table(table, sink, **_PARQUET)
    data = sink.getvalue()
    return EncodedChunk(task.index, table.num_rows, data, hashlib.sha256(data).hexdigest(),
                        table if keep_table else None)


def chunk_pieces(data: bytes | memoryview) -> tuple[RowGroupPiece, ...] | None:
    """The row groups of a chunk's Parquet bytes, or ``None`` if its footer cannot be copied."""
    try:
        return tuple(row_group_pieces(file_footer(data)))
    except FooterError:
        return None


def write_chunk(task: ChunkTask, out_dir: str) -> EncodedChunk:
    """Evaluate one chunk and store it under ``out_dir`` (runs in a local worker).

    The worker returns only the chunk's index, rows and SHA-256: a reply that
    small goes through the pool's pipe in one atomic write, so a worker
    stopped mid-reply can never leave the pool waiting for the rest of a
    message, and the writing process does not copy the bytes through a pipe.
    """
    chunk = encode_chunk(task)
    _write_bytes_atomic(_chunk_path(Path(out_dir), task.index), chunk.data)
    return EncodedChunk(chunk.index, chunk.rows, b"", chunk.sha256, stored=True,
                        pieces=chunk_pieces(chunk.data))


def _encode_for_dask(task: ChunkTask) -> tuple[EncodedChunk, np.ndarray]:
    """:func:`encode_chunk` for a Dask worker: the chunk, with its row groups read
    from its footer, and its bytes apart, as an array, which Dask sends out of band
    (pickle protocol 5), without the copies a ``bytes`` object costs."""
    chunk = encode_chunk(task)
    reply = EncodedChunk(chunk.index, chunk.rows, b"", chunk.sha256,
                         pieces=chunk_pieces(chunk.data))
    return reply, np.frombuffer(chunk.data, dtype=np.uint8)


def sweep_design(resolved: ResolvedSweep, max_grid_points: int = MAX_GRID_POINTS) -> Design:
    """The design of a resolved sweep; too large a grid raises :class:`SweepError`."""
    try:
        return build_design(resolved.spec, resolved.axes, max_grid_points)
    except DesignTooLarge as exc:
        raise SweepError(str(exc), ("varied",)) from None


def plan(resolved: ResolvedSweep, chunk_size: int,
         max_grid_points: int = MAX_GRID_POINTS) -> Design:
    """The design, once its size and chunking are known to be acceptable.

    Raises
    ------
    SweepError
        For too large a grid, or more than :data:`MAX_CHUNKS` chunks.
    """
    design = sweep_design(resolved, max_grid_points)
    n_chunks = -(-design.n_points // chunk_size)
    if n_chunks > MAX_CHUNKS:
        raise SweepError(f"{design.n_points:,} points in chunks of {chunk_size:,} make "
                         f"{n_chunks:,} chunks, above the limit of {MAX_CHUNKS:,}; use a "
                         f"chunk size of {-(-design.n_points // MAX_CHUNKS):,} or more",
                         ("chunk_size",))
    return design


def _tasks(resolved: ResolvedSweep, design: Design, chunk_size: int,
           indices: list[int]) -> Iterator[ChunkTask]:
    for index in indices:
        start = index * chunk_size
        yield ChunkTask(index=index, start=start,
                        stop=min(start + chunk_size, design.n_points), design=design,
                        model=resolved.model.name, base=dict(resolved.base),
                        feeds=dict(resolved.feeds), fingerprint=resolved.fingerprint)


def evaluate_in_memory(resolved: ResolvedSweep, *, chunk_size: int = 20_000,
                       max_points: int = MAX_GRID_POINTS,
                       progress: Progress | None = None) -> pa.Table:
    """Run a sweep in this process and return the table a run would write.

    The rows are those of ``results.parquet`` for the same sweep: the same
    design, the same evaluation, the same columns.
    """
    design = sweep_design(resolved, max_points)
    if design.n_points > max_points:
        raise SweepError(f"the sweep has {design.n_points:,} points; the limit here is "
                         f"{max_points:,}")
    n_chunks = -(-design.n_points // chunk_size)
    tables = []
    for task in _tasks(resolved, design, chunk_size, list(range(n_chunks))):
        tables.append(evaluate_chunk(task).replace_schema_metadata(None))
        if progress is not None:
            progress(task.stop, design.n_points)
    return pa.concat_tables(tables).unify_dictionaries().combine_chunks()


# -- directory state ------------------------------------------------------------
def _write_json_atomic(path: Path, data: Mapping[str, Any]) -> None:
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    tmp.write_text(json.dumps(data, indent=1, sort_keys=True), encoding="utf-8")
    os.replace(tmp, path)


def _chunk_path(out: Path, index: int) -> Path:
    return out / _CHUNKS / f"part-{index:06d}.parquet"


def _write_bytes_atomic(final: Path, data: bytes | memoryview) -> None:
    tmp = final.with_name(f".{final.name}.tmp-{os.getpid()}")
    try:
        with open(tmp, "wb") as fh:
            fh.write(data)
        os.replace(tmp, final)
    except BaseException:
        tmp.unlink(missing_ok=True)  # interrupted mid-write: leave no partial file behind
        raise


def _remove_temporaries(out: Path) -> None:
    """Delete temporary files a killed run left behind (never counted as done).

    Only called under the directory's lock, so no live run owns them.
    """
    for pattern in (f".{RESULTS}.tmp-*", f".{MANIFEST}.tmp-*"):
        for stale in out.glob(pattern):
            stale.unlink(missing_ok=True)
    folder = out / _CHUNKS
    if folder.is_dir():
        for stale in folder.glob(".part-*.parquet.tmp-*"):
            stale.unlink(missing_ok=True)


def _file_sha256(path: Path) -> str | None:
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
    except OSError:
        return None
    return digest.hexdigest()


def _verified(out: Path, manifest: Mapping[str, Any], rows_of: Callable[[int], int]) -> set[int]:
    """Chunks whose file exists and matches the hash and row count in the manifest."""
    good = set()
    for key, entry in dict(manifest.get("chunks", {})).items():
        try:
            index = int(key)
        except ValueError:
            continue
        if not 0 <= index < int(manifest["n_chunks"]) or not isinstance(entry, dict):
            continue
        if entry.get("rows") != rows_of(index):
            continue
        if _file_sha256(_chunk_path(out, index)) == entry.get("sha256"):
            good.add(index)
    return good


def _prepare(out: Path, resolved: ResolvedSweep, n_points: int, chunk_size: int,
             resume: bool) -> dict[str, Any]:
    manifest_path = out / MANIFEST
    if manifest_path.is_file() and resume:
        try:
            manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
            if not isinstance(manifest, dict):
                raise ValueError("not a JSON object")
        except (OSError, ValueError) as exc:
            raise SweepError(f"{manifest_path}: unreadable manifest ({exc}); re-run with "
                             "--no-resume to start over") from None
        if manifest.get("fingerprint") != resolved.fingerprint:
            theirs = str(manifest.get("fingerprint"))[:12]
            raise SweepError(
                f"{out} holds a different sweep (fingerprint {theirs}…, this spec "
                f"{resolved.fingerprint[:12]}…): use another --out, or --no-resume to discard it")
        _remove_temporaries(out)
        if manifest.get("chunk_size") != chunk_size:
            raise SweepError(
                f"{out} was computed with chunk size {manifest.get('chunk_size')}; resume with "
                f"--chunk-size {manifest.get('chunk_size')}, or use --no-resume")
        return manifest
    if not resume:
        for name in (_CHUNKS, MANIFEST, RESULTS):
            target = out / name
            if target.is_dir():
                shutil.rmtree(target)
            elif target.exists():
                target.unlink()
    elif any(p.name != DirectoryLock.NAME for p in out.iterdir()):
        raise SweepError(f"{out} is not empty and holds no sweep manifest; choose another --out")
    (out / _CHUNKS).mkdir(parents=True, exist_ok=True)
    _remove_temporaries(out)
    return {
        "format": 2,
        "fingerprint": resolved.fingerprint,
        "sweep": resolved.spec.id,
        "model": resolved.model.name,
        "seed": resolved.spec.seed,
        "sampler": resolved.spec.sampler,
        "n_points": n_points,
        "chunk_size": chunk_size,
        "n_chunks": -(-n_points // chunk_size),
        "chunks": {},
        "finished": False,
        "results_sha256": None,
        "varied": list(resolved.spec.varied),
        "spec": resolved.spec.model_dump(mode="json"),
    }


# -- running --------------------------------------------------------------------
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
    max_grid_points: int = MAX_GRID_POINTS,
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
        Reuse the chunks a previous run of the same sweep completed and whose
        bytes still match their recorded SHA-256.
    max_grid_points
        Refuse grids with more points than this.
    progress
        Called as ``progress(points_done, points_total)``.

    Raises
    ------
    SweepError
        On a bad spec or directory, or when another run holds the directory.
    """
    t0 = time.perf_counter()
    out = Path(out_dir)
    size = int(chunk_size or resolved.spec.chunk_size)
    if size < 1:
        raise SweepError("--chunk-size must be at least 1")
    if executor not in ("local", "dask"):
        raise SweepError(f"unknown executor {executor!r}; choose local or dask")
    design = plan(resolved, size, max_grid_points)
    n_points = design.n_points
    n_chunks = -(-n_points // size)
    if out.exists() and not out.is_dir():
        raise SweepError(f"{out} exists and is not a directory")
    out.mkdir(parents=True, exist_ok=True)
    with DirectoryLock(out):
        return _run_locked(resolved, out, design, size, n_chunks, t0, executor=executor,
                           workers=workers, scheduler=scheduler, dask_workers=dask_workers,
                           resume=resume, progress=progress)


def _run_locked(resolved: ResolvedSweep, out: Path, design: Design, size: int, n_chunks: int,
                t0: float, *, executor: str, workers: int | None, scheduler: str | None,
                dask_workers: int | None, resume: bool, progress: Progress | None) -> RunSummary:
    n_points = design.n_points
    manifest = _prepare(out, resolved, n_points, size, resume)

    def rows_of(i: int) -> int:
        return min(size, n_points - i * size)

    done = _verified(out, manifest, rows_of)
    chunks = manifest.setdefault("chunks", {})
    for key in [k for k in chunks if not k.isdigit() or int(k) not in done]:
        del chunks[key]  # missing or corrupted: recomputed below
    missing = [i for i in range(n_chunks) if i not in done]
    reused = len(done)
    results_ok = (not missing and manifest.get("finished") is True
                  and _file_sha256(out / RESULTS) == manifest.get("results_sha256"))
    manifest["finished"] = results_ok
    _write_json_atomic(out / MANIFEST, manifest)
    points_done = sum(rows_of(i) for i in done)
    if progress is not None:
        progress(points_done, n_points)
    last_write = time.monotonic()
    merger = None if results_ok else _Merger(out, n_chunks, rows_of, resolved.fingerprint,
                                             done)

    def record(chunk: EncodedChunk) -> None:
        nonlocal points_done, last_write
        path = _chunk_path(out, chunk.index)
        data = chunk.data
        if chunk.stored:
            data = path.read_bytes() if merger is not None else b""
        else:
            _write_bytes_atomic(path, data)
        chunks[str(chunk.index)] = {"rows": chunk.rows, "sha256": chunk.sha256}
        if merger is not None:
            merger.add(chunk.index, data, chunk.table, chunk.pieces)
        points_done += chunk.rows
        if time.monotonic() - last_write >= _MANIFEST_EVERY:
            _write_json_atomic(out / MANIFEST, manifest)
            last_write = time.monotonic()
        if progress is not None:
            progress(points_done, n_points)

    tasks = _tasks(resolved, design, size, missing)
    try:
        if merger is not None:
            merger.advance()
        if executor == "local":
            _run_local(tasks, len(missing), workers, record, out)
        else:
            _run_dask(tasks, scheduler, dask_workers, record)
        if merger is not None:
            manifest["results_sha256"] = merger.finish()
            manifest["finished"] = True
    finally:
        if merger is not None:
            merger.abandon()
        # an interrupted run still records the chunks it finished
        _write_json_atomic(out / MANIFEST, manifest)
    return RunSummary(out, n_points, n_chunks, len(missing), reused, time.perf_counter() - t0)


def _die_with_parent(parent: int) -> None:
    """Worker start-up: end this process when the sweep's process dies.

    On Linux the kernel sends SIGKILL to the worker when its parent exits,
    however it exits (``prctl(PR_SET_PDEATHSIG)``); elsewhere the pool's own
    shutdown ends the workers. Interrupts are left to the parent, which
    stops the pool.
    """
    if sys.platform.startswith("linux"):
        import ctypes

        pr_set_pdeathsig = 1
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(pr_set_pdeathsig, int(signal.SIGKILL), 0, 0, 0)
    if os.getppid() != parent:  # the parent died before the death signal was armed
        os._exit(1)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _run_local(tasks: Iterator[ChunkTask], n_tasks: int, workers: int | None,
               record: Callable[[EncodedChunk], None], out: Path) -> None:
    n_workers = max(1, int(workers or os.cpu_count() or 1))
    if n_workers == 1 or n_tasks <= 1:
        for task in tasks:
            record(encode_chunk(task, keep_table=True))
        return
    import multiprocessing as mp
    from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait

    ctx = mp.get_context("fork") if "fork" in mp.get_all_start_methods() else None
    pool = ProcessPoolExecutor(max_workers=n_workers, mp_context=ctx,
                               initializer=_die_with_parent, initargs=(os.getpid(),))
    pending: set[Future[EncodedChunk]] = set()

    def drain(limit: int) -> None:
        while len(pending) > limit:
            finished, _ = wait(pending, return_when=FIRST_COMPLETED)
            for fut in finished:
                pending.discard(fut)
                record(fut.result())

    try:
        for task in tasks:
            pending.add(pool.submit(write_chunk, task, str(out)))
            drain(2 * n_workers - 1)  # at most two chunks in flight per worker
        drain(0)
    except BaseException:
        # Ctrl-C, SIGTERM or an error: stop the workers now rather than finish their chunks
        procs = list(getattr(pool, "_processes", {}).values())
        for proc in procs:
            proc.terminate()
        for proc in procs:
            proc.join(timeout=10)
        # Letting the pool's manager thread end (the workers are gone, and their replies are
        # too small to be cut in half) keeps the interpreter's exit hook from writing to
        # its closed wake-up pipe and printing a traceback after the "interrupted" message.
        # The wait is bounded all the same.
        manager = getattr(pool, "_executor_manager_thread", None)
        pool.shutdown(wait=False, cancel_futures=True)
        if manager is not None:
            manager.join(timeout=10)
        raise
    pool.shutdown(wait=True)


def _run_dask(tasks: Iterator[ChunkTask], scheduler: str | None, dask_workers: int | None,
              record: Callable[[EncodedChunk], None]) -> None:
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
        n_threads = max(1, sum(client.nthreads().values()))
        queue = iter(tasks)
        # This client's loop, not the process's default client's: a caller with a Client
        # of its own would otherwise have our futures tracked on its loop, seconds late.
        running = as_completed(loop=client.loop)

        def submit(task: ChunkTask) -> None:
            running.add(client.submit(_encode_for_dask, task, pure=False,
                                      key=f"chunk-{task.index}"))

        # keep at most two chunks in flight per worker thread, so memory stays bounded
        for task in queue:
            submit(task)
            if running.count() >= 2 * n_threads:
                break
        for fut in running:
            chunk, data = fut.result()
            record(dataclasses.replace(chunk, data=memoryview(data)))
            fut.release()
            nxt = next(queue, None)
            if nxt is not None:
                submit(nxt)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


class _Merger:
    """Writes ``results.parquet`` while chunks arrive, in fixed row groups.

    Chunks are appended in index order: one that arrives early waits in
    memory (at most the chunks in flight), and chunks reused from an earlier
    run are read from disk when their turn comes. Row groups hold exactly
    :data:`_ROW_GROUP` rows (the last one the rest), so the file's bytes do
    not depend on the chunking. A chunk that starts on a row-group boundary
    was encoded in those very row groups, so its bytes are copied
    (:mod:`sim.sweep.parquet_concat`); the rows of other chunks are cut into
    row groups and encoded here.
    """

    def __init__(self, out: Path, n_chunks: int, rows_of: Callable[[int], int],
                 fingerprint: str, on_disk: set[int]) -> None:
        self.out, self.n_chunks, self.on_disk = out, n_chunks, on_disk
        self.rows_of = rows_of
        self.final = out / RESULTS
        self.tmp = self.final.with_name(f".{self.final.name}.tmp-{os.getpid()}")
        self.rows = sum(rows_of(i) for i in range(n_chunks))
        self.meta = {_META_KEY: json.dumps({"fingerprint": fingerprint,
                                            "rows": self.rows}).encode()}
        self.next = 0
        self.start = 0  # first row of chunk self.next
        self.early: dict[int, tuple[bytes | memoryview | None, pa.Table | None,
                                    tuple[RowGroupPiece, ...] | None]] = {}
        self.buffered: list[pa.Table] = []
        self.n_buffered = 0
        self.schema: pa.Schema | None = None
        self.fh: BinaryIO | None = None
        self.writer: ConcatWriter | None = None

    def add(self, index: int, data: bytes | memoryview | None,
            table: pa.Table | None = None,
            pieces: tuple[RowGroupPiece, ...] | None = None) -> None:
        """Chunk ``index``, as its Parquet bytes, or its table, or both.

        ``pieces`` are the row groups of ``data`` when the worker read them.
        """
        self.early[index] = (data, table, pieces)
        self.advance()

    def _open(self) -> ConcatWriter:
        if self.writer is None:
            self.fh = open(self.tmp, "wb")  # noqa: SIM115 - closed in finish() or abandon()
            self.writer = ConcatWriter(self.fh)
        return self.writer

    def advance(self) -> None:
        while self.next < self.n_chunks:
            known: tuple[RowGroupPiece, ...] | None = None
            if self.next in self.early:
                data, table, known = self.early.pop(self.next)
            elif self.next in self.on_disk:
                data, table = _chunk_path(self.out, self.next).read_bytes(), None
            else:
                return
            rows = self.rows_of(self.next)
            pieces = self._pieces(data, rows, known) if self.n_buffered == 0 else None
            if pieces is not None and data is not None:
                writer = self._open()
                for piece in pieces:
                    writer.add(data, piece)
                if self.schema is None:
                    self.schema = pq.read_schema(pa.BufferReader(data))
            else:
                if table is None:
                    table = pq.read_table(pa.BufferReader(data))
                self.buffered.append(table.replace_schema_metadata(None))
                self.n_buffered += table.num_rows
                self._flush(last=False)
            self.start += rows
            self.next += 1

    def _pieces(self, data: bytes | memoryview | None, rows: int,
                known: tuple[RowGroupPiece, ...] | None = None
                ) -> Sequence[RowGroupPiece] | None:
        """The row groups of a chunk that can be copied as they are, else ``None``."""
        if data is None or self.start % _ROW_GROUP:
            return None
        pieces = chunk_pieces(data) if known is None else known
        if pieces is None:
            return None
        sizes = [p.num_rows for p in pieces]
        want = [_ROW_GROUP] * (rows // _ROW_GROUP) + ([rows % _ROW_GROUP] if rows % _ROW_GROUP
                                                        else [])
        # a chunk not ending on a boundary can only be the last one
        if sizes != want or (rows % _ROW_GROUP and self.start + rows != self.rows):
            return None
        return pieces

    def _flush(self, last: bool) -> None:
        if not self.buffered:
            return
        table = pa.concat_tables(self.buffered)
        if self.schema is None:
            self.schema = table.schema
        while table.num_rows >= _ROW_GROUP or (last and table.num_rows):
            group = table.slice(0, _ROW_GROUP).combine_chunks()
            sink = io.BytesIO()
            pq.write_table(group, sink, **_PARQUET)
            data = sink.getvalue()
            writer = self._open()
            for piece in row_group_pieces(file_footer(data)):
                writer.add(data, piece)
            table = table.slice(group.num_rows)
        self.buffered = [table] if table.num_rows else []
        self.n_buffered = table.num_rows

    def finish(self) -> str:
        """Close the file, move it into place and return its SHA-256."""
        if self.next != self.n_chunks:
            raise RuntimeError(f"chunk {self.next} never arrived")  # pragma: no cover
        self._flush(last=True)
        assert self.schema is not None and self.fh is not None
        # The footer of an empty file of the same schema, with the merged metadata.
        sink = io.BytesIO()
        pq.write_table(self.schema.with_metadata(self.meta).empty_table(), sink, **_PARQUET)
        digest = self._open().close(file_footer(sink.getvalue()))
        self.fh.close()
        self.fh = self.writer = None
        os.replace(self.tmp, self.final)
        return digest

    def abandon(self) -> None:
        """Remove the partial file of an interrupted run (no-op after :meth:`finish`)."""
        if self.fh is not None:
            self.fh.close()
            self.fh = self.writer = None
        self.tmp.unlink(missing_ok=True)


#: A manifest is small; anything larger than this is not one.
_MAX_MANIFEST = 64 << 20


def read_manifest(out_dir: str | Path) -> dict[str, Any]:
    """The manifest of a finished sweep in ``out_dir``, checked for the fields a report uses."""
    path = Path(out_dir) / MANIFEST
    try:
        if not path.is_file():
            raise SweepError(f"{out_dir} holds no sweep ({MANIFEST} missing)")
        if path.stat().st_size > _MAX_MANIFEST:
            raise SweepError(f"{path}: too large to be a sweep manifest")
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        if isinstance(exc, SweepError):
            raise
        raise SweepError(f"{path}: unreadable manifest ({str(exc)[:80]})") from None
    if not isinstance(manifest, dict) or not isinstance(manifest.get("varied"), list):
        raise SweepError(f"{path}: not a sweep manifest")
    if manifest.get("finished") is not True:
        raise SweepError(f"{out_dir}: the sweep is not finished; re-run it")
    return manifest


def read_results(out_dir: str | Path) -> pa.Table:
    """The merged results of a finished sweep, checked against the manifest's SHA-256."""
    out = Path(out_dir)
    path = out / RESULTS
    if not path.is_file():
        raise SweepError(f"{out} has no {RESULTS}: the sweep is not finished; re-run it")
    manifest = read_manifest(out)
    if _file_sha256(path) != manifest.get("results_sha256"):
        raise SweepError(f"{path} does not match the checksum in {MANIFEST}; re-run the sweep "
                         "to rebuild it")
    try:
        return pq.read_table(path)
    except (OSError, pa.ArrowException) as exc:
        raise SweepError(f"{path}: unreadable ({str(exc)[:80]})") from None
