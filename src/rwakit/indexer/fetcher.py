"""The fetcher: raw logs and block headers from the node, through the RPC pool.

Log ranges adapt: a node refusing a range ("too many results", "block range too large")
or timing out halves it; a range with fewer than half the target logs doubles it, up to
``max_range``. Catch-up ranges of 15,000-30,000 logs: a range's fixed costs (its
state rows' upserts, the cursor, headers) are then small per event. Headers come as
one JSON-RPC batch of ``eth_getBlockByNumber`` without transactions, and only for the
blocks the index needs (blocks with logs, the range's ends, and recent blocks).
"""

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from rwakit.chain.rpc_errors import RpcError, RpcUnavailable
from rwakit.chain.rpc_pool import RpcPool

_RANGE_REFUSED = re.compile(
    r"too many|more than \d+|exceed|block range|range too|response size|limit", re.IGNORECASE
)
HEADER_BATCH = 200


@dataclass(frozen=True, slots=True)
class Header:
    number: int
    hash: str
    parent_hash: str
    timestamp: int


class ChainMoved(Exception):
    """The node's chain changed while a range was being read; read it again."""


class LogFetcher:
    def __init__(
        self,
        pool: RpcPool,
        *,
        initial_range: int = 10,
        max_range: int = 20_000,
        target_logs: int = 30_000,
    ) -> None:
        self._pool = pool
        self.range_size = initial_range
        self._max_range = max_range
        self._target_logs = target_logs

    def head(self) -> int:
        return int(self._pool.call("eth_blockNumber"), 16)

    def logs(self, start: int, limit: int, addresses: Sequence[str]) -> tuple[int, list[dict]]:
        """Logs of ``addresses`` from ``start`` to at most ``limit``: (last block read, logs)."""
        while True:
            end = min(limit, start + self.range_size - 1)
            try:
                found = self.logs_between(start, end, addresses)
            except RpcError as error:
                if not _RANGE_REFUSED.search(error.message) or end == start:
                    raise
                self.range_size = max(1, (end - start + 1) // 2)
                continue
            except RpcUnavailable:
                self.range_size = max(1, self.range_size // 2)
                raise
            self._adapt(end - start + 1, len(found))
            return end, found

    def logs_between(self, start: int, end: int, addresses: Sequence[str]) -> list[dict]:
        if not addresses:
            return []
        query = {"fromBlock": hex(start), "toBlock": hex(end), "address": list(addresses)}
        return self._pool.call("eth_getLogs", [query])

    def headers(self, numbers: Iterable[int]) -> dict[int, Header]:
        wanted = sorted(set(numbers))
        found: dict[int, Header] = {}
        for at in range(0, len(wanted), HEADER_BATCH):
            chunk = wanted[at : at + HEADER_BATCH]
            answers = self._pool.batch([("eth_getBlockByNumber", [hex(n), False]) for n in chunk])
            for number, block in zip(chunk, answers, strict=True):
                if isinstance(block, RpcError):
                    raise block
                if block is None:
                    raise ChainMoved(f"block {number} is gone")
                found[number] = _header(block)
        return found

    def _adapt(self, span: int, count: int) -> None:
        if count > self._target_logs:
            self.range_size = max(1, span // 2)
        elif count < self._target_logs // 2 and span >= self.range_size:
            self.range_size = min(self._max_range, self.range_size * 2)


def _header(block: dict[str, Any]) -> Header:
    return Header(
        number=int(block["number"], 16),
        hash=block["hash"],
        parent_hash=block["parentHash"],
        timestamp=int(block["timestamp"], 16),
    )
