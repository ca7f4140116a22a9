"""The hostile corpus: every file is refused cleanly, fast and within bounds.

Every scenario command (``validate``, ``show``, ``analyze`` and ``sweep``, the
commands that read a scenario file) runs on every file of
``tests/data/hostile/`` and on special files made here (a FIFO, links to
``/dev/zero`` and to a directory, an over-long file), in a subprocess under a
2 GiB address-space cap. Each must exit 2 with a located message
(``file:line:col: field: message``) and no traceback. The control file
validates. The slowest file's time is printed, not asserted: timings belong in
benchmarks, and the per-file alarm of the driver (10 s) bounds a hang.
"""

from __future__ import annotations

import json
import os
import re
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from tests.paths import DATA, ROOT

HOSTILE = DATA / "hostile"
CONTROL = HOSTILE / "control_markup_names.yaml"
MEMORY_CAP = 2 * 1024**3
MINIMAL = (DATA / "good" / "minimal.yaml").read_text(encoding="utf-8")


def _cap_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))


def corpus_files() -> list[Path]:
    """The scenario files directly in tests/data/hostile (subfolders hold other formats)."""
    return sorted(p for p in HOSTILE.glob("*.yaml") if p.is_file() and p != CONTROL)


def with_source(path_name: str, quote: str = "stop NATO expansion") -> str:
    """The minimal scenario, its source given the text file ``path_name``."""
    text = MINIMAL.replace("    kind: news\n", f"    kind: news\n    path: {path_name}\n", 1)
    return text.replace('quote: "stop NATO expansion"', f"quote: {json.dumps(quote)}", 1)


@pytest.fixture(scope="module")
def special(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Special files no repository can hold, and files too large to keep in one."""
    d = tmp_path_factory.mktemp("special")
    os.mkfifo(d / "fifo.yaml")
    (d / "dev_zero_link.yaml").symlink_to("/dev/zero")
    (d / "directory.yaml").mkdir()
    (d / "directory_link.yaml").symlink_to(d / "directory.yaml")
    (d / "fifo_link.yaml").symlink_to(d / "fifo.yaml")
    (d / "dangling_link.yaml").symlink_to(d / "nowhere.yaml")
    (d / "proc_environ_link.yaml").symlink_to("/proc/self/environ")
    (d / "oversize.yaml").write_bytes(b"# padding\n" * (1024 * 1024 // 10 + 1))
    (d / "long_string.yaml").write_text(MINIMAL.replace(
        "  summary: Two states and one demand.\n", "  summary: " + "x" * 900_000 + "\n"),
        encoding="utf-8")
    return {p.name: p for p in d.iterdir() if p.name != "nowhere.yaml"}


@pytest.fixture(scope="module")
def hostile_sources(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Path]]:
    """A sources folder holding a link leading outside it, a FIFO and a directory,
    and one scenario citing each."""
    d = tmp_path_factory.mktemp("hostile_sources")
    folder = d / "sources"
    folder.mkdir()
    outside = d / "secret.txt"
    outside.write_text("stop NATO expansion: a secret outside the sources folder\n",
                       encoding="utf-8")
    (folder / "outside_link.txt").symlink_to(outside)
    (folder / "passwd_link.txt").symlink_to("/etc/passwd")
    (folder / "dev_zero_link.txt").symlink_to("/dev/zero")
    os.mkfifo(folder / "fifo.txt")
    (folder / "directory.txt").mkdir()
    scenarios = []
    for name in ("outside_link.txt", "passwd_link.txt", "dev_zero_link.txt", "fifo.txt",
                 "directory.txt"):
        path = d / f"source_{name.replace('.', '_')}.yaml"
        path.write_text(with_source(name), encoding="utf-8")
        scenarios.append(path)
    return folder, scenarios


COMMANDS = ("validate", "show", "analyze", "sweep")


def _extra(command: str, out: Path) -> list[str]:
    return ["--out", str(out / "sweep-out")] if command == "sweep" else []


@pytest.fixture(scope="module")
def runs(
    special: dict[str, Path], hostile_sources: tuple[Path, list[Path]],
    tmp_path_factory: pytest.TempPathFactory,
) -> dict[str, list[dict]]:
    """Every command on every hostile file, the sources cases and the control file,
    run in one capped subprocess; records grouped by case."""
    work = tmp_path_factory.mktemp("runs")
    folder, source_cases = hostile_sources
    cases: dict[str, list[list[str]]] = {
        command: [[command, str(f), *_extra(command, work)]
                  for f in [*corpus_files(), *special.values()]]
        for command in COMMANDS
    }
    cases["sources"] = [[command, str(f), "--sources", str(folder)]
                        for command in ("validate", "show", "analyze") for f in source_cases]
    cases["control"] = [["validate", str(CONTROL)], ["show", str(CONTROL)]]
    jobs = [args for group in cases.values() for args in group]
    (work / "jobs.json").write_text(json.dumps(jobs), encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "tests.scenario.cli_driver", str(work / "jobs.json"),
         str(work / "out.json")],
        cwd=ROOT, capture_output=True, text=True, timeout=120 + 10 * len(jobs),
        preexec_fn=_cap_memory, env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    records: list[dict] = json.loads((work / "out.json").read_text(encoding="utf-8"))
    assert [r["args"] for r in records] == jobs
    out: dict[str, list[dict]] = {}
    it = iter(records)
    for name, group in cases.items():
        out[name] = [dict(next(it), file=args[1]) for args in group]
    assert not (work / "sweep-out").exists() or not any((work / "sweep-out").iterdir())
    return out


def located(file: str) -> re.Pattern[str]:
    return re.compile(rf"^{re.escape(file)}:\d+:\d+: [^\n]+?: \S", re.MULTILINE)


def assert_refused(record: dict) -> None:
    where = f"{record['file']} ({record['code']}):\n{record['stderr'][:2000]}"
    assert record["code"] == 2, where
    assert "Traceback" not in record["stderr"] + record["stdout"], where
    assert located(record["file"]).search(record["stderr"]), where
    for line in record["stderr"].splitlines():
        assert len(line) <= len(record["file"]) + 600, f"over-long line in {where[:300]}"
    assert record["stderr_chars"] < 100_000, where


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_refuses_every_hostile_file(
    command: str, runs: dict[str, list[dict]], capsys: pytest.CaptureFixture[str],
) -> None:
    records = runs[command]
    assert len(records) == len(corpus_files()) + 9
    for record in records:
        assert_refused(record)
    slowest = max(records, key=lambda r: r["seconds"])
    with capsys.disabled():
        print(f"\n{command}: {len(records)} hostile files refused; slowest "
              f"{Path(slowest['file']).name} in {slowest['seconds']:.2f} s")


def test_every_command_refuses_sources_outside_the_sources_folder(
    runs: dict[str, list[dict]],
) -> None:
    for record in runs["sources"]:
        assert_refused(record)
        assert ": sources[0].path: source file '" in record["stderr"]
        assert "secret outside" not in record["stderr"] + record["stdout"]


def test_validate_subprocess_refuses_the_whole_corpus_in_one_run(
    special: dict[str, Path],
) -> None:
    files = [str(p) for p in [*corpus_files(), *special.values()]]
    proc = subprocess.run([sys.executable, "-m", "sim", "validate", *files],
                          cwd=ROOT, capture_output=True, text=True, timeout=120,
                          preexec_fn=_cap_memory, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr + proc.stdout
    assert proc.stdout == ""
    for f in files:
        assert located(f).search(proc.stderr), f
    assert proc.stderr.rstrip().endswith(f"{len(files)} of {len(files)} files invalid")


def test_control_file_validates_and_is_printed_literally(runs: dict[str, list[dict]]) -> None:
    validate, show = runs["control"]
    assert validate["code"] == 0 and ": valid (" in validate["stdout"]
    assert show["code"] == 0, show["stderr"]
    # Rich markup and emoji codes in names are printed as written, never interpreted.
    assert "A crisis [/x] [red]red[/red]" in show["stdout"]
    assert "Russia [/x] [bold]loud[/bold] :smile:" in show["stdout"]
    assert "\x1b" not in show["stdout"]
