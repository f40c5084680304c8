"""Builders shared by the store tests."""

from typing import Any

from rwakit.store.batches import SignedBatch
from rwakit.store.operation_rows import NewOperation

TOKEN_A = "0x" + "a1" * 20
TOKEN_B = "0x" + "b2" * 20
SIGNER = "0x" + "c3" * 20


def new_op(
    key: str | None = None,
    *,
    contract: str = TOKEN_A,
    kind: str = "mint",
    priority: Any = "normal",
    params: dict[str, Any] | None = None,
    requester: str = "issuer-1",
) -> NewOperation:
    return NewOperation(
        kind=kind,
        contract=contract,
        params=params if params is not None else {"to": "0x" + "11" * 20, "amount": "5"},
        requester=requester,
        priority=priority,
        idempotency_key=key,
    )


def signed_batch(nonce: int, tx_hash: str | None = None, signer: str = SIGNER) -> SignedBatch:
    return SignedBatch(
        signer=signer,
        nonce=nonce,
        contract=TOKEN_A,
        kind="mint",
        op_count=2,
        tx_hash=tx_hash or "0x" + f"{nonce:064x}",
        raw_tx=b"\x02\xf8" + str(nonce).encode(),
        gas_limit=500_000,
        max_fee_per_gas=30 * 10**9,
        max_priority_fee_per_gas=10**9,
    )
