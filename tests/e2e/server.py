"""A dashboard served on a free loopback port, and the Chromium it is driven with.

Shared by the browser tests (``tests/e2e/``) and the browser benchmark
(``benchmarks/bench_browser.py``); it imports neither pytest nor Playwright, so the
benchmark runs without the test extra's pytest. Debian's ``chromium`` at
``/usr/bin/chromium`` is used (Playwright's own browser download is not).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

__all__ = ["ROOT", "CHROMIUM", "ARGS", "ServerError", "free_port", "serve"]

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
#: Characters of the server's output kept in the message when it does not start.
LOG_TAIL = 3000


class ServerError(RuntimeError):
    """The dashboard did not answer its health check in time; the message ends with the
    tail of the server's output."""


def free_port() -> int:
    """A loopback port that was free a moment ago."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def serve(root: Path = ROOT, env: Mapping[str, str] | None = None,
          timeout: float = 120.0) -> Iterator[str]:
    """``streamlit run app.py`` in ``root`` on a free loopback port until the block ends;
    yields the server's URL.

    Raises :class:`ServerError` if the server exits or does not answer
    ``/_stcore/health`` within ``timeout`` seconds. The server's output goes to a
    temporary file (a pipe nobody reads could fill and stall the server).
    """
    port = free_port()
    streamlit = shutil.which("streamlit", path=str(Path(sys.executable).parent))
    command = [streamlit] if streamlit else [sys.executable, "-m", "streamlit"]
    full_env = dict(os.environ, STREAMLIT_BROWSER_GATHER_USAGE_STATS="false", **(env or {}))
    url = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryFile() as log:
        proc = subprocess.Popen(
            [*command, "run", "app.py", "--server.headless", "true", "--server.port",
             str(port), "--server.address", "127.0.0.1", "--server.fileWatcherType", "none"],
            cwd=root, env=full_env, stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + timeout
            while True:
                try:
                    with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                        if r.status == 200:
                            break
                except OSError:
                    pass
                if proc.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    out = log.read().decode(errors="replace")
                    raise ServerError(f"streamlit did not start on {url}:\n{out[-LOG_TAIL:]}")
                time.sleep(0.2)
            yield url
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
