"""Accounts and sessions: first user is admin, tokens expire, tamper and revoke."""

import time

import jwt
from fastapi.testclient import TestClient

from rwakit.api.credentials import AccessClaims, AccessTokens
from tests.integration.api.conftest import (
    PASSWORD,
    ApiStack,
    assert_problem,
    bearer,
    login,
    register,
)


def test_first_user_is_admin_and_later_ones_investors_with_wallets(client: TestClient) -> None:
    first = register(client, "first@example.com")
    second = register(client, "second@example.com")
    assert (first["role"], second["role"]) == ("admin", "investor")
    assert first["wallet"].startswith("0x") and first["wallet"] != second["wallet"]
    assert "key" not in str(first).lower()
    me = client.get("/api/v1/users/me", headers=bearer(login(client, "second@example.com")))
    assert me.json() == second


def test_duplicate_email_conflicts_and_bad_input_is_field_level(client: TestClient) -> None:
    register(client, "dup@example.com")
    again = client.post(
        "/api/v1/auth/register", json={"email": "DUP@example.com", "password": PASSWORD}
    )
    assert_problem(again, 409, "email_taken")
    short = client.post("/api/v1/auth/register", json={"email": "a@b.co", "password": "short"})
    body = assert_problem(short, 422, "validation_failed")
    assert body["errors"][0]["field"] == "password"
    bad_email = client.post(
        "/api/v1/auth/register", json={"email": "not-an-email", "password": PASSWORD}
    )
    assert assert_problem(bad_email, 422)["errors"][0]["field"] == "email"


def test_wrong_password_and_unknown_user_look_the_same(client: TestClient) -> None:
    register(client, "who@example.com")
    wrong = client.post("/api/v1/auth/token", json={"email": "who@example.com", "password": "x"})
    nobody = client.post(
        "/api/v1/auth/token", json={"email": "nobody@example.com", "password": PASSWORD}
    )
    assert assert_problem(wrong, 401, "bad_credentials") == {
        **assert_problem(nobody, 401, "bad_credentials")
    }


def test_expired_tampered_and_foreign_tokens_are_refused(
    client: TestClient, api_stack: ApiStack
) -> None:
    user = register(client, "t@example.com")
    good = login(client, "t@example.com")["access_token"]
    assert client.get("/api/v1/users/me", headers={"Authorization": f"Bearer {good}"}).is_success

    secret = api_stack.settings.jwt_secret.get_secret_value().encode()
    claims = AccessClaims(user["id"], "admin", None)
    expired = AccessTokens(secret).issue(claims, now=time.time() - 3600)
    response = client.get("/api/v1/users/me", headers={"Authorization": f"Bearer {expired}"})
    assert_problem(response, 401, "token_expired")

    # an investor promoting themself: the signature no longer matches
    header, _payload, signature = good.split(".")
    forged_payload = jwt.utils.base64url_encode(
        f'{{"sub":"{user["id"]}","role":"admin","exp":{int(time.time()) + 600}}}'.encode()
    ).decode()
    for token in (f"{header}.{forged_payload}.{signature}", "garbage", good[:-2] + "xx"):
        response = client.get("/api/v1/users", headers={"Authorization": f"Bearer {token}"})
        assert_problem(response, 401, "token_invalid")

    foreign = AccessTokens(b"another-secret-of-at-least-32-chars!").issue(claims)
    response = client.get("/api/v1/users", headers={"Authorization": f"Bearer {foreign}"})
    assert_problem(response, 401, "token_invalid")
    response = client.get("/api/v1/users/me", headers={"Authorization": "Basic abc"})
    assert_problem(response, 401, "token_invalid")


def test_refresh_rotates_and_reuse_revokes_the_family(client: TestClient) -> None:
    register(client, "r@example.com")
    first = login(client, "r@example.com")
    second = client.post("/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert second.status_code == 200, second.text
    rotated = second.json()
    assert rotated["refresh_token"] != first["refresh_token"]
    assert client.get("/api/v1/users/me", headers=bearer(rotated)).is_success

    # the old refresh token comes back (stolen): refused, and the new one dies with it
    reuse = client.post("/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert_problem(reuse, 401, "refresh_token_reused")
    after = client.post("/api/v1/auth/refresh", json={"refresh_token": rotated["refresh_token"]})
    assert_problem(after, 401, "refresh_token_revoked")

    # another login is a separate family and still works
    other = login(client, "r@example.com")
    ok = client.post("/api/v1/auth/refresh", json={"refresh_token": other["refresh_token"]})
    assert ok.status_code == 200


def test_logout_revokes_and_unknown_refresh_tokens_are_refused(client: TestClient) -> None:
    register(client, "l@example.com")
    tokens = login(client, "l@example.com")
    assert (
        client.post(
            "/api/v1/auth/logout", json={"refresh_token": tokens["refresh_token"]}
        ).status_code
        == 204
    )
    response = client.post("/api/v1/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert_problem(response, 401, "refresh_token_revoked")
    unknown = client.post("/api/v1/auth/refresh", json={"refresh_token": "nope"})
    assert_problem(unknown, 401, "refresh_token_unknown")
    assert_problem(client.post("/api/v1/auth/logout", json={"refresh_token": "nope"}), 401)


def test_api_keys_are_scoped_shown_once_and_revocable(
    client: TestClient, users: dict[str, dict[str, str]]
) -> None:
    created = client.post(
        "/api/v1/api-keys", json={"name": "ops-bot", "roles": ["issuer"]}, headers=users["admin"]
    )
    assert created.status_code == 201, created.text
    key = created.json()["key"]
    listed = client.get("/api/v1/api-keys", headers=users["admin"]).json()
    assert listed == [
        {"id": created.json()["id"], "name": "ops-bot", "roles": ["issuer"], "revoked": False}
    ]
    assert key not in str(listed)
    service = {"X-API-Key": key}
    assert client.get("/api/v1/users", headers=service).status_code == 403  # issuer, not admin
    assert_problem(client.get("/api/v1/users/me", headers=service), 404, "not_a_user")
    assert (
        client.delete(
            f"/api/v1/api-keys/{created.json()['id']}", headers=users["admin"]
        ).status_code
        == 204
    )
    assert_problem(client.get("/api/v1/users/me", headers=service), 401, "api_key_invalid")
    assert_problem(client.get("/api/v1/users/me", headers={"X-API-Key": "rwk_x"}), 401)
    assert_problem(client.get("/api/v1/users/me", headers={"X-API-Key": "zzz"}), 401)


def test_role_changes_need_an_admin_and_a_known_user(
    client: TestClient, users: dict[str, dict[str, str]]
) -> None:
    assert_problem(
        client.put("/api/v1/users/1/role", json={"role": "admin"}, headers=users["investor"]), 403
    )
    assert_problem(
        client.put("/api/v1/users/999/role", json={"role": "issuer"}, headers=users["admin"]),
        404,
        "user_not_found",
    )
    bad = client.put("/api/v1/users/2/role", json={"role": "king"}, headers=users["admin"])
    assert assert_problem(bad, 422)["errors"][0]["field"] == "role"
