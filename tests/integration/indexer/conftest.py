"""The indexer against a real anvil and real databases (SQLite and PostgreSQL).

Each test deploys a fresh system inside ``chain_snapshot`` (the session anvil automines,
so every transaction is a block) and indexes it into a migrated database emptied after
the test.
"""

from collections.abc import Iterator
from contextlib import suppress
from dataclasses import dataclass, field

import pytest
from sqlalchemy import Engine
from web3 import Web3

from rwakit.bench.scenario import Scenario
from rwakit.chain.rpc_pool import RpcPool
from rwakit.contracts.build import load_artifacts
from rwakit.indexer.change_feed import InProcessChangeFeed
from rwakit.indexer.fetcher import LogFetcher
from rwakit.indexer.index import ChainIndex, IndexConfig
from rwakit.indexer.matcher import Matcher
from rwakit.indexer.metrics import IndexerMetrics
from tests.integration.store.conftest import database_url, engine, migrated_engine

__all__ = ["database_url", "engine", "migrated_engine"]


@dataclass
class IndexedChain:
    w3: Web3
    scenario: Scenario
    pool: RpcPool
    engine: Engine
    feed: InProcessChangeFeed
    # deployment-wide contracts made outside any factory (Settlement, Airdrop)
    followed: dict[str, str] = field(default_factory=dict)
    # closed after the test: one left mid-catch-up still holds the collector paused and
    # its commit thread
    indexes: list[ChainIndex] = field(default_factory=list)

    def index(self, **config: int) -> ChainIndex:
        deployment = self.scenario.contracts.deployment
        matcher = Matcher(
            deployment.registry,
            deployment.factory,
            self.scenario.contracts.artifacts,
            configured=self.followed,
        )
        fetcher_options = {k: config.pop(k) for k in ("initial_range", "max_range") if k in config}
        index = ChainIndex(
            self.engine,
            LogFetcher(self.pool, **fetcher_options),
            matcher,
            self.feed,
            IndexerMetrics(),
            IndexConfig(self.w3.eth.chain_id, **config),
        )
        index.load()
        self.indexes.append(index)
        return index

    def catch_up(self, index: ChainIndex | None = None, **config: int) -> ChainIndex:
        index = index or self.index(**config)
        for _ in range(10_000):
            if (
                index.step() == 0
                and index.cursor()[0] >= self.w3.eth.block_number - index.config.confirmations
            ):
                return index
        raise AssertionError("the index did not catch up")

    def rpc(self, method: str, params: list) -> object:
        answer = self.w3.provider.make_request(method, params)
        assert "error" not in answer, f"{method}: {answer['error']}"
        return answer["result"]


@pytest.fixture(scope="module")
def artifacts():
    return load_artifacts()


@pytest.fixture
def chain(chain_snapshot: Web3, anvil, artifacts, engine: Engine) -> Iterator[IndexedChain]:
    scenario = Scenario.deploy(chain_snapshot, artifacts)
    with RpcPool([anvil.url], probe_interval=None) as pool:
        indexed = IndexedChain(chain_snapshot, scenario, pool, engine, InProcessChangeFeed())
        yield indexed
        for index in indexed.indexes:
            with suppress(Exception):  # a test left it failed on purpose
                index.close()


READ_MODEL = (
    "tokens",
    "balances",
    "transfers",
    "chain_events",
    "identities",
    "claims",
    "claim_topics",
    "trusted_issuers",
    "compliance_rules",
    "role_grants",
    "token_rollups",
    "asset_contracts",
    "asset_terms",
    "coupon_periods",
    "distributions",
    "offerings",
    "subscriptions",
    "settlements",
    "vaults",
    "airdrops",
    "asset_payments",
)


def read_model(engine: Engine) -> dict[str, list[tuple]]:
    """Every read-model row, sorted: what two indexes of one chain must agree on."""
    from rwakit.store.schema import metadata

    dump = {}
    with engine.connect() as conn:
        for name in READ_MODEL:
            table = metadata.tables[name]
            dump[name] = sorted(
                tuple(repr(value) for value in row) for row in conn.execute(table.select())
            )
    return dump


def empty_read_model(engine: Engine) -> None:
    from rwakit.store.schema import metadata

    with engine.begin() as conn:
        for name in (*READ_MODEL, "indexer_cursors", "indexer_blocks", "indexer_undo"):
            conn.execute(metadata.tables[name].delete())
