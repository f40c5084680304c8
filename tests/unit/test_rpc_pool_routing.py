"""RpcPool routing decisions against in-memory endpoints (httpx.MockTransport), no I/O."""

import json
from collections.abc import Callable, Iterator

import httpx
import pytest
from prometheus_client import CollectorRegistry

from rwakit.chain.errors import ChainError
from rwakit.chain.rpc_endpoint import endpoint_label, endpoint_labels
from rwakit.chain.rpc_errors import is_rate_limited
from rwakit.chain.rpc_metrics import RpcMetrics
from rwakit.chain.rpc_pool import RpcError, RpcPool, RpcUnavailable

Handler = Callable[[object], httpx.Response]
URLS = ["http://a.test", "http://b.test"]
THROTTLED = {"code": -32005, "message": "rate limit exceeded"}


def answer(request_body: object) -> object:
    """A node that answers every call with its method name."""
    if isinstance(request_body, list):
        return [answer(item) for item in request_body]
    assert isinstance(request_body, dict)
    return {"jsonrpc": "2.0", "id": request_body["id"], "result": request_body["method"]}


def healthy(body: object) -> httpx.Response:
    return httpx.Response(200, json=answer(body))


class FakeNodes:
    """Per-host behaviour plus a log of which host got each HTTP request."""

    def __init__(self) -> None:
        self.behaviour: dict[str, Handler] = {"a.test": healthy, "b.test": healthy}
        self.hits: list[str] = []
        self.now = 0.0

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.hits.append(request.url.host)
        return self.behaviour[request.url.host](json.loads(request.content))


@pytest.fixture
def nodes() -> FakeNodes:
    return FakeNodes()


@pytest.fixture
def registry() -> CollectorRegistry:
    return CollectorRegistry()


@pytest.fixture
def make_pool(nodes: FakeNodes, registry: CollectorRegistry) -> Iterator[Callable[..., RpcPool]]:
    pools: list[RpcPool] = []

    def make(urls: list[str] = URLS) -> RpcPool:
        pool = RpcPool(
            urls,
            probe_interval=None,
            metrics=RpcMetrics(registry),
            clock=lambda: nodes.now,
            transport=httpx.MockTransport(nodes),
        )
        pools.append(pool)
        return pool

    yield make
    for pool in pools:
        pool.close()


@pytest.mark.parametrize(
    "failure",
    [
        lambda body: httpx.Response(503),
        lambda body: httpx.Response(429),
        lambda body: httpx.Response(200, text="<html>maintenance</html>"),
        lambda body: httpx.Response(200, json={"id": 1, "error": THROTTLED}),
    ],
    ids=["http_503", "http_429", "not_json", "rpc_rate_limit"],
)
def test_endpoint_failures_move_the_same_request_to_the_next(
    nodes: FakeNodes, make_pool: Callable[..., RpcPool], failure: Handler
) -> None:
    pool = make_pool()
    nodes.behaviour["a.test"] = failure
    assert pool.call("eth_chainId") == "eth_chainId"
    assert nodes.hits == ["a.test", "b.test"]
    assert pool.current() == "http://b.test"


def test_execution_errors_are_returned_not_retried(
    nodes: FakeNodes, make_pool: Callable[..., RpcPool]
) -> None:
    pool = make_pool()
    nodes.behaviour["a.test"] = lambda body: httpx.Response(
        200, json={"jsonrpc": "2.0", "id": 1, "error": {"code": 3, "message": "execution reverted"}}
    )
    with pytest.raises(RpcError, match="execution reverted") as caught:
        pool.call("eth_call")
    assert caught.value.code == 3
    assert nodes.hits == ["a.test"]
    assert pool.current() == "http://a.test"


def test_open_breaker_skips_the_endpoint_until_the_cooldown_trial(
    nodes: FakeNodes, make_pool: Callable[..., RpcPool]
) -> None:
    pool = make_pool(["http://a.test"])
    nodes.behaviour["a.test"] = lambda body: httpx.Response(502)
    for _ in range(3):
        with pytest.raises(RpcUnavailable):
            pool.call("eth_chainId")
    with pytest.raises(RpcUnavailable, match="paused by its circuit breaker"):
        pool.call("eth_chainId")
    assert len(nodes.hits) == 3  # the open breaker spared the node a fourth request

    nodes.behaviour["a.test"] = healthy
    nodes.now += 5.0
    assert pool.call("eth_chainId") == "eth_chainId"  # the half-open trial
    assert pool.status()[0].state == "closed"


def test_batch_retries_only_unanswered_items_elsewhere(
    nodes: FakeNodes, make_pool: Callable[..., RpcPool], registry: CollectorRegistry
) -> None:
    def throttles_odd_ids(body: object) -> httpx.Response:
        assert isinstance(body, list)
        replies = [
            {"jsonrpc": "2.0", "id": item["id"], "error": {"code": 429, "message": "slow down"}}
            if item["id"] % 2
            else answer(item)
            for item in body
        ]
        return httpx.Response(200, json=replies)

    pool = make_pool()
    nodes.behaviour["a.test"] = throttles_odd_ids
    sent_to_b: list[int] = []

    def records(body: object) -> httpx.Response:
        assert isinstance(body, list)
        sent_to_b.extend(item["id"] for item in body)
        return healthy(body)

    nodes.behaviour["b.test"] = records
    calls = [(f"m{index}", []) for index in range(6)]
    assert pool.batch(calls) == [f"m{index}" for index in range(6)]
    assert sent_to_b == [1, 3, 5]
    sent = registry.get_sample_value(
        "rwakit_rpc_requests_total", {"endpoint": "b.test", "method": "m1"}
    )
    assert sent == 1


def test_a_whole_batch_error_lands_in_every_slot(
    nodes: FakeNodes, make_pool: Callable[..., RpcPool]
) -> None:
    pool = make_pool()
    nodes.behaviour["a.test"] = lambda body: httpx.Response(
        200, json={"jsonrpc": "2.0", "id": None, "error": {"code": -32600, "message": "too big"}}
    )
    results = pool.batch([("eth_chainId", []), ("eth_blockNumber", [])])
    assert all(isinstance(result, RpcError) for result in results)
    assert nodes.hits == ["a.test"]


def test_an_empty_batch_sends_nothing(nodes: FakeNodes, make_pool: Callable[..., RpcPool]) -> None:
    assert make_pool().batch([]) == []
    assert nodes.hits == []


def test_bytes_params_go_out_as_hex(nodes: FakeNodes, make_pool: Callable[..., RpcPool]) -> None:
    seen: list[object] = []

    def records(body: object) -> httpx.Response:
        seen.append(body)
        return healthy(body)

    nodes.behaviour["a.test"] = records
    make_pool().call("eth_sendRawTransaction", [b"\x02\xf8"])
    assert seen[0]["params"] == ["0x02f8"]  # type: ignore[index]


@pytest.mark.parametrize(
    ("url", "label"),
    [
        ("https://user:pass@rpc.example.com", "rpc.example.com"),
        ("https://mainnet.infura.io/v3/0123abcd", "mainnet.infura.io"),
        ("http://127.0.0.1:8545/?apikey=secret", "127.0.0.1:8545"),
        ("http://[::1]:8545", "[::1]:8545"),
    ],
)
def test_labels_keep_host_and_port_only(url: str, label: str) -> None:
    assert endpoint_label(url) == label


def test_labels_are_numbered_when_hosts_repeat() -> None:
    urls = ["https://x.io/v2/key1", "https://x.io/v2/key2", "https://y.io"]
    assert endpoint_labels(urls) == ["x.io", "x.io#2", "y.io"]


@pytest.mark.parametrize(
    ("error", "throttled"),
    [
        ({"code": 429, "message": "Too Many Requests"}, True),
        ({"code": -32005, "message": "daily request count exceeded, request rate limited"}, True),
        ({"code": -32000, "message": "Your app has exceeded its compute units per second"}, True),
        ({"code": -32005, "message": "query returned more than 10000 results"}, False),
        ({"code": -32000, "message": "nonce too low"}, False),
        ({"code": 3, "message": "execution reverted"}, False),
        (None, False),
    ],
)
def test_rate_limit_errors_are_told_from_answers(error: object, throttled: bool) -> None:
    assert is_rate_limited(error) is throttled


@pytest.mark.parametrize("urls", [[], [" "], ["localhost:8545"], ["ws://127.0.0.1:8546"]])
def test_bad_configuration_is_a_chain_error(urls: list[str]) -> None:
    with pytest.raises(ChainError, match="RWAKIT_RPC_URLS"):
        RpcPool(urls, probe_interval=None, metrics=RpcMetrics(CollectorRegistry()))
