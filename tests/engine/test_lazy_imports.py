"""Importing the solvers, the games or the ``solve`` command does not load numba.

The compiled kernels are imported on first use, so the command line starts
without paying for numba (``python -X importtime`` shows what remains).
"""

from __future__ import annotations

import ast
import subprocess
import sys

import pytest

from tests.paths import ROOT


@pytest.mark.parametrize("module", ["sim.solvers", "sim.games", "sim.cli.solve_cmds",
                                    "sim.solvers.enummixed", "sim.solvers.batch"])
def test_import_does_not_load_numba(module: str) -> None:
    code = f"import sys, {module}; print('numba' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=ROOT, check=True, env={"PYTHONPATH": str(ROOT), "PATH": ""})
    assert out.stdout.strip() == "False", out.stderr


def test_games_package_names_load_on_first_use() -> None:
    import sim.games as games

    assert games.NormalFormGame.__name__ == "NormalFormGame"
    assert games.GameError is __import__("sim.games.errors", fromlist=["x"]).GameError
    with pytest.raises(AttributeError):
        _ = games.NoSuchGame  # type: ignore[attr-defined]


#: Libraries ``coercion --help`` must not import: each costs tens of milliseconds.
HEAVY = ("numpy", "scipy", "numba", "pandas", "pyarrow", "pydantic", "yaml", "rich",
         "streamlit", "plotly", "dask")


@pytest.mark.parametrize("args", [["--help"], ["sweep", "--help"], ["classroom", "--help"],
                                  ["model", "--help"], ["analyze", "--help"]])
def test_help_loads_no_heavy_library(args: list[str]) -> None:
    code = ("import runpy, sys; sys.argv = ['coercion', *sys.argv[1:]]\n"
            "try:\n    runpy.run_module('sim', run_name='__main__')\n"
            "except SystemExit as exc:\n    assert not exc.code, exc.code\n"
            f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                         cwd=ROOT, check=True, env={"PYTHONPATH": str(ROOT), "PATH": ""})
    assert "Usage:" in out.stdout
    loaded = ast.literal_eval(out.stdout.strip().splitlines()[-1])
    if len(args) > 1:
        # typer itself converts a command's parameters with pydantic
        loaded = [m for m in loaded if m != "pydantic"]
    assert loaded == [], out.stdout + out.stderr


def test_sweep_help_states_the_grid_limit_of_the_spec_format() -> None:
    from sim.cli.sweep_cmds import GRID_LIMIT_HELP
    from sim.scenario.sweep_spec import MAX_GRID_POINTS

    assert f"(default: {MAX_GRID_POINTS:,})" in GRID_LIMIT_HELP
