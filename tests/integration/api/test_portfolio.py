"""Portfolio from the read model: own for everyone, anyone's for staff; cached until the
change feed names the holder."""

from fastapi.testclient import TestClient
from sqlalchemy import insert, update

from rwakit.store.read_model_tables import balances, tokens
from tests.integration.api.conftest import ApiStack, assert_problem
from tests.integration.api.test_assets_and_cache import poll, publish

TOKEN = "0x" + "7e" * 20


def seed(client: TestClient, holder: str, balance: int) -> None:
    with client.app.state.deps.engine.begin() as conn:
        conn.execute(
            insert(tokens).values(
                address=TOKEN,
                name="Demo Fund",
                symbol="DFND",
                decimals=2,
                asset_type="fund",
                total_supply=balance,
                holder_count=1,
                paused=False,
                updated_block=1,
            )
        )
        conn.execute(
            insert(balances).values(
                token=TOKEN,
                holder=holder,
                balance=balance,
                frozen=False,
                frozen_amount=0,
                updated_block=1,
            )
        )


def test_own_portfolio_cached_until_invalidated(
    client: TestClient, api_stack: ApiStack, users: dict[str, dict[str, str]]
) -> None:
    wallet = client.get("/api/v1/users/me", headers=users["investor"]).json()["wallet"].lower()
    seed(client, wallet, 12_345)
    mine = client.get("/api/v1/portfolio", headers=users["investor"])
    assert mine.status_code == 200, mine.text
    assert mine.json() == {
        "holder": wallet,
        "holdings": [
            {
                "token": TOKEN,
                "symbol": "DFND",
                "name": "Demo Fund",
                "balance": "123.45",
                "frozen": False,
                "frozen_amount": "0",
            }
        ],
    }
    with client.app.state.deps.engine.begin() as conn:
        conn.execute(update(balances).values(balance=99))
    assert client.get("/api/v1/portfolio", headers=users["investor"]).content == mine.content
    publish(client, api_stack, [f"portfolio:{wallet}"])
    assert poll(
        lambda: (
            client.get("/api/v1/portfolio", headers=users["investor"]).json()["holdings"][0][
                "balance"
            ]
            == "0.99"
        )
    )
    staff = client.get(f"/api/v1/portfolio/{wallet}", headers=users["compliance_officer"])
    assert staff.json()["holdings"][0]["balance"] == "0.99"
    assert_problem(
        client.get(f"/api/v1/portfolio/{wallet}", headers=users["investor"]), 403, "forbidden"
    )
    assert_problem(client.get("/api/v1/portfolio/0xzz", headers=users["issuer"]), 422)
