import multiprocessing
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from rwakit.store.engine import make_engine
from rwakit.store.migrate import alembic_config, current_revision, head_revision, upgrade
from rwakit.store.schema import metadata
from tests.integration.store.conftest import DATABASES, scratch_database

TABLES = {"operations", "batches", "signer_nonces", "leases", "custodial_wallets"}


@pytest.mark.parametrize("kind", DATABASES)
def test_upgrade_from_empty_builds_the_tables_as_declared(kind: str, tmp_path: Path) -> None:
    with scratch_database(kind, tmp_path) as url:
        engine = make_engine(url, pool_size=1)
        try:
            assert current_revision(engine) is None
            upgrade(url)
            assert current_revision(engine) == head_revision()
            assert set(inspect(engine).get_table_names()) >= TABLES
            with engine.connect() as conn:
                # The revision and tables.py describe the same schema.
                assert compare_metadata(MigrationContext.configure(conn), metadata) == []
            upgrade(url)  # already current: nothing to do, no error
            command.downgrade(alembic_config(url), "base")
            assert not TABLES & set(inspect(engine).get_table_names())
        finally:
            engine.dispose()


@pytest.mark.parametrize("kind", DATABASES)
def test_processes_starting_together_migrate_once(kind: str, tmp_path: Path) -> None:
    with scratch_database(kind, tmp_path) as url:
        # Forked, so the children start without paying for imports again.
        fork = multiprocessing.get_context("fork")
        processes = [fork.Process(target=upgrade, args=(url,)) for _ in range(3)]
        for process in processes:
            process.start()
        for process in processes:
            process.join(timeout=60)
        assert [process.exitcode for process in processes] == [0, 0, 0]
        engine = make_engine(url, pool_size=1)
        assert current_revision(engine) == head_revision()
        engine.dispose()
