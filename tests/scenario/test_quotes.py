"""Quotes are checked verbatim against their sources, after normalisation."""

from __future__ import annotations

import shutil

import pytest

from sim.scenario import ScenarioError, load_scenario
from sim.scenario.quotes import normalise, quote_in_text
from tests.paths import SCENARIO_2022, SEED, needs_seed

TEXT = "Moscow’s coercive  diplomacy is “working” — so far.\nTime is on its side."


@pytest.mark.parametrize(
    ("quote", "found"),
    [
        ("Moscow's coercive diplomacy", True),  # plain apostrophe matches ’
        ('is "working" - so far.', True),  # plain quotes and dash
        ("diplomacy is “working”", True),  # whitespace folded
        ("so far. Time is", True),  # across a line break
        ("Moscow’s … Time is on its side.", True),  # ellipsis joins excerpts in order
        ("Time is on its side ... Moscow’s", False),  # out of order
        ("moscow’s coercive", False),  # case matters
        ("coercive diplomacy failed", False),
        ("...", False),
    ],
)
def test_quote_in_text(quote: str, found: bool) -> None:
    assert quote_in_text(quote, TEXT) is found


def test_normalise() -> None:
    assert normalise("  a\u00a0“b”\n‘c’ — d ") == "a \"b\" 'c' - d"


@needs_seed
def test_every_quote_of_2022_verified_against_seed() -> None:
    report = load_scenario(SCENARIO_2022)
    seed_checks = [q for q in report.quotes if q.source == "seed-2022-02"]
    assert len(seed_checks) >= 40
    assert all(q.status == "verified" for q in seed_checks)
    assert not report.skipped
    paraphrases = {q.path for q in report.quotes if q.status == "paraphrase"}
    assert paraphrases == {"events[8].quote", "events[9].quote"}


def test_without_source_text_quote_checks_are_skipped(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("COERCION_SOURCES_DIR", str(tmp_path / "empty"))
    report = load_scenario(SCENARIO_2022)
    assert report.verified == 0
    assert len(report.skipped) >= 40
    assert "set COERCION_SOURCES_DIR" in report.summary()
    assert "quote checks skipped" in report.summary()


@needs_seed
def test_sources_dir_env_is_used(tmp_path, monkeypatch) -> None:
    folder = tmp_path / "texts"
    folder.mkdir()
    shutil.copy(SEED, folder / SEED.name)
    monkeypatch.setenv("COERCION_SOURCES_DIR", str(folder))
    assert load_scenario(SCENARIO_2022).verified >= 40
    (folder / SEED.name).write_text("A different article altogether.", encoding="utf-8")
    with pytest.raises(ScenarioError) as info:
        load_scenario(SCENARIO_2022)
    assert all("quote not found in the text of source 'seed-2022-02'" in d.message
               for d in info.value.diagnostics)
