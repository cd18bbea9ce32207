"""The Alembic scripts build exactly the tables that db.py describes, and run twice safely."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from paperwork.pool.db import make_engine, metadata
from paperwork.pool.migrations import upgrade


def test_migrations_match_the_tables_and_are_idempotent(db_url):
    engine = make_engine(db_url)
    try:
        upgrade(engine)
        upgrade(engine)  # a restart: nothing to do
        with engine.connect() as connection:
            differences = compare_metadata(MigrationContext.configure(connection), metadata)
            version = connection.exec_driver_sql("SELECT version_num FROM alembic_version").all()
    finally:
        engine.dispose()
    assert differences == []
    assert version == [("0002",)]
