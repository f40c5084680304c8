"""Quotas: per caller per endpoint, per IP without credentials, shared through Redis."""

import pytest
from fastapi.testclient import TestClient

from tests.integration.api.conftest import ApiStack, assert_problem, bearer, login, register


def test_the_101st_request_in_a_minute_gets_429_with_retry_after(client: TestClient) -> None:
    register(client, "busy@example.com")
    headers = bearer(login(client, "busy@example.com"))
    for n in range(100):
        response = client.get("/api/v1/users/me", headers=headers)
        assert response.status_code == 200, (n, response.text)
        assert response.headers["RateLimit-Limit"] == "100"
        assert response.headers["RateLimit-Remaining"] == str(99 - n)
    blocked = client.get("/api/v1/users/me", headers=headers)
    assert_problem(blocked, 429, "rate_limited")
    assert 1 <= int(blocked.headers["Retry-After"]) <= 60
    assert blocked.headers["RateLimit-Remaining"] == "0"
    # the quota is per endpoint: another one still answers
    assert client.get("/api/v1/api-keys", headers=headers).status_code == 200
    metrics = client.get("/metrics").text
    assert 'rwakit_api_rate_limited_total{scope="caller"} 1.0' in metrics
    assert "rwakit_api_top_consumer_requests" in metrics


def test_ip_limit_for_anonymous_calls_changes_at_run_time(client: TestClient) -> None:
    limits = client.app.state.deps.rate_limits
    limits.set_limits(ip="3/minute")
    bad_login = {"email": "x@example.com", "password": "whatever"}
    for _ in range(3):
        assert client.post("/api/v1/auth/token", json=bad_login).status_code == 401
    assert_problem(client.post("/api/v1/auth/token", json=bad_login), 429, "rate_limited")
    with pytest.raises(ValueError, match="RWAKIT_RATE_LIMIT_USER"):
        limits.set_limits(user="lots")


def test_forwarded_for_is_believed_only_from_trusted_proxies(api_stack: ApiStack) -> None:
    api_stack.settings.trusted_proxies = ["10.0.0.0/8"]
    deps = api_stack.deps()
    resolver = deps.client_ip
    assert resolver.resolve("10.1.2.3", "203.0.113.9, 10.0.0.7") == "203.0.113.9"
    assert resolver.resolve("198.51.100.1", "203.0.113.9") == "198.51.100.1"  # untrusted peer
    assert resolver.resolve("10.1.2.3", "1.1.1.1, 203.0.113.9") == "203.0.113.9"  # spoofed left


def test_two_instances_share_the_limits_on_redis(api_stack: ApiStack, stack) -> None:  # type: ignore[no-untyped-def]
    if "redis" not in stack[0]:
        pytest.skip("in-process limits are per instance by design")
    api_stack.settings.rate_limit_user = "4/minute"
    with TestClient(api_stack.app()) as one, TestClient(api_stack.app()) as two:
        register(one, "shared@example.com")
        headers = bearer(login(two, "shared@example.com"))
        answers = [c.get("/api/v1/users/me", headers=headers).status_code for c in (one, two) * 3]
    assert answers == [200, 200, 200, 200, 429, 429]


def test_the_redis_window_runs_when_redis_does_not_know_the_script() -> None:
    import asyncio
    import uuid

    from limits import parse
    from redis.asyncio import Redis

    from rwakit.api.rate_limits import RedisCounter
    from tests.integration.api.conftest import REDIS_URL

    async def run() -> list[int]:
        client = Redis.from_url(REDIS_URL)
        counter = RedisCounter(client, f"rwakit-test-{uuid.uuid4().hex[:12]}")
        item = parse("5/minute")
        try:
            first, _ = await counter.hit(item, "caller", "user:1", "GET /x")
            # as after a Redis restart (not SCRIPT FLUSH: the server is shared with others)
            counter._sha = "0" * 40
            second, reset_after = await counter.hit(item, "caller", "user:1", "GET /x")
            assert 0 < reset_after <= 60
            return [first, second]
        finally:
            await counter.reset()
            await client.aclose()

    assert asyncio.run(run()) == [1, 2]


def test_concurrent_redis_hits_share_round_trips_and_each_counts_once() -> None:
    import asyncio
    import uuid

    from limits import parse
    from redis.asyncio import Redis

    from rwakit.api.rate_limits import RedisCounter
    from tests.integration.api.conftest import REDIS_URL

    async def run() -> tuple[list[int], list[int], int]:
        client = Redis.from_url(REDIS_URL)
        counter = RedisCounter(client, f"rwakit-test-{uuid.uuid4().hex[:12]}")
        item = parse("250/minute")
        calls = 0
        evalsha = client.evalsha

        async def counted(*args: object) -> object:
            nonlocal calls
            calls += 1
            return await evalsha(*args)

        client.evalsha = counted  # type: ignore[method-assign]
        try:
            one = [counter.hit(item, "caller", "user:1", "GET /x") for _ in range(300)]
            two = [counter.hit(item, "caller", "user:2", "GET /x") for _ in range(7)]
            answers = await asyncio.gather(*one, *two)
            return [a[0] for a in answers[:300]], [a[0] for a in answers[300:]], calls
        finally:
            await counter.reset()
            await client.aclose()

    user_one, user_two, round_trips = asyncio.run(run())
    assert sorted(user_one) == list(range(1, 301))  # each hit counted once, in one window
    assert sum(1 for hits in user_one if hits <= 250) == 250
    assert sorted(user_two) == list(range(1, 8))
    assert round_trips < 10  # many hits per script call, not one each
