"""Every malformed file in tests/data/bad gives its exact located messages, exit 2."""

from __future__ import annotations

import subprocess
import sys

import pytest
from typer.testing import CliRunner

from sim.cli import app
from sim.scenario import ScenarioError, load_scenario
from sim.scenario.safe_yaml import MAX_BYTES
from tests.paths import DATA, ROOT, SEED

BAD = DATA / "bad"

EXPECTED: dict[str, list[str]] = {
    "01_syntax_error.yaml": [
        "31:10: <syntax>: YAML syntax error: did not find expected ',' or ']'",
    ],
    "02_wrong_type.yaml": [
        "32:15: demands[0].position: a number is expected, not the text 'high'",
    ],
    "03_missing_field.yaml": ["17:5: actors[1].name: required field is missing"],
    "04_unknown_field.yaml": [
        "13:5: actors[0].name: required field is missing",
        "14:5: actors[0].nmae: unknown field (did you mean 'name'?)",
    ],
    "05_duplicate_id.yaml": [
        "17:9: actors[1].id: duplicate id 'RUS' (also actors[0])",
        "30:20: demands[0].addressed_to[0]: unknown actor 'USA' (did you mean 'RUS'?)",
    ],
    "06_duplicate_key.yaml": ["6:3: meta.title: duplicate key 'title' (first at line 5)"],
    "07_dangling_reference.yaml": [
        "29:9: demands[0].by: unknown actor 'RUSS' (did you mean 'RUS'?)",
    ],
    "08_value_out_of_range.yaml": ["32:15: demands[0].position: 1.5 is above the maximum 1.0"],
    "09_parameter_outside_range.yaml": [
        "41:12: parameters[0].value: 1.2 is outside [min, max] = [0, 1]",
    ],
    "10_preset_unknown_parameter.yaml": [
        "52:14: presets[0].values.pp: unknown parameter 'pp' (did you mean 'p'?)",
    ],
    "11_empty.yaml": ["1:1: <document>: file is empty"],
    "12_not_utf8.yaml": ["4:10: <document>: not UTF-8 text (invalid byte 0xe9)"],
    "13_binary.yaml": ["1:1: <document>: binary file (contains NUL bytes)"],
    "14_alias_bomb.yaml": [
        "2:1: <document>: aliases expand to more than 200,000 nodes (refusing an alias bomb)",
    ],
    "15_python_tag.yaml": [
        "5:10: meta.title: tag '!!python/object/apply:os.system' is not allowed "
        "(only plain YAML data is accepted)",
    ],
    "16_quote_not_in_source.yaml": [
        "37:12: demands[0].quote: quote not found in the text of source 'src': "
        "'Moscow’s coercive diplomacy has failed'",
    ],
    "17_quote_too_long.yaml": [
        "36:12: demands[0].quote: quote has 41 words; a quote is a short excerpt of at most 40",
    ],
    "18_bad_enum.yaml": [
        "19:11: actors[1].kind: 'empire' is not allowed; expected 'state', 'alliance', "
        "'international organisation', 'non-state armed group' or 'domestic public'",
    ],
    "19_many_errors.yaml": [
        "29:9: demands[0].by: unknown actor 'RUSS' (did you mean 'RUS'?)",
        "32:15: demands[0].position: -0.5 is below the minimum 0.0",
        "33:11: demands[0].form: 'binding' is not allowed; "
        "expected 'legally binding', 'political' or 'unspecified'",
    ],
    "20_not_a_mapping.yaml": ["1:1: <document>: a scenario must be a mapping of sections"],
    "21_min_above_max.yaml": ["39:5: parameters[0]: min 1 is greater than max 0"],
    "22_missing_quote_text_available.yaml": [
        "29:5: demands[0]: quote is required: the text of source 'src' is available",
    ],
    "23_unknown_source.yaml": [
        "37:13: demands[0].source: unknown source 'scr' (did you mean 'src'?)",
    ],
    "24_multiple_documents.yaml": [
        "53:1: <syntax>: YAML syntax error: expected a single document in the stream, "
        "but found another document",
    ],
    "25_analysis_model_mismatch.yaml": [
        "55:12: analyses[0].model: unknown model 'fearon_bargain_range' "
        "(did you mean 'fearon_bargaining_range'?)",
        "62:12: analyses[1].roles: role 'target' of model 'fearon_bargaining_range' "
        "is not assigned an actor",
        "62:30: analyses[1].roles.tagret: model 'fearon_bargaining_range' has no role "
        "'tagret' (did you mean 'target'?); its roles are challenger, target",
        "63:14: analyses[1].params.pp: model 'fearon_bargaining_range' has no parameter 'pp' "
        "(did you mean 'p'?)",
        "63:26: analyses[1].params.c_A: 1.5 is outside the model's range [-0.5, 1]",
        "63:36: analyses[1].params.c_B: unknown scenario parameter 'q'",
    ],
}
NEEDS_SEED = {"16_quote_not_in_source.yaml", "22_missing_quote_text_available.yaml"}


def test_corpus_is_complete() -> None:
    files = sorted(p.name for p in BAD.iterdir())
    assert files == sorted(EXPECTED)
    assert len(files) >= 15


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_exact_messages(name: str) -> None:
    if name in NEEDS_SEED and not SEED.is_file():
        pytest.skip(f"seed article not found at {SEED}")
    path = BAD / name
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    got = [str(d) for d in info.value.diagnostics]
    assert got == [f"{path}:{line}" for line in EXPECTED[name]]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_cli_exit_status_and_no_traceback(name: str) -> None:
    if name in NEEDS_SEED and not SEED.is_file():
        pytest.skip(f"seed article not found at {SEED}")
    result = CliRunner().invoke(app, ["validate", str(BAD / name)])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_cli_subprocess_reports_every_file() -> None:
    files = [str(BAD / n) for n in ("07_dangling_reference.yaml", "14_alias_bomb.yaml")]
    proc = subprocess.run(
        [sys.executable, "-m", "sim", "validate", *files],
        capture_output=True, text=True, cwd=ROOT, timeout=120,
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert "unknown actor 'RUSS'" in proc.stderr
    assert "alias bomb" in proc.stderr
    assert "2 of 2 files invalid" in proc.stderr


def test_file_over_one_mebibyte(tmp_path) -> None:
    big = tmp_path / "big.yaml"
    big.write_bytes(b"# padding\n" * (MAX_BYTES // 10 + 1))
    with pytest.raises(ScenarioError) as info:
        load_scenario(big)
    assert [str(d) for d in info.value.diagnostics] == [
        f"{big}:1:1: <document>: file is {big.stat().st_size:,} bytes; "
        f"the limit is {MAX_BYTES:,} (1 MiB)"
    ]


def test_missing_file(tmp_path) -> None:
    result = CliRunner().invoke(app, ["validate", str(tmp_path / "nope.yaml")])
    assert result.exit_code == 2
    assert "cannot read file" in result.output
