"""The dashboard server the browser tests and the browser benchmark share."""

from __future__ import annotations

import urllib.request
from pathlib import Path

import pytest

from tests.e2e.server import ServerError, serve

pytestmark = pytest.mark.e2e


def test_serves_the_app_of_the_folder_it_is_given(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text("import streamlit as st\nst.write('hello')\n",
                                     encoding="utf-8")
    with serve(tmp_path, timeout=90) as url:
        assert url.startswith("http://127.0.0.1:")
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=10) as r:
            assert r.status == 200 and r.read() == b"ok"
    with pytest.raises(OSError):  # stopped when the block ends
        urllib.request.urlopen(f"{url}/_stcore/health", timeout=5)


def test_a_server_that_cannot_start_says_why(tmp_path: Path) -> None:
    with pytest.raises(ServerError, match="did not start") as caught, \
            serve(tmp_path, timeout=60):  # a folder without app.py
        pass
    assert "app.py" in str(caught.value).split("\n", 1)[1]  # the server's own words
