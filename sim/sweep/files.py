"""Loading sweep specifications from YAML, with located errors."""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from sim.scenario.diagnostics import Diagnostic, ScenarioError
from sim.scenario.files import UnreadableFile, read_bounded
from sim.scenario.pydantic_errors import pydantic_diagnostics
from sim.scenario.safe_yaml import MAX_BYTES, load_located
from sim.scenario.sweep_spec import SweepFile, SweepSpec

__all__ = ["load_sweeps"]


def load_sweeps(path: str | Path) -> list[SweepSpec]:
    """The sweeps of a standalone file (``sweep:``) or a scenario file (``sweeps:``).

    Raises
    ------
    ScenarioError
        With every problem as ``file:line:col: field: message``.
    """
    p = Path(path)
    name = str(path)
    try:
        raw = read_bounded(p, MAX_BYTES)  # a regular file only, at most 1 MiB + 1 byte
    except UnreadableFile as exc:
        message = (f"file is {exc.size:,} bytes; the limit is {MAX_BYTES:,} (1 MiB)"
                   if exc.size is not None else exc.reason)
        raise ScenarioError([Diagnostic(name, 1, 1, "<document>", message)]) from None
    located = load_located(raw, name)
    data = located.data
    if isinstance(data, dict) and "sweep" in data:
        try:
            return [SweepFile.model_validate(data).sweep]
        except ValidationError as exc:
            raise ScenarioError(pydantic_diagnostics(exc, located, name, SweepFile)) from None
    if isinstance(data, dict) and "sweeps" in data:
        from sim.scenario.loader import load_scenario

        return list(load_scenario(p).scenario.sweeps)
    raise ScenarioError([Diagnostic(name, 1, 1, "<document>",
                                    "expected a 'sweep:' block or a scenario with 'sweeps:'")])
