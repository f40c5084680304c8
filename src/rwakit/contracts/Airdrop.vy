# pragma version 0.4.3
# pragma optimize gas
# pragma experimental-codegen
"""
@title Merkle airdrops: claim windows, optional linear vesting with a cliff, batch claims
@notice Anyone creates a drop of a funded ERC-20 amount over a Merkle root of
        (account, amount) leaves: leaf = keccak256(keccak256(abi_encode(account, amount))),
        parents hash their two children in ascending order. Between START and END an
        account's entitlement pays out to that account, claimed by itself or pushed by
        an operator in batches (`claimMany`); without vesting all at once, with vesting
        linearly from START to VESTING_END, nothing before CLIFF. After END the creator
        reclaims what is left.
"""

from ethereum.ercs import IERC20
from .lib import payouts

struct Drop:
    asset: address
    creator: address
    root: bytes32
    total: uint256
    paid: uint256
    start: uint256
    end: uint256
    cliff: uint256
    vesting_end: uint256

event DropCreated:
    id: indexed(uint256)
    asset: indexed(address)
    creator: indexed(address)
    root: bytes32
    total: uint256
    start: uint256
    end: uint256
    cliff: uint256
    vesting_end: uint256

event DropClaimed:
    id: indexed(uint256)
    account: indexed(address)
    amount: uint256

event DropReclaimed:
    id: indexed(uint256)
    amount: uint256

MAX_DEPTH: constant(uint256) = 32
MAX_CLAIMS: constant(uint256) = 256

drops: public(HashMap[uint256, Drop])
claimed: public(HashMap[uint256, HashMap[address, uint256]])
count: public(uint256)


@external
def create(asset: address, root: bytes32, total: uint256, start: uint256, end: uint256, cliff: uint256, vesting_end: uint256) -> uint256:
    """vesting_end 0: no vesting (cliff must be 0 too)."""
    assert asset != empty(address) and root != empty(bytes32), "zero address or root"
    assert total > 0, "zero amount"
    assert start < end, "claim window out of order"
    if vesting_end == 0:
        assert cliff == 0, "cliff without vesting"
    else:
        assert start <= cliff and cliff <= vesting_end and vesting_end > start, "vesting out of order"
    id: uint256 = self.count + 1
    self.count = id
    self.drops[id] = Drop(asset=asset, creator=msg.sender, root=root, total=total, paid=0, start=start, end=end, cliff=cliff, vesting_end=vesting_end)
    payouts.collect(asset, msg.sender, total)
    log DropCreated(id=id, asset=asset, creator=msg.sender, root=root, total=total, start=start, end=end, cliff=cliff, vesting_end=vesting_end)
    return id


@internal
@pure
def _leaf(account: address, amount: uint256) -> bytes32:
    return keccak256(abi_encode(keccak256(abi_encode(account, amount))))


@internal
@pure
def _verify(root: bytes32, leaf: bytes32, proof: DynArray[bytes32, MAX_DEPTH]) -> bool:
    node: bytes32 = leaf
    for sibling: bytes32 in proof:
        if convert(node, uint256) < convert(sibling, uint256):
            node = keccak256(concat(node, sibling))
        else:
            node = keccak256(concat(sibling, node))
    return node == root


@internal
@view
def _vested(d: Drop, amount: uint256) -> uint256:
    if d.vesting_end == 0 or block.timestamp >= d.vesting_end:
        return amount
    if block.timestamp < d.cliff:
        return 0
    return amount * (block.timestamp - d.start) // (d.vesting_end - d.start)


@internal
def _claim(id: uint256, d: Drop, account: address, amount: uint256, proof: DynArray[bytes32, MAX_DEPTH], budget: uint256) -> uint256:
    assert self._verify(d.root, self._leaf(account, amount), proof), "invalid airdrop proof"
    done: uint256 = self.claimed[id][account]
    due: uint256 = self._vested(d, amount) - done
    # a root whose leaves add up to more than the funding never spends other drops' funds
    assert due <= budget, "airdrop exhausted"
    if due != 0:
        self.claimed[id][account] = done + due
        payouts.pay(d.asset, account, due)
        log DropClaimed(id=id, account=account, amount=due)
    return due


@internal
@view
def _open(id: uint256) -> Drop:
    d: Drop = self.drops[id]
    assert d.asset != empty(address), "no such airdrop"
    assert block.timestamp >= d.start, "airdrop not started"
    assert block.timestamp <= d.end, "airdrop ended"
    return d


@external
def claim(id: uint256, account: address, amount: uint256, proof: DynArray[bytes32, MAX_DEPTH]) -> uint256:
    """Pay `account` what has vested of its `amount` and it has not been paid yet."""
    d: Drop = self._open(id)
    due: uint256 = self._claim(id, d, account, amount, proof, d.total - d.paid)
    assert due != 0, "nothing to claim"
    self.drops[id].paid = d.paid + due
    return due


@external
def claimMany(id: uint256, accounts: DynArray[address, MAX_CLAIMS], amounts: DynArray[uint256, MAX_CLAIMS], proofs: DynArray[DynArray[bytes32, MAX_DEPTH], MAX_CLAIMS]):
    """An operator pushes many entitlements in one transaction (nothing due: skipped)."""
    n: uint256 = len(accounts)
    assert n > 0, "empty batch"
    assert len(amounts) == n and len(proofs) == n, "batch length mismatch"
    d: Drop = self._open(id)
    paid: uint256 = d.paid
    for i: uint256 in range(n, bound=MAX_CLAIMS):
        paid += self._claim(id, d, accounts[i], amounts[i], proofs[i], d.total - paid)
    self.drops[id].paid = paid


@external
def reclaim(id: uint256) -> uint256:
    d: Drop = self.drops[id]
    assert d.asset != empty(address), "no such airdrop"
    assert msg.sender == d.creator, "caller is not the creator"
    assert block.timestamp > d.end, "airdrop not ended"
    remainder: uint256 = d.total - d.paid
    assert remainder != 0, "nothing to reclaim"
    self.drops[id].paid = d.total
    payouts.pay(d.asset, msg.sender, remainder)
    log DropReclaimed(id=id, amount=remainder)
    return remainder
