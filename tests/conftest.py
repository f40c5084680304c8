"""Shared fixtures: one managed anvil per test session (per xdist worker), isolated per test."""

from collections.abc import Iterator

import pytest
from web3 import Web3

from rwakit.chain.anvil import ManagedAnvil
from rwakit.chain.connect import connect
from rwakit.config import Settings

TEST_CHAIN_ID = 31337
TEST_GAS_LIMIT = 1_000_000_000  # room for the biggest batches the tests send


@pytest.fixture(scope="session")
def anvil() -> Iterator[ManagedAnvil]:
    """Automining anvil (block_time 0), so every transaction is mined before it returns."""
    with ManagedAnvil(block_time=0, gas_limit=TEST_GAS_LIMIT, chain_id=TEST_CHAIN_ID) as node:
        yield node


@pytest.fixture(scope="session")
def w3(anvil: ManagedAnvil) -> Web3:
    return connect(Settings(rpc_urls=[anvil.url], chain_id=TEST_CHAIN_ID))


@pytest.fixture
def chain_snapshot(w3: Web3) -> Iterator[Web3]:
    """Reverts the chain to its state before the test, so tests never see each other's txs."""
    snapshot_id = w3.provider.make_request("evm_snapshot", [])["result"]
    yield w3
    reverted = w3.provider.make_request("evm_revert", [snapshot_id])["result"]
    assert reverted, f"evm_revert({snapshot_id}) failed; later tests would see this test's state"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # Everything under tests/integration needs a real node: mark it so `-m "not integration"` works.
    for item in items:
        if "integration" in item.path.parts:
            item.add_marker(pytest.mark.integration)
