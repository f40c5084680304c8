"""Engines from the plain database URLs users write; rwakit picks the driver.

``postgresql://user@host:5432/db`` runs on psycopg 3 with a statement timeout;
``sqlite:///path.db`` runs in WAL mode with a busy timeout and foreign keys on.
"""

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

DEFAULT_POOL_SIZE = 20
DEFAULT_STATEMENT_TIMEOUT_MS = 5000
# How long a SQLite writer waits for another one before "database is locked".
SQLITE_BUSY_TIMEOUT_MS = 10_000

# Execution option for read-only work: on SQLite it starts a plain (deferred) transaction
# instead of BEGIN IMMEDIATE, so readers never queue behind the writer.
READ_ONLY = {"rwakit_read_only": True}

_POSTGRES_SCHEMES = {"postgresql", "postgres"}


def driver_url(url: str | URL) -> URL:
    """The URL with rwakit's driver: psycopg 3 for PostgreSQL, the stdlib for SQLite."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise ValueError(
            "database URL is not valid; use postgresql://user@host:5432/db or sqlite:///path.db"
        ) from None
    if parsed.drivername in _POSTGRES_SCHEMES:
        return parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() in {"postgresql", "sqlite"}:
        return parsed
    shown = parsed.render_as_string(hide_password=True)
    raise ValueError(f"database URL {shown} is not PostgreSQL or SQLite")


def make_engine(
    url: str | URL,
    *,
    pool_size: int = DEFAULT_POOL_SIZE,
    statement_timeout_ms: int = DEFAULT_STATEMENT_TIMEOUT_MS,
) -> Engine:
    """A sync engine for ``url``; ``statement_timeout_ms=0`` means no timeout (migrations)."""
    if pool_size < 1:
        raise ValueError(f"pool size must be at least 1, got {pool_size}")
    if statement_timeout_ms < 0:
        raise ValueError(f"statement timeout must be 0 or more ms, got {statement_timeout_ms}")
    target = driver_url(url)
    if target.get_backend_name() == "sqlite":
        return _sqlite_engine(target, pool_size)
    return _postgres_engine(target, pool_size, statement_timeout_ms)


def _postgres_engine(url: URL, pool_size: int, statement_timeout_ms: int) -> Engine:
    # A startup option rather than SET, so the timeout holds on every pooled connection.
    options = f"-c statement_timeout={statement_timeout_ms}"
    return create_engine(
        url,
        pool_size=pool_size,
        max_overflow=pool_size // 2,
        pool_pre_ping=True,
        connect_args={"options": options},
    )


def _sqlite_engine(url: URL, pool_size: int) -> Engine:
    if url.database and url.database != ":memory:" and not url.database.startswith("file:"):
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, pool_size=pool_size, max_overflow=0)
    event.listen(engine, "connect", _configure_sqlite_connection)
    event.listen(engine, "begin", _begin_sqlite_transaction)
    return engine


def _configure_sqlite_connection(dbapi_connection: Any, _record: Any) -> None:
    # Take transaction control from the sqlite3 module, which would skip BEGIN before
    # SELECTs; _begin_sqlite_transaction emits it instead.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")  # durable enough in WAL mode, far fewer fsyncs
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _begin_sqlite_transaction(connection: Any) -> None:
    # Writers take the write lock up front: a deferred transaction that reads, then writes,
    # fails at once with "database is locked" when another writer got in between, and a
    # claim (select, then mark) must not let two workers take the same operations.
    read_only = connection.get_execution_options().get("rwakit_read_only", False)
    connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")
