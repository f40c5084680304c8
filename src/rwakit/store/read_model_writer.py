"""``ReadModelWriter``: the indexer's writes to the read model, inside one transaction.

Built on the indexer's ``Connection``, so a whole block range — state rows, event rows,
undo records, block hashes, the cursor and the operations it marks indexed — commits or
rolls back together.
"""

import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from itertools import chain
from operator import itemgetter
from typing import Any

from psycopg.errors import UniqueViolation
from sqlalchemy import JSON, Table, and_, bindparam, delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.types import TypeEngine

from rwakit.domain.operations import OperationState
from rwakit.store.read_model_tables import (
    EVENT_TABLES,
    STATE_KEYS,
    STATE_TABLES,
    Uint256,
    asset_contracts,
    indexer_blocks,
    indexer_cursors,
    indexer_undo,
    tokens,
)
from rwakit.store.repository import Repository
from rwakit.store.tables import operations

Key = tuple[Any, ...]
Row = dict[str, Any]
LOAD_CHUNK = 500
# below this many rows an upsert's COPY round trips cost more than they save
COPY_UPSERT_MIN = 64
_op = operations.c
# undo records are many and never read by people: no spaces, no cycle check
_COMPACT_JSON = json.JSONEncoder(separators=(",", ":"), check_circular=False)
_EVENT_TABLES = {t.name: t for t in EVENT_TABLES}
# values whose str() is their COPY text (PostgreSQL reads True/False as booleans)
_PLAIN_TYPES = {int, str, bool, type(None)}
_NULL = "\\N"  # NULL in COPY text


class ReadModelWriter(Repository):
    # -- state rows --

    def load_rows(self, table: str, keys: Iterable[Key]) -> dict[Key, Row]:
        """The stored rows at ``keys`` (absent keys are missing from the answer)."""
        names, t = STATE_KEYS[table], STATE_TABLES[table]
        keys = list(keys)
        # IN over the key column with the most distinct values, one query per value of the
        # others: balances of one token, claims of one topic, …
        spread = max(range(len(names)), key=lambda i: len({key[i] for key in keys}))
        groups: dict[Key, list[Any]] = defaultdict(list)
        for key in keys:
            groups[key[:spread] + key[spread + 1 :]].append(key[spread])
        others = names[:spread] + names[spread + 1 :]
        found: dict[Key, Row] = {}
        with self._read() as conn:
            for fixed_values, values in groups.items():
                fixed = [t.c[n] == v for n, v in zip(others, fixed_values, strict=True)]
                for at in range(0, len(values), LOAD_CHUNK):
                    chunk = values[at : at + LOAD_CHUNK]
                    stmt = select(t).where(*fixed, t.c[names[spread]].in_(chunk))
                    for row in conn.execute(stmt).mappings():
                        found[tuple(row[name] for name in names)] = dict(row)
        return found

    def load_rows_where(self, table: str, column: str, value: Any) -> dict[Key, Row]:
        names, t = STATE_KEYS[table], STATE_TABLES[table]
        with self._read() as conn:
            rows = conn.execute(select(t).where(t.c[column] == value)).mappings()
            return {tuple(row[name] for name in names): dict(row) for row in rows}

    def upsert_rows(self, table: str, rows: Sequence[Row]) -> None:
        if not rows:
            return
        t, names = STATE_TABLES[table], STATE_KEYS[table]
        if self._postgres and len(rows) >= COPY_UPSERT_MIN:
            # COPY into a temp table, then one INSERT … ON CONFLICT: SQLAlchemy's per-row
            # parameter processing cost more than the database's own work
            columns = [c for c in t.columns if c.name in rows[0]]
            params = _params(columns, rows, postgres=True)
            keys = ", ".join(names)
            updates = ", ".join(
                f"{c.name} = excluded.{c.name}" for c in columns if c.name not in names
            )
            with self._write() as conn:
                _copy(
                    conn,
                    t.name,
                    ", ".join(c.name for c in columns),
                    params,
                    skip_existing=True,
                    on_conflict=f"({keys}) DO UPDATE SET {updates}",
                )
            return
        stmt = self._upsert(t)
        values = {c.name: stmt.excluded[c.name] for c in t.columns if c.name not in names}
        with self._write() as conn:
            conn.execute(stmt.on_conflict_do_update(index_elements=list(names), set_=values), rows)

    def delete_rows(self, table: str, keys: Sequence[Key]) -> None:
        if not keys:
            return
        t, names = STATE_TABLES[table], STATE_KEYS[table]
        stmt = delete(t).where(and_(*(t.c[name] == bindparam(f"k_{name}") for name in names)))
        with self._write() as conn:
            conn.execute(
                stmt, [{f"k_{n}": v for n, v in zip(names, key, strict=True)} for key in keys]
            )

    # -- event rows --

    def insert_events(self, table: str, rows: Sequence[Row]) -> None:
        """Insert event rows; one already there (same block and log index) is kept."""
        target = _EVENT_TABLES[table]
        skip_existing = True
        if self._postgres and rows:
            # the index inserts each range's rows once, above every row stored so far: then
            # nothing can conflict, and COPY goes straight into the table (through a temp
            # table and INSERT … ON CONFLICT it cost about twice as much)
            first = min(row["block_number"] for row in rows)
            skip_existing = self._has_rows_from(target, first)
        self._bulk_insert(target, rows, skip_existing=skip_existing)

    def can_stream_events(self, table: str, first_block: int) -> bool:
        """Whether ``stream_events`` may take ``table``'s rows of blocks from
        ``first_block`` on: PostgreSQL, and no stored row there that one could conflict with."""
        return self._postgres and not self._has_rows_from(_EVENT_TABLES[table], first_block)

    def stream_events(self, table: str, rows: Sequence[Row]) -> None:
        """COPY new event rows straight into ``table`` (check ``can_stream_events`` first).

        Safe to call from another thread while this writer's transaction is in use: it runs
        on the driver connection, whose lock serializes it with the other statements."""
        if rows:
            target = _EVENT_TABLES[table]
            columns = [c for c in target.columns if c.name in rows[0]]
            names = ", ".join(c.name for c in columns)
            with self._write() as conn:
                _copy(conn, target.name, names, _params(columns, rows, True), skip_existing=False)

    def _has_rows_from(self, table: Table, block_number: int) -> bool:
        stmt = select(table.c.block_number).where(table.c.block_number >= block_number).limit(1)
        with self._read() as conn:
            return conn.execute(stmt).first() is not None

    def _bulk_insert(self, table: Table, rows: Sequence[Row], skip_existing: bool) -> None:
        """Many rows at once, bypassing SQLAlchemy's per-row parameter processing (it cost
        more than the database's own work): COPY on PostgreSQL, executemany on SQLite."""
        if not rows:
            return
        columns = [c for c in table.columns if c.name in rows[0]]
        params = _params(columns, rows, self._postgres)
        self._insert_params(table, [c.name for c in columns], params, skip_existing)

    def _insert_params(
        self, table: Table, names: list[str], params: list[tuple], skip_existing: bool
    ) -> None:
        """Insert rows already in database form (``params``: one tuple per row)."""
        joined = ", ".join(names)
        with self._write() as conn:
            if self._postgres:
                _copy(conn, table.name, joined, params, skip_existing)
                return
            marks = ", ".join(["?"] * len(names))
            sql = f"INSERT INTO {table.name} ({joined}) VALUES ({marks})"
            conn.exec_driver_sql(sql + (" ON CONFLICT DO NOTHING" if skip_existing else ""), params)

    # -- cursor, block hashes, undo --

    def cursor(self, chain_id: int) -> tuple[int, str] | None:
        c = indexer_cursors.c
        with self._read() as conn:
            row = conn.execute(
                select(c.block_number, c.block_hash).where(c.chain_id == chain_id)
            ).first()
        return None if row is None else (row.block_number, row.block_hash)

    def move_cursor(
        self, chain_id: int, expected: tuple[int, str] | None, to: tuple[int, str], now: float
    ) -> bool:
        """Move the cursor from ``expected`` to ``to``; False if someone else moved it."""
        c = indexer_cursors.c
        values = {"block_number": to[0], "block_hash": to[1], "updated_at": now}
        with self._write() as conn:
            if expected is None:
                stmt = self._upsert(indexer_cursors).values(chain_id=chain_id, **values)
                stmt = stmt.on_conflict_do_nothing().returning(indexer_cursors.c.chain_id)
                return conn.execute(stmt).first() is not None
            stmt = (
                update(indexer_cursors)
                .where(
                    c.chain_id == chain_id,
                    c.block_number == expected[0],
                    c.block_hash == expected[1],
                )
                .values(**values)
            )
            return conn.execute(stmt).rowcount == 1

    def save_blocks(self, chain_id: int, headers: Iterable[Any]) -> None:
        rows = [
            {
                "chain_id": chain_id,
                "block_number": h.number,
                "block_hash": h.hash,
                "parent_hash": h.parent_hash,
                "block_time": h.timestamp,
            }
            for h in headers
        ]
        if rows:
            stmt = self._upsert(indexer_blocks)
            set_ = {
                name: stmt.excluded[name] for name in ("block_hash", "parent_hash", "block_time")
            }
            with self._write() as conn:
                conn.execute(
                    stmt.on_conflict_do_update(
                        index_elements=["chain_id", "block_number"], set_=set_
                    ),
                    rows,
                )

    def stored_blocks(self, chain_id: int) -> list[tuple[int, str]]:
        """(number, hash) of the recent blocks kept for reorg detection, newest first."""
        b = indexer_blocks.c
        stmt = (
            select(b.block_number, b.block_hash)
            .where(b.chain_id == chain_id)
            .order_by(b.block_number.desc())
        )
        with self._read() as conn:
            return [(row.block_number, row.block_hash) for row in conn.execute(stmt)]

    def save_undo(self, chain_id: int, undo: Sequence[tuple[int, str, Key, Row | None]]) -> None:
        if not undo:
            return
        # straight to database form: one JSON text per key and previous row
        dumps = _COMPACT_JSON.encode
        params = [
            (chain_id, block, table, dumps(key), None if previous is None else dumps(previous))
            for block, table, key, previous in undo
        ]
        names = ["chain_id", "block_number", "table_name", "row_key", "previous"]
        self._insert_params(indexer_undo, names, params, skip_existing=False)

    def prune(self, chain_id: int, below: int, keep: int) -> None:
        """Forget block hashes and undo records older than ``below`` (but keep block ``keep``)."""
        b, u = indexer_blocks.c, indexer_undo.c
        with self._write() as conn:
            conn.execute(
                delete(indexer_blocks).where(
                    b.chain_id == chain_id, b.block_number < below, b.block_number != keep
                )
            )
            conn.execute(delete(indexer_undo).where(u.chain_id == chain_id, u.block_number < below))

    def roll_back(self, chain_id: int, to: tuple[int, str], now: float) -> list[tuple[str, Key]]:
        """Undo every block after ``to``; the (table, key) of each state row restored."""
        u = indexer_undo.c
        restored: list[tuple[str, Key]] = []
        with self._write() as conn:
            undo = conn.execute(
                select(u.table_name, u.row_key, u.previous)
                .where(u.chain_id == chain_id, u.block_number > to[0])
                .order_by(u.block_number.desc(), u.id.desc())
            ).all()
            for entry in undo:  # newest first: the last restore is the oldest value
                key = tuple(entry.row_key)
                self.delete_rows(entry.table_name, [key])
                if entry.previous is not None:
                    self.upsert_rows(entry.table_name, [entry.previous])
                restored.append((entry.table_name, key))
            for table in EVENT_TABLES:
                conn.execute(delete(table).where(table.c.block_number > to[0]))
            conn.execute(delete(indexer_undo).where(u.chain_id == chain_id, u.block_number > to[0]))
            b = indexer_blocks.c
            conn.execute(
                delete(indexer_blocks).where(b.chain_id == chain_id, b.block_number > to[0])
            )
            conn.execute(
                update(operations)
                .where(_op.state == int(OperationState.INDEXED), _op.block_number > to[0])
                .values(state=int(OperationState.CONFIRMED), indexed_at=None)
            )
            c = indexer_cursors.c
            conn.execute(
                update(indexer_cursors)
                .where(c.chain_id == chain_id)
                .values(block_number=to[0], block_hash=to[1], updated_at=now)
            )
        return restored

    # -- what the indexer reads back --

    def token_addresses(self) -> set[str]:
        with self._read() as conn:
            return set(conn.execute(select(tokens.c.address)).scalars())

    def followed_contracts(self) -> dict[str, str]:
        """Address → contract name of every followed contract that is not a token."""
        t = asset_contracts.c
        with self._read() as conn:
            return {row.address: row.kind for row in conn.execute(select(t.address, t.kind))}

    def mark_operations_indexed(self, block_number: int, now: float) -> int:
        """Confirmed operations mined at or before ``block_number`` become indexed."""
        stmt = (
            update(operations)
            .where(
                _op.state == int(OperationState.CONFIRMED),
                _op.block_number.is_not(None),
                _op.block_number <= block_number,
            )
            .values(state=int(OperationState.INDEXED), indexed_at=now)
        )
        with self._write() as conn:
            return conn.execute(stmt).rowcount


def _to_database(kind: TypeEngine[Any], postgres: bool) -> Callable[[Any], Any] | None:
    """The DBAPI value of a Python value for a column of ``kind`` (what the column type's
    own bind processing would produce)."""
    if isinstance(kind, Uint256) and not postgres:
        return lambda v: None if v is None else str(v).zfill(78)
    if isinstance(kind, JSON):
        return lambda v: None if v is None else json.dumps(v)
    return None  # the driver takes the Python value as it is


def _params(columns: list[Any], rows: Sequence[Row], postgres: bool) -> list[tuple]:
    """Rows as tuples of driver values, in ``columns``' order."""
    params = list(map(itemgetter(*(c.name for c in columns)), rows))
    if len(columns) == 1:  # itemgetter of one name gives the value, not a tuple
        params = [(value,) for value in params]
    for at, column in enumerate(columns):  # only columns whose value needs converting
        convert = _to_database(column.type, postgres)
        if convert is not None:
            params = [(*p[:at], convert(p[at]), *p[at + 1 :]) for p in params]
    return params


def _copy(
    conn: Any,
    table: str,
    names: str,
    params: list[tuple],
    skip_existing: bool,
    on_conflict: str = "DO NOTHING",
) -> None:
    """COPY rows in on the transaction's own psycopg connection. COPY cannot skip (or
    update) rows that exist, so with ``skip_existing`` they go through a session temp
    table first, then ``INSERT … ON CONFLICT <on_conflict>``."""
    raw = conn.connection.driver_connection
    with raw.cursor() as cursor:
        target = table
        if skip_existing:
            target = f"_load_{table}"
            cursor.execute(
                f"CREATE TEMP TABLE IF NOT EXISTS {target} "
                f"(LIKE {table} INCLUDING DEFAULTS) ON COMMIT DELETE ROWS"
            )
        statement = f"COPY {target} ({names}) FROM STDIN"
        try:
            with cursor.copy(statement) as copy:
                text = _copy_text(params)
                if text is not None:
                    copy.write(text)
                else:
                    for row in params:
                        copy.write_row(row)
        except UniqueViolation as error:
            # straight into the table: another writer inserted the same rows first (an
            # indexer that lost its lease); the transaction fails like its cursor check would
            raise IntegrityError(statement, None, error) from error
        if skip_existing:
            cursor.execute(
                f"INSERT INTO {table} ({names}) SELECT {names} FROM {target} "
                f"ON CONFLICT {on_conflict}"
            )
            cursor.execute(f"DELETE FROM {target}")


def _copy_text(params: list[tuple]) -> str | None:
    """The rows as COPY text in one string, or None when some value needs psycopg's own
    formatting (a tab, newline or backslash to escape; bytes, dates, …). Per-row
    ``write_row`` cost more than the rest of the COPY; integers and hex strings (nearly
    every event and state row) need no escaping, and the counts below prove that no value
    needed it."""
    if not params:
        return None
    kinds = set(map(type, chain.from_iterable(params)))
    if not kinds <= _PLAIN_TYPES:
        return None
    nulls = 0
    if type(None) in kinds:
        with_nulls = []
        for row in params:
            if None in row:
                nulls += row.count(None)
                row = tuple(_NULL if value is None else value for value in row)
            with_nulls.append(row)
        params = with_nulls
    width = len(params[0])
    line = "\t".join(["%s"] * width)
    text = "\n".join([line % row for row in params]) + "\n"
    if (
        text.count("\t") != len(params) * (width - 1)
        or text.count("\n") != len(params)
        or text.count("\\") != nulls  # each NULL's \N, and no other backslash
        or "\r" in text
    ):
        return None
    return text
