"""Loading sweep specifications from YAML, with located errors."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from pydantic import ValidationError

from sim.scenario.diagnostics import Diagnostic, ScenarioError, format_path
from sim.scenario.files import UnreadableFile, read_bounded
from sim.scenario.pydantic_errors import pydantic_diagnostics
from sim.scenario.safe_yaml import MAX_BYTES, LocatedData, load_located
from sim.scenario.sweep_spec import VARIED_TAGS, SweepFile, SweepSpec

__all__ = ["SweepSource", "load_sweeps", "load_sweep_sources", "read_spec_bytes"]


@dataclass(frozen=True)
class SweepSource:
    """A sweep spec with the file it came from, to locate later errors."""

    spec: SweepSpec
    file: str
    located: LocatedData
    prefix: tuple[str | int, ...]

    def diagnostic(self, field: tuple[str | int, ...], message: str) -> Diagnostic:
        """``file:line:col: field: message`` for an entry of this spec."""
        path = (*self.prefix, *field)
        line, col = self.located.locate(path)
        return Diagnostic(self.file, line, col, format_path(path), message)


class _Untagged:
    """A validation error's entries with the varied-form union tags cut from their paths."""

    def __init__(self, exc: ValidationError) -> None:
        self._exc = exc

    def errors(self) -> list[Any]:
        return [{**e, "loc": tuple(p for p in e["loc"] if p not in VARIED_TAGS)}
                for e in self._exc.errors()]


def _fail(name: str, message: str) -> ScenarioError:
    return ScenarioError([Diagnostic(name, 1, 1, "<document>", message)])


def read_spec_bytes(path: str | Path) -> bytes:
    """The bytes of a regular file of at most 1 MiB (FIFOs and devices refused unread)."""
    try:
        return read_bounded(path, MAX_BYTES)
    except UnreadableFile as exc:
        message = (f"file is {exc.size:,} bytes; the limit is {MAX_BYTES:,} (1 MiB)"
                   if exc.size is not None else exc.reason)
        raise _fail(str(path), message) from None


def load_sweep_sources(path: str | Path) -> list[SweepSource]:
    """The sweeps of a standalone file (``sweep:``) or a scenario file (``sweeps:``).

    Raises
    ------
    ScenarioError
        With every problem as ``file:line:col: field: message``.
    """
    p = Path(path)
    name = str(path)
    raw = read_spec_bytes(p)
    try:
        located = load_located(raw, name)
    except ScenarioError:
        raise
    except RecursionError:
        raise _fail(name, "the file is nested too deeply") from None
    except ValueError as exc:  # e.g. an integer literal of thousands of digits
        raise _fail(name, f"cannot read a value: {str(exc)[:80]}") from None
    data = located.data
    if isinstance(data, dict) and "sweep" in data:
        try:
            spec = SweepFile.model_validate(data).sweep
        except ValidationError as exc:
            errors = cast(ValidationError, _Untagged(exc))
            raise ScenarioError(pydantic_diagnostics(errors, located, name, SweepFile)) from None
        return [SweepSource(spec, name, located, ("sweep",))]
    if isinstance(data, dict) and "sweeps" in data:
        from sim.scenario.loader import load_scenario

        sweeps = load_scenario(p).scenario.sweeps
        return [SweepSource(s, name, located, ("sweeps", i)) for i, s in enumerate(sweeps)]
    raise _fail(name, "expected a 'sweep:' block or a scenario with 'sweeps:'")


def load_sweeps(path: str | Path) -> list[SweepSpec]:
    """The sweep specs of ``path`` (see :func:`load_sweep_sources`)."""
    return [s.spec for s in load_sweep_sources(path)]
