"""A system's rollups on SQLite and PostgreSQL: assets by type, activity per bucket summed
over the system's tokens only, top holders; and bad arguments refused."""

import pytest
from sqlalchemy import insert

from rwakit.store.read_model import AssetTypeCount, ReadModel, SystemActivity
from rwakit.store.read_model_tables import balances, token_rollups, tokens

SYSTEM, OTHER_SYSTEM = "0x" + "5a" * 20, "0x" + "5b" * 20
DAY = 86_400


def _token(n: int, system: str, asset_type: str | None, holders: int) -> dict:
    return {
        "address": f"0x{n:040x}",
        "system": system,
        "name": f"T{n}",
        "symbol": f"T{n}",
        "decimals": 18,
        "asset_type": asset_type,
        "created_block": n,
        "created_time": n,
        "created_tx": "0x" + "00" * 32,
        "total_supply": 10**30,
        "holder_count": holders,
        "paused": False,
        "updated_block": n,
    }


def _rollup(n: int, period: str, bucket: int, count: int) -> dict:
    return {
        "token": f"0x{n:040x}",
        "period": period,
        "bucket_start": bucket,
        "supply": 10**30,
        "holder_count": 1,
        "minted": 0,
        "burned": 0,
        "volume": 2**70,
        "transfer_count": count,
        "updated_block": 1,
    }


@pytest.fixture
def seeded(engine):
    with engine.begin() as conn:
        conn.execute(
            insert(tokens),
            [
                _token(1, SYSTEM, "bond", 3),
                _token(2, SYSTEM, "bond", 4),
                _token(3, SYSTEM, "equity", 0),
                _token(4, SYSTEM, None, 1),  # a stub whose TokenCreated is not indexed
                _token(5, OTHER_SYSTEM, "bond", 9),
            ],
        )
        conn.execute(
            insert(token_rollups),
            [
                _rollup(1, "day", 0, 5),
                _rollup(2, "day", 0, 7),
                _rollup(1, "day", DAY, 1),
                _rollup(3, "day", 2 * DAY, 0),  # only mints that day
                _rollup(5, "day", 0, 100),  # another system's
                _rollup(1, "hour", 0, 5),
            ],
        )
        conn.execute(
            insert(balances),
            [
                {
                    "token": f"0x{1:040x}",
                    "holder": f"0x{h:040x}",
                    "balance": b,
                    "frozen": False,
                    "frozen_amount": 0,
                    "updated_block": 1,
                }
                for h, b in ((11, 5), (12, 2**200), (13, 7), (14, 0))
            ],
        )
    return engine


def test_assets_by_type_counts_one_system(seeded) -> None:
    model = ReadModel(seeded)
    assert sorted(model.assets_by_type(SYSTEM.upper().replace("0X", "0x")), key=repr) == sorted(
        [
            AssetTypeCount("bond", 2, 7),
            AssetTypeCount("equity", 1, 0),
            AssetTypeCount(None, 1, 1),
        ],
        key=repr,
    )
    assert model.assets_by_type("0x" + "99" * 20) == []


def test_activity_sums_the_systems_tokens_per_bucket(seeded) -> None:
    model = ReadModel(seeded)
    assert model.system_activity(SYSTEM, "day", 0, 10 * DAY) == [
        SystemActivity(0, 12, 2),
        SystemActivity(DAY, 1, 1),
        SystemActivity(2 * DAY, 0, 1),
    ]
    assert model.system_activity(SYSTEM, "day", DAY, 2 * DAY) == [SystemActivity(DAY, 1, 1)]
    assert model.system_activity(SYSTEM, "hour", 0, DAY) == [SystemActivity(0, 5, 1)]
    assert model.system_activity(OTHER_SYSTEM, "day", 0, DAY) == [SystemActivity(0, 100, 1)]


def test_top_holders_largest_first(seeded) -> None:
    top = ReadModel(seeded).top_holders(f"0x{1:040x}", 2)
    assert [(h.holder[-2:], h.balance) for h in top] == [("0c", 2**200), ("0d", 7)]


@pytest.mark.parametrize(
    "call",
    [
        lambda m: m.assets_by_type("not an address"),
        lambda m: m.system_activity("0x12", "day", 0, 1),
        lambda m: m.system_activity(SYSTEM, "week", 0, 1),
        lambda m: m.system_activity(SYSTEM, "day", 5, 4),
        lambda m: m.system_activity(SYSTEM, "day", -1, 4),
        lambda m: m.system_activity(SYSTEM, "day", 0, True),
        lambda m: m.top_holders(f"0x{1:040x}", 0),
        lambda m: m.top_holders(f"0x{1:040x}", 501),
    ],
)
def test_bad_arguments_are_refused(engine, call) -> None:
    with pytest.raises(ValueError):
        call(ReadModel(engine))
