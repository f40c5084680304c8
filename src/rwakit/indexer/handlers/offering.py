"""Offering: subscriptions into escrow, batch settlements and refunds."""

from rwakit.domain.cache_keys import portfolio_key
from rwakit.indexer.events import Event
from rwakit.indexer.handlers.corporate import pay, update
from rwakit.indexer.state import RangeState


def _offering(event: Event, state: RangeState, **deltas: int) -> str | None:
    row = state.get("offerings", (event.address,))
    if row is None:
        return None
    update(state, "offerings", (event.address,), {k: row[k] + v for k, v in deltas.items()})
    return row["payment"]


def subscribed(event: Event, state: RangeState) -> None:
    a, key = event.args, (event.address, event.args["investor"])
    row = state.get("subscriptions", key) or {
        "offering": event.address,
        "investor": a["investor"],
        "paid": 0,
        "settled_units": 0,
        "settled_paid": 0,
        "refunded_units": 0,
        "refunded_paid": 0,
    }
    changes = {"units": a["total_units"], "paid": row["paid"] + a["paid"]}
    state.put("subscriptions", key, {**row, **changes, "updated_block": event.block_number})
    asset = _offering(event, state, subscribed_units=a["units"])
    pay(
        event,
        state,
        "subscription",
        a["paid"],
        account=a["investor"],
        reference=a["units"],
        asset=asset,
    )


def settled(event: Event, state: RangeState) -> None:
    a = event.args
    row = state.get("offerings", (event.address,))
    if row is not None:
        changes = {
            "subscribed_units": max(row["subscribed_units"] - a["units"], 0),
            "settled_units": row["settled_units"] + a["units"],
            "settled_paid": row["settled_paid"] + a["paid"],
        }
        update(state, "offerings", (event.address,), changes)
        # the event names no investors: the token's mints in this transaction do (the
        # mints log first, so they are in this range's transfers already)
        for minted in state.transfers:
            if (
                minted["tx_hash"] == event.tx_hash
                and minted["token"] == row["token"]
                and minted["kind"] == "mint"
            ):
                _settle_one(state, (event.address, minted["receiver"]))
    asset = row["payment"] if row else None
    pay(event, state, "subscriptions_settled", a["paid"], reference=a["investors"], asset=asset)


def _settle_one(state: RangeState, key: tuple) -> None:
    row = state.get("subscriptions", key)
    if row is None or row["units"] == 0:
        return
    changes = {
        "units": 0,
        "paid": 0,
        "settled_units": row["settled_units"] + row["units"],
        "settled_paid": row["settled_paid"] + row["paid"],
    }
    update(state, "subscriptions", key, changes)
    state.touch(portfolio_key(key[1]))


def refunded(event: Event, state: RangeState) -> None:
    a, key = event.args, (event.address, event.args["investor"])
    row = state.get("subscriptions", key)
    if row is not None:
        changes = {
            "units": max(row["units"] - a["units"], 0),
            "paid": max(row["paid"] - a["paid"], 0),
            "refunded_units": row["refunded_units"] + a["units"],
            "refunded_paid": row["refunded_paid"] + a["paid"],
        }
        update(state, "subscriptions", key, changes)
    offering = state.get("offerings", (event.address,))
    if offering is not None:
        changes = {
            "subscribed_units": max(offering["subscribed_units"] - a["units"], 0),
            "refunded_units": offering["refunded_units"] + a["units"],
        }
        update(state, "offerings", (event.address,), changes)
    asset = offering["payment"] if offering else None
    pay(
        event,
        state,
        "subscription_refund",
        a["paid"],
        account=a["investor"],
        reference=a["units"],
        asset=asset,
    )


HANDLERS = {
    "Subscribed": subscribed,
    "SubscriptionsSettled": settled,
    "SubscriptionRefunded": refunded,
}
IGNORED: dict[str, str] = {}
PREFETCH: dict = {}
DEDICATED: set[str] = set()
