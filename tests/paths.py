"""Locations the tests read: the project, its test data, and ../shared beside it."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
SHARED = ROOT.parent / "shared"
GAMBIT_GAMES = SHARED / "gambit-games"
SHARED_CASES = SHARED / "docs" / "model_cases.json"
#: The numbers of the shared worked cases, carried in the project so that a
#: checkout without ../shared still runs every case (no prose is carried).
REFERENCE_CASES = ROOT / "tests" / "cases" / "engine" / "reference_cases.json"
SEED = SHARED / "seed" / "000_793b657df9c0b44d.txt"
SCENARIO_2022 = ROOT / "scenarios" / "russia_nato_2022_02.yaml"

needs_seed = pytest.mark.skipif(
    not SEED.is_file(), reason=f"seed article not found at {SEED}"
)
