# pragma version 0.4.3
# pragma optimize gas
# pragma experimental-codegen
"""
@title Shareholder voting for an equity class, with delegation
@notice Class metadata (name, votes per share) and proposals voted at a record time, a
        snapshot boundary of the token (this contract holds the SCHEDULER role): a vote
        weighs balanceOfAt(voter, record) * VOTES_PER_SHARE. Holders vote themselves
        at no storage cost beyond the vote; only a holder who delegates writes
        checkpoints (time, delegate), and its delegate then casts its votes, unless the
        holder voted first. A delegation counts for a proposal when made at or before
        its record time.
"""

from .lib import payouts

struct Checkpoint:
    since: uint256
    delegate: address

event ShareClassSet:
    name: String[32]
    votes_per_share: uint256

event DelegateChanged:
    holder: indexed(address)
    delegate: indexed(address)
    since: uint256

event ProposalCreated:
    id: indexed(uint256)
    description_hash: bytes32
    record_time: uint256
    voting_ends: uint256
    proposer: indexed(address)

event VoteCast:
    id: indexed(uint256)
    voter: indexed(address)
    holder: indexed(address)
    support: bool
    weight: uint256

MAX_CHECKPOINTS: constant(uint256) = 64
MAX_VOTERS: constant(uint256) = 256

TOKEN: public(immutable(address))
VOTES_PER_SHARE: public(immutable(uint256))
class_name: public(String[32])

checkpoints: public(HashMap[address, DynArray[Checkpoint, MAX_CHECKPOINTS]])
# id -> record time | voting end << 128
proposal_times: public(HashMap[uint256, uint256])
votes_for: public(HashMap[uint256, uint256])
votes_against: public(HashMap[uint256, uint256])
voted: public(HashMap[uint256, HashMap[address, bool]])
proposal_count: public(uint256)


@deploy
def __init__(token: address, class_name: String[32], votes_per_share: uint256):
    assert token != empty(address), "zero address"
    assert len(class_name) > 0, "share class name required"
    assert votes_per_share <= 1000, "votes per share above 1000"
    TOKEN = token
    VOTES_PER_SHARE = votes_per_share
    self.class_name = class_name
    log ShareClassSet(name=class_name, votes_per_share=votes_per_share)


@external
def delegate(delegate_: address):
    """Let `delegate_` vote this holder's shares (the holder itself or 0x0 undoes it)."""
    n: uint256 = len(self.checkpoints[msg.sender])
    assert n < MAX_CHECKPOINTS, "too many delegation changes"
    target: address = delegate_
    if target == msg.sender:
        target = empty(address)
    if n > 0 and self.checkpoints[msg.sender][n - 1].since == block.timestamp:
        self.checkpoints[msg.sender][n - 1].delegate = target
    else:
        self.checkpoints[msg.sender].append(Checkpoint(since=block.timestamp, delegate=target))
    log DelegateChanged(holder=msg.sender, delegate=target, since=block.timestamp)


@internal
@view
def _delegate_at(holder: address, t: uint256) -> address:
    found: address = empty(address)
    for c: Checkpoint in self.checkpoints[holder]:
        if c.since > t:
            break
        found = c.delegate
    return found


@external
@view
def delegateAt(holder: address, t: uint256) -> address:
    return self._delegate_at(holder, t)


@external
def propose(description_hash: bytes32, record_time: uint256, voting_ends: uint256) -> uint256:
    payouts.require_role(TOKEN, payouts.ROLE_GOVERNANCE)
    assert record_time >= block.timestamp, "record time must not be in the past"
    assert voting_ends > record_time and voting_ends < 2**128, "voting must end after the record time"
    id: uint256 = self.proposal_count + 1
    self.proposal_count = id
    self.proposal_times[id] = record_time | (voting_ends << 128)
    extcall payouts.AssetToken(TOKEN).scheduleSnapshots([record_time])
    log ProposalCreated(id=id, description_hash=description_hash, record_time=record_time, voting_ends=voting_ends, proposer=msg.sender)
    return id


@internal
@view
def _open(id: uint256) -> uint256:
    times: uint256 = self.proposal_times[id]
    assert times != 0, "no such proposal"
    record: uint256 = times & (2**128 - 1)
    assert block.timestamp > record, "voting not open"
    assert block.timestamp <= times >> 128, "voting closed"
    return record


@internal
def _count(id: uint256, record: uint256, voter: address, holder: address, support: bool) -> uint256:
    assert not self.voted[id][holder], "already voted"
    weight: uint256 = staticcall payouts.AssetToken(TOKEN).balanceOfAt(holder, record) * VOTES_PER_SHARE
    assert weight != 0, "no voting power"
    self.voted[id][holder] = True
    if support:
        self.votes_for[id] += weight
    else:
        self.votes_against[id] += weight
    log VoteCast(id=id, voter=voter, holder=holder, support=support, weight=weight)
    return weight


@external
def castVote(id: uint256, support: bool) -> uint256:
    """Vote the caller's own shares (a holder may override its delegate by voting first)."""
    return self._count(id, self._open(id), msg.sender, msg.sender, support)


@external
def castVotesFor(id: uint256, support: bool, holders: DynArray[address, MAX_VOTERS]) -> uint256:
    """A delegate votes the shares of holders that had delegated to it by the record time."""
    record: uint256 = self._open(id)
    total: uint256 = 0
    for holder: address in holders:
        assert self._delegate_at(holder, record) == msg.sender, "not the holder's delegate"
        total += self._count(id, record, msg.sender, holder, support)
    return total
