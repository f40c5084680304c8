"""The indexer's Prometheus metrics (``rwakit_indexer_*``)."""

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram


class IndexerMetrics:
    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        # a private registry by default, so tests can build as many as they like
        registry = registry if registry is not None else CollectorRegistry()
        self.head_block = Gauge("rwakit_indexer_head_block", "Chain head.", registry=registry)
        self.indexed_block = Gauge(
            "rwakit_indexer_indexed_block", "Last block in the read model.", registry=registry
        )
        self.lag_blocks = Gauge(
            "rwakit_indexer_lag_blocks", "Head minus indexed block.", registry=registry
        )
        self.lag_seconds = Gauge(
            "rwakit_indexer_lag_seconds",
            "Now minus the indexed block's timestamp.",
            registry=registry,
        )
        self.events = Counter(
            "rwakit_indexer_events_applied", "Events applied to the read model.", registry=registry
        )
        self.reorgs = Counter("rwakit_indexer_reorgs", "Reorgs rolled back.", registry=registry)
        self.reorg_depth = Histogram(
            "rwakit_indexer_reorg_depth_blocks",
            "Blocks rolled back per reorg.",
            buckets=(1, 2, 3, 5, 8, 13, 21, 34, 64),
            registry=registry,
        )
        self.handler_errors = Counter(
            "rwakit_indexer_handler_errors",
            "Events whose handler failed.",
            ["contract", "event"],
            registry=registry,
        )

    def applied(self, events: int, block: int, block_time: int, head: int, now: float) -> None:
        self.events.inc(events)
        self.indexed_block.set(block)
        self.lag_blocks.set(max(head - block, 0))
        self.lag_seconds.set(max(now - block_time, 0.0))

    def caught_up(self, block: int, head: int) -> None:
        """Nothing left to index (up to the confirmation depth)."""
        self.indexed_block.set(block)
        self.lag_blocks.set(max(head - block, 0))
        self.lag_seconds.set(0.0)

    def reorg(self, depth: int) -> None:
        self.reorgs.inc()
        self.reorg_depth.observe(depth)
