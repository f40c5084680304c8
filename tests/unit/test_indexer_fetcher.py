"""The fetcher's adaptive block ranges, against a fake pool."""

import pytest

from rwakit.chain.rpc_errors import RpcError, RpcUnavailable
from rwakit.indexer.fetcher import LogFetcher


class FakePool:
    def __init__(self, refuse_above: int = 10**9, logs_per_block: int = 0) -> None:
        self.refuse_above = refuse_above
        self.logs_per_block = logs_per_block
        self.spans: list[int] = []
        self.down = False

    def call(self, method, params):
        assert method == "eth_getLogs"
        if self.down:
            raise RpcUnavailable("all endpoints timed out")
        query = params[0]
        span = int(query["toBlock"], 16) - int(query["fromBlock"], 16) + 1
        self.spans.append(span)
        if span > self.refuse_above:
            raise RpcError(-32005, "query returned more than 10000 results")
        return [{}] * (span * self.logs_per_block)


def test_a_refused_range_is_halved_until_the_node_answers() -> None:
    pool = FakePool(refuse_above=100)
    fetcher = LogFetcher(pool, initial_range=1000)
    end, logs = fetcher.logs(0, 10_000, ["0x1"])
    assert pool.spans == [1000, 500, 250, 125, 62]
    assert end == 61 and logs == []


def test_quiet_ranges_grow_and_busy_ones_shrink() -> None:
    pool = FakePool(logs_per_block=0)
    fetcher = LogFetcher(pool, initial_range=100, max_range=800, target_logs=1000)
    start = 0
    for _ in range(5):
        end, _ = fetcher.logs(start, 10**6, ["0x1"])
        start = end + 1
    assert pool.spans == [100, 200, 400, 800, 800]
    pool.logs_per_block = 10  # 8,000 logs per 800 blocks: above the target
    fetcher.logs(start, 10**6, ["0x1"])
    assert fetcher.range_size == 400


def test_other_errors_and_timeouts_propagate_after_shrinking() -> None:
    pool = FakePool()
    fetcher = LogFetcher(pool, initial_range=64)
    pool.down = True
    with pytest.raises(RpcUnavailable):
        fetcher.logs(0, 1000, ["0x1"])
    assert fetcher.range_size == 32


def test_no_addresses_no_request() -> None:
    pool = FakePool()
    assert LogFetcher(pool, initial_range=100).logs(0, 10, []) == (10, [])
    assert pool.spans == []
