"""The API's Prometheus metrics (``rwakit_api_*``), on a registry each app owns.

One registry per app lets tests build several apps in one process without clashes.
"""

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram


class ApiMetrics:
    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        self.registry = registry or CollectorRegistry()
        r = self.registry
        self.requests = Counter(
            "rwakit_api_requests_total", "Requests answered", ["route", "status"], registry=r
        )
        self.latency = Histogram(
            "rwakit_api_request_seconds",
            "Time to answer a request",
            ["route"],
            buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5),
            registry=r,
        )
        self.rate_limited = Counter(
            "rwakit_api_rate_limited_total", "Requests refused with 429", ["scope"], registry=r
        )
        self.top_consumers = Gauge(
            "rwakit_api_top_consumer_requests",
            "Requests of the heaviest callers since start (top 10)",
            ["caller"],
            registry=r,
        )
        self.cache_hits = Counter(
            "rwakit_api_cache_hits_total", "Cache hits", ["key_class"], registry=r
        )
        self.cache_misses = Counter(
            "rwakit_api_cache_misses_total", "Cache misses", ["key_class"], registry=r
        )
        self.cache_evictions = Counter(
            "rwakit_api_cache_evictions_total", "In-process cache evictions", registry=r
        )
        self.cache_invalidations = Counter(
            "rwakit_api_cache_invalidations_total", "Keys dropped by the change feed", registry=r
        )
        self.cache_hit_rate = Gauge(
            "rwakit_api_cache_hit_ratio", "Hits / (hits + misses) since start", registry=r
        )
        self.replica_lag = Gauge(
            "rwakit_api_replica_lag_seconds", "Replication lag per replica", ["replica"], registry=r
        )
