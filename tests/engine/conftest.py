"""Shared fixtures of the normal-form engine tests: stored oracle results."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.paths import DATA


@pytest.fixture(scope="session")
def enummixed_oracle() -> dict[str, Any]:
    """pygambit's extreme equilibria of random games (``make_nf_oracle.py``)."""
    path = DATA / "golden" / "nf_enummixed_oracle.json"
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def nfg_corpus() -> dict[str, Any]:
    """pygambit's reading of the Gambit ``.nfg`` corpus (``make_nf_nfg.py``)."""
    path = DATA / "golden" / "nf_nfg_corpus.json"
    return json.loads(path.read_text(encoding="utf-8"))
