"""Loading scenarios for the dashboard, cached and never raising."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from sim.scenario import ScenarioError, ValidationReport, load_scenario, load_scenario_bytes
from sim.scenario.catalog import bundled_scenarios

__all__ = ["Loaded", "load_bundled", "load_upload"]


@dataclass(frozen=True)
class Loaded:
    """A valid scenario report, or the error lines explaining why there is none."""

    report: ValidationReport | None
    errors: tuple[str, ...] = ()


@st.cache_data(show_spinner=False)
def _load_bundled(sid: str, mtime: float) -> Loaded:
    try:
        return Loaded(load_scenario(bundled_scenarios()[sid]))
    except ScenarioError as exc:
        return Loaded(None, tuple(str(d) for d in exc.diagnostics))


def load_bundled(sid: str) -> Loaded:
    path = bundled_scenarios()[sid]
    return _load_bundled(sid, path.stat().st_mtime)


@st.cache_data(show_spinner=False, max_entries=20)
def load_upload(name: str, raw: bytes) -> Loaded:
    """Validate an uploaded file with the same located messages as the CLI."""
    try:
        return Loaded(load_scenario_bytes(raw, name))
    except ScenarioError as exc:
        return Loaded(None, tuple(str(d) for d in exc.diagnostics))
