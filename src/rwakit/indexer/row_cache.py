"""``RowCache``: state rows as the last committed range left them, kept across ranges so
the next range does not load them again (during catch-up most ranges touch the same
holders' balances, and loading them was the largest cost of a range).

Only the index writes the read model, so once a range commits the cache equals the database.
The index clears it whenever that may not hold: a failed range (handlers may have edited
cached rows in place), a rollback, a lost cursor race, a (re)load after taking the lease.
"""

from rwakit.indexer.state import Key, Row

DEFAULT_MAX_ROWS = 200_000


class RowCache:
    def __init__(self, max_rows: int = DEFAULT_MAX_ROWS) -> None:
        self._max_rows = max_rows
        self._rows: dict[str, dict[Key, Row | None]] = {}
        self._size = 0

    def take(self, table: str, keys: set[Key], into: dict[Key, Row | None]) -> None:
        """Move what the cache knows of ``keys`` into ``into`` and out of ``keys``."""
        cached = self._rows.get(table)
        if not cached:
            return
        hits = [key for key in keys if key in cached]
        for key in hits:
            into[key] = cached[key]
        keys.difference_update(hits)

    def absorb(self, rows: dict[str, dict[Key, Row | None]]) -> None:
        """Keep a range's rows (None: known to be absent) as it commits them."""
        self._add(rows)
        if self._size > self._max_rows:
            # simplest bound: start over (a range reloads what it needs in bulk), but with
            # the latest range's rows: they may not be committed yet, and the next range
            # must not read them from the database as they were
            self.clear()
            self._add(rows)

    def _add(self, rows: dict[str, dict[Key, Row | None]]) -> None:
        for table, table_rows in rows.items():
            cached = self._rows.setdefault(table, {})
            before = len(cached)
            cached.update(table_rows)
            self._size += len(cached) - before

    def clear(self) -> None:
        self._rows.clear()
        self._size = 0
