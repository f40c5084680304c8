"""The plain-ASGI fast path for a single ``POST /operations`` keeps every check of the
routed endpoint: the same answers and problems, the limit counted once (also when it passes
a request on), 429 with Retry-After, and metrics under the route's template."""

import functools
from typing import Any

import pytest
from fastapi.testclient import TestClient

from rwakit.api.access import Allow
from tests.integration.api.conftest import assert_problem

ALICE = "0x" + "a1" * 20


def mint(contract: str, amount: Any = "2", to: str = ALICE) -> dict:
    return {"kind": "mint", "contract": contract, "params": {"to": to, "amount": amount}}


@pytest.fixture
def routed_calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Paths of the requests that reached a routed endpoint's guard."""
    calls: list[str] = []
    guard = Allow.__call__

    @functools.wraps(guard)  # FastAPI reads the guard's parameters from its signature
    async def counting(self: Allow, request: Any, response: Any) -> Any:
        calls.append(request.url.path)
        return await guard(self, request, response)

    monkeypatch.setattr(Allow, "__call__", counting)
    return calls


def remaining(response: Any) -> int:
    return int(response.headers["RateLimit-Remaining"])


def test_a_valid_op_is_taken_before_routing_and_counted_once(
    client: TestClient, users: dict[str, dict[str, str]], token: str, routed_calls: list[str]
) -> None:
    answers = [
        client.post("/api/v1/operations", json=mint(token), headers=users["issuer"])
        for _ in range(3)
    ]
    assert [a.status_code for a in answers] == [202, 202, 202]
    assert [remaining(a) for a in answers] == [99, 98, 97]
    ids = [a.json()["ids"][0] for a in answers]
    assert ids == sorted(set(ids))
    assert "/api/v1/operations" not in routed_calls
    op = client.get(f"/api/v1/operations/{ids[0]}", headers=users["issuer"]).json()
    assert op["params"] == {"to": ALICE, "amount": str(2 * 10**18)} and op["state"] == "accepted"
    metrics = client.get("/metrics").text
    assert 'route="/api/v1/operations",status="202"} 3.0' in metrics


def test_what_it_passes_on_is_counted_once_and_answered_by_the_route(
    client: TestClient, users: dict[str, dict[str, str]], token: str, routed_calls: list[str]
) -> None:
    issuer = users["issuer"]
    bad_contract = client.post("/api/v1/operations", json=mint("0x12"), headers=issuer)
    problem = assert_problem(bad_contract, 422, "validation_failed")
    assert problem["errors"][0]["field"] == "contract"
    assert routed_calls == ["/api/v1/operations"]
    accepted = client.post("/api/v1/operations", json=mint(token), headers=issuer)
    assert remaining(accepted) == 98  # the passed-on request was counted once, by the route


def test_its_problems_are_the_routed_endpoints(
    client: TestClient, users: dict[str, dict[str, str]], token: str, routed_calls: list[str]
) -> None:
    made = client.post(
        "/api/v1/api-keys", json={"name": "svc", "roles": ["issuer"]}, headers=users["admin"]
    )
    assert made.status_code == 201, made.text
    service = {"X-API-Key": made.json()["key"]}  # an API key always takes the routed path
    cases = [
        mint(token, amount="-1"),
        mint(token, amount="1." + "0" * 18 + "1"),
        mint("0x" + "99" * 20),
        {"kind": "melt", "contract": token, "params": {}},
        {**mint(token), "params": {"to": ALICE, "amount": "1", "memo": "x"}},
    ]
    for body in cases:
        routed_calls.clear()
        fast = client.post("/api/v1/operations", json=body, headers=users["issuer"])
        assert routed_calls == []  # valid JSON for the model: the fast path answered
        routed = client.post("/api/v1/operations", json=body, headers=service)
        assert routed_calls == ["/api/v1/operations"]
        assert fast.status_code == routed.status_code and fast.status_code in (404, 422)
        assert fast.json() == routed.json()
        assert fast.headers["content-type"] == "application/problem+json"


def test_the_101st_op_in_a_minute_gets_429(
    client: TestClient, users: dict[str, dict[str, str]], token: str
) -> None:
    headers = users["compliance_officer"]
    freeze = {"kind": "freeze", "contract": token, "params": {"account": ALICE}}
    for n in range(100):
        answer = client.post("/api/v1/operations", json=freeze, headers=headers)
        assert answer.status_code == 202 and remaining(answer) == 99 - n
    blocked = client.post("/api/v1/operations", json=freeze, headers=headers)
    assert_problem(blocked, 429, "rate_limited")
    assert 1 <= int(blocked.headers["Retry-After"]) <= 60
    assert blocked.json()["instance"] == "/api/v1/operations"
