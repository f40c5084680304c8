import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import IntegrityError

from rwakit.store.tables import operations


def test_connection_settings(engine: Engine) -> None:
    with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            assert engine.dialect.driver == "psycopg"
            assert conn.execute(text("SHOW statement_timeout")).scalar_one() == "5s"
        else:
            assert conn.execute(text("PRAGMA journal_mode")).scalar_one() == "wal"
            assert conn.execute(text("PRAGMA foreign_keys")).scalar_one() == 1
            assert conn.execute(text("PRAGMA busy_timeout")).scalar_one() > 0


def test_foreign_keys_are_enforced(engine: Engine) -> None:
    row = {
        "kind": "mint",
        "contract": "0x" + "a1" * 20,
        "params": {},
        "requester": "r",
        "priority": 1,
        "state": 1,
        "accepted_at": 1.0,
        "batch_id": 12345,  # no such batch
    }
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(operations.insert(), row)
