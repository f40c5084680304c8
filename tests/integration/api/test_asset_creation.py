"""``POST /assets``: each asset type is stored as a `create_asset` operation (202 with
its id), which a batch worker sends; the confirmed operation names the token and its
companion contracts, and the asset reads back. Bad parameters are refused field by
field, with nothing stored and nothing sent to the chain."""

import os
import time
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from rwakit.api.wiring import attach_asset_issuer
from rwakit.bench.scenario import Scenario
from rwakit.chain.anvil import ManagedAnvil
from rwakit.chain.corporate_actions import CorporateActionContracts
from rwakit.config import ANVIL_DEV_KEY
from rwakit.pipeline.wiring import WorkerSpec
from rwakit.store.tables import operations
from tests.integration.api.conftest import assert_problem
from tests.integration.pipeline.helpers import ThreadWorker

DONE = ("confirmed", "indexed")


def enable(client: TestClient, deployed: Scenario, factory: str | None) -> None:
    attach_asset_issuer(client.app.state.deps, deployed.contracts, factory)


def stored(client: TestClient) -> int:
    with client.app.state.deps.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(operations)).scalar_one()


@pytest.fixture
def worker(client: TestClient, deployed: Scenario, anvil: ManagedAnvil) -> Iterator[ThreadWorker]:
    """The batch worker over the API's database, signing with the deployer key."""
    deployment = deployed.contracts.deployment
    spec = WorkerSpec(
        (anvil.url,),
        deployment.chain_id,
        deployment.multicall,
        deployment.registry,
        ANVIL_DEV_KEY,
        os.urandom(32),
    )
    with ThreadWorker(client.app.state.deps.engine, spec) as running:
        yield running


def wait_done(client: TestClient, op_id: int, headers: dict[str, str], worker: ThreadWorker):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + 60
    while True:
        worker.check()
        op = client.get(f"/api/v1/operations/{op_id}", headers=headers).json()
        if op["state"] in (*DONE, "failed") or time.monotonic() > deadline:
            return op
        time.sleep(0.1)


def bond(cash: str, **changes: object) -> dict[str, object]:
    return {
        "asset_type": "bond",
        "name": "Green Bond 2031",
        "symbol": "GB31",
        "decimals": 0,
        "cap": "1000",
        "maturity": int(time.time()) + 365 * 86_400,
        "face_value": "1000.50",
        "denomination": cash,
        **changes,
    }


def test_each_type_is_created_through_an_operation(
    client: TestClient,
    users: dict[str, dict[str, str]],
    issuance: tuple[str, str],
    deployed: Scenario,
    worker: ThreadWorker,
) -> None:
    _, cash = issuance
    made = client.post("/api/v1/assets", json=bond(cash), headers=users["issuer"])
    assert made.status_code == 202, made.text
    [op_id] = made.json()["ids"]
    assert made.headers["location"] == f"/api/v1/operations/{op_id}"
    op = wait_done(client, op_id, users["issuer"], worker)
    assert op["kind"] == "create_asset" and op["state"] in DONE, op
    assert op["contract"].lower() == deployed.contracts.deployment.asset_factory.lower()
    result = op["result"]
    assert set(result["contracts"]) == {"bond"}
    assert result["admin"] == deployed.operator.address.lower()  # the worker's signer
    terms = CorporateActionContracts(deployed.w3, deployed.contracts.artifacts).bond(
        result["contracts"]["bond"]
    )
    assert terms.functions.FACE_VALUE().call() == 1_000_500_000  # 6 decimals
    assert terms.functions.CAP().call() == 1000
    asset = client.get(f"/api/v1/assets/{result['token']}", headers=users["issuer"])
    assert asset.status_code == 200, asset.text
    assert asset.json()["asset"]["symbol"] == "GB31"
    others = {
        "equity": ({"class_name": "Class A", "votes_per_share": 2}, {"distribution", "voting"}),
        "fund": ({"fee_bps": 50, "fee_receiver": cash}, {"distribution", "fee"}),
        "stablecoin": ({"collateral_topic": "RESERVE"}, {"minter"}),
        "deposit": ({}, set()),
    }
    ids = {}
    for kind, (params, _) in others.items():
        request = {"asset_type": kind, "name": f"A {kind}", "symbol": kind[:4].upper(), **params}
        made = client.post("/api/v1/assets", json=request, headers=users["admin"])
        assert made.status_code == 202, (kind, made.text)
        ids[kind] = made.json()["ids"][0]
    for kind, (_, companions) in others.items():
        op = wait_done(client, ids[kind], users["admin"], worker)
        assert op["state"] in DONE, (kind, op)
        assert set(op["result"]["contracts"]) == companions, kind
        token = deployed.contracts.token(op["result"]["token"])
        assert token.functions.name().call() == f"A {kind}"
    # the issuer sees their own operation; an investor cannot see it
    hidden = client.get(f"/api/v1/operations/{op_id}", headers=users["investor"])
    assert_problem(hidden, 404, "operation_not_found")


def test_a_retry_with_the_same_key_answers_the_same_operation(
    client: TestClient, users: dict[str, dict[str, str]]
) -> None:
    deposit = {"asset_type": "deposit", "name": "Term Deposit", "symbol": "TD1"}
    keyed = {**deposit, "idempotency_key": "td1-2026"}
    first = client.post("/api/v1/assets", json=keyed, headers=users["admin"])
    again = client.post("/api/v1/assets", json=keyed, headers=users["admin"])
    assert first.status_code == again.status_code == 202
    assert first.json() == again.json() and stored(client) == 1
    changed = client.post("/api/v1/assets", json={**keyed, "symbol": "TD2"}, headers=users["admin"])
    assert_problem(changed, 409, "idempotency_key_reused")
    assert stored(client) == 1


def test_bad_parameters_are_refused_by_field(
    client: TestClient,
    users: dict[str, dict[str, str]],
    issuance: tuple[str, str],
    deployed: Scenario,
) -> None:
    _, cash = issuance
    before = deployed.w3.eth.block_number
    cases = [
        (bond(cash, cap="-5"), "cap"),
        (bond(cash, cap="1.5"), "cap"),  # 0 decimals
        (bond(cash, face_value="abc"), "face_value"),
        (bond(cash, maturity=1_000), "maturity"),
        (bond(cash, denomination="0x" + "12" * 20), "denomination"),  # no contract there
        (bond(cash, denomination="0x12"), "bond.denomination"),
        (bond(cash, symbol="NO SPACES"), "bond.symbol"),
        (bond(cash, coupon_rate_bps=500), "coupon_start"),  # 0: in the past
        (
            bond(cash, coupon_rate_bps=500, coupon_start=int(time.time()) + 86_400),
            "coupon_interval",
        ),
        (bond(cash, class_name="A"), "bond.class_name"),
        (
            {"asset_type": "equity", "name": "E", "symbol": "E", "class_name": "x" * 33},
            "equity.class_name",
        ),
        (
            {
                "asset_type": "fund",
                "name": "F",
                "symbol": "F",
                "fee_bps": 10_001,
                "fee_receiver": cash,
            },
            "fund.fee_bps",
        ),
        ({"asset_type": "art", "name": "X", "symbol": "X"}, "request"),
    ]
    for request, field in cases:
        body = assert_problem(
            client.post("/api/v1/assets", json=request, headers=users["issuer"]), 422
        )
        assert field in [e["field"] for e in body["errors"]], (field, body)
    assert deployed.w3.eth.block_number == before  # nothing reached the chain
    assert stored(client) == 0  # nor the database
    assert_problem(
        client.post("/api/v1/assets", json=bond(cash), headers=users["compliance_officer"]),
        403,
        "forbidden",
    )
    enable(client, deployed, None)  # no AssetFactory: only deposits can be created
    assert_problem(
        client.post("/api/v1/assets", json=bond(cash), headers=users["admin"]),
        503,
        "asset_factory_unavailable",
    )
    deposit = {"asset_type": "deposit", "name": "Term Deposit", "symbol": "TD1"}
    assert client.post("/api/v1/assets", json=deposit, headers=users["admin"]).status_code == 202
    client.app.state.deps.asset_issuer = None
    assert_problem(
        client.post("/api/v1/assets", json=bond(cash), headers=users["admin"]),
        503,
        "asset_creation_unavailable",
    )
