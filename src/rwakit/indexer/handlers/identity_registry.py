"""IdentityRegistry: identities, claims, claim topics, trusted issuers, global rules."""

from rwakit.domain.cache_keys import identity_key
from rwakit.indexer.events import Event
from rwakit.indexer.handlers.common import role_granted, role_revoked, set_rule
from rwakit.indexer.state import RangeState

STATUS_ACTIVE = 1


def identity_registered(event: Event, state: RangeState) -> None:
    wallet = event.args["wallet"]
    row = {
        "wallet": wallet,
        "identity_id": event.args["identity_id"],
        "country": event.args["country"],
        "status": STATUS_ACTIVE,
        "updated_block": event.block_number,
    }
    state.put("identities", (wallet,), row)
    state.touch(identity_key(wallet))


def identity_updated(event: Event, state: RangeState) -> None:
    wallet = event.args["wallet"]
    row = state.get("identities", (wallet,))
    if row is None:  # cannot happen on our registry; keep what the event says anyway
        row = {"wallet": wallet, "identity_id": 0}
    changes = {
        "country": event.args["country"],
        "status": event.args["status"],
        "updated_block": event.block_number,
    }
    state.put("identities", (wallet,), {**row, **changes})
    state.touch(identity_key(wallet))


def identity_removed(event: Event, state: RangeState) -> None:
    wallet = event.args["wallet"]
    state.put("identities", (wallet,), None)
    for claim in state.rows_where("claims", "wallet", wallet):
        state.put("claims", (wallet, claim["topic"]), None)
    state.touch(identity_key(wallet))


def identity_recovered(event: Event, state: RangeState) -> None:
    """The identity and its claims move to the new wallet."""
    lost, new = event.args["lost_wallet"], event.args["new_wallet"]
    row = state.get("identities", (lost,))
    if row is not None:
        state.put("identities", (lost,), None)
        state.put("identities", (new,), {**row, "wallet": new, "updated_block": state.block})
    for claim in state.rows_where("claims", "wallet", lost):
        state.put("claims", (lost, claim["topic"]), None)
        moved = {**claim, "wallet": new, "updated_block": state.block}
        state.put("claims", (new, claim["topic"]), moved)
    state.touch(identity_key(lost), identity_key(new))


def claim_added(event: Event, state: RangeState) -> None:
    wallet, topic = event.args["wallet"], event.args["topic"]
    row = {
        "wallet": wallet,
        "topic": topic,
        "issuer": event.args["issuer"],
        "expiry": event.args["expiry"],
        "updated_block": event.block_number,
    }
    state.put("claims", (wallet, topic), row)
    state.touch(identity_key(wallet))


def claim_revoked(event: Event, state: RangeState) -> None:
    wallet = event.args["wallet"]
    state.put("claims", (wallet, event.args["topic"]), None)
    state.touch(identity_key(wallet))


def topic_registered(event: Event, state: RangeState) -> None:
    topic = event.args["topic"]
    state.put("claim_topics", (topic,), {"topic": topic, "name": event.args["name"]})


def trusted_issuer_set(event: Event, state: RangeState) -> None:
    issuer, topic = event.args["issuer"], event.args["topic"]
    row = None
    if event.args["trusted"]:
        row = {
            "issuer": issuer,
            "topic": topic,
            "position": event.args["index"],
            "updated_block": event.block_number,
        }
    state.put("trusted_issuers", (issuer, topic), row)


def global_expression_set(event: Event, state: RangeState) -> None:
    set_rule(event, state, "global_expression", "", event.args["expression"])


def global_country_block_set(event: Event, state: RangeState) -> None:
    blocked = True if event.args["blocked"] else None
    set_rule(event, state, "global_country_block", str(event.args["country"]), blocked)


HANDLERS = {
    "RoleGranted": role_granted,
    "RoleRevoked": role_revoked,
    "TopicRegistered": topic_registered,
    "TrustedIssuerSet": trusted_issuer_set,
    "IdentityRegistered": identity_registered,
    "IdentityUpdated": identity_updated,
    "IdentityRemoved": identity_removed,
    "ClaimAdded": claim_added,
    "ClaimRevoked": claim_revoked,
    "IdentityRecovered": identity_recovered,
    "GlobalExpressionSet": global_expression_set,
    "GlobalCountryBlockSet": global_country_block_set,
}
IGNORED: dict[str, str] = {}


def _identity_keys(events: list[Event]) -> list:
    return [("identities", (event.args["wallet"],)) for event in events]


def _claim_keys(events: list[Event]) -> list:
    return [("claims", (event.args["wallet"], event.args["topic"])) for event in events]


# rows these events read or replace, loaded for a whole range at once (each function
# gets the range's events of that name)
PREFETCH = {
    "IdentityRegistered": _identity_keys,
    "IdentityUpdated": _identity_keys,
    "ClaimAdded": _claim_keys,
    "ClaimRevoked": _claim_keys,
}
DEDICATED: set[str] = set()
