"""Write-path metrics: ops per state and reason, batch sizes, latency, gas, depth, nonces."""

from collections.abc import Sequence

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

LATENCY_BUCKETS = (0.1, 0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 2.0, 3.0, 5.0, 10.0, 30.0)


class PipelineMetrics:
    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        r = registry or CollectorRegistry()
        self.registry = r
        self.ops = Counter(
            "rwakit_ops_total",
            "Operations by final or passing state",
            ["kind", "state"],
            registry=r,
        )
        self.failures = Counter(
            "rwakit_ops_failed_total", "Failed operations by reason", ["reason"], registry=r
        )
        self.batch_size = Histogram(
            "rwakit_batch_ops",
            "Operations per batch transaction",
            ["kind"],
            buckets=(1, 2, 5, 10, 25, 50, 100, 150, 200, 256),
            registry=r,
        )
        self.latency = Histogram(
            "rwakit_op_confirm_latency_seconds",
            "Accepted to confirmed",
            buckets=LATENCY_BUCKETS,
            registry=r,
        )
        self.gas_per_op = Histogram(
            "rwakit_op_gas",
            "Gas used per operation (its share of the batch)",
            ["kind"],
            buckets=(5_000, 10_000, 15_000, 20_000, 30_000, 40_000, 60_000, 100_000),
            registry=r,
        )
        self.pending = Gauge(
            "rwakit_ops_pending", "Accepted operations not yet submitted", registry=r
        )
        self.inflight = Gauge(
            "rwakit_batches_inflight", "Sent batch transactions not yet confirmed", registry=r
        )
        self.nonce_gap = Gauge(
            "rwakit_signer_nonce_gap", "Our next nonce minus the chain's mined nonce", registry=r
        )
        self.cycle_errors = Counter(
            "rwakit_worker_cycle_errors_total",
            "Worker cycles retried after an error",
            ["error"],
            registry=r,
        )
        self.send_errors = Counter(
            "rwakit_batch_send_errors_total", "Refused broadcasts", registry=r
        )
        self.reverts = Counter(
            "rwakit_batch_reverts_total", "Batch transactions that reverted", registry=r
        )
        self.replacements = Counter(
            "rwakit_batch_replacements_total", "Re-priced stuck transactions", registry=r
        )

    def failed(self, failures: Sequence[tuple[int, str, str]]) -> None:
        for _, code, _ in failures:
            self.failures.labels(code).inc()

    def batch_sent(self, kind: str, size: int) -> None:
        self.batch_size.labels(kind).observe(size)
        self.ops.labels(kind, "submitted").inc(size)

    def confirmed(self, kind: str, latencies: Sequence[float], gas_each: int) -> None:
        self.ops.labels(kind, "confirmed").inc(len(latencies))
        for latency in latencies:
            self.latency.observe(latency)
            self.gas_per_op.labels(kind).observe(gas_each)

    def send_error(self) -> None:
        self.send_errors.inc()
