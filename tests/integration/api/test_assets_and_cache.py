"""Asset detail: live values from one multicall, served from the cache as bytes, dropped
by the change feed, shared between instances on Redis."""

import time

import redis
from fastapi.testclient import TestClient
from web3 import Web3

from rwakit.api.change_feed import encode_keys
from rwakit.bench.scenario import Scenario
from tests.integration.api.conftest import (
    REDIS_URL,
    ApiStack,
    assert_problem,
    bearer,
    login,
    register,
)


def poll(condition, timeout: float = 5.0) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return False


def publish(client: TestClient, api_stack: ApiStack, keys: list[str]) -> None:
    if api_stack.settings.redis_url:
        connection = redis.Redis.from_url(REDIS_URL)
        connection.publish(f"{api_stack.redis_prefix}invalidations", encode_keys(keys))
        connection.close()
    else:
        client.app.state.deps.change_feed.publish(keys)


def test_detail_has_live_values_and_the_callers_part(
    client: TestClient, users: dict[str, dict[str, str]], token: str, deployed: Scenario
) -> None:
    response = client.get(f"/api/v1/assets/{token}", headers=users["investor"])
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    assert response.headers["RateLimit-Limit"] == "100"
    body = response.json()
    supply = deployed.token.functions.totalSupply().call()
    assert body["asset"] == {
        "address": token,
        "name": "Bench Bond",
        "symbol": "BBND",
        "decimals": 18,
        "asset_type": "bond",
        "total_supply": str(supply // 10**18)
        if supply % 10**18 == 0
        else body["asset"]["total_supply"],
        "paused": False,
        "block_number": body["asset"]["block_number"],
    }
    me = client.get("/api/v1/users/me", headers=users["investor"]).json()
    assert body["caller"] == {
        "wallet": me["wallet"].lower(),
        "balance": "0",
        "verified": False,
        "frozen": False,
    }


def test_cached_bytes_until_the_change_feed_drops_them(
    client: TestClient,
    api_stack: ApiStack,
    users: dict[str, dict[str, str]],
    token: str,
    deployed: Scenario,
    chain_snapshot: Web3,
) -> None:
    url = f"/api/v1/assets/{token}"
    cache = client.app.state.deps.cache
    first = client.get(url, headers=users["issuer"])
    hits = cache.hits
    deployed.operator.transact(deployed.token.functions.pause())
    again = client.get(url, headers=users["issuer"])
    assert again.content == first.content  # served from the cache: the pause is not seen yet
    assert cache.hits == hits + 2  # the asset part and the caller's part
    publish(client, api_stack, [f"asset:{token}"])
    assert poll(lambda: client.get(url, headers=users["issuer"]).json()["asset"]["paused"])
    metrics = client.get("/metrics").text
    assert "rwakit_api_cache_invalidations_total 1.0" in metrics
    assert 'rwakit_api_cache_hits_total{key_class="asset"}' in metrics


def test_unknown_and_malformed_assets(client: TestClient, users: dict[str, dict[str, str]]) -> None:
    unknown = client.get("/api/v1/assets/0x" + "12" * 20, headers=users["investor"])
    assert_problem(unknown, 404, "asset_not_found")
    malformed = client.get("/api/v1/assets/0x12", headers=users["investor"])
    assert assert_problem(malformed, 422)["errors"][0]["field"] == "address"


def test_an_api_key_has_no_callers_part(
    client: TestClient, users: dict[str, dict[str, str]], token: str
) -> None:
    created = client.post(
        "/api/v1/api-keys", json={"name": "reader", "roles": ["issuer"]}, headers=users["admin"]
    ).json()
    body = client.get(f"/api/v1/assets/{token}", headers={"X-API-Key": created["key"]}).json()
    assert body["caller"] is None and body["asset"]["symbol"] == "BBND"


def test_two_instances_share_the_cache_on_redis(api_stack: ApiStack, token: str) -> None:
    with TestClient(api_stack.app()) as one, TestClient(api_stack.app()) as two:
        register(one, "cache@example.com")
        headers = bearer(login(one, "cache@example.com"))
        assert one.get(f"/api/v1/assets/{token}", headers=headers).status_code == 200
        assert two.get(f"/api/v1/assets/{token}", headers=headers).status_code == 200
        cache_two = two.app.state.deps.cache
        if api_stack.settings.redis_url:
            assert (cache_two.hits, cache_two.misses) == (2, 0)
        else:
            assert (cache_two.hits, cache_two.misses) == (0, 2)  # each process its own
