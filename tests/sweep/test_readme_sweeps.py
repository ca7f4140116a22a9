"""The README's sweep commands run as written on the committed example specs.

Each ``coercion sweep`` line of the README's code blocks is run with the
project's interpreter, a temporary ``--out`` and ``--n`` for a small sample;
the multi-machine example gets a local Dask scheduler in place of
``tcp://10.0.0.5:8786``.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from tests.paths import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
_BLOCKS = re.findall(r"```(?:sh|bash)\n(.*?)```", README, re.S)
COMMANDS = [line.split("#")[0].strip() for block in _BLOCKS for line in block.splitlines()
            if re.match(r"\s*\.venv/bin/coercion sweep(-report)? ", line)]
SPECS = sorted((ROOT / "scenarios" / "sweeps").glob("*.yaml"))


def test_the_readme_names_committed_example_specs() -> None:
    named = {Path(a) for c in COMMANDS for a in shlex.split(c) if a.endswith(".yaml")}
    assert named and all((ROOT / p).is_file() for p in named)
    tracked = subprocess.run(["git", "ls-files", "scenarios/sweeps"], cwd=ROOT,
                             capture_output=True, text=True, check=True).stdout.split()
    assert {str(p) for p in named} <= set(tracked)
    assert {p.name for p in SPECS} <= {Path(t).name for t in tracked}
    ignored = subprocess.run(["git", "check-ignore", *map(str, SPECS)], cwd=ROOT,
                             capture_output=True, text=True)
    assert ignored.stdout == ""


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "sim", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=600,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})


def _as_run(command: str, out: Path) -> list[str]:
    args = shlex.split(command)[1:]  # drop .venv/bin/coercion
    args = [str(out) if a in ("out/", "out") else a for a in args]
    return [str(ROOT / a) if a.endswith(".yaml") else a for a in args]


@pytest.mark.slow
@pytest.mark.parametrize("command", [c for c in COMMANDS if "--scheduler" not in c
                                     and "sweep-report" not in c])
def test_readme_sweep_command_runs(command: str, tmp_path: Path) -> None:
    out = tmp_path / "out"
    args = _as_run(command, out)
    proc = _run([*args, "--n", "4096"], tmp_path)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "4,096 points" in proc.stdout
    table = pq.read_table(out / "results.parquet")
    assert table.num_rows == 4096 and table.column("valid").to_pylist().count(True) > 0
    report = _run(["sweep-report", str(out)], tmp_path)
    assert report.returncode == 0, report.stderr[-2000:]
    assert (out / "report.md").is_file()


@pytest.mark.slow
def test_readme_scheduler_command_runs_against_a_scheduler(tmp_path: Path) -> None:
    distributed = pytest.importorskip("dask.distributed")
    command = next(c for c in COMMANDS if "--scheduler" in c)
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True,
                                  host="127.0.0.1", dashboard_address=None) as cluster:
        args = [cluster.scheduler_address if a.startswith("tcp://") else a
                for a in _as_run(command, tmp_path / "out")]
        proc = _run([*args, "--n", "4096"], tmp_path)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert pq.read_metadata(tmp_path / "out" / "results.parquet").num_rows == 4096


@pytest.mark.parametrize("spec", SPECS, ids=lambda p: p.name)
def test_every_example_spec_runs(spec: Path, tmp_path: Path) -> None:
    proc = _run(["sweep", str(spec), "--out", str(tmp_path / "out"), "--n", "1024",
                 "--workers", "1"], tmp_path)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert pq.read_metadata(tmp_path / "out" / "results.parquet").num_rows > 0
