"""FixedYield: coupon funding, claims (over several periods at once) and pushed periods."""

from rwakit.indexer.events import Event
from rwakit.indexer.handlers.corporate import pay, record_push, served_token, update
from rwakit.indexer.state import RangeState


def _funding(event: Event, state: RangeState) -> None:
    token = served_token(state, event.address)
    if token:
        update(state, "asset_terms", (token,), {"coupon_funding": event.args["available"]})


def _paid(event: Event, state: RangeState, amount: int) -> None:
    """Claims and pushes draw on the funding (their events do not repeat what is left)."""
    token = served_token(state, event.address)
    row = state.get("asset_terms", (token,)) if token else None
    if row is not None and row["coupon_funding"] is not None:
        left = max(row["coupon_funding"] - amount, 0)
        update(state, "asset_terms", (token,), {"coupon_funding": left})


def coupons_funded(event: Event, state: RangeState) -> None:
    _funding(event, state)
    pay(event, state, "coupons_funded", event.args["amount"], account=event.args["funder"])


def coupon_funding_withdrawn(event: Event, state: RangeState) -> None:
    _funding(event, state)
    a = event.args
    pay(event, state, "coupon_funding_withdrawn", a["amount"], account=a["receiver"])


def coupons_claimed(event: Event, state: RangeState) -> None:
    a = event.args
    periods = f"{a['first_period']}-{a['last_period']}"
    _paid(event, state, a["amount"])
    pay(event, state, "coupon_claim", a["amount"], account=a["holder"], reference=periods)


def coupons_pushed(event: Event, state: RangeState) -> None:
    a, key = event.args, (event.address, event.args["period"])
    record_push(state, "coupon_periods", key, "pushed", a)
    _paid(event, state, a["amount"])
    pay(event, state, "coupon_push", a["amount"], reference=a["period"])


HANDLERS = {
    "CouponsFunded": coupons_funded,
    "CouponFundingWithdrawn": coupon_funding_withdrawn,
    "CouponsClaimed": coupons_claimed,
    "CouponsPushed": coupons_pushed,
}
IGNORED: dict[str, str] = {}
PREFETCH: dict = {}
DEDICATED: set[str] = set()
