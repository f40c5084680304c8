"""What several contracts' handlers share: role grants and compliance rule rows."""

from rwakit.domain.cache_keys import asset_key
from rwakit.indexer.events import Event
from rwakit.indexer.state import RangeState


def role_bits(role: int) -> list[int]:
    """Roles are bit flags; one grant may carry several (e.g. every role to the admin)."""
    return [1 << bit for bit in range(role.bit_length()) if role >> bit & 1]


def role_granted(event: Event, state: RangeState) -> None:
    account = event.args["account"]
    for bit in role_bits(event.args["role"]):
        row = {
            "contract": event.address,
            "account": account,
            "role": bit,
            "granted_by": event.args["sender"],
            "updated_block": event.block_number,
        }
        state.put("role_grants", (event.address, account, bit), row)


def role_revoked(event: Event, state: RangeState) -> None:
    for bit in role_bits(event.args["role"]):
        state.put("role_grants", (event.address, event.args["account"], bit), None)


def set_rule(
    event: Event, state: RangeState, kind: str, subject: str, value: object | None
) -> None:
    """Set (or with None remove) one compliance rule row of ``event``'s contract."""
    row = None
    if value is not None:
        row = {
            "contract": event.address,
            "kind": kind,
            "subject": subject,
            "value": value,
            "updated_block": event.block_number,
        }
    state.put("compliance_rules", (event.address, kind, subject), row)
    state.touch(asset_key(event.address))


def record_only(event: Event, state: RangeState) -> None:
    """Events kept only in the generic event log (``chain_events``)."""
