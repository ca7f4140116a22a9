"""Shared fixtures: storage backends for the classroom tests, a temp SQLite file and a real
PostgreSQL server started on loopback for the session (Debian's postgresql)."""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest


def _pg_bin() -> str | None:
    found = shutil.which("initdb")
    if found:
        return os.path.dirname(os.path.realpath(found))
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return os.path.dirname(candidates[-1]) if candidates else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    pytest.importorskip("psycopg")
    bindir = _pg_bin()
    if bindir is None:
        pytest.skip("PostgreSQL server binaries not installed (Debian package postgresql)")
    # pytest's temp root is private to root; the server user needs its own folder
    base = tempfile.mkdtemp(prefix="coercion-pg-")
    data = Path(base) / "data"
    data.mkdir()
    run_as: list[str] = []
    if os.geteuid() == 0:  # postgres refuses to run as root
        try:
            pw = pwd.getpwnam("postgres")
        except KeyError:
            pytest.skip("no 'postgres' user to run the server as")
        os.chown(data, pw.pw_uid, pw.pw_gid)
        os.chmod(base, 0o755)
        run_as = ["runuser", "-u", "postgres", "--"]
    subprocess.run([*run_as, f"{bindir}/initdb", "-D", str(data), "-A", "trust", "-U",
                    "coercion", "--no-sync"], check=True, capture_output=True, timeout=120)
    port = _free_port()
    log = data / "server.log"
    subprocess.run([*run_as, f"{bindir}/pg_ctl", "-D", str(data), "-l", str(log), "-w",
                    "-o", f"-p {port} -h 127.0.0.1 -k {data} -c fsync=off -c max_connections=300",
                    "start"],
                   check=True, capture_output=True, timeout=120)
    try:
        yield f"postgresql+psycopg://coercion@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run([*run_as, f"{bindir}/pg_ctl", "-D", str(data), "-m", "fast", "stop"],
                       capture_output=True, timeout=120)
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request, tmp_path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'class.db'}"
    url: str = request.getfixturevalue("postgres_url")
    # a fresh database per test keeps tests independent
    import sqlalchemy as sa

    name = f"t_{os.getpid()}_{abs(hash(request.node.nodeid)) % 10**8}"
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return url.rsplit("/", 1)[0] + f"/{name}"
