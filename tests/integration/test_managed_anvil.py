import time

import httpx
import pytest

from rwakit.chain.anvil import ManagedAnvil
from rwakit.chain.probe import rpc_chain_id


def test_starts_answers_and_stops() -> None:
    with ManagedAnvil(block_time=0, chain_id=4242) as node:
        url, process = node.url, node.process
        assert url.startswith("http://127.0.0.1:")
        assert node.chain_id == 4242
        assert rpc_chain_id(url) == 4242
    assert process is not None and process.poll() is not None
    assert node.process is None
    with pytest.raises(httpx.HTTPError):
        rpc_chain_id(url, timeout=1)


def test_stop_twice_is_harmless() -> None:
    node = ManagedAnvil(block_time=0).start()
    node.stop()
    node.stop()


def test_block_time_mines_blocks_on_its_own() -> None:
    with ManagedAnvil(block_time=0.2) as node:
        payload = {"jsonrpc": "2.0", "id": 1, "method": "eth_blockNumber", "params": []}
        deadline = time.monotonic() + 10
        block = 0
        while block < 2 and time.monotonic() < deadline:
            block = int(httpx.post(node.url, json=payload).json()["result"], 16)
            time.sleep(0.05)  # poll interval
        assert block >= 2


def test_two_nodes_get_different_ports() -> None:
    with ManagedAnvil(block_time=0) as first, ManagedAnvil(block_time=0) as second:
        assert first.url != second.url
