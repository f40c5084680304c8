"""Every endpoint with every role, walked from the app's OpenAPI schema (each operation
carries ``x-roles``, checked at start-up), so a new endpoint cannot be forgotten."""

import re

from fastapi.testclient import TestClient

from tests.integration.api.conftest import assert_problem

ROLES = ("admin", "issuer", "compliance_officer", "investor")


def endpoints(client: TestClient) -> list[tuple[str, str, list[str]]]:
    schema = client.get("/openapi.json").json()
    return [
        (method.upper(), path, operation["x-roles"])
        for path, item in schema["paths"].items()
        for method, operation in item.items()
    ]


def test_every_endpoint_declares_its_roles(client: TestClient) -> None:
    found = endpoints(client)
    assert len(found) >= 12
    for method, path, roles in found:
        assert roles, (method, path)
        assert set(roles) <= {*ROLES, "public"}, (method, path, roles)


def test_each_role_is_let_in_exactly_where_the_endpoint_allows_it(
    client: TestClient, users: dict[str, dict[str, str]]
) -> None:
    walked = 0
    for method, template, roles in endpoints(client):
        path = re.sub(r"\{[^}]+\}", "1", template)
        anonymous = client.request(method, path, json={})
        if roles == ["public"]:
            assert anonymous.status_code not in (401, 403), (method, path)
            continue
        assert_problem(anonymous, 401, "unauthenticated")
        for role in ROLES:
            response = client.request(method, path, json={}, headers=users[role])
            walked += 1
            if role in roles:
                assert response.status_code not in (401, 403), (role, method, path, response.text)
            else:
                assert_problem(response, 403, "forbidden")
    assert walked >= 30
