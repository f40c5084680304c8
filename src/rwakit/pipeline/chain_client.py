"""The chain as the pipeline uses it: a few JSON-RPC calls over any `call`/`batch` pair
(the RPC pool in production, a plain HTTP endpoint in tools)."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

Call = Callable[[str, list[Any]], Any]
Batch = Callable[[list[tuple[str, list[Any]]]], list[Any]]


def _hex(data: bytes) -> str:
    return "0x" + data.hex()


@dataclass
class ChainClient:
    call: Call
    batch: Batch

    def eth_call(self, to: str, data: bytes, block: str = "latest") -> bytes:
        answer = self.call("eth_call", [{"to": to, "data": _hex(data)}, block])
        return bytes.fromhex(answer[2:])

    def block_number(self) -> int:
        return int(self.call("eth_blockNumber", []), 16)

    def block(self, number: int | str = "latest") -> dict[str, Any]:
        tag = number if isinstance(number, str) else hex(number)
        return self.call("eth_getBlockByNumber", [tag, False])

    def block_receipts(self, number: int) -> list[dict[str, Any]]:
        """Every receipt of a block in one call: confirmation never asks per transaction."""
        return self.call("eth_getBlockReceipts", [hex(number)]) or []

    def pending_nonce(self, address: str) -> int:
        return int(self.call("eth_getTransactionCount", [address, "pending"]), 16)

    def mined_nonce(self, address: str) -> int:
        return int(self.call("eth_getTransactionCount", [address, "latest"]), 16)

    def transaction(self, tx_hash: str) -> dict[str, Any] | None:
        return self.call("eth_getTransactionByHash", [tx_hash])

    def receipt(self, tx_hash: str) -> dict[str, Any] | None:
        return self.call("eth_getTransactionReceipt", [tx_hash])

    def send_raw(self, raw: Sequence[bytes]) -> list[Any]:
        """All in one JSON-RPC batch array; each slot is a hash or the node's error."""
        return self.batch([("eth_sendRawTransaction", [_hex(r)]) for r in raw])
