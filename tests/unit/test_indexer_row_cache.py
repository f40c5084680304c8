"""The row cache kept across ranges: hits skip the database, absent rows are remembered,
and the bound clears it rather than growing."""

from rwakit.indexer.row_cache import RowCache
from rwakit.indexer.state import RangeState


class CountingSource:
    def __init__(self, rows: dict) -> None:
        self.rows = rows
        self.loaded: list = []

    def load_rows(self, table, keys):
        self.loaded.extend(keys)
        return {k: self.rows[(table, k)] for k in keys if (table, k) in self.rows}

    def load_rows_where(self, table, column, value):
        return {}


def test_a_committed_range_s_rows_serve_the_next_range() -> None:
    cache = RowCache()
    source = CountingSource({("balances", ("t", "a")): {"balance": 1}})
    first = RangeState(source, undo_from=10**9, cache=cache)
    first.prefetch("balances", [("t", "a"), ("t", "b")])
    first.put("balances", ("t", "b"), {"balance": 5})
    cache.absorb(first.rows)
    assert len(source.loaded) == 2

    second = RangeState(source, undo_from=10**9, cache=cache)
    assert second.get("balances", ("t", "a")) == {"balance": 1}
    assert second.get("balances", ("t", "b")) == {"balance": 5}
    assert len(source.loaded) == 2  # both from the cache
    assert second.get("balances", ("t", "c")) is None
    assert source.loaded[-1] == ("t", "c")

    cache.clear()
    third = RangeState(source, undo_from=10**9, cache=cache)
    third.get("balances", ("t", "a"))
    assert source.loaded[-1] == ("t", "a")


def test_the_bound_starts_over_instead_of_growing() -> None:
    cache = RowCache(max_rows=3)
    cache.absorb({"balances": {("t", str(i)): {"balance": i} for i in range(2)}})
    into: dict = {}
    keys = {("t", "0")}
    cache.take("balances", keys, into)
    assert into == {("t", "0"): {"balance": 0}} and keys == set()
    cache.absorb({"balances": {("t", str(i)): {"balance": i} for i in range(2, 4)}})
    keys = {("t", "0")}
    cache.take("balances", keys, {})
    assert keys == {("t", "0")}  # cleared
