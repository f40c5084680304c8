"""Pre-check every item of a batch against the chain in one multicall `eth_call`, so a bad
item fails with its reason before it can sink a transaction with its neighbours.

An asset creation has no view that answers for it (the factory checks the caller's role,
the schedule, the denomination…): it is dry-run instead, as the signer, one `eth_call`
each — creations are rare."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from rwakit.chain.abi_words import address_word, selector, uint_word
from rwakit.chain.rpc_errors import RpcError
from rwakit.chain.rpc_types import EthCall
from rwakit.domain.restrictions import Restriction
from rwakit.pipeline.batch_calls import PendingOp
from rwakit.pipeline.creation_calls import creation_calldata
from rwakit.pipeline.multicall_reads import aggregate

ZERO = "0x" + "00" * 20


@dataclass(frozen=True)
class View:
    signature: str
    arg_types: tuple[str, ...]

    on_registry: bool = False

    def calldata(self, *args: object) -> bytes:
        words = [
            address_word(a) if t == "address" else uint_word(a)
            for t, a in zip(self.arg_types, args, strict=True)
        ]
        return selector(self.signature) + b"".join(words)


RESTRICTION = View(
    "detectTransferRestriction(address,address,uint256)", ("address", "address", "uint256")
)
BALANCE = View("balanceOf(address)", ("address",))
FROZEN = View("getFrozenTokens(address)", ("address",))
VERIFIED = View("isVerified(address)", ("address",), on_registry=True)
REGISTERED = View("contains(address)", ("address",), on_registry=True)


@dataclass(frozen=True)
class Failure:
    code: str
    message: str


Verdict = Callable[[PendingOp, list], Failure | None]


def _restriction(values: list) -> Failure | None:
    if values[0] == 0:
        return None
    try:
        reason = Restriction(values[0])
    except ValueError:
        return Failure("RESTRICTED", f"transfer restricted (code {values[0]})")
    return Failure(reason.name, reason.message)


def _enough(op: PendingOp, values: list) -> Failure | None:
    if values[0] < op.params["amount"]:
        return Failure(
            "INSUFFICIENT_BALANCE", f"balance {values[0]} is below {op.params['amount']}"
        )
    return None


CHECKS: dict[str, tuple[Callable[[PendingOp], list[tuple[View, tuple]]], Verdict]] = {
    # the receiver's balance also says whether it is a new holder: a fresh storage slot
    "mint": (
        lambda op: [
            (RESTRICTION, (ZERO, op.params["to"], op.params["amount"])),
            (BALANCE, (op.params["to"],)),
        ],
        lambda op, v: _restriction(v),
    ),
    "transfer": (
        lambda op: [
            (RESTRICTION, (op.params["from"], op.params["to"], op.params["amount"])),
            (BALANCE, (op.params["to"],)),
        ],
        lambda op, v: _restriction(v),
    ),
    "burn": (lambda op: [(BALANCE, (op.params["from"],))], _enough),
    "forced_transfer": (
        lambda op: [
            (BALANCE, (op.params["from"],)),
            (VERIFIED, (op.params["to"],)),
            (BALANCE, (op.params["to"],)),
        ],
        lambda op, v: (
            _enough(op, v)
            or (
                None
                if v[1]
                else Failure(
                    Restriction.RECEIVER_NOT_VERIFIED.name,
                    Restriction.RECEIVER_NOT_VERIFIED.message,
                )
            )
        ),
    ),
    "freeze_partial": (
        lambda op: [(BALANCE, (op.params["account"],)), (FROZEN, (op.params["account"],))],
        lambda op, v: _enough(op, [v[0] - v[1]]),
    ),
    "unfreeze_partial": (
        lambda op: [(FROZEN, (op.params["account"],))],
        lambda op, v: (
            None
            if v[0] >= op.params["amount"]
            else Failure("INSUFFICIENT_FROZEN", f"only {v[0]} frozen")
        ),
    ),
    "register_identity": (
        lambda op: [(REGISTERED, (op.params["wallet"],))],
        lambda op, v: Failure("ALREADY_REGISTERED", "wallet already registered") if v[0] else None,
    ),
}


# a dry run of one op as the signer: its failure, or None when it would go through
DryRun = Callable[[PendingOp], Failure | None]
DRY_RUN_KINDS = {"create_asset"}


def _reverted(exc: RpcError) -> bool:
    # anvil and geth answer a revert with code 3; others only say so in the message
    return exc.code == 3 or "revert" in exc.message.lower()


def creation_dry_run(call: Callable[[str, list[Any]], Any], signer: str) -> DryRun:
    """Dry-runs a `create_asset` op with `signer` as sender and admin; a node error other
    than a revert propagates (the cycle is retried), a revert fails the op."""

    def dry_run(op: PendingOp) -> Failure | None:
        data = "0x" + creation_calldata(op.params, signer).hex()
        try:
            call("eth_call", [{"from": signer, "to": op.contract, "data": data}, "latest"])
        except RpcError as exc:
            if not _reverted(exc):
                raise
            return Failure("CREATION_REVERTED", f"the factory refused the asset: {exc.message}")
        return None

    return dry_run


@dataclass(frozen=True)
class Precheck:
    failures: dict[int, Failure]
    new_holders: set[int]  # ids of ops whose receiver holds nothing yet


def precheck(
    eth_call: EthCall,
    multicall: str,
    registry: str,
    ops: Sequence[PendingOp],
    dry_run: DryRun | None = None,
) -> Precheck:
    """What would fail now (by op id, with its reason); kinds without checks pass, and so
    do those that need a dry run when none is given."""
    failures: dict[int, Failure] = {}
    if dry_run is not None:
        for op in ops:
            failure = dry_run(op) if op.kind in DRY_RUN_KINDS else None
            if failure is not None:
                failures[op.id] = failure
    plan: list[tuple[PendingOp, list[tuple[View, tuple]]]] = [
        (op, CHECKS[op.kind][0](op)) for op in ops if op.kind in CHECKS
    ]
    calls = [
        (registry if view.on_registry else op.contract, True, view.calldata(*args))
        for op, views in plan
        for view, args in views
    ]
    answers = aggregate(lambda data: eth_call(multicall, data), calls)
    new_holders: set[int] = set()
    position = 0
    for op, views in plan:
        values = []
        for _ in views:
            ok, raw = answers[position]
            position += 1
            # every view here answers one word: uint8, uint256 or bool
            values.append(int.from_bytes(raw[:32], "big") if ok and len(raw) >= 32 else None)
        if any(v is None for v in values):
            failures[op.id] = Failure("PRECHECK_FAILED", "a pre-check call reverted")
            continue
        failure = CHECKS[op.kind][1](op, values)
        if failure is not None:
            failures[op.id] = failure
        elif (op.kind in ("mint", "transfer") and values[1] == 0) or (
            op.kind == "forced_transfer" and values[2] == 0
        ):
            new_holders.add(op.id)
    return Precheck(failures, new_holders)
