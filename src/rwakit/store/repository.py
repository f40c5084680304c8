"""What every store shares: where its statements run, and the dialect-specific bits.

A store built on an ``Engine`` runs each call in its own transaction. Built on a
``Connection`` it runs inside the caller's transaction, so several stores can change
rows together: ``with engine.begin() as conn: OperationStore(conn)…; BatchStore(conn)…``.
"""

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import BigInteger, ColumnElement, Connection, Engine, Table, any_, bindparam
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.types import TypeEngine

from rwakit.store.engine import READ_ONLY


class Repository:
    def __init__(self, bind: Engine | Connection) -> None:
        self._bind = bind

    @property
    def _postgres(self) -> bool:
        return self._bind.dialect.name == "postgresql"

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        if isinstance(self._bind, Connection):
            yield self._bind
            return
        with self._bind.begin() as connection:
            yield connection

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        if isinstance(self._bind, Connection):
            yield self._bind
            return
        with self._bind.connect() as connection:
            yield connection.execution_options(**READ_ONLY)

    def _upsert(self, table: Table) -> Any:
        """An INSERT that accepts ``on_conflict_do_nothing`` / ``on_conflict_do_update``."""
        return (postgresql.insert if self._postgres else sqlite.insert)(table)

    def _in(
        self, column: ColumnElement[Any], values: Sequence[Any], item_type: TypeEngine[Any]
    ) -> ColumnElement[bool]:
        # PostgreSQL: one array parameter, so the statement text is the same for any count
        # (the server can reuse its plan); SQLite has no arrays.
        if self._postgres:
            return column == any_(bindparam(None, list(values), type_=postgresql.ARRAY(item_type)))
        return column.in_(list(values))

    def _in_ids(self, column: ColumnElement[Any], ids: Sequence[int]) -> ColumnElement[bool]:
        return self._in(column, ids, BigInteger())
