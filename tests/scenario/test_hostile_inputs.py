"""Each hostile input is refused with its exact located message.

One test per defect: source paths that would read other files (a content
oracle), unbounded reads, deep nesting, impossible dates, huge literals,
non-finite and non-numeric numbers, control characters, model ranges,
quadratic suggestions and over-long echoes.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sim.cli import app
from sim.models.registry import all_models
from sim.scenario import ScenarioError, load_scenario, load_scenario_bytes
from sim.scenario import diagnostics as diag
from sim.scenario.diagnostics import MAX_REPORTED, MAX_SUGGESTIONS, Diagnostic
from sim.scenario.files import UnreadableFile, read_bounded
from sim.scenario.safe_yaml import MAX_BYTES
from sim.scenario.sources import sources_dirs
from tests.paths import DATA, ROOT

HOSTILE = DATA / "hostile"
MINIMAL = (DATA / "good" / "minimal.yaml").read_text(encoding="utf-8")
BARE = ("must be a bare file name (letters, digits, '.', '_' and '-', at most 128), looked up "
        "in the sources folders; folders, '..' and absolute paths are refused")


@pytest.fixture(autouse=True)
def _alarm() -> Iterator[None]:
    """A read that blocks (a FIFO) fails the test instead of hanging the run."""
    def fail(signum: int, frame: object) -> None:
        raise TimeoutError("blocked for 20 s")

    old = signal.signal(signal.SIGALRM, fail)
    signal.alarm(20)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, old)


def problems(path: str | Path, **kwargs: object) -> list[str]:
    """The diagnostics of an invalid file, without the file name."""
    with pytest.raises(ScenarioError) as info:
        load_scenario(path, **kwargs)  # type: ignore[arg-type]
    return [str(d).removeprefix(f"{path}:") for d in info.value.diagnostics]


def hostile(name: str) -> list[str]:
    return problems(HOSTILE / name)


def with_source(path_name: str, quote: str = "stop NATO expansion") -> str:
    text = MINIMAL.replace("    kind: news\n", f"    kind: news\n    path: {path_name}\n", 1)
    return text.replace('quote: "stop NATO expansion"', f"quote: {json.dumps(quote)}", 1)


def run_cli(*args: str, env: dict[str, str] | None = None,
            cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "sim", *args], capture_output=True, text=True,
                          timeout=120, cwd=cwd,
                          env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})})


# -- the file-content oracle ---------------------------------------------------------
def test_source_path_proc_self_environ_is_no_oracle(tmp_path: Path) -> None:
    """Whether or not the quote is in /proc/self/environ, the answer is the same refusal."""
    secret = "COERCION_PROBE_SECRET=hunter2"
    present = tmp_path / "present.yaml"
    absent = tmp_path / "absent.yaml"
    present.write_text(with_source("/proc/self/environ", secret), encoding="utf-8")
    absent.write_text(with_source("/proc/self/environ", secret + "x"), encoding="utf-8")
    proc = run_cli("validate", str(present), str(absent),
                   env={"COERCION_PROBE_SECRET": "hunter2"})
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr.splitlines() == [f"{present}:12:11: sources[0].path: {BARE}",
                                        f"{absent}:12:11: sources[0].path: {BARE}",
                                        "2 of 2 files invalid"]


def test_source_path_dotdot_etc_passwd_is_refused(tmp_path: Path) -> None:
    """``../../etc/passwd`` from a sources folder two levels deep names a real file
    (a decoy here); it is refused unread, by the CLI and by the loader."""
    (tmp_path / "etc").mkdir()
    (tmp_path / "etc" / "passwd").write_text("root:x:0:0:root:/root:/bin/sh\n",
                                             encoding="utf-8")
    folder = tmp_path / "a" / "b"
    folder.mkdir(parents=True)
    scenario = tmp_path / "probe.yaml"
    scenario.write_text(with_source("../../etc/passwd", "root:x:0:0"), encoding="utf-8")
    proc = run_cli("validate", str(scenario), "--sources", str(folder), cwd=folder)
    assert proc.returncode == 2
    assert proc.stderr.splitlines() == [f"{scenario}:12:11: sources[0].path: {BARE}",
                                        "1 of 1 files invalid"]
    real = HOSTILE / "source_path_dotdot_passwd.yaml"
    assert problems(real, sources=[folder]) == [f"12:11: sources[0].path: {BARE}"]


def test_source_path_with_a_folder_is_refused() -> None:
    assert hostile("source_path_in_subfolder.yaml") == [f"12:11: sources[0].path: {BARE}"]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A sources folder with one good text, and a secret file beside it."""
    d = tmp_path / "sources"
    d.mkdir()
    (d / "good.txt").write_text("They asked us to stop NATO expansion at once.",
                                encoding="utf-8")
    (tmp_path / "secret.txt").write_text("stop NATO expansion", encoding="utf-8")
    return d


def _scenario(tmp_path: Path, path_name: str) -> Path:
    f = tmp_path / "s.yaml"
    f.write_text(with_source(path_name), encoding="utf-8")
    return f


def test_source_symlink_leading_outside_is_refused(tmp_path: Path, folder: Path) -> None:
    (folder / "link.txt").symlink_to(tmp_path / "secret.txt")
    assert problems(_scenario(tmp_path, "link.txt"), sources=[folder]) == [
        "12:11: sources[0].path: source file 'link.txt' is a link leading outside the sources "
        "folder; it is not read"]


def test_source_symlink_inside_the_folder_is_followed(tmp_path: Path, folder: Path) -> None:
    (folder / "alias.txt").symlink_to(folder / "good.txt")
    report = load_scenario(_scenario(tmp_path, "alias.txt"), sources=[folder])
    assert [q.status for q in report.quotes] == ["verified"]


def test_source_fifo_is_refused_unopened(tmp_path: Path, folder: Path) -> None:
    os.mkfifo(folder / "fifo.txt")
    assert problems(_scenario(tmp_path, "fifo.txt"), sources=[folder]) == [
        "12:11: sources[0].path: source file 'fifo.txt' cannot be read: a FIFO, "
        "not a regular file"]


def test_source_directory_is_refused(tmp_path: Path, folder: Path) -> None:
    (folder / "dir.txt").mkdir()
    assert problems(_scenario(tmp_path, "dir.txt"), sources=[folder]) == [
        "12:11: sources[0].path: source file 'dir.txt' cannot be read: a directory, "
        "not a regular file"]


def test_source_text_over_the_limit_is_refused(tmp_path: Path, folder: Path) -> None:
    (folder / "big.txt").write_bytes(b"x" * (8 * 1024 * 1024 + 1))
    assert problems(_scenario(tmp_path, "big.txt"), sources=[folder]) == [
        "12:11: sources[0].path: source file 'big.txt' is 8,388,609 bytes; the limit is "
        "8,388,608"]


def test_uploaded_scenario_reads_no_file_beside_it(tmp_path: Path, folder: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """An upload naming a file of the working directory gets no answer about it."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COERCION_SOURCES_DIR", str(folder))
    report = load_scenario_bytes(with_source("secret.txt").encode(), "upload.yaml")
    assert [q.status for q in report.quotes] == ["skipped"]
    assert "not found" in report.quotes[0].reason


def test_sources_folders_come_from_configuration(tmp_path: Path, folder: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    scenarios = tmp_path / "scenarios"
    (scenarios / "sources").mkdir(parents=True)
    monkeypatch.setenv("COERCION_SCENARIOS_DIR", str(scenarios))
    monkeypatch.setenv("COERCION_SOURCES_DIR", str(folder))
    bundled = (scenarios / "sources").resolve()
    assert sources_dirs() == (folder.resolve(), bundled)
    other = tmp_path / "other"
    other.mkdir()
    assert sources_dirs([other]) == (other.resolve(), bundled)  # --sources replaces the env
    (bundled / "good.txt").write_text("stop NATO expansion", encoding="utf-8")
    monkeypatch.setenv("COERCION_SOURCES_DIR", str(other))
    report = load_scenario(_scenario(tmp_path, "good.txt"))
    assert [q.status for q in report.quotes] == ["verified"]  # found in the bundled folder


# -- reading within bounds --------------------------------------------------------
def test_scenario_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "fifo.yaml")
    assert problems(tmp_path / "fifo.yaml") == [
        "1:1: <document>: cannot read file: a FIFO, not a regular file"]


def test_symlink_to_dev_zero_is_refused_unread(tmp_path: Path) -> None:
    (tmp_path / "zero.yaml").symlink_to("/dev/zero")
    assert problems(tmp_path / "zero.yaml") == [
        "1:1: <document>: cannot read file: a character device, not a regular file"]


def test_directory_is_refused(tmp_path: Path) -> None:
    (tmp_path / "dir.yaml").mkdir()
    assert problems(tmp_path / "dir.yaml") == [
        "1:1: <document>: cannot read file: a directory, not a regular file"]


def test_read_stops_at_the_limit_when_the_size_lies(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """Files of /proc report size 0; at most limit + 1 bytes are read whatever the size."""
    f = tmp_path / "big.yaml"
    f.write_bytes(b"a" * 5000)
    real_fstat = os.fstat

    class Zero:
        def __init__(self, st: os.stat_result) -> None:
            self.st_mode, self.st_size = st.st_mode, 0

    monkeypatch.setattr(os, "fstat", lambda fd: Zero(real_fstat(fd)))
    assert len(read_bounded(f, 100)) == 101
    with pytest.raises(UnreadableFile):
        read_bounded(tmp_path / "missing.yaml", 100)


def test_file_over_the_limit_is_refused_by_its_size(tmp_path: Path) -> None:
    f = tmp_path / "big.yaml"
    f.write_bytes(b"#" * (MAX_BYTES + 1))
    assert problems(f) == ["1:1: <document>: file is 1,048,577 bytes; the limit is "
                           "1,048,576 (1 MiB)"]


# -- the structure of the YAML ---------------------------------------------------------
def test_deep_flow_nesting_is_refused_without_recursion_error() -> None:
    assert hostile("deep_nesting_flow.yaml") == [
        "6:1010: <document>: nesting is deeper than 40 levels"]


def test_deep_block_nesting_is_refused() -> None:
    assert hostile("deep_nesting_block.yaml") == [
        "93:81: <document>: nesting is deeper than 40 levels"]


def test_deep_nesting_through_an_alias_chain_is_refused() -> None:
    assert hostile("deep_nesting_alias_chain.yaml") == [
        "91:5: <document>: nesting is deeper than 40 levels (aliases followed)"]


def test_recursive_alias_is_refused() -> None:
    assert hostile("recursive_alias.yaml") == [
        "53:7: <document>: recursive alias (a collection that contains itself)"]


def test_date_2022_02_30_is_refused() -> None:
    assert hostile("invalid_date.yaml") == [
        "7:9: meta.date: invalid value: '2022-02-30' is not a valid date "
        "(day is out of range for month)"]
    assert hostile("invalid_datetime.yaml") == [
        "7:9: meta.date: invalid value: '2022-13-01 10:00:00' is not a valid date "
        "(month must be in 1..12)"]


def test_5000_digit_integer_is_refused() -> None:
    assert hostile("huge_integer.yaml") == [
        "41:12: parameters[0].value: number literal of 5,000 characters; the limit is 40"]
    assert hostile("huge_float_literal.yaml") == [
        "41:12: parameters[0].value: number literal of 5,002 characters; the limit is 40"]


def test_non_utf8_bytes_are_refused() -> None:
    assert hostile("not_utf8.yaml") == ["14:12: <document>: not UTF-8 text (invalid byte 0xfa)"]


def test_string_over_the_limit_is_refused_without_echo(tmp_path: Path) -> None:
    f = tmp_path / "long.yaml"
    f.write_text(MINIMAL.replace("  summary: Two states and one demand.\n",
                                 "  summary: " + "x" * 900_000 + "\n"), encoding="utf-8")
    assert problems(f) == ["6:12: meta.summary: text of 900,000 characters; the limit is 20,000"]


# -- numbers and text --------------------------------------------------------------------
def test_nan_and_infinity_are_refused() -> None:
    assert hostile("nan_min.yaml") == ["42:10: parameters[0].min: nan is not a finite number"]
    assert hostile("inf_max.yaml") == ["43:10: parameters[0].max: inf is not a finite number"]
    assert hostile("inf_step.yaml") == ["44:11: parameters[0].step: inf is not a finite number"]
    assert hostile("float_overflow.yaml") == [
        "41:12: parameters[0].value: inf is not a finite number"]
    assert hostile("quoted_1e999.yaml") == [
        "41:12: parameters[0].value: a number is expected, not the text '1e999' "
        "(numbers are written without quotes)"]


def test_booleans_are_not_numbers() -> None:
    assert hostile("bool_as_number.yaml") == [
        "41:12: parameters[0].value: a number is expected, not the boolean true",
        "52:17: presets[0].values.p: a number is expected, not the boolean true"]


def test_quoted_numbers_are_refused() -> None:
    """Quoted numbers are refused everywhere, so none can skip a range check."""
    assert hostile("quoted_number_out_of_range.yaml") == [
        "41:12: parameters[0].value: a number is expected, not the text '5' "
        "(numbers are written without quotes)",
        "52:17: presets[0].values.p: a number is expected, not the text '7' "
        "(numbers are written without quotes)"]


def test_nul_in_title_is_refused() -> None:
    assert hostile("nul_in_title.yaml") == [
        "5:10: meta.title: text contains the control character U+0000, which is not allowed"]


def test_control_characters_in_names_are_refused() -> None:
    assert hostile("control_chars_in_name.yaml") == [
        "14:11: actors[0].name: text contains the control character U+001B, "
        "which is not allowed"]
    assert hostile("bidi_override_in_name.yaml") == [
        "14:11: actors[0].name: text contains the control character U+202E, "
        "which is not allowed"]


def test_unhashable_position_actor_is_a_located_error() -> None:
    assert hostile("positions_unhashable.yaml") == [
        "54:12: positions[0].actor: input should be a valid string"]


def test_scenario_parameter_range_beyond_the_models_is_refused(tmp_path: Path) -> None:
    assert ("58:17: analyses[0].params.p: scenario parameter 'p' ranges over [0, 2], beyond the "
            "range [0, 1] of parameter 'p' of model 'fearon_bargaining_range'"
            in hostile("param_range_beyond_model.yaml"))
    # The same for any model: bind a scenario parameter one unit wider than the model's.
    model = next(m for m in all_models().values()
                 if any(s.is_scalar and s.kind == "real" for s in m.params))
    spec = next(s for s in model.params if s.is_scalar and s.kind == "real")
    roles = ", ".join(f"{r}: RUS" for r in model.roles)
    text = (MINIMAL.replace("    min: 0\n", f"    min: {spec.lo:g}\n", 1)
            .replace("    max: 1\n", f"    max: {spec.hi + 1:g}\n", 1)
            .replace("    value: 0.65\n", f"    value: {spec.lo:g}\n", 1)
            .replace("values: {p: 0.6}", f"values: {{p: {spec.lo:g}}}", 1)
            + f"analyses:\n  - id: a\n    model: {model.name}\n    question: Why?\n"
              f"    roles: {{{roles}}}\n    params: {{{spec.name}: p}}\n")
    f = tmp_path / "wide.yaml"
    f.write_text(text, encoding="utf-8")
    assert any(f"scenario parameter 'p' ranges over [{spec.lo:g}, {spec.hi + 1:g}], beyond the "
               f"range [{spec.lo:g}, {spec.hi:g}] of parameter '{spec.name}'" in line
               for line in problems(f))
    narrow = text.replace(f"    max: {spec.hi + 1:g}\n", f"    max: {spec.hi:g}\n", 1)
    f.write_text(narrow, encoding="utf-8")
    load_scenario(f)  # within the model's range: valid


# -- suggestions and echoes ----------------------------------------------------------
def test_did_you_mean_is_capped_per_file(monkeypatch: pytest.MonkeyPatch,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    """6,000 dangling references cost at most MAX_SUGGESTIONS look-ups, each linear."""
    calls: list[int] = []
    real = diag.difflib.get_close_matches

    def counting(word: str, pool: list[str], **kw: object) -> list[str]:
        calls.append(len(pool))
        return real(word, pool, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(diag.difflib, "get_close_matches", counting)
    import time

    start = time.perf_counter()
    found = problems(HOSTILE / "many_dangling_references.yaml")
    elapsed = time.perf_counter() - start
    assert len(found) == 6000
    assert all(": unknown actor 'grp" in line for line in found)
    assert len(calls) <= MAX_SUGGESTIONS
    with capsys.disabled():
        print(f"\n6,000 dangling references in "
              f"{(HOSTILE / 'many_dangling_references.yaml').stat().st_size:,} bytes: "
              f"{elapsed:.2f} s, {len(calls)} suggestion look-ups")


def test_suggestions_still_help_the_first_typos() -> None:
    assert problems(DATA / "bad" / "07_dangling_reference.yaml") == [
        "29:9: demands[0].by: unknown actor 'RUSS' (did you mean 'RUS'?)"]


def test_echoed_values_are_cut_to_about_80_characters() -> None:
    lines = hostile("long_reference_echo.yaml")
    assert lines == [
        "29:9: demands[0].by: string should have at most 64 characters (got '"
        + ("RUS" * 30)[:78] + "…)",
        "29:9: demands[0].by: unknown actor '" + ("RUS" * 30)[:78] + "…"]
    assert hostile("long_unknown_key.yaml") == ["16:7: actors[0]." + "k" * 39 + "…: unknown field"]


def test_problems_beyond_200_are_counted_not_listed() -> None:
    with pytest.raises(ScenarioError) as info:
        load_scenario(HOSTILE / "many_dangling_references.yaml")
    lines = info.value.lines()
    assert len(lines) == MAX_REPORTED + 1
    assert lines[-1].endswith(": <document>: and 5,800 more problems (the first 200 are listed)")
    d = Diagnostic("f.yaml", 1, 1, "x" * 1000, "m" * 5000)
    assert len(str(d)) < 600


# -- the commands ---------------------------------------------------------------------
def test_show_and_analyze_print_rich_markup_literally(tmp_path: Path) -> None:
    text = (HOSTILE / "control_markup_names.yaml").read_text(encoding="utf-8")
    model = all_models()["fearon_bargaining_range"]
    roles = ", ".join(f"{r}: RUS" for r in model.roles)
    f = tmp_path / "markup.yaml"
    f.write_text(text + "analyses:\n  - id: a\n    model: fearon_bargaining_range\n"
                 "    question: \"Is [/x] a [bold]question[/bold]?\"\n"
                 f"    roles: {{{roles}}}\n", encoding="utf-8")
    runner = CliRunner()
    show = runner.invoke(app, ["show", str(f)])
    assert show.exit_code == 0, show.output
    assert "A crisis [/x] [red]red[/red]" in show.output
    analyze = runner.invoke(app, ["analyze", str(f)])
    assert analyze.exit_code == 0, analyze.output
    assert "Is [/x] a [bold]question[/bold]?" in analyze.output
    assert "A crisis [/x] [red]red[/red]" in analyze.output


def test_unknown_scenario_name_gives_a_located_message() -> None:
    result = CliRunner().invoke(app, ["show", "no_such_scenario"])
    assert result.exit_code == 2
    assert result.output.startswith("no_such_scenario:1:1: <document>: no scenario "
                                    "'no_such_scenario'")


def test_set_nan_is_refused_by_analyze_and_model() -> None:
    runner = CliRunner()
    analyze = runner.invoke(app, ["analyze", "russia_nato_2022_02", "--set", "p=nan"])
    assert analyze.exit_code == 2
    assert "'nan' is not a finite number" in analyze.output
    model = runner.invoke(app, ["model", "fearon_bargaining_range", "--set", "p=inf"])
    assert model.exit_code == 2
    assert "'inf' is not a finite number" in model.output


def test_cli_echoes_of_long_names_are_cut() -> None:
    runner = CliRunner()
    long = "x" * 5000
    for args in (["model", long], ["analyze", "russia_nato_2022_02", "--preset", long],
                 ["analyze", "russia_nato_2022_02", "--set", f"{long}=1"],
                 ["model", "fearon_bargaining_range", "--set", f"p={long}"],
                 ["show", long]):
        result = runner.invoke(app, args)
        assert result.exit_code == 2, args
        assert max(len(line) for line in result.output.splitlines()) < 300, args
        assert "x" * 100 not in result.output


def test_list_survives_a_hostile_scenarios_folder(tmp_path: Path) -> None:
    folder = tmp_path / "scenarios"
    folder.mkdir()
    os.mkfifo(folder / "fifo.yaml")
    (folder / "zero.yaml").symlink_to("/dev/zero")
    (folder / "deep.yaml").write_bytes((HOSTILE / "deep_nesting_flow.yaml").read_bytes())
    (folder / "ok.yaml").write_text(MINIMAL, encoding="utf-8")
    proc = run_cli("list", env={"COERCION_SCENARIOS_DIR": str(folder), "COLUMNS": "200"})
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    assert proc.stdout.count("(invalid: 1 errors)") == 3
    assert "A minimal crisis" in proc.stdout
