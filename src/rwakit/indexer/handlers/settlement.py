"""Settlement (DvP / XvP): executed and cancelled settlements with their legs (the legs'
token movements show as those tokens' transfers)."""

from rwakit.domain.cache_keys import portfolio_key
from rwakit.indexer.events import Event
from rwakit.indexer.state import RangeState


def executed(event: Event, state: RangeState) -> None:
    a = event.args
    legs = [[t.lower(), s.lower(), r.lower(), str(amount)] for t, s, r, amount in a["legs"]]
    row = {
        "contract": event.address,
        "settlement_id": a["id"],
        "status": "executed",
        "legs": legs,
        "preimage": a["preimage"],
        "actor": a["caller"],
        "updated_block": event.block_number,
    }
    state.put("settlements", (event.address, a["id"]), row)
    for leg in legs:
        state.touch(portfolio_key(leg[1]), portfolio_key(leg[2]))


def cancelled(event: Event, state: RangeState) -> None:
    a = event.args
    row = {
        "contract": event.address,
        "settlement_id": a["id"],
        "status": "cancelled",
        "legs": None,
        "preimage": None,
        "actor": a["by"],
        "updated_block": event.block_number,
    }
    state.put("settlements", (event.address, a["id"]), row)


HANDLERS = {"SettlementExecuted": executed, "SettlementCancelled": cancelled}
IGNORED: dict[str, str] = {}
PREFETCH: dict = {}
DEDICATED: set[str] = set()
