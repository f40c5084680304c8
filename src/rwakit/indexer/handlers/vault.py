"""Vault: executed payouts and calls, signer changes."""

from rwakit.indexer.events import Event
from rwakit.indexer.handlers.corporate import pay, update
from rwakit.indexer.state import RangeState


def _count(event: Event, state: RangeState) -> None:
    row = state.get("vaults", (event.address,))
    if row is not None:
        update(state, "vaults", (event.address,), {"executed": row["executed"] + 1})


def payout_executed(event: Event, state: RangeState) -> None:
    a = event.args
    _count(event, state)
    pay(
        event,
        state,
        "vault_payout",
        a["amount"],
        account=a["receiver"],
        reference=a["nonce"],
        asset=a["asset"],
    )


def call_executed(event: Event, state: RangeState) -> None:
    _count(event, state)
    pay(event, state, "vault_call", 0, account=event.args["target"], reference=event.args["nonce"])


def signers_changed(event: Event, state: RangeState) -> None:
    a = event.args
    changes = {
        "signers": [s.lower() for s in a["signers"]],
        "weights": [str(w) for w in a["weights"]],
        "threshold": a["threshold"],
    }
    update(state, "vaults", (event.address,), changes)


HANDLERS = {
    "PayoutExecuted": payout_executed,
    "CallExecuted": call_executed,
    "SignersChanged": signers_changed,
}
IGNORED: dict[str, str] = {}
PREFETCH: dict = {}
DEDICATED: set[str] = set()
