"""Which batch function carries each operation kind, and its calldata for a group of ops.

Encoding lays out ABI words directly (chain.abi_words): at 1,000 ops/s web3's contract
functions, and even eth_abi, cost more than the rest of the batcher.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from eth_abi import encode

from rwakit.chain.abi_words import (
    address_word,
    bool_word,
    static_arrays,
    static_tuple_array,
    uint_word,
)
from rwakit.chain.abi_words import (
    selector as abi_selector,
)
from rwakit.chain.authorizations import Authorization
from rwakit.pipeline.creation_calls import CreationCall


@dataclass(frozen=True)
class PendingOp:
    """What the batcher needs of an operation row."""

    id: int
    kind: str
    contract: str
    params: dict[str, Any]
    priority: int


@dataclass(frozen=True)
class BatchCall:
    """One batch function: its signature, per-item gas estimate and argument encoder."""

    signature: str
    gas_per_item: int  # a little above the gas bench's per-item figure
    max_items: int
    encode_args: Callable[[Sequence[PendingOp], list[Any]], bytes]

    @property
    def selector(self) -> bytes:
        return abi_selector(self.signature)

    def gas_for(self, op: PendingOp) -> int:
        return self.gas_per_item

    def calldata(self, ops: Sequence[PendingOp], extra: list[Any]) -> bytes:
        return self.selector + self.encode_args(ops, extra)


CLAIM_SET = "(bytes32[],uint256,uint8,bytes32,bytes32)"
TOKEN_BATCH = 256
REGISTRY_BATCH = 100


def _addresses(name: str) -> Callable[[Sequence[PendingOp]], list[bytes]]:
    return lambda ops: [address_word(op.params[name]) for op in ops]


def _amounts(ops: Sequence[PendingOp]) -> list[bytes]:
    return [uint_word(op.params["amount"]) for op in ops]


def _claim_set(claims: dict[str, Any]) -> tuple:
    return (
        [bytes.fromhex(t[2:]) for t in claims["topics"]],
        claims["expiry"],
        claims["v"],
        bytes.fromhex(claims["r"][2:]),
        bytes.fromhex(claims["s"][2:]),
    )


def _registrations(ops: Sequence[PendingOp], _: list[Any]) -> bytes:
    # dynamic tuples, 10 % of the traffic: eth_abi is fast enough here
    claims = [_claim_set(op.params["claims"]) for op in ops] if "claims" in ops[0].params else []
    return encode(
        ["address[]", "uint256[]", "uint256[]", CLAIM_SET + "[]"],
        [
            [op.params["wallet"] for op in ops],
            [op.params["identity_id"] for op in ops],
            [op.params["country"] for op in ops],
            claims,
        ],
    )


def _authorizations(_: Sequence[PendingOp], signed: list[Authorization]) -> bytes:
    return static_tuple_array(
        [
            [address_word(o), address_word(t), uint_word(a), uint_word(d), uint_word(v), r, s]
            for o, t, a, d, v, r, s in signed
        ]
    )


BATCH_CALLS: dict[str, BatchCall] = {
    "mint": BatchCall(
        "batchMint(address[],uint256[])",
        20_000,
        TOKEN_BATCH,
        lambda ops, _: static_arrays(_addresses("to")(ops), _amounts(ops)),
    ),
    "burn": BatchCall(
        "batchBurn(address[],uint256[])",
        20_000,
        TOKEN_BATCH,
        lambda ops, _: static_arrays(_addresses("from")(ops), _amounts(ops)),
    ),
    "forced_transfer": BatchCall(
        "batchForcedTransfer(address[],address[],uint256[])",
        32_000,
        TOKEN_BATCH,
        lambda ops, _: static_arrays(_addresses("from")(ops), _addresses("to")(ops), _amounts(ops)),
    ),
    "set_frozen": BatchCall(
        "batchSetAddressFrozen(address[],bool[])",
        9_000,
        TOKEN_BATCH,
        lambda ops, _: static_arrays(
            _addresses("account")(ops), [bool_word(op.kind == "freeze") for op in ops]
        ),
    ),
    "freeze_partial": BatchCall(
        "batchFreezePartialTokens(address[],uint256[])",
        10_000,
        TOKEN_BATCH,
        lambda ops, _: static_arrays(_addresses("account")(ops), _amounts(ops)),
    ),
    "unfreeze_partial": BatchCall(
        "batchUnfreezePartialTokens(address[],uint256[])",
        10_000,
        TOKEN_BATCH,
        lambda ops, _: static_arrays(_addresses("account")(ops), _amounts(ops)),
    ),
    # relayed transfers carry authorizations the batcher signs just before sending
    "transfer": BatchCall(
        "batchTransferWithAuthorization((address,address,uint256,uint256,uint8,bytes32,bytes32)[])",
        36_000,
        TOKEN_BATCH,
        _authorizations,
    ),
    "register_identity": BatchCall(
        "batchRegisterIdentity(address[],uint256[],uint256[]," + CLAIM_SET + "[])",
        42_000,
        REGISTRY_BATCH,
        _registrations,
    ),
}

# not a batch function: one asset per transaction, through its factory
CREATION_CALL = CreationCall()

TX_BASE_GAS = 70_000  # 21,000 intrinsic plus the batch's fixed reads and writes
# a receiver that held nothing costs a fresh storage slot: 20,000 gas more
NEW_HOLDER_GAS = 20_000


def group_of(op: PendingOp) -> str:
    """Ops of one group on one contract share a transaction."""
    if op.kind in ("freeze", "unfreeze"):
        return "set_frozen"
    if op.kind == "register_identity":
        # a registry batch carries claim sets for every wallet or for none
        return "register_identity+claims" if "claims" in op.params else "register_identity"
    return op.kind


def batch_call(group: str) -> BatchCall | CreationCall:
    if group == "create_asset":
        return CREATION_CALL
    return BATCH_CALLS[group.split("+")[0]]


def item_gas(call: BatchCall | CreationCall, op: PendingOp, new_holders: set[int]) -> int:
    return call.gas_for(op) + (NEW_HOLDER_GAS if op.id in new_holders else 0)


def split_by_gas(
    ops: Sequence[PendingOp],
    call: BatchCall | CreationCall,
    gas_cap: int,
    new_holders: set[int],
    max_items: int | None = None,
) -> list[tuple[list[PendingOp], int]]:
    """(chunk, gas limit) pairs, each chunk one transaction under the per-tx gas cap and
    at most `max_items` long (bisection lowers it after a revert)."""
    items = min(call.max_items, max_items or call.max_items)
    chunks: list[tuple[list[PendingOp], int]] = []
    current: list[PendingOp] = []
    gas = TX_BASE_GAS
    for op in ops:
        need = item_gas(call, op, new_holders)
        if current and (gas + need > gas_cap or len(current) == items):
            chunks.append((current, gas))
            current, gas = [], TX_BASE_GAS
        current.append(op)
        gas += need
    if current:
        chunks.append((current, gas))
    return chunks
