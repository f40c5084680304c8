"""What every store shares: where its statements run, and the dialect-specific bits.

A store built on an ``Engine`` runs each call in its own transaction. Built on a
``Connection`` it runs inside the caller's transaction, so several stores can change
rows together: ``with engine.begin() as conn: OperationStore(conn)…; BatchStore(conn)…``.
"""

import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    ColumnElement,
    Connection,
    Engine,
    Table,
    any_,
    bindparam,
    insert,
    text,
)
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

    def _insert_ids(self, conn: Connection, table: Table, rows: list[dict[str, Any]]) -> list[int]:
        """Insert ``rows`` (all with the same columns); their new ids in input order.

        PostgreSQL: one array per column through ``unnest``, so the statement text is the
        same for any count — psycopg converts and caches it once, where a multi-row VALUES
        list is a new, long text for every count and is parsed again each time (a tenth of
        the API's CPU under write load). SQLite has no arrays: a multi-row insert.
        """
        if not self._postgres:
            stmt = insert(table).returning(table.c.id, sort_by_parameter_order=True)
            return list(conn.execute(stmt, rows).scalars().all())
        names = list(rows[0])
        dialect = conn.dialect
        casts, params = [], {}
        for n, name in enumerate(names):
            column_type = table.c[name].type
            values = [row[name] for row in rows]
            if isinstance(column_type, JSON):
                values = [None if v is None else json.dumps(v) for v in values]
            casts.append(f"CAST(:c{n} AS {column_type.compile(dialect=dialect)}[])")
            params[f"c{n}"] = values
        columns = ", ".join(names)
        statement = text(
            f"INSERT INTO {table.name} ({columns}) SELECT {columns} FROM unnest({', '.join(casts)})"
            f" WITH ORDINALITY AS given({columns}, position) ORDER BY position RETURNING id"
        )
        # ids come from the sequence in insertion order, which is the ORDER BY's
        return sorted(conn.execute(statement, params).scalars().all())
