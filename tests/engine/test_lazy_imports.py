"""Importing the solvers, the games or the ``solve`` command does not load numba.

The compiled kernels are imported on first use, so the command line starts
without paying for numba (``python -X importtime`` shows what remains).
"""

from __future__ import annotations

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
