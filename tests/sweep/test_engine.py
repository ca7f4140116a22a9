"""The chunked sweep engine: checksummed chunks, identical merges, locks and workers."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
import pytest

from sim.scenario.sweep_spec import SweepSpec
from sim.sweep.engine import (
    MANIFEST,
    RESULTS,
    evaluate_in_memory,
    read_results,
    run_resolved,
)
from sim.sweep.lock import DirectoryLock, LockHeld
from sim.sweep.resolve import resolve_sweep
from tests.paths import ROOT

SPEC = {
    "id": "engine-test", "model": "fearon_tioli_private_costs",
    "varied": {"p": {"dist": "uniform"}, "c_R": {"dist": "uniform", "max": 0.5},
               "c_hi": {"dist": "triangular", "min": 0.1, "max": 0.8, "mode": 0.3}},
    "sampler": "lhs", "n": 5000, "seed": 3, "chunk_size": 1000,
}


def _resolved(**changes: object):  # type: ignore[no-untyped-def]
    return resolve_sweep(SweepSpec.model_validate({**SPEC, **changes}))


def _chunks(out: Path) -> list[Path]:
    return sorted((out / "chunks").glob("part-*.parquet"))


def _recorded(out: Path) -> int:
    """Chunks the manifest lists as done (0 while it is missing or being replaced)."""
    try:
        return len(json.loads((out / MANIFEST).read_text())["chunks"])
    except (OSError, ValueError, KeyError):
        return 0


def test_results_are_byte_identical_whatever_the_chunking_and_workers(tmp_path: Path) -> None:
    resolved = _resolved()
    digests = set()
    for size, workers in ((1000, 1), (700, 2), (5000, 1)):
        out = tmp_path / f"run-{size}-{workers}"
        summary = run_resolved(resolved, out, chunk_size=size, workers=workers)
        assert summary.n_points == 5000 and summary.computed == -(-5000 // size)
        digests.add((out / RESULTS).read_bytes())
    assert len(digests) == 1
    table = read_results(tmp_path / "run-1000-1")
    assert table.column("point").to_pylist() == list(range(5000))
    # the same rows as the in-memory run the dashboard uses
    memory = evaluate_in_memory(resolved, chunk_size=1234)
    for name in ("p", "c_R", "c_hi", "p_war", "P(War)"):
        assert np.array_equal(memory.column(name).to_numpy(), table.column(name).to_numpy(),
                              equal_nan=True)
    assert memory.column("regime").to_pylist() == table.column("regime").to_pylist()


def test_manifest_records_each_chunks_sha256(tmp_path: Path) -> None:
    import hashlib

    run_resolved(_resolved(), tmp_path / "out", workers=1)
    manifest = json.loads((tmp_path / "out" / MANIFEST).read_text())
    assert sorted(manifest["chunks"], key=int) == [str(i) for i in range(5)]
    for i, path in enumerate(_chunks(tmp_path / "out")):
        entry = manifest["chunks"][str(i)]
        assert entry == {"rows": 1000, "sha256": hashlib.sha256(path.read_bytes()).hexdigest()}
    assert manifest["finished"] is True
    assert manifest["results_sha256"] == hashlib.sha256(
        (tmp_path / "out" / RESULTS).read_bytes()).hexdigest()


@pytest.mark.parametrize("where", ["data pages", "footer"])
def test_a_flipped_byte_in_a_chunk_is_detected_and_recomputed(tmp_path: Path,
                                                              where: str) -> None:
    resolved = _resolved()
    clean = tmp_path / "clean"
    run_resolved(resolved, clean, workers=1)
    out = tmp_path / "out"
    run_resolved(resolved, out, workers=1)
    victim = _chunks(out)[2]
    raw = bytearray(victim.read_bytes())
    footer = int.from_bytes(raw[-8:-4], "little")
    if where == "data pages":
        # inside the column data, well before the footer: the footer still parses
        for offset in range(len(raw) // 3, len(raw) // 3 + 64, 8):
            raw[offset] ^= 0xFF
    else:
        raw[len(raw) - 8 - footer // 2] ^= 0xFF
    victim.write_bytes(bytes(raw))
    if where == "data pages":
        assert pq.read_metadata(victim).num_rows == 1000  # the old footer-only check passed
    summary = run_resolved(resolved, out, workers=1)
    assert (summary.computed, summary.reused) == (1, 4)
    assert (out / RESULTS).read_bytes() == (clean / RESULTS).read_bytes()
    assert victim.read_bytes() == _chunks(clean)[2].read_bytes()


def test_a_corrupted_merged_table_is_rebuilt_and_a_clean_one_reused(tmp_path: Path) -> None:
    resolved = _resolved()
    out = tmp_path / "out"
    run_resolved(resolved, out, workers=1)
    good = (out / RESULTS).read_bytes()
    stamp = (out / RESULTS).stat().st_mtime_ns
    again = run_resolved(resolved, out, workers=1)
    assert (again.computed, again.reused) == (0, 5)
    assert (out / RESULTS).stat().st_mtime_ns == stamp  # nothing to merge again
    raw = bytearray(good)
    raw[len(raw) // 2] ^= 0x01
    (out / RESULTS).write_bytes(bytes(raw))
    from sim.sweep.resolve import SweepError

    with pytest.raises(SweepError, match="does not match the checksum"):
        read_results(out)
    run_resolved(resolved, out, workers=1)
    assert (out / RESULTS).read_bytes() == good


def test_merge_and_chunk_temporaries_are_removed_on_resume(tmp_path: Path) -> None:
    resolved = _resolved()
    out = tmp_path / "out"
    run_resolved(resolved, out, workers=1)
    stale = [out / f".{RESULTS}.tmp-99999", out / f".{MANIFEST}.tmp-99999",
             out / "chunks" / ".part-000001.parquet.tmp-99999"]
    for path in stale:
        path.write_bytes(b"partial")
    run_resolved(resolved, out, workers=1)
    assert not any(p.exists() for p in stale)
    assert sorted(p.name for p in out.iterdir()) == ["chunks", MANIFEST, RESULTS]


def test_a_held_directory_is_refused_even_with_no_resume(tmp_path: Path) -> None:
    resolved = _resolved()
    out = tmp_path / "out"
    run_resolved(resolved, out, workers=1)
    before = {p.name: p.read_bytes() for p in _chunks(out)}
    with DirectoryLock(out):
        for resume in (True, False):
            with pytest.raises(LockHeld, match=f"in use by another sweep \\(process "
                                               f"{os.getpid()} on "):
                run_resolved(resolved, out, workers=1, resume=resume)
        # --no-resume deleted nothing under the running sweep
        assert {p.name: p.read_bytes() for p in _chunks(out)} == before
    assert not (out / DirectoryLock.NAME).exists()
    run_resolved(resolved, out, workers=1, resume=False)


def test_a_stale_lock_of_a_dead_process_is_taken_over(tmp_path: Path) -> None:
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    out = tmp_path / "out"
    out.mkdir()
    (out / DirectoryLock.NAME).write_text(json.dumps({"pid": int(dead.stdout), "host": "x"}))
    summary = run_resolved(_resolved(), out, workers=1)
    assert summary.computed == 5
    assert not (out / DirectoryLock.NAME).exists()


def _spec_file(tmp_path: Path, **changes: object) -> Path:
    path = tmp_path / "spec.yaml"
    path.write_text(json.dumps({"sweep": {**SPEC, **changes}}))  # JSON is YAML
    return path


def _children(pid: int) -> list[int]:
    kids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            fields = stat.rsplit(")", 1)[1].split()
            if int(fields[1]) == pid and fields[0] != "Z":
                kids.append(int(entry.name))
    return kids


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_workers_die_when_the_sweep_process_is_killed(tmp_path: Path) -> None:
    spec = _spec_file(tmp_path, n=20_000_000, chunk_size=200_000)
    out = tmp_path / "out"
    proc = subprocess.Popen([sys.executable, "-m", "sim", "sweep", str(spec), "--out", str(out),
                             "--workers", "2"], cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, env={**os.environ, "PYTHONPATH": str(ROOT)})
    workers: list[int] = []
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and len(workers) < 2:
            time.sleep(0.2)
            workers = _children(proc.pid)
            assert proc.poll() is None, proc.stderr.read() if proc.stderr else ""
        assert len(workers) >= 2
        # a second run on the same directory is refused while this one holds it
        second = subprocess.run([sys.executable, "-m", "sim", "sweep", str(spec), "--out",
                                 str(out), "--no-resume"], cwd=ROOT, capture_output=True,
                                text=True, env={**os.environ, "PYTHONPATH": str(ROOT)},
                                timeout=120)
        assert second.returncode == 2
        assert f"in use by another sweep (process {proc.pid} on" in second.stderr
        assert "Traceback" not in second.stderr
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and any(_alive(w) for w in workers):
            time.sleep(0.1)
        assert not [w for w in workers if _alive(w)]
    finally:
        if proc.poll() is None:
            proc.kill()
        for w in workers:
            if _alive(w):
                os.kill(w, signal.SIGKILL)
    # the killed run left its lock file behind; it is stale, and a new run takes it over
    assert (out / DirectoryLock.NAME).exists()
    small = _spec_file(tmp_path, n=3000)
    again = subprocess.run([sys.executable, "-m", "sim", "sweep", str(small), "--out", str(out),
                            "--no-resume", "--workers", "1"], cwd=ROOT, capture_output=True,
                           text=True, timeout=120, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert again.returncode == 0, again.stderr
    assert read_results(out).num_rows == 3000


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_sigterm_stops_workers_keeps_finished_chunks_and_frees_the_lock(tmp_path: Path) -> None:
    import hashlib

    spec = _spec_file(tmp_path, n=20_000_000, chunk_size=200_000)
    out = tmp_path / "out"
    proc = subprocess.Popen([sys.executable, "-m", "sim", "sweep", str(spec), "--out", str(out),
                             "--workers", "2"], cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    workers: list[int] = []
    try:
        deadline = time.monotonic() + 120
        # workers store chunks before the manifest records them: wait for the record
        while time.monotonic() < deadline and not (
                len(workers) >= 2 and _recorded(out) >= 2):
            time.sleep(0.2)
            workers = _children(proc.pid) or workers
            assert proc.poll() is None
        os.kill(proc.pid, signal.SIGTERM)
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
        for w in workers:
            if _alive(w):
                os.kill(w, signal.SIGKILL)
    assert proc.returncode == 130
    assert "interrupted: finished chunks are kept" in err and "Traceback" not in err
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and any(_alive(w) for w in workers):
        time.sleep(0.1)
    assert not [w for w in workers if _alive(w)]
    assert not (out / DirectoryLock.NAME).exists()
    manifest = json.loads((out / MANIFEST).read_text())
    assert len(manifest["chunks"]) >= 2 and manifest["finished"] is False
    for key, entry in manifest["chunks"].items():
        path = out / "chunks" / f"part-{int(key):06d}.parquet"
        assert hashlib.sha256(path.read_bytes()).hexdigest() == entry["sha256"]


def test_an_interrupted_run_resumes_to_the_same_bytes(tmp_path: Path) -> None:
    resolved = _resolved()
    clean = tmp_path / "clean"
    run_resolved(resolved, clean, workers=1)
    out = tmp_path / "out"
    calls = []

    def stop_after_two_chunks(done: int, total: int) -> None:
        calls.append(done)
        if done >= 2000:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_resolved(resolved, out, workers=1, progress=stop_after_two_chunks)
    manifest = json.loads((out / MANIFEST).read_text())
    assert sorted(manifest["chunks"]) == ["0", "1"] and manifest["finished"] is False
    assert not (out / RESULTS).exists() and not list(out.glob(".*.tmp-*"))
    summary = run_resolved(resolved, out, workers=1)
    assert (summary.computed, summary.reused) == (3, 2)
    assert (out / RESULTS).read_bytes() == (clean / RESULTS).read_bytes()
