"""A failover pool of JSON-RPC endpoints: sticky routing, retry elsewhere, breakers, probing.

Requests stay on the serving endpoint while it answers. A transport error, timeout,
HTTP 429/5xx or a rate-limit error sends the same request to the next endpoint whose
breaker allows it, which then serves. A JSON-RPC error such as "execution reverted" or
"nonce too low" is the node's answer and is returned as it is. A raw transaction may so
reach two nodes: harmless (same signed bytes, same hash), and the nonce manager reconciles.
"""

import itertools
import logging
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Self

import httpx

from rwakit.chain.rpc_breaker import CircuitBreaker
from rwakit.chain.rpc_endpoint import RpcEndpoint, checked_urls, encode_payload, endpoint_labels
from rwakit.chain.rpc_errors import FAILURE_TEXT, EndpointFailure, RpcError, RpcUnavailable
from rwakit.chain.rpc_messages import Response, envelope, single_answer, slot_answers
from rwakit.chain.rpc_metrics import RpcMetrics, default_rpc_metrics
from rwakit.chain.rpc_prober import HealthProber

__all__ = ["EndpointStatus", "RpcError", "RpcPool", "RpcUnavailable"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class EndpointStatus:
    label: str  # redacted: host[:port]
    state: str  # breaker state: closed, open, half_open
    up: bool
    serving: bool
    head_block: int | None


class RpcPool:
    """JSON-RPC over one keep-alive session per endpoint, with failover between them."""

    def __init__(
        self,
        urls: Sequence[str],
        *,
        timeout: float = 5.0,
        breaker_failures: int = 3,
        breaker_cooldown: float = 5.0,
        probe_interval: float | None = 2.0,
        metrics: RpcMetrics | None = None,
        clock: Callable[[], float] = time.monotonic,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        """``probe_interval=None`` runs no health prober; ``metrics`` defaults to the global one.

        ``clock`` and ``transport`` let unit tests replace time and the network.
        """
        urls = checked_urls(urls)
        self._metrics = metrics if metrics is not None else default_rpc_metrics()
        self._endpoints = [
            RpcEndpoint(
                url,
                label,
                timeout=timeout,
                transport=transport,
                breaker=CircuitBreaker(
                    failures=breaker_failures, cooldown=breaker_cooldown, clock=clock
                ),
            )
            for url, label in zip(urls, endpoint_labels(urls), strict=True)
        ]
        self._labels = [endpoint.label for endpoint in self._endpoints]
        self._serving = 0
        self._lock = threading.Lock()  # guards _serving, the breakers and the gauges
        self._ids = itertools.count(1)
        for label in self._labels:
            self._metrics.up.labels(label).set(1)  # optimistic until a request or probe says
        self._metrics.show_serving(self._labels[0], self._labels)
        self._prober: HealthProber | None = None
        if probe_interval is not None:
            self._prober = HealthProber(self._probe_all, probe_interval, name="rwakit-rpc-probe")
            self._prober.start()

    # -- public API --

    def current(self) -> str:
        """The URL of the endpoint serving traffic now."""
        with self._lock:
            return self._endpoints[self._serving].url

    def status(self) -> list[EndpointStatus]:
        with self._lock:
            return [
                EndpointStatus(
                    label=endpoint.label,
                    state=endpoint.breaker.state.value,
                    up=endpoint.breaker.healthy,
                    serving=index == self._serving,
                    head_block=endpoint.head_block,
                )
                for index, endpoint in enumerate(self._endpoints)
            ]

    def call(self, method: str, params: Any = None) -> Any:
        """The result of one call; raises RpcError for the node's error answer."""
        response = self.request(method, params)
        if "error" in response:
            raise RpcError.from_object(response["error"])
        return response.get("result")

    def batch(self, calls: Sequence[tuple[str, Any]]) -> list[Any]:
        """One HTTP request for all ``calls``; each slot is its result or an RpcError."""
        return [
            RpcError.from_object(response["error"]) if "error" in response else response["result"]
            for response in self.batch_responses(calls)
        ]

    def request(self, method: str, params: Any = None) -> Response:
        """The raw JSON-RPC response object (what a web3 provider returns)."""
        body = encode_payload(envelope(next(self._ids), method, params))
        failures: dict[str, str] = {}
        for endpoint in self._route(failures):
            try:
                response = single_answer(self._exchange(endpoint, body, [method]))
            except EndpointFailure as failure:
                self._failed(endpoint, failure.kind, failures)
                continue
            self._answered(endpoint, [response])
            return response
        raise AssertionError("unreachable: _route raises when no endpoint is left")

    def batch_responses(self, calls: Sequence[tuple[str, Any]]) -> list[Response]:
        """Raw response objects in the order of ``calls``, sent as one JSON-RPC batch array.

        Items an endpoint leaves unanswered or throttles are retried (alone) on the next one.
        If some stay unanswered everywhere this raises RpcUnavailable, though answered raw
        transactions were sent: the caller reconciles by nonce, as after any crash.
        """
        calls = [(str(method), params) for method, params in calls]
        if not calls:
            return []  # an empty batch array is an invalid request
        answers: dict[int, Response] = {}
        pending = list(range(len(calls)))  # the slot index doubles as the JSON-RPC id
        failures: dict[str, str] = {}
        for endpoint in self._route(failures):
            body = encode_payload([envelope(slot, *calls[slot]) for slot in pending])
            try:
                reply = self._exchange(endpoint, body, [calls[slot][0] for slot in pending])
                answered = slot_answers(reply, pending)
            except EndpointFailure as failure:
                self._failed(endpoint, failure.kind, failures)
                continue
            answers.update(answered)
            pending = [slot for slot in pending if slot not in answered]
            if pending:
                self._count_execution_errors(endpoint, answered.values())
                self._failed(endpoint, "batch_incomplete", failures)
                continue
            self._answered(endpoint, answered.values())
            return [answers[slot] for slot in range(len(calls))]
        raise AssertionError("unreachable: _route raises when no endpoint is left")

    def close(self) -> None:
        if self._prober is not None:
            self._prober.stop()
        for endpoint in self._endpoints:
            endpoint.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- routing --

    def _route(self, failures: dict[str, str]) -> Iterator[RpcEndpoint]:
        """Serving endpoint first, then the others in order; each at most once per request."""
        tried: set[int] = set()
        while True:
            with self._lock:
                count = len(self._endpoints)
                order = [(self._serving + offset) % count for offset in range(count)]
                chosen = next(
                    (
                        index
                        for index in order
                        if index not in tried and self._endpoints[index].breaker.allow()
                    ),
                    None,
                )
            if chosen is None:
                raise self._unavailable(failures)
            tried.add(chosen)
            yield self._endpoints[chosen]

    def _exchange(self, endpoint: RpcEndpoint, body: bytes, methods: Sequence[str]) -> Any:
        self._metrics.count_requests(endpoint.label, methods)
        started = time.perf_counter()
        try:
            return endpoint.post(body)
        finally:
            self._metrics.latency.labels(endpoint.label).observe(time.perf_counter() - started)

    def _answered(self, endpoint: RpcEndpoint, responses: Any) -> None:
        self._count_execution_errors(endpoint, responses)
        with self._lock:
            endpoint.breaker.record_success()
            self._metrics.up.labels(endpoint.label).set(1)
            index = self._endpoints.index(endpoint)
            if index == self._serving:
                return
            self._serving = index
            self._metrics.failovers.inc()
            self._metrics.show_serving(endpoint.label, self._labels)
        log.warning("RPC traffic moved to %s", endpoint.label)

    def _failed(self, endpoint: RpcEndpoint, kind: str, failures: dict[str, str]) -> None:
        failures[endpoint.label] = kind
        self._metrics.errors.labels(endpoint.label, kind).inc()
        with self._lock:
            endpoint.breaker.record_failure()
            self._metrics.up.labels(endpoint.label).set(0)

    def _count_execution_errors(self, endpoint: RpcEndpoint, responses: Any) -> None:
        errors = sum(1 for response in responses if "error" in response)
        if errors:
            self._metrics.errors.labels(endpoint.label, "execution").inc(errors)

    def _unavailable(self, failures: dict[str, str]) -> RpcUnavailable:
        paused = "is paused by its circuit breaker"  # not tried: breaker open
        reasons = "; ".join(
            f"{label} {FAILURE_TEXT.get(failures.get(label, ''), paused)}" for label in self._labels
        )
        return RpcUnavailable(
            f"no RPC endpoint answered ({reasons}) — check that the nodes in RWAKIT_RPC_URLS "
            "are running and reachable, or add another endpoint"
        )

    # -- health probing (prober thread) --

    _PROBE = encode_payload(envelope(0, "eth_blockNumber", []))

    def _probe_all(self) -> None:
        """eth_blockNumber to every endpoint except a healthy serving one (its traffic tells)."""
        for index, endpoint in enumerate(self._endpoints):
            with self._lock:
                if index == self._serving and endpoint.breaker.healthy:
                    continue
            try:
                response = self._exchange(endpoint, self._PROBE, ["eth_blockNumber"])
                head = int(response["result"], 16)
            except EndpointFailure as failure:
                self._failed(endpoint, failure.kind, {})
                continue
            except (KeyError, TypeError, ValueError):
                self._failed(endpoint, "bad_response", {})
                continue
            endpoint.head_block = head
            self._metrics.head_block.labels(endpoint.label).set(head)
            with self._lock:
                endpoint.breaker.record_success()  # closes an open breaker without a trial
                self._metrics.up.labels(endpoint.label).set(1)
