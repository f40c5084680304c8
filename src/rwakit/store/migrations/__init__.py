"""Alembic migrations of the rwakit database; run them with ``rwakit.store.migrate.upgrade``."""
