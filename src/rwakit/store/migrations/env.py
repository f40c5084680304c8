"""Alembic environment: the database comes from ``config.attributes``, never from a file.

``rwakit.store.migrate.upgrade`` passes either ``connection`` (run inside the caller's
connection) or ``database_url`` (a plain URL; rwakit picks the driver).
"""

from alembic import context
from sqlalchemy import Connection

from rwakit.store.engine import driver_url, make_engine
from rwakit.store.schema import metadata

# Any constant works; it only has to be the same for every process that migrates.
_MIGRATION_LOCK_ID = 0x5257414B  # "RWAK"


def _migrate(connection: Connection) -> None:
    # transactional_ddl on SQLite too: our SQLite connections run real transactions, so a
    # failed revision leaves no half-made schema on either database.
    context.configure(connection=connection, target_metadata=metadata, transactional_ddl=True)
    with context.begin_transaction():
        if connection.dialect.name == "postgresql":
            # Two processes starting together (`rwakit up`, a worker) migrate one at a time;
            # the second then finds the schema current. SQLite's BEGIN IMMEDIATE does the same.
            connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_MIGRATION_LOCK_ID})")
        context.run_migrations()


def _run_online() -> None:
    attributes = context.config.attributes
    given: Connection | None = attributes.get("connection")
    if given is not None:
        _migrate(given)
        return
    # No statement timeout: building an index on a big table may take minutes.
    engine = make_engine(attributes["database_url"], pool_size=1, statement_timeout_ms=0)
    try:
        with engine.connect() as connection:
            _migrate(connection)
    finally:
        engine.dispose()


def _run_offline() -> None:
    url = driver_url(context.config.attributes["database_url"])
    context.configure(url=url, target_metadata=metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    _run_offline()
else:
    _run_online()
