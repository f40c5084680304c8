"""Prometheus metrics of the RPC pool: per endpoint traffic, errors, latency, health."""

import threading
from collections import Counter as Tally
from collections.abc import Iterable, Sequence

from prometheus_client import REGISTRY, CollectorRegistry, Counter, Gauge, Histogram

# Sub-millisecond local nodes up to remote nodes near the default 5 s timeout.
LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class RpcMetrics:
    """The pool's instruments, registered once on ``registry``; labels are redacted endpoints."""

    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        registry = registry if registry is not None else REGISTRY
        self.requests = Counter(
            "rwakit_rpc_requests",
            "JSON-RPC requests sent (each item of a batch counts)",
            ["endpoint", "method"],
            registry=registry,
        )
        self.errors = Counter(
            "rwakit_rpc_errors",
            "Failed attempts by kind; kind=execution is the node answering with an error",
            ["endpoint", "kind"],
            registry=registry,
        )
        self.latency = Histogram(
            "rwakit_rpc_latency_seconds",
            "Time for one HTTP exchange (a single call or a whole batch)",
            ["endpoint"],
            buckets=LATENCY_BUCKETS,
            registry=registry,
        )
        self.up = Gauge(
            "rwakit_rpc_endpoint_up",
            "1 while the endpoint's last request or probe succeeded",
            ["endpoint"],
            registry=registry,
        )
        self.serving = Gauge(
            "rwakit_rpc_serving",
            "1 for the endpoint currently serving traffic",
            ["endpoint"],
            registry=registry,
        )
        self.head_block = Gauge(
            "rwakit_rpc_head_block",
            "Latest block number the health prober saw at the endpoint",
            ["endpoint"],
            registry=registry,
        )
        self.failovers = Counter(
            "rwakit_rpc_failovers", "Times traffic moved to another endpoint", registry=registry
        )

    def count_requests(self, endpoint: str, methods: Iterable[str]) -> None:
        for method, count in Tally(methods).items():
            self.requests.labels(endpoint, method).inc(count)

    def show_serving(self, serving: str, endpoints: Sequence[str]) -> None:
        for endpoint in endpoints:
            self.serving.labels(endpoint).set(1 if endpoint == serving else 0)


_default: RpcMetrics | None = None
_default_lock = threading.Lock()


def default_rpc_metrics() -> RpcMetrics:
    """The process-wide instruments on prometheus_client's default registry (created once)."""
    global _default
    with _default_lock:
        if _default is None:
            _default = RpcMetrics()
        return _default
