"""Pool server fixtures: a real server (uvicorn in a subprocess) on a free local port.

Every server test runs twice: on SQLite, and on PostgreSQL when
PAPERWORK_TEST_PG_URL names a cluster (``make test`` starts one). Each PostgreSQL
test gets a database of its own, so xdist workers never meet. Under CI=true a
missing PostgreSQL is a failure, not a skip.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from poolkit import Server, start_server

PG_ENV = "PAPERWORK_TEST_PG_URL"


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path) -> Iterator[str]:
    """A fresh, empty database URL of each kind."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'pool.db'}"
        return
    base = os.environ.get(PG_ENV, "")
    if not base:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{PG_ENV} is not set under CI: the PostgreSQL tests must run")
        pytest.skip(f"{PG_ENV} is not set")
    import psycopg
    from sqlalchemy.engine import make_url

    name = f"pool_{uuid.uuid4().hex[:16]}"
    with psycopg.connect(base, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    url = make_url(base).set(database=name).render_as_string(hide_password=False)
    yield url
    with psycopg.connect(base, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def server(db_url, tmp_path) -> Iterator[Server]:
    """A pool server on a fresh database (the default limits)."""
    running = start_server(db_url, tmp_path / "server.log")
    yield running
    running.stop()
