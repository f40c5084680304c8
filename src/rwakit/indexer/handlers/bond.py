"""Bond: reserve, maturity and redemptions (issues show as the token's mints)."""

from rwakit.domain.cache_keys import asset_key
from rwakit.indexer.events import Event
from rwakit.indexer.handlers.common import record_only
from rwakit.indexer.handlers.corporate import pay, served_token, update
from rwakit.indexer.state import RangeState


def _set_terms(event: Event, state: RangeState, **changes: object) -> None:
    token = served_token(state, event.address)
    if token and update(state, "asset_terms", (token,), changes):
        state.touch(asset_key(token))


def reserve_funded(event: Event, state: RangeState) -> None:
    _set_terms(event, state, reserve=event.args["reserve"])
    pay(event, state, "reserve_funded", event.args["amount"], account=event.args["funder"])


def reserve_withdrawn(event: Event, state: RangeState) -> None:
    _set_terms(event, state, reserve=event.args["reserve"])
    pay(event, state, "reserve_withdrawn", event.args["amount"], account=event.args["receiver"])


def bond_matured(event: Event, state: RangeState) -> None:
    _set_terms(event, state, reserve=event.args["reserve"], matured_block=event.block_number)


def redeemed(event: Event, state: RangeState) -> None:
    a = event.args
    token = served_token(state, event.address)
    row = state.get("asset_terms", (token,)) if token else None
    if row is not None and row["reserve"] is not None:
        # redemptions pay out of the reserve; the event does not repeat what is left
        _set_terms(event, state, reserve=max(row["reserve"] - a["paid"], 0))
    pay(event, state, "redemption", a["paid"], account=a["holder"], reference=a["amount"])


HANDLERS = {
    "BondIssued": record_only,
    "ReserveFunded": reserve_funded,
    "ReserveWithdrawn": reserve_withdrawn,
    "BondMatured": bond_matured,
    "Redeemed": redeemed,
}
IGNORED: dict[str, str] = {}
PREFETCH: dict = {}
DEDICATED: set[str] = set()
