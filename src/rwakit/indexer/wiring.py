"""The indexer's composition root: every dependency built and passed in explicitly."""

from dataclasses import dataclass

from prometheus_client import CollectorRegistry
from sqlalchemy import Engine

from rwakit.chain.deploy import Deployment
from rwakit.chain.rpc_pool import RpcPool
from rwakit.contracts.artifacts import ContractArtifact
from rwakit.indexer.change_feed import ChangeFeed
from rwakit.indexer.fetcher import LogFetcher
from rwakit.indexer.index import ChainIndex, IndexConfig
from rwakit.indexer.matcher import Matcher
from rwakit.indexer.metrics import IndexerMetrics
from rwakit.indexer.runner import IndexerRunner


@dataclass
class IndexerParts:
    pool: RpcPool
    index: ChainIndex
    runner: IndexerRunner
    metrics: IndexerMetrics

    def close(self) -> None:
        self.runner.stop()
        self.index.close()
        self.pool.close()


def build_indexer(
    engine: Engine,
    rpc_urls: list[str],
    deployment: Deployment,
    artifacts: dict[str, ContractArtifact],
    feed: ChangeFeed,
    *,
    confirmations: int = 0,
    max_reorg_depth: int = 64,
    registry: CollectorRegistry | None = None,
    holder: str | None = None,
    followed: dict[str, str] | None = None,
) -> IndexerParts:
    """``followed``: deployment-wide contracts made outside any factory (address → kind,
    see ``followed_contracts``)."""
    pool = RpcPool(rpc_urls)
    metrics = IndexerMetrics(registry)
    matcher = Matcher(deployment.registry, deployment.factory, artifacts, configured=followed or {})
    config = IndexConfig(deployment.chain_id, confirmations, max_reorg_depth)
    index = ChainIndex(engine, LogFetcher(pool), matcher, feed, metrics, config)
    runner = IndexerRunner(engine, index, deployment.chain_id, holder=holder)
    return IndexerParts(pool, index, runner, metrics)
