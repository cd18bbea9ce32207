"""Alembic migrations of the pool server's database, run to ``head`` at start-up.

``upgrade(engine)`` is the one way in; there is no alembic.ini, the script folder
is this package and the connection is handed over in ``Config.attributes``.
"""

from __future__ import annotations

from importlib import resources

from sqlalchemy.engine import Engine


def upgrade(engine: Engine) -> None:
    """Bring the database behind ``engine`` to the newest schema (idempotent)."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(resources.files(__name__)))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
