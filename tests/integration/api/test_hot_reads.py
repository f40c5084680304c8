"""The plain-ASGI fast path for cached reads keeps every check of the routed endpoint:
the limit (counted once, also when a miss goes on to the route), 429 across instances,
refusals, and metrics under the route's template."""

import pytest
from fastapi.testclient import TestClient

from tests.integration.api.conftest import ApiStack, assert_problem, bearer, login, register


def remaining(response) -> int:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.text
    return int(response.headers["RateLimit-Remaining"])


def test_a_miss_and_the_hits_after_it_are_each_counted_once(
    client: TestClient, users: dict[str, dict[str, str]], token: str
) -> None:
    headers = users["investor"]
    first = client.get(f"/api/v1/assets/{token}", headers=headers)  # a miss: via the route
    second = client.get(f"/api/v1/assets/{token}", headers=headers)  # a hit: fast path
    third = client.get(f"/api/v1/assets/{token}", headers=headers)
    assert remaining(first) == 99 and remaining(second) == 98 and remaining(third) == 97
    assert first.content == second.content == third.content
    assert second.headers["content-type"] == "application/json"
    own = [client.get("/api/v1/portfolio", headers=headers) for _ in range(3)]
    assert [remaining(r) for r in own] == [99, 98, 97]  # its own quota: another endpoint
    assert own[0].json() == own[2].json()
    cache = client.app.state.deps.cache
    assert cache.hits >= 4  # hits counted by the fast path, misses by the route


def test_the_101st_cached_read_gets_429_with_retry_after(
    client: TestClient, users: dict[str, dict[str, str]], token: str
) -> None:
    headers = users["issuer"]
    for n in range(100):
        response = client.get(f"/api/v1/assets/{token}", headers=headers)
        assert remaining(response) == 99 - n
    blocked = client.get(f"/api/v1/assets/{token}", headers=headers)
    assert_problem(blocked, 429, "rate_limited")
    assert 1 <= int(blocked.headers["Retry-After"]) <= 60
    assert blocked.json()["instance"] == f"/api/v1/assets/{token}"
    metrics = client.get("/metrics").text
    assert 'rwakit_api_rate_limited_total{scope="caller"} 1.0' in metrics
    template = 'route="/api/v1/assets/{address}",status="200"} 100.0'
    assert template in metrics


def test_two_instances_share_the_cached_reads_limit(api_stack: ApiStack, stack, token: str) -> None:  # type: ignore[no-untyped-def]
    if "redis" not in stack[0]:
        pytest.skip("in-process limits are per instance by design")
    api_stack.settings.rate_limit_user = "4/minute"
    with TestClient(api_stack.app()) as one, TestClient(api_stack.app()) as two:
        register(one, "shared@example.com")
        headers = bearer(login(two, "shared@example.com"))
        path = f"/api/v1/assets/{token}"
        answers = [c.get(path, headers=headers).status_code for c in (one, two) * 3]
    assert answers == [200, 200, 200, 200, 429, 429]


def test_refusals_are_the_routed_endpoints(
    client: TestClient, users: dict[str, dict[str, str]], token: str
) -> None:
    path = f"/api/v1/assets/{token}"
    client.get(path, headers=users["admin"])  # warm, so only the checks can refuse
    assert_problem(client.get(path), 401, "unauthenticated")
    bad = {"Authorization": users["admin"]["Authorization"][:-3] + "xyz"}
    assert_problem(client.get(path, headers=bad), 401, "token_invalid")
    assert_problem(client.get(path, headers={"Authorization": "Basic abc"}), 401, "token_invalid")
    malformed = client.get("/api/v1/assets/0x1234", headers=users["admin"])
    assert_problem(malformed, 422, "validation_failed")
    assert_problem(client.get("/api/v1/portfolio"), 401, "unauthenticated")
