"""Distribution: dividends and other pro-rata payouts — declared, claimed, pushed,
reclaimed."""

from rwakit.indexer.events import Event
from rwakit.indexer.handlers.corporate import pay, record_push, served_token, update
from rwakit.indexer.state import RangeState


def declared(event: Event, state: RangeState) -> None:
    a = event.args
    row = {
        "contract": event.address,
        "distribution_id": a["id"],
        "token": served_token(state, event.address) or "",
        "asset": a["asset"],
        "amount": a["amount"],
        "record_time": a["record_time"],
        "deadline": a["deadline"],
        "declarer": a["declarer"],
        "paid": 0,
        "reclaimed": 0,
        "pushed_holders": 0,
        "last_pushed": None,
        "updated_block": event.block_number,
    }
    state.put("distributions", (event.address, a["id"]), row)
    pay(event, state, "distribution_declared", a["amount"], reference=a["id"], asset=a["asset"])


def _asset(state: RangeState, key: tuple) -> str | None:
    row = state.get("distributions", key)
    return row["asset"] if row else None


def claimed(event: Event, state: RangeState) -> None:
    a, key = event.args, (event.address, event.args["id"])
    row = state.get("distributions", key)
    if row is not None:
        update(state, "distributions", key, {"paid": row["paid"] + a["amount"]})
    asset = _asset(state, key)
    pay(
        event,
        state,
        "distribution_claim",
        a["amount"],
        account=a["holder"],
        reference=a["id"],
        asset=asset,
    )


def pushed(event: Event, state: RangeState) -> None:
    a, key = event.args, (event.address, event.args["id"])
    record_push(state, "distributions", key, "paid", a)
    pay(event, state, "distribution_push", a["amount"], reference=a["id"], asset=_asset(state, key))


def reclaimed(event: Event, state: RangeState) -> None:
    a, key = event.args, (event.address, event.args["id"])
    row = state.get("distributions", key)
    if row is not None:
        update(state, "distributions", key, {"reclaimed": row["reclaimed"] + a["amount"]})
    pay(
        event,
        state,
        "distribution_reclaim",
        a["amount"],
        account=a["receiver"],
        reference=a["id"],
        asset=_asset(state, key),
    )


HANDLERS = {
    "DistributionDeclared": declared,
    "DistributionClaimed": claimed,
    "DistributionPushed": pushed,
    "DistributionReclaimed": reclaimed,
}
IGNORED: dict[str, str] = {}
PREFETCH: dict = {}
DEDICATED: set[str] = set()
