"""Operation intake over HTTP: 202 with ids, roles per kind, own-ops visibility, and bad
input that gets a field-level problem and stores nothing."""

import json
import time

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from rwakit.store.operations import OperationStore
from rwakit.store.tables import operations
from tests.integration.api.conftest import assert_problem, bearer, login, register

ALICE = "0x" + "a1" * 20
BOB = "0x" + "b2" * 20


def stored(client: TestClient) -> int:
    with client.app.state.deps.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(operations)).scalar_one()


def mint(contract: str, amount: object = "12.5", to: str = ALICE) -> dict:
    return {"kind": "mint", "contract": contract, "params": {"to": to, "amount": amount}}


def test_issuer_mints_with_decimal_amounts_and_reads_the_op(
    client: TestClient, users: dict[str, dict[str, str]], token: str
) -> None:
    response = client.post("/api/v1/operations", json=mint(token), headers=users["issuer"])
    assert response.status_code == 202, response.text
    [op_id] = response.json()["ids"]
    op = client.get(f"/api/v1/operations/{op_id}", headers=users["issuer"]).json()
    assert op["state"] == "accepted" and op["kind"] == "mint"
    assert op["params"] == {"to": ALICE, "amount": str(125 * 10**17)}  # 18 decimals
    # the investor did not ask for it: not theirs to see
    hidden = client.get(f"/api/v1/operations/{op_id}", headers=users["investor"])
    assert_problem(hidden, 404, "operation_not_found")


def test_investor_transfers_from_their_own_wallet_only(
    client: TestClient, users: dict[str, dict[str, str]], token: str
) -> None:
    me = client.get("/api/v1/users/me", headers=users["investor"]).json()
    body = {"kind": "transfer", "contract": token, "params": {"to": BOB, "amount": "1"}}
    response = client.post("/api/v1/operations", json=body, headers=users["investor"])
    assert response.status_code == 202, response.text
    [op_id] = response.json()["ids"]
    op = client.get(f"/api/v1/operations/{op_id}", headers=users["investor"]).json()
    assert op["params"]["from"] == me["wallet"].lower()
    body["params"]["from"] = ALICE
    stolen = client.post("/api/v1/operations", json=body, headers=users["investor"])
    assert_problem(stolen, 403, "not_your_wallet")
    assert_problem(
        client.post("/api/v1/operations", json=mint(token), headers=users["investor"]), 403
    )
    assert stored(client) == 1


def test_roles_per_kind(client: TestClient, users: dict[str, dict[str, str]], token: str) -> None:
    forced = {
        "kind": "forced_transfer",
        "contract": token,
        "params": {"from": ALICE, "to": BOB, "amount": "3"},
    }
    assert_problem(client.post("/api/v1/operations", json=forced, headers=users["issuer"]), 403)
    ok = client.post("/api/v1/operations", json=forced, headers=users["compliance_officer"])
    assert ok.status_code == 202, ok.text
    freeze = {"kind": "freeze", "contract": token, "params": {"account": ALICE}}
    for role in ("issuer", "compliance_officer"):
        assert (
            client.post("/api/v1/operations", json=freeze, headers=users[role]).status_code == 202
        )


def test_bulk_is_all_or_nothing_and_idempotent(
    client: TestClient, users: dict[str, dict[str, str]], token: str
) -> None:
    items = [mint(token, str(n + 1), to="0x" + f"{n + 1:040x}") for n in range(50)]
    items[0]["idempotency_key"] = "sub-1"
    response = client.post(
        "/api/v1/operations/bulk", json={"operations": items}, headers=users["issuer"]
    )
    assert response.status_code == 202, response.text
    ids = response.json()["ids"]
    assert len(ids) == 50 and stored(client) == 50
    again = client.post("/api/v1/operations", json=items[0], headers=users["issuer"]).json()["ids"]
    assert again == [ids[0]] and stored(client) == 50
    changed = {**items[0], "params": {**items[0]["params"], "amount": "99"}}
    reused = client.post("/api/v1/operations", json=changed, headers=users["issuer"])
    assert_problem(reused, 409, "idempotency_key_reused")
    assert stored(client) == 50

    items[37]["params"]["amount"] = "-5"
    bad = client.post(
        "/api/v1/operations/bulk", json={"operations": items}, headers=users["issuer"]
    )
    body = assert_problem(bad, 422)
    assert body["errors"][0]["field"] == "operations[37].params.amount"
    assert stored(client) == 50


def test_bad_input_gets_field_level_problems_and_stores_nothing(
    client: TestClient, users: dict[str, dict[str, str]], token: str, registry: str
) -> None:
    issuer = users["issuer"]
    cases = [
        (mint(token, to="0x1234"), 422, "to"),
        (mint("0xnot-an-address"), 422, "contract"),
        (mint(token, amount="-1"), 422, "params.amount"),
        (mint(token, amount="0"), 422, "params.amount"),
        (mint(token, amount="1." + "0" * 18 + "1"), 422, "params.amount"),
        (mint(token, amount="ten"), 422, "params.amount"),
        (mint(token, amount=5), 422, "params.amount"),
        (mint("0x" + "99" * 20), 404, "contract"),
        ({"kind": "melt", "contract": token, "params": {}}, 422, "kind"),
        ({"kind": "mint", "contract": token, "params": {"to": ALICE}}, 422, "amount"),
        ({**mint(token), "priority": "asap"}, 422, "priority"),
    ]
    for body, status, field in cases:
        response = client.post("/api/v1/operations", json=body, headers=issuer)
        problem = assert_problem(response, status)
        assert problem["errors"][0]["field"].endswith(field), (body, problem)
    unknown = client.post("/api/v1/operations", json=mint("0x" + "99" * 20), headers=issuer)
    assert unknown.json()["code"] == "unknown_token"
    oversized = {"operations": [mint(token)] * 10_001}
    response = client.post("/api/v1/operations/bulk", json=oversized, headers=issuer)
    assert assert_problem(response, 422)["errors"][0]["field"] == "operations"
    not_json = client.post(
        "/api/v1/operations", content=b"{", headers={**issuer, "content-type": "application/json"}
    )
    assert_problem(not_json, 422, "validation_failed")
    assert_problem(client.get("/api/v1/operations/abc", headers=issuer), 422)
    assert_problem(client.get("/api/v1/operations/987", headers=issuer), 404)
    identity = {
        "kind": "register_identity",
        "contract": token,
        "params": {"wallet": ALICE, "identity_id": 1, "country": 276},
    }
    compliance = users["compliance_officer"]
    wrong_target = client.post("/api/v1/operations", json=identity, headers=compliance)
    assert assert_problem(wrong_target, 422)["errors"][0]["field"] == "contract"
    assert stored(client) == 0
    ok = client.post(
        "/api/v1/operations", json={**identity, "contract": registry}, headers=compliance
    )
    assert ok.status_code == 202, ok.text


def test_the_event_stream_follows_the_op_to_indexed(
    client: TestClient, users: dict[str, dict[str, str]], token: str
) -> None:
    me = client.get("/api/v1/users/me", headers=users["investor"]).json()
    body = {"kind": "transfer", "contract": token, "params": {"to": BOB, "amount": "2"}}
    [op_id] = client.post("/api/v1/operations", json=body, headers=users["investor"]).json()["ids"]
    store = OperationStore(client.app.state.deps.engine)
    states = []
    with client.stream(
        "GET", f"/api/v1/operations/{op_id}/events", headers=users["investor"]
    ) as stream:
        assert stream.headers["content-type"].startswith("text/event-stream")
        for line in stream.iter_lines():
            if not line.startswith("data: "):
                continue
            event = json.loads(line.removeprefix("data: "))
            states.append(event["state"])
            # the worker and the indexer, played by the test
            if event["state"] == "accepted":
                store.mark_confirmed([(op_id, 7, 21_000)], time.time())
            elif event["state"] == "confirmed":
                store.mark_indexed([op_id], time.time())
    assert states == ["accepted", "confirmed", "indexed"]
    assert me["wallet"]
    other = client.get(f"/api/v1/operations/{op_id}/events", headers=users["issuer"])
    assert other.status_code == 200  # staff may watch any op (already final: one event)
    hidden = client.get(f"/api/v1/operations/{op_id}/events", headers=_stranger(client))
    assert_problem(hidden, 404, "operation_not_found")


def _stranger(client: TestClient) -> dict[str, str]:
    register(client, "stranger@example.com")
    return bearer(login(client, "stranger@example.com"))
