"""FundFee: management fees minted to the receiver (the mint itself is the token's)."""

from rwakit.domain.cache_keys import asset_key
from rwakit.indexer.events import Event
from rwakit.indexer.handlers.corporate import pay, served_token, update
from rwakit.indexer.state import RangeState


def fee_collected(event: Event, state: RangeState) -> None:
    a = event.args
    pay(event, state, "fee_collected", a["amount"], account=a["receiver"], reference=a["elapsed"])


def fee_receiver_set(event: Event, state: RangeState) -> None:
    token = served_token(state, event.address)
    if token and update(state, "asset_terms", (token,), {"fee_receiver": event.args["receiver"]}):
        state.touch(asset_key(token))


HANDLERS = {"FeeCollected": fee_collected, "FeeReceiverSet": fee_receiver_set}
IGNORED: dict[str, str] = {}
PREFETCH: dict = {}
DEDICATED: set[str] = set()
