"""Every store test runs on SQLite (a temporary file) and on PostgreSQL (a scratch database).

PostgreSQL is required, not optional: `.ci/run` starts it, so a test that cannot reach
it fails instead of skipping. Each test run (each xdist worker) makes its own database
and drops it afterwards; tables are emptied between tests.
"""

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from rwakit.store.engine import make_engine
from rwakit.store.migrate import upgrade
from rwakit.store.schema import metadata

POSTGRES_URL = os.environ.get(
    "RWAKIT_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"
)
DATABASES = ["sqlite", "postgresql"]


@contextmanager
def scratch_database(kind: str, directory: Path) -> Iterator[str]:
    """The URL of a new, empty database of ``kind``, removed again on exit."""
    if kind == "sqlite":
        yield f"sqlite:///{directory / f'{uuid.uuid4().hex}.db'}"
        return
    name = f"rwakit_test_{uuid.uuid4().hex[:16]}"
    admin = create_engine(
        make_url(POSTGRES_URL).set(drivername="postgresql+psycopg"), isolation_level="AUTOCOMMIT"
    )
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    except OperationalError as exc:
        admin.dispose()
        pytest.fail(f"PostgreSQL at {POSTGRES_URL} does not answer (run `make services`): {exc}")
    try:
        yield make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


@pytest.fixture(scope="session", params=DATABASES)
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    with scratch_database(request.param, tmp_path_factory.mktemp("db")) as url:
        upgrade(url)
        yield url


@pytest.fixture(scope="session")
def migrated_engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url, pool_size=4)
    yield engine
    engine.dispose()


@pytest.fixture
def engine(migrated_engine: Engine) -> Iterator[Engine]:
    """A migrated database, empty at the start of each test."""
    yield migrated_engine
    with migrated_engine.begin() as conn:
        if migrated_engine.dialect.name == "postgresql":
            names = ", ".join(table.name for table in metadata.sorted_tables)
            conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY"))
        else:
            for table in reversed(metadata.sorted_tables):
                conn.execute(table.delete())


# Pin a test to PostgreSQL (row locks and other behaviour SQLite has no counterpart for).
on_postgres_only = pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
