"""Reading user-named files within bounds: regular files only, never blocking.

A FIFO would block a reader for ever and ``/dev/zero`` never ends, so the
file's type is checked before it is opened, and again on the open descriptor
(opened non-blocking, in case the name was swapped in between). At most
``limit + 1`` bytes are read, so an over-long file is detected without being
read in full.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

__all__ = ["UnreadableFile", "read_bounded"]

_CHUNK = 1 << 16


class UnreadableFile(OSError):
    """A file cannot be read; ``reason`` says why in a few plain words."""

    def __init__(self, reason: str, size: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.size = size


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _check_regular(st: os.stat_result) -> None:
    if not stat.S_ISREG(st.st_mode):
        kind = _kind(st.st_mode)
        what = kind if kind.startswith("not") else f"{kind}, not a regular file"
        raise UnreadableFile(f"cannot read file: {what}")


def read_bounded(path: str | Path, limit: int) -> bytes:
    """The content of regular file ``path``, or its first ``limit + 1`` bytes.

    Raises
    ------
    UnreadableFile
        If ``path`` is missing, not a regular file (after following links), or
        larger than ``limit`` by its size on disk (``size`` is then set).
    """
    try:
        _check_regular(os.stat(path))
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)
                     | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0))
    except UnreadableFile:
        raise
    except OSError as exc:
        raise UnreadableFile(f"cannot read file: {exc.strerror or 'error'}") from None
    try:
        st = os.fstat(fd)
        _check_regular(st)
        if st.st_size > limit:
            raise UnreadableFile("file too large", size=st.st_size)
        chunks: list[bytes] = []
        left = limit + 1
        while left > 0:
            block = os.read(fd, min(left, _CHUNK))
            if not block:
                break
            chunks.append(block)
            left -= len(block)
        return b"".join(chunks)
    except UnreadableFile:
        raise
    except OSError as exc:
        raise UnreadableFile(f"cannot read file: {exc.strerror or 'error'}") from None
    finally:
        os.close(fd)
