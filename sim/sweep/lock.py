"""An exclusive lock on a sweep's output directory.

The lock is the file ``.lock`` in the directory, holding the owner's PID and
host name. Where ``fcntl`` exists the file is also ``flock``-ed: the kernel
releases that lock when its process dies, however it dies, so a lock file
left by a killed run (a dead PID) is simply taken over. Without ``fcntl`` the
file is created exclusively, and a file naming a dead PID on this host is
taken over.
"""

from __future__ import annotations

import json
import os
import socket
from pathlib import Path
from types import TracebackType

from sim.sweep.resolve import SweepError

__all__ = ["DirectoryLock", "LockHeld"]

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX
    fcntl = None  # type: ignore[assignment]


class LockHeld(SweepError):
    """Another live run holds the directory."""


def _alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class DirectoryLock:
    """``with DirectoryLock(out):`` — hold ``out/.lock`` for the duration.

    Raises
    ------
    LockHeld
        If another live process holds the lock.
    """

    NAME = ".lock"

    def __init__(self, folder: str | Path) -> None:
        self.path = Path(folder) / self.NAME
        self._fd: int | None = None

    def _refuse(self) -> LockHeld:
        owner = _read_owner(self.path)
        who = f"process {owner.get('pid')} on {owner.get('host')}" if owner else "another run"
        return LockHeld(f"{self.path.parent} is in use by another sweep ({who}); wait for it "
                        "to finish or stop it, or choose another --out")

    def acquire(self) -> None:
        me = {"pid": os.getpid(), "host": socket.gethostname()}
        if fcntl is None:  # pragma: no cover - not POSIX
            self._acquire_exclusive(me)
            return
        for _ in range(10):
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                raise self._refuse() from None
            # The holder may have removed the file between our open and our lock:
            # then we locked an orphaned inode, and must lock the current file instead.
            try:
                same = os.stat(self.path).st_ino == os.fstat(fd).st_ino
            except FileNotFoundError:
                same = False
            if same:
                os.ftruncate(fd, 0)
                os.write(fd, json.dumps(me).encode())
                self._fd = fd
                return
            os.close(fd)
        raise self._refuse()

    def _acquire_exclusive(self, me: dict[str, object]) -> None:  # pragma: no cover
        for _ in range(2):
            try:
                fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o644)
            except FileExistsError:
                owner = _read_owner(self.path)
                if (owner.get("host") == me["host"]
                        and not _alive(int(str(owner.get("pid", 0) or 0)))):
                    self.path.unlink(missing_ok=True)  # stale: its process is gone
                    continue
                raise self._refuse() from None
            os.write(fd, json.dumps(me).encode())
            self._fd = fd
            return
        raise self._refuse()

    def release(self) -> None:
        if self._fd is None:
            return
        # Remove the file before unlocking, so no one locks a file about to vanish.
        self.path.unlink(missing_ok=True)
        os.close(self._fd)
        self._fd = None

    def __enter__(self) -> DirectoryLock:
        self.acquire()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.release()


def _read_owner(path: Path) -> dict[str, object]:
    try:
        data = json.loads(path.read_text(encoding="utf-8")[:4096])
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}
