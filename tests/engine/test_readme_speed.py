"""The README's speed section is what ``benchmarks/readme_speed.py`` makes of the JSON."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

from tests.paths import ROOT


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("readme_speed",
                                                  ROOT / "benchmarks" / "readme_speed.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_readme_speed_section_is_generated_from_the_committed_json() -> None:
    script = _script()
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text.split(script.BEGIN, 1)[1].split(script.END, 1)[0]
    assert block.strip() == script.render().strip()


def test_rendered_figures_come_from_the_json(tmp_path: Path) -> None:
    script = _script()
    (tmp_path / "startup.json").write_text(json.dumps({
        "repeats": 7, "python_s": 0.031, "python_cpu_s": 0.03, "help_s": 0.2449,
        "help_cpu_s": 0.15, "target_s": 0.5, "met": True, "load_average": 0.4,
        "slowest_imports": [["sim.cli", 0.0771], ["typer", 0.041]]}))
    (tmp_path / "sweep.json").write_text(json.dumps({"dask": {
        "points": 10_000_000, "repeats": 5, "one_worker_s": 9.0, "two_workers_s": 5.0,
        "speedup": 1.8, "target": 1.7, "met": True, "load_average": [1.0, 2.0]}}))
    text = script.render(tmp_path)
    assert "takes 0.24 s wall clock" in text and "target < 0.5 s: yes" in text
    assert "sim.cli 77 ms" in text
    assert "1 worker 9.00 s, 2 workers 5.00 s, wall-clock speed-up 1.80×. Target ≥ 1.7×: yes." \
        in text
    assert "1.00×10⁷-point" in text and "load average 1.0 to 2.0" in text
    assert script.rate(31234.4) == "31,234" and script.rate(5.3e7) == "5.30×10⁷"


def test_map_table_marks_maps_over_budget(tmp_path: Path) -> None:
    script = _script()
    fig = {"points": 40_000}
    (tmp_path / "maps.json").write_text(json.dumps({
        "n": 200, "repeats": 5, "budget_s": 1.0, "all_axes": True, "screen": 200,
        "cpus": 2, "load_average": [0.5, 1.7], "models": {
            "fast_model": {"default": {**fig, "axes": ["p", "c_A"], "seconds": 0.0123},
                           "slowest": {**fig, "axes": ["c_A", "x"], "seconds": 0.5}},
            "slow_model": {"default": {**fig, "axes": ["p", "q"], "seconds": 0.25},
                           "slowest": {**fig, "axes": ["q", "d_A"], "seconds": 8.4871}}}}))
    text = script.render(tmp_path)
    assert "| `fast_model` | `p` × `c_A` | 0.012 | `c_A` × `x` | 0.500 | yes |" in text
    assert "| `slow_model` | `p` × `q` | 0.250 | `q` × `d_A` | 8.487 | no |" in text
    assert "200×200 grids" in text and "load average 0.5 to 1.7" in text


def test_the_readme_classroom_load_lines_are_generated_from_the_committed_json() -> None:
    script = _script()
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text.split(script.CLASS_BEGIN, 1)[1].split(script.CLASS_END, 1)[0]
    assert block.strip() == script.render_classroom().strip()
    assert "| SQLite |" in block and "| PostgreSQL |" in block


def _class_run(backend: str, name: str, **over: object) -> dict[str, object]:
    op = {"calls": 100, "p50_s": 0.1234, "p95_s": 0.8765, "max_s": 0.9, "errors": 0}
    run: dict[str, object] = {
        "backend": backend, "label": f"{name}, 100 students, one shared store", "students": 100,
        "rounds": 3, "load_average": [2.0, 2.1], "cpus": 2,
        "operations": {"join": op, "move": dict(op, p95_s=0.5), "wait": op},
        "acknowledged_moves": 300, "stored_moves": 300, "lost": 0, "duplicated": 0,
        "app_cpu_s": 4.25, "app_peak_mb": 110.4, "db_cpu_s": None, "db_peak_mb": None,
        "counts_right": True, "problems": [], "met": True}
    run.update(over)
    return run


def test_classroom_rows_come_from_the_json(tmp_path: Path) -> None:
    script = _script()
    (tmp_path / "classroom.json").write_text(json.dumps({
        "command": "benchmarks/bench_classroom.py --db sqlite --db postgres", "runs": [
            _class_run("sqlite", "SQLite"),
            _class_run("postgresql", "PostgreSQL", db_cpu_s=1.66, db_peak_mb=54.2,
                       stored_moves=299, lost=1, counts_right=False, met=False,
                       problems=["1 acknowledged moves lost"])]}))
    text = script.render_classroom(tmp_path)
    assert "| SQLite | 0.12 s, 0.88 s | 0.12 s, 0.50 s | 0.12 s, 0.88 s | 4.2 s, 110 MB | " \
        "in the serving process | 300 of 300 | 0 | 0 | yes |" in text
    assert "| PostgreSQL |" in text and "| 1.7 s, 54 MB | 299 of 300 | 1 | 0 | no |" in text
    assert "SQLite load average 2.0 to 2.1" not in text  # 0.1 apart: one figure
    assert "SQLite load average 2.0; PostgreSQL load average 2.0" in text
    assert "PostgreSQL: 1 acknowledged moves lost." in text
    assert "every acknowledged move was stored once" not in text  # not every run was right
    assert "**Before**" not in text and "3 rounds of Chicken, two moves each" in text
    (tmp_path / "classroom_threat.json").write_text(json.dumps({
        "command": "benchmarks/bench_classroom.py --game threat", "runs": [
            _class_run("sqlite", "SQLite", game="threat", met=False)]}))
    tree = script.render_classroom(tmp_path).split("**A tree played in turn**", 1)[1]
    assert "3 rounds of the threat game played in turn" in tree and "| no |" in tree
    (tmp_path / "classroom_before.json").write_text(json.dumps({
        "command": "benchmarks/bench_classroom.py", "runs": [
            _class_run("postgresql", "PostgreSQL", met=False, db_cpu_s=7.44,
                       db_peak_mb=200.0)]}))
    before = script.render_classroom(tmp_path).split("**Before**", 1)[1]
    assert "| 7.4 s, 200 MB | 300 of 300 | 0 | 0 | no |" in before
    assert script.render_classroom(tmp_path / "none").startswith("*Generated by")
