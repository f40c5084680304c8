"""SecurityToken (and its admin extension, which logs from the token's address)."""

from rwakit.domain.cache_keys import asset_key, balance_key, portfolio_key
from rwakit.indexer.events import Event
from rwakit.indexer.handlers.common import record_only, role_granted, role_revoked, set_rule
from rwakit.indexer.state import Key, RangeState, Row

ZERO = "0x" + "0" * 40


def token_row(state: RangeState, token: str) -> Row:
    """The token's row; a stub until TokenCreated fills it (the token's constructor logs
    before the factory does)."""
    row = state.get("tokens", (token,))
    if row is not None:
        return row
    return {
        "address": token,
        "system": None,
        "admin": None,
        "creator": None,
        "name": None,
        "symbol": None,
        "decimals": None,
        "asset_type": None,
        "created_block": None,
        "created_time": None,
        "created_tx": None,
        "total_supply": 0,
        "holder_count": 0,
        "paused": True,
        "updated_block": state.block,
    }


def balance_row(state: RangeState, token: str, holder: str) -> Row:
    row = state.get("balances", (token, holder))
    if row is not None:
        return row
    return {
        "token": token,
        "holder": holder,
        "balance": 0,
        "frozen": False,
        "frozen_amount": 0,
        "updated_block": state.block,
    }


ROLLUP_PERIODS = {"hour": 3_600, "day": 86_400}


def transfer_keys(events: list[Event]) -> list[tuple[str, Key]]:
    """Rows a range's Transfers read, each named once, so the index loads them in one
    query per table."""
    holders, times = set(), set()
    for event in events:
        token, args = event.address, event.args
        holders.add((token, args["sender"]))
        holders.add((token, args["receiver"]))
        times.add((token, event.block_time))
    keys: list[tuple[str, Key]] = [("balances", key) for key in holders if key[1] != ZERO]
    keys += [("tokens", (token,)) for token in {token for token, _ in times}]
    keys += list(
        {
            ("token_rollups", (token, period, at - at % seconds))
            for token, at in times
            for period, seconds in ROLLUP_PERIODS.items()
        }
    )
    return keys


def _put_balance(state: RangeState, row: Row, changes: dict) -> None:
    state.put("balances", (row["token"], row["holder"]), {**row, **changes})
    state.touch(balance_key(row["token"], row["holder"]), portfolio_key(row["holder"]))


def _blank_balance(key: Key) -> Row:
    return {
        "token": key[0],
        "holder": key[1],
        "balance": 0,
        "frozen": False,
        "frozen_amount": 0,
        "updated_block": 0,
    }


def _blank_rollup(key: Key) -> Row:
    return {
        "token": key[0],
        "period": key[1],
        "bucket_start": key[2],
        "supply": 0,
        "holder_count": 0,
        "minted": 0,
        "burned": 0,
        "volume": 0,
        "transfer_count": 0,
        "updated_block": 0,
    }


_HOUR, _DAY = ROLLUP_PERIODS["hour"], ROLLUP_PERIODS["day"]


def transfer(event: Event, state: RangeState) -> None:
    """The hot path (most events are transfers): rows are edited in place, and the cache
    keys of the balances, tokens and rollups it changes are derived once per range from
    the changed rows (``RangeState.touch_rows``)."""
    token, args, block = event.address, event.args, event.block_number
    sender, receiver, amount = args["sender"], args["receiver"], args["value"]
    edit = state.edit
    holders = 0
    if sender == ZERO:
        kind = "mint"
    else:
        kind = "burn" if receiver == ZERO else "transfer"
        row = edit("balances", (token, sender), _blank_balance)
        before = row["balance"]
        row["balance"] = left = before - amount
        row["updated_block"] = block
        if before > 0 and left == 0:
            holders = -1
    if receiver != ZERO:
        row = edit("balances", (token, receiver), _blank_balance)
        before = row["balance"]
        if before == 0 and amount > 0:
            holders += 1
        row["balance"] = before + amount
        row["updated_block"] = block
    current = token_row(state, token)
    if kind != "transfer" or holders:
        supply = current["total_supply"]
        supply += amount if kind == "mint" else -amount if kind == "burn" else 0
        current = {
            **current,
            "total_supply": supply,
            "holder_count": current["holder_count"] + holders,
            "updated_block": block,
        }
        state.put("tokens", (token,), current)
    # the token's hour and day buckets: flows added, supply and holders as of now
    supply, holder_count = current["total_supply"], current["holder_count"]
    at = event.block_time
    # the block's bucket rows, edited once per block (``edit`` gives the same objects for
    # the rest of the block, so they are remembered for the block's other transfers)
    memo_key = ("rollups", token, block, at)
    buckets = state.memo.get(memo_key)
    if buckets is None:
        buckets = state.memo[memo_key] = (
            edit("token_rollups", (token, "hour", at - at % _HOUR), _blank_rollup),
            edit("token_rollups", (token, "day", at - at % _DAY), _blank_rollup),
        )
    for row in buckets:
        row["supply"] = supply
        row["holder_count"] = holder_count
        if kind == "transfer":
            row["volume"] += amount
            row["transfer_count"] += 1
        elif kind == "mint":
            row["minted"] += amount
        else:
            row["burned"] += amount
        row["updated_block"] = block
    state.transfers.append(
        {
            "block_number": block,
            "log_index": event.log_index,
            "token": token,
            "kind": kind,
            "sender": sender,
            "receiver": receiver,
            "amount": amount,
            "block_time": event.block_time,
            "tx_hash": event.tx_hash,
        }
    )


def address_frozen(event: Event, state: RangeState) -> None:
    row = balance_row(state, event.address, event.args["user_address"])
    _put_balance(state, row, {"frozen": event.args["is_frozen"], "updated_block": state.block})


def tokens_frozen(event: Event, state: RangeState) -> None:
    row = balance_row(state, event.address, event.args["user_address"])
    frozen = row["frozen_amount"] + event.args["amount"]
    _put_balance(state, row, {"frozen_amount": frozen, "updated_block": state.block})


def tokens_unfrozen(event: Event, state: RangeState) -> None:
    row = balance_row(state, event.address, event.args["user_address"])
    frozen = max(row["frozen_amount"] - event.args["amount"], 0)
    _put_balance(state, row, {"frozen_amount": frozen, "updated_block": state.block})


def recovery_success(event: Event, state: RangeState) -> None:
    # the lost wallet's freeze flag is cleared without an event of its own
    row = balance_row(state, event.address, event.args["lost_wallet"])
    _put_balance(state, row, {"frozen": False, "frozen_amount": 0, "updated_block": state.block})


def _paused(paused: bool):
    def handle(event: Event, state: RangeState) -> None:
        row = token_row(state, event.address)
        state.put(
            "tokens", (event.address,), {**row, "paused": paused, "updated_block": state.block}
        )
        state.touch(asset_key(event.address))

    return handle


def rule_changed(event: Event, state: RangeState) -> None:
    set_rule(event, state, "rule", str(event.args["rule"]), str(event.args["value"]))


def identity_expression_set(event: Event, state: RangeState) -> None:
    set_rule(event, state, "identity_expression", "", event.args["expression"])


def country_rule_set(event: Event, state: RangeState) -> None:
    subject = f"{event.args['rule']}:{event.args['country']}"
    set_rule(event, state, "country_rule", subject, True if event.args["listed"] else None)


def country_holder_cap_set(event: Event, state: RangeState) -> None:
    cap = event.args["cap"]
    set_rule(
        event, state, "country_holder_cap", str(event.args["country"]), str(cap) if cap else None
    )


def address_blocked(event: Event, state: RangeState) -> None:
    blocked = True if event.args["blocked"] else None
    set_rule(event, state, "blocked_address", event.args["user_address"], blocked)


HANDLERS = {
    "Transfer": transfer,
    "AddressFrozen": address_frozen,
    "TokensFrozen": tokens_frozen,
    "TokensUnfrozen": tokens_unfrozen,
    "RecoverySuccess": recovery_success,
    "Paused": _paused(True),
    "Unpaused": _paused(False),
    "RoleGranted": role_granted,
    "RoleRevoked": role_revoked,
    "RuleChanged": rule_changed,
    "IdentityExpressionSet": identity_expression_set,
    "CountryRuleSet": country_rule_set,
    "CountryHolderCapSet": country_holder_cap_set,
    "AddressBlocked": address_blocked,
    "TransferApproved": record_only,
    "SnapshotScheduled": record_only,
}
IGNORED = {
    "Approval": "ERC-20 allowances are not part of the read model; the API reads them live",
}
PREFETCH = {"Transfer": transfer_keys}
# events with a table of their own, so they are not copied into the generic event log
DEDICATED = {"Transfer"}
