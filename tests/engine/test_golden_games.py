"""Games of Gambit's collection solved offline from the golden fixture.

``tests/data/golden/nf_nfg_corpus.json`` stores pygambit's reading of every
.nfg file (players, strategies, exact payoffs). Writing a stored game back as
an .nfg file lets the solvers and ``coercion solve`` run on it without
``../shared/gambit-games``.
"""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
from typer.testing import CliRunner

from sim.cli import app
from sim.games.nfg import write_nfg
from sim.games.normal_form import NormalFormGame
from sim.solvers import enummixed_solve
from tests.paths import DATA

FILES = {f["path"]: f for f in
         json.loads((DATA / "golden" / "nf_nfg_corpus.json").read_text())["files"]}


def stored_game(path: str) -> NormalFormGame:
    """The game pygambit read from ``path`` of the collection."""
    entry: dict[str, Any] = FILES[path]
    shape = tuple(len(s) for s in entry["strategies"])
    # stored flattened in row-major order (see test_nfg_files.assert_matches)
    arrays = [np.array([Fraction(v) for v in p], dtype=object).reshape(shape)
              for p in entry["payoffs"]]
    return NormalFormGame.from_arrays(*arrays, players=entry["players"],
                                      strategies=entry["strategies"])


def test_stored_games_read_as_in_the_files() -> None:
    a, b = stored_game("catalog/journals/ijgt/nau2004/sec3.nfg").to_arrays()
    assert a.tolist() == [[3, 0], [0, 2]] and b.tolist() == [[2, 0], [0, 3]]
    # Kreps-Wilson e04: 3 x 2, so the layout of a non-square table is checked too
    a, b = stored_game("contrib/e04.nfg").to_arrays()
    assert a.shape == (3, 2)


def test_von_stengel_6x6_has_75_equilibria() -> None:
    game = stored_game("catalog/journals/dcg/vonstengel1999/6x6_game_with_75_eq.nfg")
    result = enummixed_solve(game)
    assert len(result) == 75
    assert not result.degenerate
    assert all(e.regret == 0 for e in result.equilibria)


def test_solve_command_on_a_stored_file(tmp_path: Path) -> None:
    path = tmp_path / "2x2.nfg"
    path.write_text(write_nfg(stored_game("contrib/2x2.nfg")))
    res = CliRunner().invoke(app, ["solve", str(path), "--json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert data["format"] == "nfg" and data["solver"] == "enummixed"
    assert [e["exact"]["profile"] for e in data["equilibria"]] == [[["1/2", "1/2"], ["1/3", "2/3"]]]
    res = CliRunner().invoke(app, ["solve", str(path), "--method", "spe"])
    assert res.exit_code == 2
    assert res.output.strip() == f"{path}: --method spe needs an extensive-form (.efg) game"
