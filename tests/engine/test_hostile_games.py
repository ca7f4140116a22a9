"""Hostile game files: every one is refused by ``coercion solve`` cleanly and within bounds.

Each file of ``tests/data/hostile/games/`` is solved in a subprocess under a
2 GiB address-space cap and a time limit; it must exit with status 2, print
one located message (``file:line: what is wrong``) and no traceback. The
special files (a FIFO, a symbolic link to ``/dev/zero``, a directory, an
oversized file) are made by fixtures.
"""

from __future__ import annotations

import os
import re
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from sim.games.errors import GameError
from sim.games.limits import DEFAULT_LIMITS, GameLimits, bounded_number, read_game_text
from sim.games.nfg import read_nfg
from tests.paths import DATA, ROOT

HOSTILE = DATA / "hostile" / "games"
FILES = sorted(p for p in HOSTILE.iterdir() if p.suffix in (".nfg", ".efg"))
ADDRESS_SPACE = 2 << 30
TIME_LIMIT = 120  # generous: the machine is shared; a hang shows as a timeout


def _cap_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))


def solve(path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "sim", "solve", str(path), *args],
        capture_output=True, text=True, timeout=TIME_LIMIT, preexec_fn=_cap_memory,
        env=env, cwd=ROOT, check=False,
    )


def assert_refused(res: subprocess.CompletedProcess[str], path: Path, what: str) -> None:
    assert "Traceback" not in res.stderr + res.stdout
    assert res.returncode == 2, res.stderr
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1, res.stderr
    assert re.match(rf"^{re.escape(str(path))}:\d+: ", lines[0]), lines[0]
    assert re.search(what, lines[0]), lines[0]
    assert len(lines[0]) < 400  # values are cut, never echoed whole


#: What each file's message must say.
EXPECTED = {
    "actions_150.efg": r"more than 100 actions.*--max-size strategies=N",
    "deep_chain.efg": r"deeper than 200 moves.*--max-size depth=N",
    "denominator_5000_digits.nfg": r"5,001 digits.*--max-size digits=N",
    "enumeration_12x12.nfg": r"12x12 game solves 2\.7e\+06 systems.*--method one",
    "exponent_1e100000000.efg": r"'1e100000000' has 100,000,001 digits",
    "exponent_1e100000000.nfg": r"'1e100000000' has 100,000,001 digits",
    "integer_5000_digits.efg": r"5,000 digits",
    "integer_5000_digits.nfg": r"5,000 digits",
    "labels_150.nfg": r"'A' has more than 100 strategies",
    "million_strategies.nfg": r"'A' has 1000000 strategies.*--max-size strategies=N",
    "nodes_111111.efg": r"more than 100,000 nodes.*--max-size nodes=N",
    "not_utf8.nfg": r"not UTF-8 text \(byte 0xff",
    "not_utf8_binary.efg": r"expected 'EFG'",
    "outcome_number_5000_digits.nfg": r"no outcome numbered",
    "plans_2_to_30.efg": r"1073741824 x 1073741824.*--max-size profiles=N",
    "players_40.nfg": r"more than 16 players.*--max-size players=N",
    "profiles_10_players.nfg": r"100,000,000,000 payoffs.*--max-size profiles=N",
    "square_200x200.nfg": r"'A' has 200 strategies.*--max-size strategies=N",
    "strategy_count_5000_digits.nfg": r"'A' has 9+\.\.\. strategies",
}


def test_the_corpus_is_complete() -> None:
    assert len(FILES) >= 8
    assert sorted(p.name for p in FILES) == sorted(EXPECTED)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_hostile_game_file_is_refused(path: Path) -> None:
    assert_refused(solve(path), path, EXPECTED[path.name])


@pytest.mark.parametrize("method", ["pure", "one", "zero-sum", "spe", "qre"])
def test_every_method_refuses_before_solving(method: str) -> None:
    for name in ("million_strategies.nfg", "deep_chain.efg", "exponent_1e100000000.nfg"):
        path = HOSTILE / name
        assert_refused(solve(path, "--method", method, "--lambda", "1"), path, EXPECTED[name])


def test_a_200x200_game_within_raised_limits_is_still_refused_by_enumeration() -> None:
    path = HOSTILE / "square_200x200.nfg"
    res = solve(path, "--max-size", "strategies=200")
    assert_refused(res, path, r"200x200 game is too large to enumerate.*--method one")


def test_control_file_solves_under_the_same_caps(tmp_path: Path) -> None:
    path = tmp_path / "prisoners.nfg"
    path.write_text('NFG 1 R "PD" { "A" "B" } { 2 2 }\n3 3 0 5 5 0 1 1\n', encoding="utf-8")
    res = solve(path)
    assert res.returncode == 0, res.stderr
    assert "1 equilibrium" in res.stdout and "regret: 0" in res.stdout


def test_max_size_raises_the_digit_limit(tmp_path: Path) -> None:
    path = tmp_path / "long.nfg"
    big = "1" + "0" * 149
    path.write_text(f'NFG 1 R "x" {{ "A" "B" }} {{ 2 2 }}\n{big} 1 0 0 0 0 1 1\n', "utf-8")
    assert_refused(solve(path), path, r"150 digits")
    res = solve(path, "--max-size", "digits=150")
    assert res.returncode == 0, res.stderr
    assert "payoffs: " + big in res.stdout


def test_bad_max_size_option(tmp_path: Path) -> None:
    path = tmp_path / "pd.nfg"
    path.write_text('NFG 1 R "PD" { "A" "B" } { 2 2 }\n3 3 0 5 5 0 1 1\n', encoding="utf-8")
    for spec, what in (("colours=3", r"KEY one of strategies"), ("digits=-1", "positive")):
        res = solve(path, "--max-size", spec)
        assert res.returncode == 2 and "Traceback" not in res.stderr
        assert re.search(what, res.stderr), res.stderr


# -- special files ------------------------------------------------------------------------------

def test_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.nfg"
    os.mkfifo(fifo)
    assert_refused(solve(fifo), fifo, "not a regular file")


def test_symlink_to_dev_zero_is_refused(tmp_path: Path) -> None:
    link = tmp_path / "zero.efg"
    link.symlink_to("/dev/zero")
    assert_refused(solve(link), link, "not a regular file")


def test_directory_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "folder.nfg"
    folder.mkdir()
    assert_refused(solve(folder), folder, "a directory")


def test_file_over_one_mebibyte_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "big.nfg"
    path.write_text('NFG 1 R "x" { "A" "B" } { 2 2 }\n' + "0 " * 600_000, encoding="utf-8")
    assert_refused(solve(path), path, r"more than the limit of 1,048,576")


# -- the library functions ----------------------------------------------------------------------

def test_limits_are_raised_by_key() -> None:
    raised = DEFAULT_LIMITS.raised("strategies=500, nodes=7")
    assert (raised.strategies, raised.nodes, raised.digits) == (500, 7, DEFAULT_LIMITS.digits)
    with pytest.raises(GameError, match="KEY one of"):
        DEFAULT_LIMITS.raised("width=3")


def test_bounded_number_counts_exponent_digits() -> None:
    assert bounded_number("-1.25e2") == -125
    assert bounded_number("3/4") == bounded_number("0.75")
    with pytest.raises(GameError, match="100,000,001 digits"):
        bounded_number("1e100000000")
    with pytest.raises(GameError, match="larger than 1e300"):
        bounded_number("1e301", GameLimits(digits=400))
    with pytest.raises(GameError, match="zero denominator"):
        bounded_number("1/0")


def test_reader_refuses_before_allocating() -> None:
    text = 'NFG 1 R "x" { "A" "B" }\n{ 1000000 1000000 }\n1 1\n'
    with pytest.raises(GameError, match=r"^line 2, column 3: 'A' has 1000000 strategies"):
        read_nfg(text)
    game = read_nfg(text.replace("1000000 1000000", "1 1"), limits=GameLimits(strategies=1))
    assert game.shape == (1, 1)


def test_read_game_text_reads_regular_files_only(tmp_path: Path) -> None:
    path = tmp_path / "g.nfg"
    path.write_bytes(b"NFG 1 R \"caf\xc3\xa9\"")
    assert read_game_text(path) == 'NFG 1 R "café"'
    path.write_bytes(b"ok\n\xff")
    with pytest.raises(GameError, match=r":2: not UTF-8 text"):
        read_game_text(path)
    assert read_game_text(path, fallback_encoding="latin-1") == "ok\nÿ"
