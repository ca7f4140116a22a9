"""A throw-away PostgreSQL server on a free loopback port, removed when the block ends.

Shared by the classroom tests (the ``postgres_url`` fixture in ``tests/conftest.py``)
and the classroom load benchmark (``benchmarks/bench_classroom.py --db postgres``); it
does not import pytest. Debian's server binaries (package ``postgresql``, under
``/usr/lib/postgresql/*/bin/``) are used. PostgreSQL refuses to run as root, so as
root the server runs as the ``postgres`` user.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

__all__ = ["PostgresUnavailable", "PostgresServer", "pg_bin", "free_port", "postgres_server"]

#: Characters of the server's log kept in the message when it does not start.
LOG_TAIL = 3000


class PostgresUnavailable(RuntimeError):
    """No server can be started here: the binaries or the user to run them as are missing."""


@dataclass(frozen=True)
class PostgresServer:
    """A running server: its SQLAlchemy URL (database ``postgres``, user ``coercion``, no
    password) and its data folder."""

    url: str
    data: Path

    @property
    def pid(self) -> int | None:
        """The postmaster's process id, read from ``postmaster.pid``."""
        try:
            return int((self.data / "postmaster.pid").read_text().split("\n", 1)[0])
        except (OSError, ValueError):
            return None


def pg_bin() -> str | None:
    """The folder of ``initdb`` and ``pg_ctl``: on the ``PATH``, else Debian's newest."""
    found = shutil.which("initdb")
    if found:
        return os.path.dirname(os.path.realpath(found))
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return os.path.dirname(candidates[-1]) if candidates else None


def free_port() -> int:
    """A loopback port that was free a moment ago."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def postgres_server(max_connections: int = 300, timeout: float = 120.0) -> Iterator[
        PostgresServer]:
    """``initdb`` and ``pg_ctl start`` in a new temporary folder; stopped and removed after.

    The server trusts every local connection and runs with ``fsync=off``: it is for
    tests and measurements, and holds nothing worth keeping.

    Raises
    ------
    PostgresUnavailable
        If the server binaries are not installed, or, as root, there is no
        ``postgres`` user to run them as.
    subprocess.CalledProcessError
        If ``initdb`` or ``pg_ctl`` fails.
    """
    bindir = pg_bin()
    if bindir is None:
        raise PostgresUnavailable(
            "PostgreSQL server binaries not installed (Debian package postgresql)")
    run_as: list[str] = []
    owner: pwd.struct_passwd | None = None
    if os.geteuid() == 0:  # postgres refuses to run as root
        try:
            owner = pwd.getpwnam("postgres")
        except KeyError:
            raise PostgresUnavailable("no 'postgres' user to run the server as") from None
        run_as = ["runuser", "-u", "postgres", "--"]
    # a folder of its own: pytest's temp root is private to root, the server's user needs in
    base = tempfile.mkdtemp(prefix="coercion-pg-")
    data = Path(base) / "data"
    try:
        data.mkdir()
        if owner is not None:
            os.chown(data, owner.pw_uid, owner.pw_gid)
            os.chmod(base, 0o755)
        subprocess.run([*run_as, f"{bindir}/initdb", "-D", str(data), "-A", "trust", "-U",
                        "coercion", "--no-sync"], check=True, capture_output=True,
                       timeout=timeout)
        port = free_port()
        log = data / "server.log"
        try:
            subprocess.run(
                [*run_as, f"{bindir}/pg_ctl", "-D", str(data), "-l", str(log), "-w", "-o",
                 f"-p {port} -h 127.0.0.1 -k {data} -c fsync=off "
                 f"-c max_connections={max_connections:d}", "start"],
                check=True, capture_output=True, timeout=timeout)
        except subprocess.CalledProcessError as exc:
            tail = log.read_text(errors="replace")[-LOG_TAIL:] if log.exists() else ""
            exc.stderr = (exc.stderr or b"") + tail.encode()
            raise
        try:
            yield PostgresServer(f"postgresql+psycopg://coercion@127.0.0.1:{port}/postgres",
                                 data)
        finally:
            subprocess.run([*run_as, f"{bindir}/pg_ctl", "-D", str(data), "-m", "fast",
                            "stop"], capture_output=True, timeout=timeout)
    finally:
        shutil.rmtree(base, ignore_errors=True)
