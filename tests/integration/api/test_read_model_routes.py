"""The read-model endpoints: asset list and search, holders, transfers, events, stats,
identities, topics, trusted issuers, compliance rules and the ops status — each with its
good case, its bad input and (for lists) two keyset pages that neither overlap nor skip."""

import time

from fastapi.testclient import TestClient
from sqlalchemy import insert, update

from rwakit.store.read_model_tables import (
    balances,
    chain_events,
    claim_topics,
    claims,
    compliance_rules,
    identities,
    indexer_cursors,
    token_rollups,
    tokens,
    transfers,
    trusted_issuers,
)
from tests.integration.api.conftest import ApiStack, assert_problem
from tests.integration.api.test_assets_and_cache import poll, publish

BOND = "0x" + "b0" * 20
FUND = "0x" + "f0" * 20
UNKNOWN = "0x" + "99" * 20


def holder(n: int) -> str:
    return "0x" + f"{n:040x}"


def _token(address: str, name: str, symbol: str, asset_type: str, block: int) -> dict:
    return {
        "address": address,
        "name": name,
        "symbol": symbol,
        "decimals": 2,
        "asset_type": asset_type,
        "total_supply": 1_000_00,
        "holder_count": 5,
        "paused": False,
        "created_block": block,
        "updated_block": block,
    }


def seed(client: TestClient) -> None:
    with client.app.state.deps.engine.begin() as conn:
        conn.execute(
            insert(tokens),
            [
                _token(BOND, "Green Bond 2030", "GB30", "bond", 1),
                _token(FUND, "Money Fund", "MMF", "fund", 2),
            ],
        )
        conn.execute(
            insert(balances),
            [
                {
                    "token": BOND,
                    "holder": holder(n),
                    "balance": {3: 200, 5: 10**30}.get(n, 100 * n),  # 2 and 3 tie; 5 > 2**64
                    "frozen": n == 1,
                    "frozen_amount": 0,
                    "updated_block": 1,
                }
                for n in range(1, 6)
            ],
        )
        conn.execute(
            insert(transfers),
            [
                {
                    "block_number": 10 + n // 2,
                    "log_index": n % 2,
                    "token": BOND,
                    "kind": "mint" if n == 0 else "transfer",
                    "sender": holder(0) if n == 0 else holder(1),
                    "receiver": holder(2),
                    "amount": 150,
                    "block_time": 1_000 + 10 * n,
                    "tx_hash": "0x" + f"{n:064x}",
                }
                for n in range(6)
            ],
        )
        conn.execute(
            insert(chain_events),
            [
                {
                    "block_number": 20 + n,
                    "log_index": 0,
                    "contract": BOND,
                    "name": "Paused" if n % 2 else "Unpaused",
                    "args": {"account": holder(1)},
                    "block_time": 2_000 + n,
                    "tx_hash": "0x" + f"{n + 100:064x}",
                }
                for n in range(5)
            ],
        )


def test_asset_list_searches_and_pages(
    client: TestClient, users: dict[str, dict[str, str]]
) -> None:
    seed(client)
    investor = users["investor"]
    everything = client.get("/api/v1/assets", headers=investor)
    assert everything.status_code == 200, everything.text
    assert [a["address"] for a in everything.json()["items"]] == [BOND, FUND]
    assert everything.json()["items"][0]["total_supply"] == "1000"
    assert everything.json()["next"] is None
    by_name = client.get("/api/v1/assets", params={"q": "green"}, headers=investor).json()
    assert [a["symbol"] for a in by_name["items"]] == ["GB30"]
    by_symbol = client.get("/api/v1/assets", params={"q": "mmf"}, headers=investor).json()
    assert [a["symbol"] for a in by_symbol["items"]] == ["MMF"]
    wildcard = client.get("/api/v1/assets", params={"q": "%"}, headers=investor).json()
    assert wildcard["items"] == []  # LIKE wildcards are matched literally
    by_type = client.get("/api/v1/assets", params={"type": "fund"}, headers=investor).json()
    assert [a["address"] for a in by_type["items"]] == [FUND]
    first = client.get("/api/v1/assets", params={"limit": 1}, headers=investor).json()
    second = client.get(
        "/api/v1/assets", params={"limit": 1, "after": first["next"]}, headers=investor
    ).json()
    assert [first["items"][0]["address"], second["items"][0]["address"]] == [BOND, FUND]
    assert second["next"] is None
    body = assert_problem(
        client.get("/api/v1/assets", params={"type": "art"}, headers=investor), 422
    )
    assert body["errors"][0]["field"] == "type"
    for bad in ({"limit": 0}, {"limit": 501}, {"after": "not-a-cursor"}, {"q": ""}):
        assert_problem(client.get("/api/v1/assets", params=bad, headers=investor), 422)


def test_asset_list_first_page_is_cached_until_the_feed_names_it(
    client: TestClient, api_stack: ApiStack, users: dict[str, dict[str, str]]
) -> None:
    seed(client)
    admin = users["admin"]
    before = client.get("/api/v1/assets", headers=admin)
    with client.app.state.deps.engine.begin() as conn:
        conn.execute(update(tokens).where(tokens.c.address == BOND).values(paused=True))
    assert client.get("/api/v1/assets", headers=admin).content == before.content
    publish(client, api_stack, ["assets"])
    assert poll(
        lambda: client.get("/api/v1/assets", headers=admin).json()["items"][0]["paused"] is True
    )


def test_holders_by_balance_in_keyset_pages(
    client: TestClient, users: dict[str, dict[str, str]]
) -> None:
    seed(client)
    issuer = users["issuer"]
    url = f"/api/v1/assets/{BOND}/holders"
    seen: list[str] = []
    after = None
    for _ in range(3):
        params = {"limit": 2} | ({"after": after} if after else {})
        page = client.get(url, params=params, headers=issuer)
        assert page.status_code == 200, page.text
        seen += [h["holder"] for h in page.json()["items"]]
        after = page.json()["next"]
        if after is None:
            break
    # largest first; the tie (200) ordered by address, descending
    assert seen == [holder(5), holder(4), holder(3), holder(2), holder(1)]
    top = client.get(url, params={"limit": 1}, headers=issuer).json()
    assert top["items"] == [
        {"holder": holder(5), "balance": "1" + "0" * 28, "frozen": False, "frozen_amount": "0"}
    ]
    after_top = client.get(url, params={"limit": 1, "after": top["next"]}, headers=issuer)
    assert after_top.json()["items"][0]["holder"] == holder(4)
    assert_problem(client.get(url, headers=users["investor"]), 403, "forbidden")
    assert_problem(
        client.get(f"/api/v1/assets/{UNKNOWN}/holders", headers=issuer), 404, "asset_not_found"
    )
    body = assert_problem(client.get("/api/v1/assets/0x12/holders", headers=issuer), 422)
    assert body["errors"][0]["field"] == "address"
    foreign = client.get(
        url, params={"after": first_cursor_of_transfers(client, issuer)}, headers=issuer
    )
    assert_problem(foreign, 422, "validation_failed")


def first_cursor_of_transfers(client: TestClient, headers: dict[str, str]) -> str:
    page = client.get(f"/api/v1/assets/{BOND}/transfers", params={"limit": 1}, headers=headers)
    return page.json()["next"]


def test_transfers_newest_first_with_window_and_pages(
    client: TestClient, users: dict[str, dict[str, str]]
) -> None:
    seed(client)
    staff = users["compliance_officer"]
    url = f"/api/v1/assets/{BOND}/transfers"
    first = client.get(url, params={"limit": 4}, headers=staff).json()
    second = client.get(url, params={"limit": 4, "after": first["next"]}, headers=staff).json()
    positions = [(t["block_number"], t["log_index"]) for t in first["items"] + second["items"]]
    assert positions == sorted(positions, reverse=True)
    assert len(set(positions)) == 6 and second["next"] is None
    assert first["items"][0]["amount"] == "1.5"
    assert positions[-1] == (10, 0) and second["items"][-1]["kind"] == "mint"
    window = client.get(url, params={"since": 1_010, "until": 1_030}, headers=staff).json()
    assert [t["block_time"] for t in window["items"]] == [1_020, 1_010]
    body = assert_problem(client.get(url, params={"since": 5, "until": 4}, headers=staff), 422)
    assert body["errors"] == [{"field": "since", "message": "must not be after until (4)"}]
    assert_problem(client.get(url, params={"since": -1}, headers=staff), 422)
    assert_problem(client.get(url, headers=users["investor"]), 403)
    assert_problem(
        client.get(f"/api/v1/assets/{UNKNOWN}/transfers", headers=staff), 404, "asset_not_found"
    )


def test_events_newest_first_filtered_by_name(
    client: TestClient, users: dict[str, dict[str, str]]
) -> None:
    seed(client)
    admin = users["admin"]
    url = f"/api/v1/assets/{BOND}/events"
    first = client.get(url, params={"limit": 3}, headers=admin).json()
    second = client.get(url, params={"limit": 3, "after": first["next"]}, headers=admin).json()
    blocks = [e["block_number"] for e in first["items"] + second["items"]]
    assert blocks == [24, 23, 22, 21, 20] and second["next"] is None
    assert first["items"][0]["args"] == {"account": holder(1)}
    paused = client.get(url, params={"name": "Paused"}, headers=admin).json()
    assert [e["block_number"] for e in paused["items"]] == [23, 21]
    assert_problem(client.get(url, params={"after": "AAAA"}, headers=admin), 422)


def test_stats_from_rollups_cached_until_the_feed_names_the_token(
    client: TestClient, api_stack: ApiStack, users: dict[str, dict[str, str]]
) -> None:
    seed(client)
    today = int(time.time()) // 86_400 * 86_400
    with client.app.state.deps.engine.begin() as conn:
        conn.execute(
            insert(token_rollups),
            [
                {
                    "token": BOND,
                    "period": "day",
                    "bucket_start": start,
                    "supply": 50_000,
                    "holder_count": 3,
                    "minted": 50_000,
                    "burned": 0,
                    "volume": 1_250,
                    "transfer_count": 2,
                    "updated_block": 1,
                }
                for start in (today - 40 * 86_400, today - 86_400, today)
            ],
        )
    investor = users["investor"]
    url = f"/api/v1/assets/{BOND}/stats"
    month = client.get(url, params={"range": "30d", "bucket": "day"}, headers=investor)
    assert month.status_code == 200, month.text
    body = month.json()
    assert [b["bucket_start"] for b in body["buckets"]] == [today - 86_400, today]
    assert body["buckets"][0]["supply"] == "500" and body["buckets"][0]["volume"] == "12.5"
    assert body["until"] == today + 86_400 and body["since"] == today + 86_400 - 30 * 86_400
    year = client.get(url, params={"range": "365d"}, headers=investor).json()
    assert len(year["buckets"]) == 3
    with client.app.state.deps.engine.begin() as conn:
        conn.execute(update(token_rollups).values(volume=0))
    assert client.get(url, params={"range": "30d"}, headers=investor).content == month.content
    publish(client, api_stack, [f"stats:{BOND}"])
    assert poll(lambda: client.get(url, headers=investor).json()["buckets"][0]["volume"] == "0")
    hourly = client.get(url, params={"range": "1d", "bucket": "hour"}, headers=investor)
    assert hourly.status_code == 200 and hourly.json()["buckets"] == []
    body = assert_problem(
        client.get(url, params={"range": "90d", "bucket": "hour"}, headers=investor), 422
    )
    assert body["errors"][0]["field"] == "range"
    assert_problem(client.get(url, params={"range": "2w"}, headers=investor), 422)
    assert_problem(
        client.get(f"/api/v1/assets/{UNKNOWN}/stats", headers=investor), 404, "asset_not_found"
    )


def test_identity_with_claims_own_for_investors(
    client: TestClient, users: dict[str, dict[str, str]]
) -> None:
    wallet = client.get("/api/v1/users/me", headers=users["investor"]).json()["wallet"].lower()
    other = holder(7)
    with client.app.state.deps.engine.begin() as conn:
        conn.execute(
            insert(identities),
            [
                {
                    "wallet": w,
                    "identity_id": 2**200,
                    "country": 276,
                    "status": 1,
                    "updated_block": 1,
                }
                for w in (wallet, other)
            ],
        )
        conn.execute(
            insert(claims).values(
                wallet=wallet, topic="0x01", issuer=holder(9), expiry=2**256 - 1, updated_block=1
            )
        )
    mine = client.get(f"/api/v1/identities/{wallet}", headers=users["investor"])
    assert mine.status_code == 200, mine.text
    assert mine.json() == {
        "wallet": wallet,
        "identity_id": str(2**200),
        "country": 276,
        "status": "active",
        "claims": [{"topic": "0x01", "issuer": holder(9), "expiry": str(2**256 - 1)}],
    }
    assert_problem(
        client.get(f"/api/v1/identities/{other}", headers=users["investor"]),
        404,
        "identity_not_found",
    )
    staff = client.get(f"/api/v1/identities/{other}", headers=users["compliance_officer"])
    assert staff.json()["claims"] == []
    assert_problem(
        client.get(f"/api/v1/identities/{UNKNOWN}", headers=users["admin"]),
        404,
        "identity_not_found",
    )
    body = assert_problem(client.get("/api/v1/identities/0xnope", headers=users["admin"]), 422)
    assert body["errors"][0]["field"] == "wallet"


def test_topics_trusted_issuers_and_rules_in_pages(
    client: TestClient, users: dict[str, dict[str, str]], registry: str
) -> None:
    seed(client)
    with client.app.state.deps.engine.begin() as conn:
        conn.execute(
            insert(claim_topics),
            [{"topic": f"0x0{n}", "name": f"topic {n}"} for n in range(1, 4)],
        )
        conn.execute(
            insert(trusted_issuers),
            [
                {"issuer": holder(i), "topic": f"0x0{t}", "position": t, "updated_block": 1}
                for i in (8, 9)
                for t in (1, 2)
            ],
        )
        conn.execute(
            insert(compliance_rules),
            [
                {
                    "contract": BOND,
                    "kind": "country_holder_cap",
                    "subject": "276",
                    "value": 100,
                    "updated_block": 1,
                },
                {
                    "contract": BOND,
                    "kind": "blocked_address",
                    "subject": holder(4),
                    "value": True,
                    "updated_block": 2,
                },
                {
                    "contract": registry,
                    "kind": "global_country_block",
                    "subject": "408",
                    "value": True,
                    "updated_block": 3,
                },
            ],
        )
    investor = users["investor"]
    first = client.get("/api/v1/topics", params={"limit": 2}, headers=investor).json()
    second = client.get(
        "/api/v1/topics", params={"limit": 2, "after": first["next"]}, headers=investor
    ).json()
    assert [t["topic"] for t in first["items"] + second["items"]] == ["0x01", "0x02", "0x03"]
    assert second["next"] is None
    pairs = []
    after = None
    while True:
        params = {"limit": 3} | ({"after": after} if after else {})
        page = client.get("/api/v1/trusted-issuers", params=params, headers=investor).json()
        pairs += [(t["issuer"], t["topic"]) for t in page["items"]]
        after = page["next"]
        if after is None:
            break
    assert pairs == [(holder(i), f"0x0{t}") for i in (8, 9) for t in (1, 2)]
    only = client.get("/api/v1/trusted-issuers", params={"topic": "0x02"}, headers=investor)
    assert [t["issuer"] for t in only.json()["items"]] == [holder(8), holder(9)]
    rules = client.get(f"/api/v1/assets/{BOND}/rules", params={"limit": 1}, headers=investor)
    assert rules.json()["items"] == [
        {"kind": "blocked_address", "subject": holder(4), "value": True, "updated_block": 2}
    ]
    rest = client.get(
        f"/api/v1/assets/{BOND}/rules", params={"after": rules.json()["next"]}, headers=investor
    ).json()
    assert [r["kind"] for r in rest["items"]] == ["country_holder_cap"] and rest["next"] is None
    global_rules = client.get("/api/v1/compliance/rules", headers=investor).json()
    assert global_rules["contract"] == registry
    assert [r["subject"] for r in global_rules["items"]] == ["408"]
    assert_problem(
        client.get(f"/api/v1/assets/{UNKNOWN}/rules", headers=investor), 404, "asset_not_found"
    )
    assert_problem(
        client.get("/api/v1/trusted-issuers", params={"after": "%%"}, headers=investor), 422
    )


def test_ops_status_shows_indexer_lag_and_pending_depth(
    client: TestClient, users: dict[str, dict[str, str]], token: str
) -> None:
    with client.app.state.deps.engine.begin() as conn:
        conn.execute(
            insert(indexer_cursors).values(
                chain_id=31337, block_number=0, block_hash="0x00", updated_at=time.time() - 5
            )
        )
    to = client.get("/api/v1/users/me", headers=users["investor"]).json()["wallet"]
    minted = client.post(
        "/api/v1/operations",
        json={"kind": "mint", "contract": token, "params": {"to": to, "amount": "1"}},
        headers=users["issuer"],
    )
    assert minted.status_code == 202, minted.text
    status = client.get("/api/v1/ops/status", headers=users["admin"])
    assert status.status_code == 200, status.text
    body = status.json()
    assert body["chain_head"] > 0 and body["rpc_endpoints"] is None
    assert body["pending_operations"] == 1
    [indexer] = body["indexers"]
    assert indexer["lag_blocks"] == body["chain_head"]
    assert indexer["seconds_since_update"] >= 5
    assert_problem(client.get("/api/v1/ops/status", headers=users["issuer"]), 403, "forbidden")
