# pragma version 0.4.3
# pragma optimize gas
# pragma experimental-codegen
"""
@title DvP / XvP: atomic multi-leg settlement approved by EIP-712 signatures
@notice A settlement is a list of legs (token, sender, receiver, amount), a cutoff time,
        an optional hashlock and a salt; its id is keccak256(abi_encode(legs, cutoff,
        hashlock, salt)). Every leg's sender approves by signing
        Settlement(bytes32 id) (domain "rwakit Settlement", version "1") and allows this
        contract to move the leg's amount. Anyone submits the legs with the signatures
        before the cutoff: every leg moves in one transaction, or none does (a security
        token leg still passes its compliance). With a hashlock, execution also needs the
        preimage, so a leg on another chain locked by the same hash settles with it; the
        preimage is logged. A sender may cancel before execution.
"""

from ethereum.ercs import IERC20
from .lib import signatures

struct Leg:
    token: address
    sender: address
    receiver: address
    amount: uint256

struct Signature:
    v: uint8
    r: bytes32
    s: bytes32

event SettlementExecuted:
    id: indexed(bytes32)
    legs: DynArray[Leg, MAX_LEGS]
    preimage: bytes32
    caller: indexed(address)

event SettlementCancelled:
    id: indexed(bytes32)
    by: indexed(address)

MAX_LEGS: constant(uint256) = 8
SETTLEMENT_TYPEHASH: constant(bytes32) = keccak256("Settlement(bytes32 id)")
NAME_HASH: constant(bytes32) = keccak256("rwakit Settlement")
VERSION_HASH: constant(bytes32) = keccak256("1")
OPEN: constant(uint256) = 0
EXECUTED: constant(uint256) = 1
CANCELLED: constant(uint256) = 2

DOMAIN_SEPARATOR: immutable(bytes32)
DEPLOY_CHAIN_ID: immutable(uint256)

status: public(HashMap[bytes32, uint256])


@deploy
def __init__():
    DEPLOY_CHAIN_ID = chain.id
    DOMAIN_SEPARATOR = signatures.domain_separator(NAME_HASH, VERSION_HASH)


@internal
@view
def _domain() -> bytes32:
    if chain.id == DEPLOY_CHAIN_ID:
        return DOMAIN_SEPARATOR
    return signatures.domain_separator(NAME_HASH, VERSION_HASH)


@external
@view
def domainSeparator() -> bytes32:
    return self._domain()


@external
@pure
def settlementId(legs: DynArray[Leg, MAX_LEGS], cutoff: uint256, hashlock: bytes32, salt: uint256) -> bytes32:
    return keccak256(abi_encode(legs, cutoff, hashlock, salt))


@external
def execute(legs: DynArray[Leg, MAX_LEGS], cutoff: uint256, hashlock: bytes32, salt: uint256, sigs: DynArray[Signature, MAX_LEGS], preimage: bytes32):
    """`sigs[i]` is legs[i].sender's approval (a sender of several legs signs each)."""
    n: uint256 = len(legs)
    assert n > 0, "no legs"
    assert len(sigs) == n, "one signature per leg"
    assert block.timestamp <= cutoff, "settlement cutoff passed"
    if hashlock != empty(bytes32):
        assert keccak256(abi_encode(preimage)) == hashlock, "wrong hashlock preimage"
    id: bytes32 = keccak256(abi_encode(legs, cutoff, hashlock, salt))
    state: uint256 = self.status[id]
    assert state != EXECUTED, "settlement already executed"
    assert state != CANCELLED, "settlement cancelled"
    self.status[id] = EXECUTED
    digest: bytes32 = signatures.digest(self._domain(), keccak256(abi_encode(SETTLEMENT_TYPEHASH, id)))
    for i: uint256 in range(n, bound=MAX_LEGS):
        leg: Leg = legs[i]
        sig: Signature = sigs[i]
        signer: address = signatures.recover(digest, sig.v, sig.r, sig.s)
        assert signer != empty(address) and signer == leg.sender, "leg not approved by its sender"
    for leg: Leg in legs:
        assert extcall IERC20(leg.token).transferFrom(leg.sender, leg.receiver, leg.amount, default_return_value=True), "leg transfer failed"
    log SettlementExecuted(id=id, legs=legs, preimage=preimage, caller=msg.sender)


@external
def cancel(legs: DynArray[Leg, MAX_LEGS], cutoff: uint256, hashlock: bytes32, salt: uint256):
    """Any leg's sender withdraws from a settlement not yet executed."""
    id: bytes32 = keccak256(abi_encode(legs, cutoff, hashlock, salt))
    party: bool = False
    for leg: Leg in legs:
        if leg.sender == msg.sender:
            party = True
    assert party, "caller is not a party"
    assert self.status[id] != EXECUTED, "settlement already executed"
    self.status[id] = CANCELLED
    log SettlementCancelled(id=id, by=msg.sender)
