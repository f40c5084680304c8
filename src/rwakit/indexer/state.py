"""``RangeState``: the unit of work handlers write to while a block range is applied.

State rows are read once from the database (in bulk where the index prefetches them),
changed in memory, and written back when the range commits. The first time a row changes
in a block at or above ``undo_from``, its previous value is recorded as an undo entry for
that block: rolling a reorg back restores those entries newest block first, which leaves
every row as it was after the last surviving block. Event rows (transfers, the generic
event log) need no undo: a rollback deletes them by block number.
"""

from collections.abc import Callable, Iterable
from typing import Any, Protocol

from rwakit.domain.cache_keys import asset_key, balance_key, portfolio_key, stats_key
from rwakit.store.read_model_tables import STATE_KEYS

Key = tuple[Any, ...]
Row = dict[str, Any]
_UNKNOWN: Any = object()  # not loaded yet (None: known to be absent)


class RowSource(Protocol):
    def load_rows(self, table: str, keys: Iterable[Key]) -> dict[Key, Row]: ...

    def load_rows_where(self, table: str, column: str, value: Any) -> dict[Key, Row]: ...


class RowCacheLike(Protocol):
    def take(self, table: str, keys: set[Key], into: dict[Key, Row | None]) -> None: ...


class RangeState:
    def __init__(
        self,
        source: RowSource,
        undo_from: int,
        system: str | None = None,
        cache: "RowCacheLike | None" = None,
    ) -> None:
        self._source = source
        self._cache = cache  # rows as earlier ranges committed them
        self.system = system  # the identity registry new tokens belong to
        self._undo_from = undo_from
        self._rows: dict[str, dict[Key, Row | None]] = {name: {} for name in STATE_KEYS}
        self._loaded_where: set[tuple[str, str, Any]] = set()
        self.dirty: dict[str, set[Key]] = {name: set() for name in STATE_KEYS}
        self.undo: list[tuple[int, str, Key, Row | None]] = []
        self._undone: set[tuple[int, str, Key]] = set()
        self.transfers: list[Row] = []
        self.events: list[Row] = []
        self.payments: list[Row] = []  # asset_payments rows
        self.changed_keys: set[str] = set()
        # handlers' scratch space for this range (e.g. rows they edit many times)
        self.memo: dict[Any, Any] = {}
        self.block = 0  # the block whose event is being applied

    def prefetch(self, table: str, keys: Iterable[Key]) -> None:
        known = self._rows[table]
        missing = {key for key in keys if key not in known}
        if missing and self._cache is not None:
            self._cache.take(table, missing, known)
        if not missing:
            return
        found = self._source.load_rows(table, missing)
        for key in missing:
            known[key] = found.get(key)

    def get(self, table: str, key: Key) -> Row | None:
        """The current row (do not mutate it: ``put`` a changed copy)."""
        rows = self._rows[table]
        if key not in rows:
            self.prefetch(table, [key])
        return rows[key]

    def rows_where(self, table: str, column: str, value: Any) -> list[Row]:
        """Every current row whose ``column`` equals ``value``."""
        marker = (table, column, value)
        rows = self._rows[table]
        if marker not in self._loaded_where:
            self._loaded_where.add(marker)
            for key, row in self._source.load_rows_where(table, column, value).items():
                rows.setdefault(key, row)
        return [row for row in rows.values() if row is not None and row[column] == value]

    def put(self, table: str, key: Key, row: Row | None) -> None:
        """Replace (or, with None, delete) the row at ``key``."""
        rows = self._rows[table]
        if self.block >= self._undo_from and (self.block, table, key) not in self._undone:
            if key not in rows:
                self.prefetch(table, [key])
            self._undone.add((self.block, table, key))
            self.undo.append((self.block, table, key, rows[key]))
        # outside the undo window a row written whole needs no read: the upsert replaces it
        rows[key] = row
        self.dirty[table].add(key)

    def edit(self, table: str, key: Key, blank: Callable[[Key], Row]) -> Row:
        """The row at ``key`` (``blank(key)`` when there is none), to change in place: the
        hot path's alternative to ``get`` + ``put`` of a changed copy.

        The row is copied once per block it changes in within the undo window (the undo
        record keeps the object as it was); below the window no undo record refers to a
        row, so the state's own object is edited as it is."""
        rows = self._rows[table]
        row = rows.get(key, _UNKNOWN)
        if row is _UNKNOWN:
            self.prefetch(table, [key])
            row = rows[key]
        if self.block >= self._undo_from:
            marker = (self.block, table, key)
            if marker not in self._undone:
                self._undone.add(marker)
                self.undo.append((self.block, table, key, row))
                row = rows[key] = blank(key) if row is None else dict(row)
        if row is None:
            row = rows[key] = blank(key)
        self.dirty[table].add(key)
        return row

    def changes(self, table: str) -> tuple[list[Row], list[Key]]:
        """(rows to upsert, keys to delete) of ``table``."""
        rows = self._rows[table]
        upserts = [rows[key] for key in self.dirty[table] if rows[key] is not None]
        deletes = [key for key in self.dirty[table] if rows[key] is None]
        return upserts, deletes

    @property
    def rows(self) -> dict[str, dict[Key, Row | None]]:
        """Every row this range read or wrote (None: absent), as it stands now."""
        return self._rows

    def touch(self, *keys: str) -> None:
        self.changed_keys.update(keys)

    def touch_rows(self) -> None:
        """The cache keys of every changed balance, token and rollup (the transfer handler
        leaves these to be derived here, once per row rather than once per event)."""
        keys = self.changed_keys
        for token, holder in self.dirty["balances"]:
            keys.add(balance_key(token, holder))
            keys.add(portfolio_key(holder))
        keys.update(asset_key(token) for (token,) in self.dirty["tokens"])
        keys.update(stats_key(key[0]) for key in self.dirty["token_rollups"])


Handler = Callable[[Any, RangeState], None]
