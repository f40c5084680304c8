# pragma version 0.4.3
# pragma optimize gas
# pragma experimental-codegen
"""
@title Multisig treasury: M of N signers (optionally weighted), EIP-712 signatures
@notice Holds payment tokens and pays coupons, dividends and redemptions: a payout moves
        an ERC-20 amount to a receiver (a Bond's reserve, a FixedYield or Distribution
        contract, a holder); a call runs any function as the vault (for example `fund`
        or `declare` after an `approve`, with the governance role on the token). Each needs
        signatures whose signers' weights reach the threshold, over the vault's current
        nonce; signatures come ordered by signer address, so none counts twice.
        Signers and threshold change only by a call the vault makes to itself.
"""

from ethereum.ercs import IERC20
from .lib import signatures

struct Signature:
    v: uint8
    r: bytes32
    s: bytes32

event PayoutExecuted:
    nonce: indexed(uint256)
    asset: indexed(address)
    receiver: indexed(address)
    amount: uint256

event CallExecuted:
    nonce: indexed(uint256)
    target: indexed(address)
    data: Bytes[MAX_DATA]

event SignersChanged:
    signers: DynArray[address, MAX_SIGNERS]
    weights: DynArray[uint256, MAX_SIGNERS]
    threshold: uint256

MAX_SIGNERS: constant(uint256) = 16
MAX_DATA: constant(uint256) = 4096
PAYOUT_TYPEHASH: constant(bytes32) = keccak256("Payout(address asset,address receiver,uint256 amount,uint256 nonce,uint256 deadline)")
CALL_TYPEHASH: constant(bytes32) = keccak256("Call(address target,bytes data,uint256 nonce,uint256 deadline)")
NAME_HASH: constant(bytes32) = keccak256("rwakit Vault")
VERSION_HASH: constant(bytes32) = keccak256("1")

DOMAIN_SEPARATOR: immutable(bytes32)
DEPLOY_CHAIN_ID: immutable(uint256)

signers: public(DynArray[address, MAX_SIGNERS])
weight: public(HashMap[address, uint256])
threshold: public(uint256)
nonce: public(uint256)


@deploy
def __init__(signers_: DynArray[address, MAX_SIGNERS], weights: DynArray[uint256, MAX_SIGNERS], threshold_: uint256):
    DEPLOY_CHAIN_ID = chain.id
    DOMAIN_SEPARATOR = signatures.domain_separator(NAME_HASH, VERSION_HASH)
    self._set_signers(signers_, weights, threshold_)


@internal
def _set_signers(signers_: DynArray[address, MAX_SIGNERS], weights: DynArray[uint256, MAX_SIGNERS], threshold_: uint256):
    """Empty weights: every signer weighs 1 (plain M of N)."""
    assert len(signers_) > 0, "no signers"
    assert len(weights) == 0 or len(weights) == len(signers_), "weights length mismatch"
    for old: address in self.signers:
        self.weight[old] = 0
    total: uint256 = 0
    for i: uint256 in range(len(signers_), bound=MAX_SIGNERS):
        signer: address = signers_[i]
        assert signer != empty(address), "zero address"
        assert self.weight[signer] == 0, "duplicate signer"
        w: uint256 = 1
        if len(weights) != 0:
            w = weights[i]
        assert w > 0 and w <= 2**64, "signer weight out of range"
        self.weight[signer] = w
        total += w
    assert threshold_ > 0 and threshold_ <= total, "threshold must be 1 to the total weight"
    self.signers = signers_
    self.threshold = threshold_
    log SignersChanged(signers=signers_, weights=weights, threshold=threshold_)


@external
@view
def domainSeparator() -> bytes32:
    return self._domain()


@internal
@view
def _domain() -> bytes32:
    if chain.id == DEPLOY_CHAIN_ID:
        return DOMAIN_SEPARATOR
    return signatures.domain_separator(NAME_HASH, VERSION_HASH)


@internal
def _authorize(struct_hash: bytes32, deadline: uint256, sigs: DynArray[Signature, MAX_SIGNERS]) -> uint256:
    """Check the signatures reach the threshold; spend and return the nonce they signed."""
    assert block.timestamp <= deadline, "authorization expired"
    digest: bytes32 = signatures.digest(self._domain(), struct_hash)
    previous: uint256 = 0
    total: uint256 = 0
    for sig: Signature in sigs:
        signer: address = signatures.recover(digest, sig.v, sig.r, sig.s)
        assert convert(signer, uint256) > previous, "signatures must be ordered by signer"
        previous = convert(signer, uint256)
        w: uint256 = self.weight[signer]
        assert w != 0, "signer not authorized"
        total += w
    assert total >= self.threshold, "signatures below threshold"
    nonce: uint256 = self.nonce
    self.nonce = nonce + 1
    return nonce


@external
def payout(asset: address, receiver: address, amount: uint256, deadline: uint256, sigs: DynArray[Signature, MAX_SIGNERS]):
    assert receiver != empty(address), "zero address"
    nonce: uint256 = self._authorize(keccak256(abi_encode(PAYOUT_TYPEHASH, asset, receiver, amount, self.nonce, deadline)), deadline, sigs)
    assert staticcall IERC20(asset).balanceOf(self) >= amount, "insufficient vault balance"
    assert extcall IERC20(asset).transfer(receiver, amount, default_return_value=True), "payment failed"
    log PayoutExecuted(nonce=nonce, asset=asset, receiver=receiver, amount=amount)


@external
def execute(target: address, data: Bytes[MAX_DATA], deadline: uint256, sigs: DynArray[Signature, MAX_SIGNERS]):
    assert target != empty(address), "zero address"
    nonce: uint256 = self._authorize(keccak256(abi_encode(CALL_TYPEHASH, target, keccak256(data), self.nonce, deadline)), deadline, sigs)
    raw_call(target, data)
    log CallExecuted(nonce=nonce, target=target, data=data)


@external
def setSigners(signers_: DynArray[address, MAX_SIGNERS], weights: DynArray[uint256, MAX_SIGNERS], threshold_: uint256):
    """Only as a signed `execute` of the vault on itself."""
    assert msg.sender == self, "only the vault itself"
    self._set_signers(signers_, weights, threshold_)
