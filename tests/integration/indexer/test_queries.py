"""The read-model queries on SQLite and PostgreSQL: keyset pages, portfolio, holders by
balance, token list, and uint256 amounts that round-trip and sort above int64."""

import pytest
from sqlalchemy import insert

from rwakit.store.read_model import ReadModel
from rwakit.store.read_model_tables import balances, tokens, transfers
from rwakit.store.transfers_query import TransferHistory

TOKEN = "0x" + "aa" * 20
OTHER = "0x" + "bb" * 20
HUGE = 2**256 - 1


def _holder(i: int) -> str:
    return f"0x{i:040x}"


def _token(address: str, symbol: str, created: int, asset_type: str = "bond") -> dict:
    return {
        "address": address,
        "system": "0x" + "cc" * 20,
        "name": symbol.title(),
        "symbol": symbol,
        "decimals": 18,
        "asset_type": asset_type,
        "created_block": created,
        "created_time": 1_000 + created,
        "created_tx": "0x" + "00" * 32,
        "total_supply": HUGE,
        "holder_count": 3,
        "paused": False,
        "updated_block": created,
    }


def _balance(token: str, holder: str, amount: int, frozen: bool = False) -> dict:
    return {
        "token": token,
        "holder": holder,
        "balance": amount,
        "frozen": frozen,
        "frozen_amount": 0,
        "updated_block": 1,
    }


@pytest.fixture
def seeded(engine):
    rows = []
    for block in range(1, 41):  # 40 blocks, 3 logs each, one block per 100 s
        for log_index in range(3):
            rows.append(
                {
                    "block_number": block,
                    "log_index": log_index,
                    "token": TOKEN if log_index < 2 else OTHER,
                    "kind": "transfer",
                    "sender": _holder(1),
                    "receiver": _holder(2),
                    "amount": 2**64 + block,
                    "block_time": block * 100,
                    "tx_hash": f"0x{block:064x}",
                }
            )
    with engine.begin() as conn:
        conn.execute(insert(transfers), rows)
        conn.execute(insert(tokens), [_token(TOKEN, "AAA", 1), _token(OTHER, "BBB", 2, "fund")])
        conn.execute(
            insert(balances),
            [
                _balance(TOKEN, _holder(1), HUGE),
                _balance(TOKEN, _holder(2), 2**63 + 1),
                _balance(TOKEN, _holder(3), 9),
                _balance(TOKEN, _holder(4), 9),
                _balance(TOKEN, _holder(5), 0, frozen=True),
                _balance(OTHER, _holder(2), 5),
            ],
        )
    return engine


def test_transfer_pages_walk_the_window_newest_first_without_gaps(seeded) -> None:
    history = TransferHistory(seeded)
    seen, after = [], None
    while True:
        page = history.page(TOKEN, since=1_000, until=3_500, after=after, limit=7)
        seen += page.items
        after = page.next_cursor
        if after is None:
            break
    # blocks 10..34 (block_time in [1000, 3500)), two logs of TOKEN each
    assert [(r.block_number, r.log_index) for r in seen] == [
        (b, i) for b in range(34, 9, -1) for i in (1, 0)
    ]
    assert all(r.token == TOKEN and r.amount == 2**64 + r.block_number for r in seen)


def test_transfer_page_without_window_and_its_bad_input(seeded) -> None:
    history = TransferHistory(seeded)
    first = history.page(TOKEN.upper().replace("0X", "0x"), limit=50)
    assert len(first.items) == 50 and first.next_cursor == (16, 0)
    last = history.page(TOKEN, after=first.next_cursor)
    assert len(last.items) == 30 and last.next_cursor is None
    for bad in (
        {"token": "0x12"},
        {"token": TOKEN, "limit": 0},
        {"token": TOKEN, "limit": 501},
        {"token": TOKEN, "limit": True},
        {"token": TOKEN, "since": 5, "until": 4},
        {"token": TOKEN, "after": (1,)},
        {"token": TOKEN, "after": (1, -1)},
    ):
        token = bad.pop("token")
        with pytest.raises(ValueError):
            history.page(token, **bad)


def test_portfolio_holders_and_tokens(seeded) -> None:
    model = ReadModel(seeded)
    holdings = model.portfolio(_holder(2))
    assert [(h.symbol, h.balance) for h in holdings] == [("AAA", 2**63 + 1), ("BBB", 5)]
    assert [h.frozen for h in model.portfolio(_holder(5))] == [True]  # frozen, empty: listed
    assert model.portfolio(_holder(9)) == []

    page = model.holders(TOKEN, limit=2)
    assert [(h.holder, h.balance) for h in page.items] == [
        (_holder(1), HUGE),
        (_holder(2), 2**63 + 1),
    ]
    rest = model.holders(TOKEN, after=page.next_cursor, limit=2)
    assert [h.holder for h in rest.items] == [_holder(4), _holder(3)] and rest.next_cursor is None

    assert [t.symbol for t in model.tokens()] == ["AAA", "BBB"]
    assert [t.symbol for t in model.tokens("fund")] == ["BBB"]
    assert model.token(TOKEN).total_supply == HUGE
    assert model.token(_holder(7)) is None
    with pytest.raises(ValueError):
        model.portfolio("not an address")
    with pytest.raises(ValueError):
        model.holders(TOKEN, after=(-1, _holder(1)))


def test_rollup_query_checks_its_arguments(engine) -> None:
    model = ReadModel(engine)
    assert model.rollups(TOKEN, "day", 0, 10) == []
    for bad in (("week", 0, 1), ("day", 5, 4), ("day", -1, 4), ("day", 0, True)):
        with pytest.raises(ValueError):
            model.rollups(TOKEN, *bad)


def test_amounts_outside_uint256_are_refused(engine) -> None:
    with pytest.raises(Exception, match="uint256"), engine.begin() as conn:
        conn.execute(insert(balances), [_balance(TOKEN, _holder(1), 2**256)])
