"""Errors outside the routes' own checks are problem+json too."""

from fastapi.testclient import TestClient

from tests.integration.api.conftest import ApiStack, assert_problem, bearer, login, register


def test_unknown_paths_and_methods(client: TestClient, users: dict[str, dict[str, str]]) -> None:
    assert_problem(client.get("/api/v1/nothing-here"), 404, "not_found")
    assert_problem(client.delete("/api/v1/users/me", headers=users["admin"]), 405)
    body = assert_problem(
        client.post(
            "/api/v1/auth/register", content=b"[]", headers={"content-type": "application/json"}
        ),
        422,
        "validation_failed",
    )
    assert body["errors"] and body["instance"] == "/api/v1/auth/register"


def test_metrics_count_requests_by_route_template(
    client: TestClient, users: dict[str, dict[str, str]]
) -> None:
    client.get("/api/v1/operations/12345", headers=users["issuer"])
    metrics = client.get("/metrics").text
    assert (
        'rwakit_api_requests_total{route="/api/v1/operations/{op_id}",status="404"} 1.0' in metrics
    )
    assert 'rwakit_api_request_seconds_count{route="/api/v1/users/{user_id}/role"}' in metrics


def test_an_unexpected_failure_is_a_500_problem_without_details(api_stack: ApiStack) -> None:
    deps = api_stack.deps()

    class BrokenUsers:
        def by_email(self, email: str) -> None:
            raise RuntimeError("password=hunter2 leaked in an exception")

    deps.users = BrokenUsers()  # type: ignore[assignment]
    with TestClient(api_stack.app(deps), raise_server_exceptions=False) as client:
        response = client.post(
            "/api/v1/auth/token", json={"email": "a@example.com", "password": "x"}
        )
    assert_problem(response, 500, "internal_error")
    assert "hunter2" not in response.text


def test_a_failure_on_a_hot_path_is_the_same_500_problem(api_stack: ApiStack, token: str) -> None:
    deps = api_stack.deps()

    class BrokenCounter:
        async def hit(self, *args: object) -> tuple[int, float]:
            raise ConnectionError("redis://:s3cret@cache went away")

    with TestClient(api_stack.app(deps), raise_server_exceptions=False) as client:
        register(client, "hot@example.com")
        headers = bearer(login(client, "hot@example.com"))
        deps.rate_limits._counter = BrokenCounter()  # type: ignore[assignment]
        mint = {
            "kind": "mint",
            "contract": token,
            "params": {"to": "0x" + "11" * 20, "amount": "1"},
        }
        answers = [
            client.get(f"/api/v1/assets/{token}", headers=headers),  # hot read
            client.get("/api/v1/portfolio", headers=headers),  # hot read
            client.post("/api/v1/operations", json=mint, headers=headers),  # hot intake
            client.get("/api/v1/users/me", headers=headers),  # routed
        ]
    for response in answers:
        assert_problem(response, 500, "internal_error")
        assert "s3cret" not in response.text
