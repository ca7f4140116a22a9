"""Every hostile sweep spec is refused cleanly: exit 2, a located message, no traceback.

Each file of ``tests/data/hostile/sweeps/`` runs through ``coercion sweep`` and
``coercion sweep-report`` in a subprocess under a 2 GiB address-space cap and a
time limit. Special files (a FIFO, a symlink to ``/dev/zero``, a directory, an
oversized file) are made in fixtures.
"""

from __future__ import annotations

import json
import os
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.paths import DATA, ROOT

HOSTILE = DATA / "hostile" / "sweeps"
EXPECTED: dict[str, list[str]] = json.loads((HOSTILE / "expected.json").read_text())
CAP = 2 << 30
#: Generous: the refusal itself takes well under a second; the machine may be busy.
LIMIT_S = 60.0


def _cap() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (CAP, CAP))


def _run(*args: str) -> tuple[subprocess.CompletedProcess[str], float]:
    t0 = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", "sim", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=LIMIT_S, preexec_fn=_cap,
                          env={**os.environ, "PYTHONPATH": str(ROOT),
                               "OPENBLAS_NUM_THREADS": "1"})
    return proc, time.monotonic() - t0


def _refused(proc: subprocess.CompletedProcess[str], seconds: float) -> str:
    assert proc.returncode == 2, proc.stderr[-1500:]
    assert "Traceback" not in proc.stderr + proc.stdout
    assert seconds < LIMIT_S  # (a hang raises TimeoutExpired first)
    assert all(len(line) <= 400 for line in proc.stderr.splitlines())
    return proc.stderr


def test_every_hostile_file_has_an_expected_message() -> None:
    files = {p.name for p in HOSTILE.glob("*.yaml")} - {"control_ok.yaml"}
    assert files == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_hostile_spec_is_refused_with_a_located_message(name: str, tmp_path: Path) -> None:
    field, message, *located_in = EXPECTED[name]  # a third entry: the file the error is in
    path = HOSTILE / name
    err = _refused(*_run("sweep", str(path), "--out", str(tmp_path / "out")))
    where = located_in[0] if located_in else str(path)
    pattern = rf"^{re.escape(where)}:\d+:\d+: {re.escape(field)}: .*{re.escape(message)}"
    assert re.search(pattern, err, re.MULTILINE), err
    assert not (tmp_path / "out").exists()  # nothing written for a refused spec


def test_sweep_report_refuses_a_spec_file() -> None:
    path = HOSTILE / "grid_1e16_points.yaml"
    report = _refused(*_run("sweep-report", str(path)))
    assert report.startswith(f"error: {path} holds no sweep")


def test_the_control_spec_runs(tmp_path: Path) -> None:
    proc, _ = _run("sweep", str(HOSTILE / "control_ok.yaml"), "--out", str(tmp_path / "out"))
    assert proc.returncode == 0, proc.stderr
    assert "2,000 points in 1 chunks" in proc.stdout


def test_the_grid_cap_can_be_raised(tmp_path: Path) -> None:
    spec = tmp_path / "grid.yaml"
    spec.write_text("sweep:\n  id: g\n  model: fearon_bargaining_range\n  sampler: grid\n"
                    "  varied:\n    p: {grid: '0:1:3000'}\n")
    err = _refused(*_run("sweep", str(spec), "--out", str(tmp_path / "a"),
                         "--max-grid-points", "1000"))
    assert f"{spec}:6:5: sweep.varied: the grid has 3,000 points" in err
    proc, _ = _run("sweep", str(spec), "--out", str(tmp_path / "b"), "--max-grid-points", "3000")
    assert proc.returncode == 0, proc.stderr


def _special(kind: str, tmp_path: Path) -> Path:
    path = tmp_path / f"{kind}.yaml"
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "dev_zero":
        path.symlink_to("/dev/zero")
    elif kind == "directory":
        path.mkdir()
    elif kind == "oversized":
        path.write_bytes(b"sweep:\n" + b"#" * (2 << 20))
    elif kind == "missing":
        pass
    return path


@pytest.mark.parametrize("kind,message", [
    ("fifo", "not a regular file"),
    ("dev_zero", "not a regular file"),
    ("directory", "not a regular file"),
    ("oversized", "file is 2,097,159 bytes; the limit is 1,048,576 (1 MiB)"),
    ("missing", "cannot read file: No such file or directory"),
])
def test_special_files_are_refused_unread(kind: str, message: str, tmp_path: Path) -> None:
    path = _special(kind, tmp_path)
    err = _refused(*_run("sweep", str(path), "--out", str(tmp_path / "out")))
    first = err.splitlines()[0]
    assert first.startswith(f"{path}:1:1: <document>: ") and message in first, err


def _finished(tmp_path: Path) -> Path:
    out = tmp_path / "done"
    proc, _ = _run("sweep", str(HOSTILE / "control_ok.yaml"), "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    return out


@pytest.mark.parametrize("damage,message", [
    ("manifest_garbage", "unreadable manifest"),
    ("manifest_list", "not a sweep manifest"),
    ("unfinished", "the sweep is not finished"),
    ("results_flipped", "does not match the checksum"),
    ("results_missing", "has no results.parquet"),
])
def test_sweep_report_refuses_damaged_directories(damage: str, message: str,
                                                  tmp_path: Path) -> None:
    out = _finished(tmp_path)
    manifest = out / "manifest.json"
    if damage == "manifest_garbage":
        manifest.write_bytes(b'{"x": \xff')
    elif damage == "manifest_list":
        manifest.write_text("[1, 2]")
    elif damage == "unfinished":
        data = json.loads(manifest.read_text())
        manifest.write_text(json.dumps({**data, "finished": False}))
    elif damage == "results_flipped":
        raw = bytearray((out / "results.parquet").read_bytes())
        raw[len(raw) // 2] ^= 0x10
        (out / "results.parquet").write_bytes(bytes(raw))
    else:
        (out / "results.parquet").unlink()
    err = _refused(*_run("sweep-report", str(out)))
    assert message in err and err.startswith("error: "), err
