"""``POST /assets``: each asset type created on the session anvil with its companion
contracts; bad parameters refused field by field before anything is sent to the chain."""

import time

from fastapi.testclient import TestClient

from rwakit.api.wiring import attach_asset_issuer
from rwakit.bench.scenario import Scenario
from rwakit.chain.corporate_actions import CorporateActionContracts
from rwakit.config import ANVIL_DEV_KEY
from tests.integration.api.conftest import assert_problem


def enable(client: TestClient, deployed: Scenario, factory: str | None) -> None:
    attach_asset_issuer(client.app.state.deps, deployed.contracts, ANVIL_DEV_KEY, factory)


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


def test_each_type_is_created_with_its_companions(
    client: TestClient,
    users: dict[str, dict[str, str]],
    issuance: tuple[str, str],
    deployed: Scenario,
) -> None:
    factory, cash = issuance
    enable(client, deployed, factory)
    made = client.post("/api/v1/assets", json=bond(cash), headers=users["issuer"])
    assert made.status_code == 201, made.text
    body = made.json()
    assert body["asset_type"] == "bond" and set(body["contracts"]) == {"bond"}
    assert made.headers["location"] == f"/api/v1/assets/{body['address']}"
    terms = CorporateActionContracts(deployed.w3, deployed.contracts.artifacts).bond(
        body["contracts"]["bond"]
    )
    assert terms.functions.FACE_VALUE().call() == 1_000_500_000  # 6 decimals
    assert terms.functions.CAP().call() == 1000
    token = deployed.contracts.token(body["address"])
    assert token.functions.symbol().call() == "GB31"
    others = {
        "equity": ({"class_name": "Class A", "votes_per_share": 2}, {"distribution", "voting"}),
        "fund": ({"fee_bps": 50, "fee_receiver": cash}, {"distribution", "fee"}),
        "stablecoin": ({"collateral_topic": "RESERVE"}, {"minter"}),
        "deposit": ({}, set()),
    }
    for kind, (params, companions) in others.items():
        request = {"asset_type": kind, "name": f"A {kind}", "symbol": kind[:4].upper(), **params}
        made = client.post("/api/v1/assets", json=request, headers=users["admin"])
        assert made.status_code == 201, (kind, made.text)
        assert set(made.json()["contracts"]) == companions, kind
        token = deployed.contracts.token(made.json()["address"])
        assert token.functions.name().call() == f"A {kind}"


def test_bad_parameters_are_refused_by_field(
    client: TestClient,
    users: dict[str, dict[str, str]],
    issuance: tuple[str, str],
    deployed: Scenario,
) -> None:
    factory, cash = issuance
    enable(client, deployed, factory)
    before = deployed.w3.eth.block_number
    cases = [
        (bond(cash, cap="-5"), "cap"),
        (bond(cash, cap="1.5"), "cap"),  # 0 decimals
        (bond(cash, face_value="abc"), "face_value"),
        (bond(cash, maturity=1_000), "maturity"),
        (bond(cash, denomination="0x" + "12" * 20), "denomination"),  # no contract there
        (bond(cash, denomination="0x12"), "bond.denomination"),
        (bond(cash, symbol="NO SPACES"), "bond.symbol"),
        (bond(cash, coupon_rate_bps=500), "coupon_interval"),
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
    assert client.post("/api/v1/assets", json=deposit, headers=users["admin"]).status_code == 201
    client.app.state.deps.asset_issuer = None
    assert_problem(
        client.post("/api/v1/assets", json=bond(cash), headers=users["admin"]),
        503,
        "asset_creation_unavailable",
    )
