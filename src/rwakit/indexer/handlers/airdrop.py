"""Airdrop: Merkle-root drops, their claims (and pushed batches) and reclaims."""

from rwakit.indexer.events import Event
from rwakit.indexer.handlers.corporate import pay, update
from rwakit.indexer.state import RangeState


def drop_created(event: Event, state: RangeState) -> None:
    a = event.args
    row = {
        "contract": event.address,
        "drop_id": a["id"],
        "asset": a["asset"],
        "creator": a["creator"],
        "root": a["root"],
        "total": a["total"],
        "start_time": a["start"],
        "end_time": a["end"],
        "cliff": a["cliff"],
        "vesting_end": a["vesting_end"],
        "claimed": 0,
        "reclaimed": 0,
        "updated_block": event.block_number,
    }
    state.put("airdrops", (event.address, a["id"]), row)


def _add(event: Event, state: RangeState, column: str) -> str | None:
    key = (event.address, event.args["id"])
    row = state.get("airdrops", key)
    if row is None:
        return None
    update(state, "airdrops", key, {column: row[column] + event.args["amount"]})
    return row["asset"]


def drop_claimed(event: Event, state: RangeState) -> None:
    a = event.args
    asset = _add(event, state, "claimed")
    pay(
        event,
        state,
        "airdrop_claim",
        a["amount"],
        account=a["account"],
        reference=a["id"],
        asset=asset,
    )


def drop_reclaimed(event: Event, state: RangeState) -> None:
    asset = _add(event, state, "reclaimed")
    a = event.args
    pay(event, state, "airdrop_reclaim", a["amount"], reference=a["id"], asset=asset)


HANDLERS = {
    "DropCreated": drop_created,
    "DropClaimed": drop_claimed,
    "DropReclaimed": drop_reclaimed,
}
IGNORED: dict[str, str] = {}
PREFETCH: dict = {}
DEDICATED: set[str] = set()
