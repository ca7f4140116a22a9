"""``coercion solve`` on .nfg and .efg files."""

from __future__ import annotations

import json
from fractions import Fraction

import pytest
from typer.testing import CliRunner

from sim.cli import app
from sim.games.efg import write_efg
from tests.engine_ef import GAMBIT_GAMES, beer_quiche, entry_deterrence, iig, model_case

runner = CliRunner()


@pytest.fixture
def entry_file(tmp_path):
    path = tmp_path / "entry.efg"
    write_efg(entry_deterrence(), path)
    return path


def run(*args):
    return runner.invoke(app, ["solve", *map(str, args)])


def test_spe_text_output(entry_file) -> None:
    res = run(entry_file, "--method", "spe")
    assert res.exit_code == 0, res.output
    assert "Entrant: Out=0 In=1" in res.output
    assert "path: Entrant:In -> Incumbent:Accommodate" in res.output
    assert "payoffs: 1 1   regret: 0" in res.output
    assert "flags: none" in res.output


def test_all_method_json(entry_file) -> None:
    res = run(entry_file, "--json")
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert data["format"] == "efg" and data["solver"] == "nash_efg"
    assert data["game"]["strategies"] == [["Out", "In"], ["Fight", "Accommodate"]]
    assert data["flags"] == {"degenerate": True, "multiple_equilibria": True, "boundary": False}
    labels = [e["label"] for e in data["equilibria"]]
    assert labels.count("Nash, sequentially rational") == 1
    assert data["components"] == [[0, 1], [2]]
    first = data["equilibria"][0]
    assert first["exact"]["payoffs"] == ["0", "2"]
    assert first["regret"] == 0.0


def test_pbe_keeps_only_sequentially_rational(entry_file) -> None:
    data = json.loads(run(entry_file, "--method", "pbe", "--json").output)
    assert [e["behavior"]["Incumbent"] for e in data["equilibria"]] == [
        {"Fight": 0.0, "Accommodate": 1.0}
    ]


def test_qre_on_a_tree(tmp_path) -> None:
    case = model_case("M9-aqre-iig-war-case-lambda-5")
    path = tmp_path / "iig.efg"
    write_efg(iig(case["params"]["U_A"], case["params"]["U_B"]), path)
    data = json.loads(run(path, "--method", "qre", "--lambda", "5", "--json").output)
    (eq,) = data["equilibria"]
    assert eq["behavior"]["n1"]["D"] == pytest.approx(
        case["expected"]["prob_escalate_at_node"]["n1"], abs=1e-6)


def test_signalling_tree_pbe(tmp_path) -> None:
    path = tmp_path / "bq.efg"
    write_efg(beer_quiche(Fraction(9, 10)), path)
    data = json.loads(run(path, "--method", "pbe", "--json").output)
    assert len(data["equilibria"]) == 4
    assert {tuple(e["exact"]["payoffs"]) for e in data["equilibria"]} == {
        ("29/10", "9/10"), ("21/10", "9/10")}


@pytest.mark.skipif(not GAMBIT_GAMES.is_dir(), reason="Gambit's game collection is absent")
def test_nfg_all_and_pure() -> None:
    path = GAMBIT_GAMES / "contrib" / "2x2.nfg"
    data = json.loads(run(path, "--json").output)
    assert data["format"] == "nfg" and data["solver"] == "enummixed"
    assert [e["exact"]["profile"] for e in data["equilibria"]] == [[["1/2", "1/2"], ["1/3", "2/3"]]]
    text = run(path, "--method", "pure").output
    assert "0 equilibria" in text


def test_spe_on_a_normal_form_is_refused() -> None:
    if not GAMBIT_GAMES.is_dir():
        pytest.skip("Gambit's game collection is absent")
    path = GAMBIT_GAMES / "contrib" / "2x2.nfg"
    res = run(path, "--method", "spe")
    assert res.exit_code == 2
    assert res.output.strip() == f"{path}: --method spe needs an extensive-form (.efg) game"


def test_bad_efg_file(tmp_path) -> None:
    path = tmp_path / "bad.efg"
    path.write_text('EFG 2 R "t" { "A" }\n\np "" 1 1 "" { "a" "b" } 0\nt "" 1 "" { x }\n')
    res = run(path)
    assert res.exit_code == 2
    assert res.output.strip() == f"{path}:4: expected a payoff (a number), found 'x'"
    assert "Traceback" not in res.output


def test_bad_nfg_file(tmp_path) -> None:
    path = tmp_path / "bad.nfg"
    path.write_text('NFG 1 R "x" { "a" "b" }\n{ 2 2 }\nfoo\n')
    res = run(path)
    assert res.exit_code == 2
    assert res.output.strip().startswith(f"{path}:3: ")


def test_unknown_method_and_missing_file(entry_file, tmp_path) -> None:
    res = run(entry_file, "--method", "magic")
    assert res.exit_code == 2 and "unknown method 'magic'" in res.output
    res = run(tmp_path / "nope.efg")
    assert res.exit_code == 2 and res.output.strip() == f"{tmp_path / 'nope.efg'}: no such file"
