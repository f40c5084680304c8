"""Bring a database to the newest schema, programmatically (``rwakit up``, workers, tests)."""

import threading
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
# Alembic keeps the running migration in module globals: one run per process at a time.
# Across processes the migration itself takes a database lock (see migrations/env.py).
_one_run_at_a_time = threading.Lock()


def alembic_config(database_url: str) -> Config:
    """An Alembic config without an ini file; ``migrations/env.py`` reads the URL from it."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["database_url"] = database_url
    return config


def upgrade(database_url: str, revision: str = "head") -> None:
    """Apply every migration up to ``revision``; safe to call from several processes at once."""
    with _one_run_at_a_time:
        command.upgrade(alembic_config(database_url), revision)


def head_revision() -> str | None:
    return ScriptDirectory(str(MIGRATIONS_DIR)).get_current_head()


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at; None for an empty database."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()
