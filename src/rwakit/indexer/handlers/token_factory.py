"""TokenFactory: new tokens (which the fetcher then follows), creators and owner."""

from rwakit.domain.cache_keys import ASSET_LIST_KEY, asset_key
from rwakit.indexer.events import Event
from rwakit.indexer.handlers.common import record_only
from rwakit.indexer.handlers.corporate import follow
from rwakit.indexer.handlers.security_token import token_row
from rwakit.indexer.state import RangeState


def token_created(event: Event, state: RangeState) -> None:
    token = event.args["token"]
    changes = {
        "system": state.system,
        "admin": event.args["admin"],
        "creator": event.args["creator"],
        "name": event.args["name"],
        "symbol": event.args["symbol"],
        "decimals": event.args["decimals"],
        "asset_type": event.args["asset_type"],
        "created_block": event.block_number,
        "created_time": event.block_time,
        "created_tx": event.tx_hash,
        "updated_block": event.block_number,
    }
    state.put("tokens", (token,), {**token_row(state, token), **changes})
    state.touch(asset_key(token), ASSET_LIST_KEY)


def creator_set(event: Event, state: RangeState) -> None:
    # an AssetFactory is a creator on the TokenFactory; following every creator finds it
    # (an account without code simply has no logs)
    if event.args["allowed"]:
        follow(event, state, event.args["account"], "AssetFactory", None)


HANDLERS = {
    "TokenCreated": token_created,
    "CreatorSet": creator_set,
    "OwnerChanged": record_only,
}
IGNORED: dict[str, str] = {}
PREFETCH: dict = {}
DEDICATED: set[str] = set()
# contracts each event makes the fetcher follow
DISCOVERS = {
    "TokenCreated": lambda event: {event.args["token"]: "SecurityToken"},
    "CreatorSet": lambda event: (
        {event.args["account"]: "AssetFactory"} if event.args["allowed"] else {}
    ),
}
