"""The throw-away PostgreSQL server the classroom tests and the load benchmark share."""

from __future__ import annotations

import os

import pytest

from tests.pg_server import PostgresUnavailable, postgres_server


def test_a_server_answers_inside_the_block_and_is_gone_after() -> None:
    pytest.importorskip("psycopg")
    sa = pytest.importorskip("sqlalchemy")
    try:
        with postgres_server(max_connections=40) as server:
            folder = server.data.parent
            pid = server.pid
            assert server.url.startswith("postgresql+psycopg://coercion@127.0.0.1:")
            engine = sa.create_engine(server.url)
            with engine.connect() as conn:
                assert conn.execute(sa.text("SELECT 6 * 7")).scalar_one() == 42
                assert conn.execute(sa.text("SHOW max_connections")).scalar_one() == "40"
            engine.dispose()
            assert pid is not None and os.path.exists(f"/proc/{pid}")
    except PostgresUnavailable as exc:
        pytest.skip(str(exc))
    assert not folder.exists()  # the data folder is removed
    with pytest.raises(sa.exc.OperationalError):  # and the server stopped
        sa.create_engine(server.url, poolclass=sa.pool.NullPool).connect()
