"""The write path against a real anvil (1 s interval blocks) and real databases.

One anvil per test session (per xdist worker), deployed once with a pool of verified
investors: holders with exactly `HOLDER_BALANCE` each and verified wallets holding
nothing. Every test takes wallets nobody used before, so tests never see each other's
effects on chain. Each test gets a fresh database: PostgreSQL by default (the production
store), both PostgreSQL and SQLite where a test is parametrized with `BOTH_DATABASES`.
"""

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from eth_account.signers.local import LocalAccount
from sqlalchemy import Engine
from web3 import Web3

from rwakit.bench.scenario import Scenario, wallet
from rwakit.chain.anvil import ManagedAnvil
from rwakit.chain.connect import connect
from rwakit.config import ANVIL_DEV_KEY, Settings
from rwakit.contracts.build import load_artifacts
from rwakit.pipeline.service import OperationService
from rwakit.pipeline.wiring import WorkerSpec
from rwakit.store.engine import make_engine
from rwakit.store.migrate import upgrade
from tests.integration.pipeline.helpers import HOLDER_BALANCE, wait_until
from tests.integration.store.conftest import scratch_database

HOLDERS = 400
VERIFIED = 1_200
GAS_LIMIT = 100_000_000

BOTH_DATABASES = pytest.mark.parametrize("database_url", ["sqlite", "postgresql"], indirect=True)


@dataclass
class PipelineChain:
    node: ManagedAnvil
    w3: Web3
    scenario: Scenario
    holders: list[LocalAccount]
    verified: list[str]
    _used: dict[str, int] = field(default_factory=lambda: {"holders": 0, "verified": 0})

    @property
    def token(self) -> str:
        return self.scenario.token_address.lower()

    @property
    def registry(self) -> str:
        return self.scenario.contracts.deployment.registry.lower()

    def take_holders(self, n: int) -> list[LocalAccount]:
        start = self._used["holders"]
        assert start + n <= len(self.holders), "raise HOLDERS in the pipeline conftest"
        self._used["holders"] = start + n
        return self.holders[start : start + n]

    def take_verified(self, n: int) -> list[str]:
        start = self._used["verified"]
        assert start + n <= len(self.verified), "raise VERIFIED in the pipeline conftest"
        self._used["verified"] = start + n
        return self.verified[start : start + n]

    def spec(self, kek: bytes, rpc_urls: tuple[str, ...] | None = None) -> WorkerSpec:
        deployment = self.scenario.contracts.deployment
        return WorkerSpec(
            rpc_urls or (self.node.url,),
            self.w3.eth.chain_id,
            deployment.multicall,
            deployment.registry,
            ANVIL_DEV_KEY,
            kek,
        )

    def is_token(self, address: str) -> bool:
        factory = self.scenario.contracts.factory.functions
        return factory.is_token(self.w3.to_checksum_address(address)).call()

    def balance(self, address: str) -> int:
        token = self.scenario.token.functions
        return token.balanceOf(self.w3.to_checksum_address(address)).call()

    def authorization_nonce(self, owner: str) -> int:
        return self.scenario.token.functions.nonces(self.w3.to_checksum_address(owner)).call()

    def block_number(self) -> int:
        return self.w3.eth.block_number

    def base_fee(self) -> int:
        return self.w3.eth.get_block("latest")["baseFeePerGas"]

    def rpc(self, method: str, params: list) -> object:
        answer = self.w3.provider.make_request(method, params)
        assert "error" not in answer, f"{method}: {answer['error']}"
        return answer["result"]

    def transaction(self, tx_hash: str) -> dict | None:
        return self.rpc("eth_getTransactionByHash", [tx_hash])

    def receipt(self, tx_hash: str) -> dict | None:
        return self.rpc("eth_getTransactionReceipt", [tx_hash])

    @contextmanager
    def mining_paused(self) -> Iterator[None]:
        """No blocks until the block ends (then 1 s blocks again): pins an in-flight state."""
        self.rpc("evm_setIntervalMining", [0])
        try:
            yield
        finally:
            self.rpc("evm_setIntervalMining", [1])

    def wait_blocks(self, n: int, timeout: float = 15) -> int:
        target = self.block_number() + n
        wait_until(lambda: self.block_number() >= target, timeout, f"block {target}")
        return target


@pytest.fixture(scope="session")
def pipeline_chain() -> Iterator[PipelineChain]:
    with ManagedAnvil(block_time=0, gas_limit=GAS_LIMIT) as node:
        w3 = connect(Settings(rpc_urls=[node.url]))
        scenario = Scenario.deploy(w3, load_artifacts())  # automine while setting up
        holders = [wallet("pipeline-holder", i) for i in range(HOLDERS)]
        verified = [wallet("pipeline-verified", i).address for i in range(VERIFIED)]
        scenario.register_many([h.address for h in holders] + verified)
        scenario.mint_many([h.address for h in holders], HOLDER_BALANCE)
        # then blocks every second, as in production: batches share blocks
        w3.provider.make_request("evm_setAutomine", [False])
        w3.provider.make_request("evm_setIntervalMining", [1])
        yield PipelineChain(node, w3, scenario, holders, [v.lower() for v in verified])


@pytest.fixture
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, migrated database; PostgreSQL unless parametrized (indirect) otherwise."""
    kind = getattr(request, "param", "postgresql")
    with scratch_database(kind, tmp_path) as url:
        upgrade(url)
        yield url


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url, pool_size=4)
    yield engine
    engine.dispose()


@pytest.fixture
def kek() -> bytes:
    return os.urandom(32)


@pytest.fixture
def service(engine: Engine, pipeline_chain: PipelineChain) -> OperationService:
    return OperationService(
        engine, registry=pipeline_chain.registry, is_token=pipeline_chain.is_token
    )
