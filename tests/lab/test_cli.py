"""``coercion solve`` on the game lab's JSON form, with ``--set name=value``."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from sim.cli import app
from sim.lab.catalogue import catalogue_game
from sim.lab.files import dump_json

runner = CliRunner()


def _write(tmp_path: Path, key: str) -> Path:
    path = tmp_path / f"{key}.json"
    path.write_text(dump_json(catalogue_game(key)))
    return path


def test_set_moves_the_mixed_equilibrium(tmp_path: Path) -> None:
    path = _write(tmp_path, "chicken")
    out = runner.invoke(app, ["solve", str(path), "--set", "c=4", "--json"])
    assert out.exit_code == 0, out.output
    report = json.loads(out.output)
    mixed = [e for e in report["equilibria"] if e["label"] == "mixed"]
    # Each goes straight with probability w / (w + c) = 1 / 5.
    assert mixed[0]["exact"]["profile"] == [["4/5", "1/5"], ["4/5", "1/5"]]
    default = json.loads(runner.invoke(app, ["solve", str(path), "--json"]).output)
    mixed = [e for e in default["equilibria"] if e["label"] == "mixed"]
    assert mixed[0]["exact"]["profile"] == [["2/3", "1/3"], ["2/3", "1/3"]]


def test_trees_take_every_tree_method(tmp_path: Path) -> None:
    path = _write(tmp_path, "entry_deterrence")
    out = runner.invoke(app, ["solve", str(path), "--method", "spe", "--set", "d=-2",
                              "--json"])
    assert out.exit_code == 0, out.output
    report = json.loads(out.output)
    # With d = -2 < -f = -1, fighting beats accommodating: entry is deterred.
    assert report["equilibria"][0]["path"][0].endswith(":Stay out")


def test_bad_input_exits_2_with_a_plain_message(tmp_path: Path) -> None:
    path = _write(tmp_path, "chicken")
    out = runner.invoke(app, ["solve", str(path), "--set", "x=4"])
    assert out.exit_code == 2
    assert "has no parameter 'x'" in out.output and "Traceback" not in out.output
    out = runner.invoke(app, ["solve", str(path), "--set", "c=lots"])
    assert out.exit_code == 2 and "'lots' is not a number" in out.output
    bad = tmp_path / "bad.json"
    bad.write_text('{"schema": "coercion-sim/game-lab",\n "version": 1,\n "title": }')
    out = runner.invoke(app, ["solve", str(bad)])
    assert out.exit_code == 2
    assert f"{bad}:3:" in out.output
    nfg = tmp_path / "g.nfg"
    nfg.write_text('NFG 1 R "t" { "a" "b" } { 1 1 }\n1 2\n')
    out = runner.invoke(app, ["solve", str(nfg), "--set", "c=1"])
    assert out.exit_code == 2 and "--set applies to the game lab's .json form" in out.output
