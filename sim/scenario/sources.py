"""Where source texts live, and looking one up without leaving those folders.

A source's ``path`` is a bare file name. It is looked up only in the sources
folders: those given explicitly (``--sources`` or ``COERCION_SOURCES_DIR``,
``os.pathsep``-separated), else the shared seed folder beside the project
checkout (``../shared/seed``), and always the bundled ``scenarios/sources``.
A name with a folder, ``..`` or an absolute path is refused, and so is a
link leading outside its folder and any file that is not a regular file: a
quote check must not tell anyone what another file on the server holds.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from sim.scenario.catalog import scenarios_dir
from sim.scenario.files import UnreadableFile, read_bounded

__all__ = [
    "MAX_SOURCE_BYTES",
    "SourceText",
    "default_sources_dirs",
    "find_source_text",
    "source_name_problem",
    "sources_dirs",
]

#: Largest source text read, in bytes.
MAX_SOURCE_BYTES = 8 * 1024 * 1024
_BARE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,127}")


def source_name_problem(name: str) -> str | None:
    """Why ``name`` is not an acceptable source file name, or None."""
    if _BARE.fullmatch(name) and ".." not in name:
        return None
    return ("must be a bare file name (letters, digits, '.', '_' and '-', at most 128), "
            "looked up in the sources folders; folders, '..' and absolute paths are refused")


def default_sources_dirs() -> list[Path]:
    """The shared seed folder beside the project checkout, when it exists."""
    seed = Path(__file__).resolve().parents[2].parent / "shared" / "seed"
    return [seed] if seed.is_dir() else []


def sources_dirs(explicit: Sequence[str | Path] | None = None) -> tuple[Path, ...]:
    """The sources folders, in look-up order.

    ``explicit`` folders (a command-line option) come first, else those of
    ``COERCION_SOURCES_DIR``, else :func:`default_sources_dirs`; the bundled
    ``scenarios/sources`` folder is searched last.
    """
    dirs = [Path(d) for d in explicit or ()]
    if not dirs:
        env = os.environ.get("COERCION_SOURCES_DIR", "")
        dirs = [Path(d) for d in env.split(os.pathsep) if d.strip()]
    if not dirs:
        dirs = default_sources_dirs()
    dirs.append(scenarios_dir() / "sources")
    out: list[Path] = []
    for d in dirs:
        if d.is_dir() and d.resolve() not in out:
            out.append(d.resolve())
    return tuple(out)


@dataclass(frozen=True)
class SourceText:
    """The outcome of looking up one source file: its text, or why there is none.

    ``text`` is None with an empty ``problem`` when the file is in no folder.
    """

    text: str | None
    problem: str = ""


def find_source_text(name: str, dirs: Iterable[Path]) -> SourceText:
    """Look up source file ``name`` in the first of ``dirs`` holding it."""
    if source_name_problem(name) is not None:
        return SourceText(None, "source file name " + (source_name_problem(name) or ""))
    for folder in dirs:
        candidate = folder / name
        if not os.path.lexists(candidate):
            continue
        real = Path(os.path.realpath(candidate))
        if not real.is_relative_to(folder):
            return SourceText(None, f"source file {name!r} is a link leading outside "
                                    "the sources folder; it is not read")
        try:
            raw = read_bounded(real, MAX_SOURCE_BYTES)
        except UnreadableFile as exc:
            if exc.size is not None:
                return SourceText(None, f"source file {name!r} is {exc.size:,} bytes; the "
                                        f"limit is {MAX_SOURCE_BYTES:,}")
            reason = exc.reason.removeprefix("cannot read file: ")
            return SourceText(None, f"source file {name!r} cannot be read: {reason}")
        if len(raw) > MAX_SOURCE_BYTES:
            return SourceText(None, f"source file {name!r} is larger than the limit of "
                                    f"{MAX_SOURCE_BYTES:,} bytes")
        return SourceText(raw.decode("utf-8", errors="replace"))
    return SourceText(None)
