"""RpcPool against the session anvil behind two loopback proxies we can take down."""

import re
import time
from collections.abc import Callable, Iterator

import pytest
from eth_account import Account
from prometheus_client import CollectorRegistry, generate_latest
from web3 import Web3
from web3.exceptions import ContractLogicError

from rwakit.chain.anvil import ManagedAnvil
from rwakit.chain.loopback_proxy import LoopbackProxy
from rwakit.chain.rpc_metrics import RpcMetrics
from rwakit.chain.rpc_pool import RpcError, RpcPool, RpcUnavailable
from rwakit.chain.rpc_provider import web3_for
from rwakit.config import ANVIL_DEV_KEY
from rwakit.errors import RwakitError

CHAIN_ID_HEX = "0x7a69"  # 31337
REVERTING_CODE = "0x60006000fd"  # PUSH1 0 PUSH1 0 REVERT, run as creation code by eth_call
RECEIVER = "0x000000000000000000000000000000000000dEaD"


def wait_until(condition: Callable[[], bool], timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not met before the deadline"
        time.sleep(0.01)


@pytest.fixture
def proxies(anvil: ManagedAnvil) -> Iterator[tuple[LoopbackProxy, LoopbackProxy]]:
    assert anvil.port is not None
    first, second = LoopbackProxy("127.0.0.1", anvil.port), LoopbackProxy("127.0.0.1", anvil.port)
    yield first, second
    first.stop()
    second.stop()


@pytest.fixture
def registry() -> CollectorRegistry:
    return CollectorRegistry()


@pytest.fixture
def pool(
    proxies: tuple[LoopbackProxy, LoopbackProxy], registry: CollectorRegistry
) -> Iterator[RpcPool]:
    with RpcPool(
        [proxy.url for proxy in proxies],
        timeout=2.0,
        probe_interval=0.05,  # the prober notices a restart quickly; tests poll, never sleep
        metrics=RpcMetrics(registry),
    ) as rpc_pool:
        yield rpc_pool


def label(proxy: LoopbackProxy) -> str:
    return f"127.0.0.1:{proxy.port}"


def sample(registry: CollectorRegistry, name: str, **labels: str) -> float:
    return registry.get_sample_value(name, labels) or 0.0


def test_calls_go_to_the_first_endpoint(
    pool: RpcPool, proxies: tuple[LoopbackProxy, LoopbackProxy], registry: CollectorRegistry
) -> None:
    first, second = proxies
    for _ in range(20):
        assert pool.call("eth_chainId") == CHAIN_ID_HEX
    assert pool.current() == first.url
    requests = "rwakit_rpc_requests_total"
    assert sample(registry, requests, endpoint=label(first), method="eth_chainId") == 20
    assert sample(registry, requests, endpoint=label(second), method="eth_chainId") == 0
    assert sample(registry, "rwakit_rpc_serving", endpoint=label(first)) == 1
    assert sample(registry, "rwakit_rpc_serving", endpoint=label(second)) == 0


def test_endpoint_going_down_mid_stream_fails_over_and_comes_back(
    pool: RpcPool, proxies: tuple[LoopbackProxy, LoopbackProxy], registry: CollectorRegistry
) -> None:
    first, second = proxies
    answers = []
    for index in range(200):
        if index == 100:
            first.stop()
        answers.append(pool.call("eth_chainId"))
    assert answers == [CHAIN_ID_HEX] * 200
    assert pool.current() == second.url
    assert sample(registry, "rwakit_rpc_failovers_total") == 1
    assert sample(registry, "rwakit_rpc_endpoint_up", endpoint=label(first)) == 0
    assert sample(registry, "rwakit_rpc_serving", endpoint=label(second)) == 1
    first_errors = [
        sample(registry, "rwakit_rpc_errors_total", endpoint=label(first), kind=kind)
        for kind in ("connect", "transport")  # refused, or a pooled connection found cut
    ]
    assert sum(first_errors) > 0

    first.start()
    wait_until(lambda: sample(registry, "rwakit_rpc_endpoint_up", endpoint=label(first)) == 1)
    assert pool.status()[0].head_block is not None
    assert pool.current() == second.url  # sticky: no flapping back while the second is healthy


def test_web3_for_fails_over_too(
    pool: RpcPool, proxies: tuple[LoopbackProxy, LoopbackProxy]
) -> None:
    first, second = proxies
    w3 = web3_for(pool)
    assert w3.is_connected()
    before = w3.eth.block_number
    first.stop()
    assert w3.eth.block_number >= before
    assert w3.eth.get_balance(Account.from_key(ANVIL_DEV_KEY).address) > 0
    assert pool.current() == second.url


def test_execution_errors_are_answers_not_failovers(
    pool: RpcPool, proxies: tuple[LoopbackProxy, LoopbackProxy], registry: CollectorRegistry
) -> None:
    first, _ = proxies
    with pytest.raises(RpcError, match="execution reverted"):
        pool.call("eth_call", [{"data": REVERTING_CODE}, "latest"])
    with pytest.raises(ContractLogicError):
        web3_for(pool).eth.call({"data": REVERTING_CODE})
    assert pool.current() == first.url
    assert sample(registry, "rwakit_rpc_failovers_total") == 0
    assert sample(registry, "rwakit_rpc_endpoint_up", endpoint=label(first)) == 1
    assert sample(registry, "rwakit_rpc_errors_total", endpoint=label(first), kind="execution") == 2


def _transfer(nonce: int, value: int = 1) -> bytes:
    signed = Account.sign_transaction(
        {
            "chainId": 31337,
            "nonce": nonce,
            "to": RECEIVER,
            "value": value,
            "gas": 21_000,
            "maxFeePerGas": 100 * 10**9,
            "maxPriorityFeePerGas": 10**9,
        },
        ANVIL_DEV_KEY,
    )
    return bytes(signed.raw_transaction)


def test_batch_of_raw_transactions_is_one_http_request(
    chain_snapshot: Web3,
    pool: RpcPool,
    proxies: tuple[LoopbackProxy, LoopbackProxy],
    registry: CollectorRegistry,
) -> None:
    first, _ = proxies
    sender = Account.from_key(ANVIL_DEV_KEY).address
    start = int(pool.call("eth_getTransactionCount", [sender, "pending"]), 16)
    pool.call("eth_sendRawTransaction", [_transfer(start)])  # mined: `start` is now too low
    good = [_transfer(nonce) for nonce in range(start + 1, start + 51)]
    raws = [*good[:25], _transfer(start, value=2), *good[25:]]
    exchanges = sample(registry, "rwakit_rpc_latency_seconds_count", endpoint=label(first))

    results = pool.batch([("eth_sendRawTransaction", [raw]) for raw in raws])

    assert (
        sample(registry, "rwakit_rpc_latency_seconds_count", endpoint=label(first)) == exchanges + 1
    )
    assert isinstance(results[25], RpcError)
    assert "nonce" in results[25].message.lower()
    hashes = results[:25] + results[26:]
    assert hashes == [Web3.to_hex(Web3.keccak(raw)) for raw in good]
    wait_until(
        lambda: int(pool.call("eth_getTransactionCount", [sender, "latest"]), 16) == start + 51
    )
    assert pool.current() == first.url
    assert sample(registry, "rwakit_rpc_failovers_total") == 0


def test_every_endpoint_down_is_one_clear_line(
    pool: RpcPool, proxies: tuple[LoopbackProxy, LoopbackProxy]
) -> None:
    for proxy in proxies:
        proxy.stop()
    with pytest.raises(RpcUnavailable) as caught:
        pool.call("eth_chainId")
    message = str(caught.value)
    assert isinstance(caught.value, RwakitError)
    assert "\n" not in message
    for proxy in proxies:
        assert re.search(f"{re.escape(label(proxy))} (refused|dropped) the connection", message)
    assert "RWAKIT_RPC_URLS" in message


def test_credentials_never_reach_labels_or_messages(
    proxies: tuple[LoopbackProxy, LoopbackProxy], registry: CollectorRegistry
) -> None:
    first, second = proxies
    urls = [
        f"http://alice:s3cret@127.0.0.1:{first.port}/?apikey=k3y1",
        f"http://bob:hunter2@127.0.0.1:{second.port}/?apikey=k3y2",
    ]
    with RpcPool(urls, probe_interval=None, metrics=RpcMetrics(registry)) as rpc_pool:
        assert rpc_pool.call("eth_chainId") == CHAIN_ID_HEX
        first.stop()
        second.stop()
        with pytest.raises(RpcUnavailable) as caught:
            rpc_pool.call("eth_chainId")
        labels = [status.label for status in rpc_pool.status()]
    exposed = generate_latest(registry).decode() + str(caught.value) + " ".join(labels)
    assert f'endpoint="{label(first)}"' in exposed
    for secret in ("alice", "s3cret", "k3y1", "bob", "hunter2", "k3y2"):
        assert secret not in exposed
