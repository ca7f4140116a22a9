"""Loading scenarios for the dashboard, cached and never raising."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from sim.scenario import ScenarioError, ValidationReport, load_scenario, load_scenario_bytes
from sim.scenario.catalog import bundled_scenarios
from sim.scenario.diagnostics import MAX_ECHO, clip

__all__ = ["Loaded", "load_bundled", "load_upload", "upload_label"]


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
        return Loaded(None, tuple(exc.lines()))


def load_bundled(sid: str, path: Path | None = None) -> Loaded:
    """The bundled scenario ``sid``, validated once per version of its file.

    ``path`` is its file when the caller has already listed the bundled scenarios
    (listing them reads the folder).
    """
    path = bundled_scenarios()[sid] if path is None else path
    return _load_bundled(sid, path.stat().st_mtime)


def upload_label(name: str) -> str:
    """The uploaded file's name as messages show it: its last part, printable, short."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    printable = "".join(ch if ch.isprintable() else "?" for ch in base)
    return clip(printable or "upload.yaml", MAX_ECHO)


@st.cache_data(show_spinner=False, max_entries=20)
def load_upload(name: str, raw: bytes) -> Loaded:
    """Validate an uploaded file with the same located messages as the CLI.

    The upload is validated from its bytes alone: its quotes are checked only
    against the server's configured sources folders, and no other file is read.
    """
    label = upload_label(name)
    try:
        return Loaded(load_scenario_bytes(raw, label))
    except ScenarioError as exc:
        return Loaded(None, tuple(exc.lines()))
    except Exception as exc:  # noqa: BLE001 - a hostile upload must not break the page
        return Loaded(None, (f"{label}:1:1: <document>: the file could not be validated "
                             f"({type(exc).__name__})",))
