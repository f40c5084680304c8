"""CSV bulk upload: rows become operations in one call (all or none), errors name the line
or the row's field, and shape problems (media type, size, header) are refused first."""

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from rwakit.store.operations import OperationStore
from rwakit.store.tables import operations
from tests.integration.api.conftest import assert_problem

URL = "/api/v1/operations/bulk/csv"
ALICE = "0x" + "a1" * 20
BOB = "0x" + "b2" * 20


def stored(client: TestClient) -> int:
    with client.app.state.deps.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(operations)).scalar_one()


def upload(client: TestClient, text: str, headers: dict[str, str], media: str = "text/csv"):  # type: ignore[no-untyped-def]
    return client.post(URL, content=text.encode(), headers={**headers, "Content-Type": media})


def test_rows_become_operations_in_order(
    client: TestClient, users: dict[str, dict[str, str]], token: str
) -> None:
    text = (
        "kind,contract,to,account,amount,priority,idempotency_key\n"
        f"mint,{token},{ALICE},,12.5,urgent,sub-1\n"
        f"mint,{token},{BOB},,0.000000000000000001,,\n"
        f"freeze_partial,{token},,{ALICE},2,,\n"
        "\n"
    )
    accepted = upload(client, text, users["issuer"])
    assert accepted.status_code == 202, accepted.text
    ids = accepted.json()["ids"]
    assert len(ids) == 3  # in row order (ids themselves follow the intake's grouping)
    rows = OperationStore(client.app.state.deps.engine).get_many(ids)
    first, second, third = (rows[i] for i in ids)
    assert (first.kind, first.params["to"], first.params["amount"]) == (
        "mint",
        ALICE,
        12_5 * 10**17,
    )
    assert first.priority.name == "URGENT" and first.idempotency_key == "sub-1"
    assert second.params["amount"] == 1
    assert (third.kind, third.params["account"]) == ("freeze_partial", ALICE)
    again = upload(client, text.splitlines()[0] + "\n" + text.splitlines()[1], users["issuer"])
    assert again.json()["ids"] == [ids[0]]  # the idempotency key names the first one


def test_bad_uploads_store_nothing(
    client: TestClient, users: dict[str, dict[str, str]], token: str
) -> None:
    issuer = users["issuer"]
    good = f"mint,{token},{ALICE},1\n"
    header = "kind,contract,to,amount\n"
    cases = [
        (header + good + f"mint,{token},{BOB},-3\n", 422, "operations[1].params.amount"),
        (header + good + f"mint,{token},{BOB}\n", 422, "line 3"),
        (header + good + f"mint,0x12,{BOB},1\n", 422, "operations[1].contract"),
        ("kind,to,amount\n" + good, 422, "line 1"),
        ("kind,contract,colour\nmint,x,red\n", 422, "line 1"),
        (header, 422, "request"),
        (header + good + f"mint,{'0x' + '99' * 20},{BOB},1\n", 404, "operations[1].contract"),
        (
            "kind,contract,wallet,identity_id,country\nregister_identity,x,y,1,DE\n",
            422,
            "line 2.country",
        ),
    ]
    for text, status, field in cases:
        body = assert_problem(upload(client, text, issuer), status)
        assert field in [e["field"] for e in body.get("errors", [])], (field, body)
    assert_problem(
        upload(client, header + good, issuer, "application/json"), 415, "unsupported_media_type"
    )
    too_big = header + good * (4 * 1024 * 1024 // len(good) + 1)
    assert_problem(upload(client, too_big, issuer), 413, "payload_too_large")
    too_many = header + good * 10_001
    body = assert_problem(upload(client, too_many, issuer), 422)
    assert body["errors"][0]["field"] == "request"
    assert_problem(upload(client, header + good, users["investor"]), 403, "forbidden")
    assert stored(client) == 0
