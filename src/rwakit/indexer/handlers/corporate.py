"""What the corporate-action handlers share: the contracts the index follows, the token a
contract serves, and rows of the corporate-action payment ledger (``asset_payments``)."""

from rwakit.domain.cache_keys import asset_key, portfolio_key
from rwakit.indexer.events import Event
from rwakit.indexer.state import RangeState, Row

ZERO = "0x" + "0" * 40


def follow(event: Event, state: RangeState, address: str, kind: str, token: str | None) -> None:
    """Record a contract the index follows from now on (the fetcher asks for its logs)."""
    if address == ZERO or state.get("asset_contracts", (address,)) is not None:
        return
    row = {
        "address": address,
        "kind": kind,
        "token": token,
        "created_block": event.block_number,
        "created_tx": event.tx_hash,
        "updated_block": event.block_number,
    }
    state.put("asset_contracts", (address,), row)


def served_token(state: RangeState, address: str) -> str | None:
    row = state.get("asset_contracts", (address,))
    return row["token"] if row else None


def pay(
    event: Event,
    state: RangeState,
    kind: str,
    amount: int,
    *,
    account: str | None = None,
    reference: object = None,
    asset: str | None = None,
) -> None:
    """One row of the payment ledger for ``event``."""
    token = served_token(state, event.address)
    state.payments.append(
        {
            "block_number": event.block_number,
            "log_index": event.log_index,
            "contract": event.address,
            "token": token,
            "kind": kind,
            "account": account,
            "asset": asset,
            "reference": None if reference is None else str(reference),
            "amount": amount,
            "block_time": event.block_time,
            "tx_hash": event.tx_hash,
        }
    )
    if token:
        state.touch(asset_key(token))
    if account:
        state.touch(portfolio_key(account))


def update(state: RangeState, table: str, key: tuple, changes: Row) -> Row | None:
    """Change an existing row; None (and nothing written) when there is none — which only
    happens for a contract the index began following after the row's creating event."""
    row = state.get(table, key)
    if row is None:
        return None
    row = {**row, **changes, "updated_block": state.block}
    state.put(table, key, row)
    return row


def record_push(state: RangeState, table: str, key: tuple, paid_column: str, args: Row) -> None:
    """A push batch of a payout (a distribution, a coupon period): what it paid, how many
    holders, and the last address paid — where the next batch must start above."""
    row = state.get(table, key)
    if row is not None:
        changes = {
            paid_column: row[paid_column] + args["amount"],
            "pushed_holders": row["pushed_holders"] + args["holders"],
            "last_pushed": args["last_paid"],
        }
        update(state, table, key, changes)
