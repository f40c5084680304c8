# pragma version 0.4.3
# pragma optimize gas
# pragma experimental-codegen
"""
@title Dividends and other pro-rata distributions of a token's holders
@notice Governance declares `amount` of a payment asset at a future record time, which
        this contract makes a snapshot boundary of the token (it holds the SCHEDULER
        role); the amount is collected from the declarer at once. Each holder is owed
            floor(amount * balanceOfAt(holder, record) / totalSupplyAt(record)).
        For PUSH_WINDOW seconds after the record time the paying agent (custodian role)
        pushes payments in strictly increasing address order, keeping one "last paid"
        address per distribution; then holders above it (or never reached) claim until
        the deadline, after which governance reclaims the remainder. Pushes and claims
        never overlap in time, so a push reads no per-holder marker.
"""

from .lib import payouts

event DistributionDeclared:
    id: indexed(uint256)
    asset: indexed(address)
    amount: uint256
    record_time: uint256
    deadline: uint256
    declarer: indexed(address)

event DistributionClaimed:
    id: indexed(uint256)
    holder: indexed(address)
    amount: uint256

event DistributionPushed:
    id: indexed(uint256)
    holders: uint256
    amount: uint256
    last_paid: address
    caller: indexed(address)

event DistributionReclaimed:
    id: indexed(uint256)
    receiver: indexed(address)
    amount: uint256
    caller: indexed(address)

TOKEN: public(immutable(address))
PUSH_WINDOW: public(immutable(uint256))
MAX_TIME: constant(uint256) = 2**48 - 1
U96: constant(uint256) = 2**96 - 1
ADDRESS_MASK: constant(uint256) = 2**160 - 1

# id (= record time << 160 | asset) -> amount | paid << 96 | deadline << 192: one slot,
# so declaring costs one new storage word (paid includes a reclaimed remainder)
terms: HashMap[uint256, uint256]
last_pushed: public(HashMap[uint256, address])
claimed: public(HashMap[uint256, HashMap[address, bool]])


@deploy
def __init__(token: address, push_window: uint256):
    assert token != empty(address), "zero address"
    assert push_window <= 365 * 86400, "push window above a year"
    TOKEN = token
    PUSH_WINDOW = push_window


@internal
@pure
def _asset(id: uint256) -> address:
    return convert(convert(id & ADDRESS_MASK, uint160), address)


@external
@pure
def distributionId(asset: address, record_time: uint256) -> uint256:
    """One distribution per asset and record time; its id packs both."""
    return (record_time << 160) | convert(asset, uint256)


@external
@view
def distribution(id: uint256) -> (address, uint256, uint256, uint256, uint256):
    """(asset, amount, record time, deadline, paid) of distribution `id`."""
    terms: uint256 = self.terms[id]
    assert terms != 0, "no such distribution"
    return self._asset(id), terms & U96, id >> 160, terms >> 192, (terms >> 96) & U96


@external
def declare(asset: address, amount: uint256, record_time: uint256, deadline: uint256) -> uint256:
    assert asset != empty(address), "zero address"
    assert amount > 0 and amount <= U96, "amount out of range"
    assert record_time >= block.timestamp, "record time must not be in the past"
    assert deadline > record_time + PUSH_WINDOW and deadline <= MAX_TIME, "deadline must follow the push window"
    id: uint256 = (record_time << 160) | convert(asset, uint256)
    assert self.terms[id] == 0, "distribution exists"
    self.terms[id] = amount | (deadline << 192)
    # the token call first: the role check after it finds the token warm
    extcall payouts.AssetToken(TOKEN).scheduleSnapshots([record_time])
    payouts.require_role(TOKEN, payouts.ROLE_GOVERNANCE)
    payouts.collect(asset, msg.sender, amount)
    log DistributionDeclared(id=id, asset=asset, amount=amount, record_time=record_time, deadline=deadline, declarer=msg.sender)
    return id


@internal
@view
def _open(id: uint256, pushing: bool) -> (uint256, uint256, uint256):
    """(record time, amount, paid) of a distribution that pays now, by push or by claim."""
    terms: uint256 = self.terms[id]
    assert terms != 0, "no such distribution"
    record: uint256 = id >> 160
    assert block.timestamp > record, "record time not reached"
    if pushing:
        assert block.timestamp <= record + PUSH_WINDOW, "push window closed"
    else:
        assert block.timestamp > record + PUSH_WINDOW, "claims open after the push window"
        assert block.timestamp <= terms >> 192, "distribution deadline passed"
    return record, terms & U96, (terms >> 96) & U96


@internal
@view
def _share(amount: uint256, holder: address, record: uint256, supply: uint256) -> uint256:
    return amount * staticcall payouts.AssetToken(TOKEN).balanceOfAt(holder, record) // supply


@external
@view
def claimable(id: uint256, holder: address) -> uint256:
    """What `holder` may claim now (0 during the push window, and once paid)."""
    terms: uint256 = self.terms[id]
    if terms == 0 or self.claimed[id][holder] or convert(holder, uint256) <= convert(self.last_pushed[id], uint256):
        return 0
    record: uint256 = id >> 160
    if block.timestamp <= record + PUSH_WINDOW or block.timestamp > terms >> 192:
        return 0
    supply: uint256 = staticcall payouts.AssetToken(TOKEN).totalSupplyAt(record)
    if supply == 0:
        return 0
    return self._share(terms & U96, holder, record, supply)


@internal
def _add_paid(id: uint256, amount: uint256):
    self.terms[id] += amount << 96


@external
def claim(id: uint256) -> uint256:
    record: uint256 = 0
    amount: uint256 = 0
    paid: uint256 = 0
    record, amount, paid = self._open(id, False)
    assert not self.claimed[id][msg.sender] and convert(msg.sender, uint256) > convert(self.last_pushed[id], uint256), "distribution already paid"
    supply: uint256 = staticcall payouts.AssetToken(TOKEN).totalSupplyAt(record)
    assert supply != 0, "no distribution owed"
    share: uint256 = self._share(amount, msg.sender, record, supply)
    assert share != 0, "no distribution owed"
    self.claimed[id][msg.sender] = True
    # shares round down, so they never add up to more than the amount
    self._add_paid(id, share)
    payouts.pay(self._asset(id), msg.sender, share)
    log DistributionClaimed(id=id, holder=msg.sender, amount=share)
    return share


@external
def push(id: uint256, holders: DynArray[address, payouts.MAX_PUSH]):
    """
    During the push window pay holders in strictly increasing address order above the
    last paid address. Every holder at the record time must be included: an address
    skipped below the new last paid address can no longer claim.
    """
    payouts.require_role(TOKEN, payouts.ROLE_CUSTODIAN)
    record: uint256 = 0
    amount: uint256 = 0
    paid: uint256 = 0
    record, amount, paid = self._open(id, True)
    assert len(holders) > 0, "empty batch"
    supply: uint256 = staticcall payouts.AssetToken(TOKEN).totalSupplyAt(record)
    assert supply != 0, "no distribution owed"
    asset: address = self._asset(id)
    previous: address = self.last_pushed[id]
    total: uint256 = 0
    for holder: address in holders:
        payouts.require_ascending(previous, holder)
        previous = holder
        share: uint256 = self._share(amount, holder, record, supply)
        if share != 0:
            total += share
            payouts.pay(asset, holder, share)
    self.last_pushed[id] = previous
    self._add_paid(id, total)
    log DistributionPushed(id=id, holders=len(holders), amount=total, last_paid=previous, caller=msg.sender)


@external
def reclaim(id: uint256, receiver: address) -> uint256:
    """After the deadline governance takes back what was not paid out."""
    payouts.require_role(TOKEN, payouts.ROLE_GOVERNANCE)
    assert receiver != empty(address), "zero address"
    terms: uint256 = self.terms[id]
    assert terms != 0, "no such distribution"
    assert block.timestamp > terms >> 192, "distribution deadline not passed"
    amount: uint256 = terms & U96
    remainder: uint256 = amount - ((terms >> 96) & U96)
    assert remainder != 0, "nothing to reclaim"
    self._add_paid(id, remainder)
    payouts.pay(self._asset(id), receiver, remainder)
    log DistributionReclaimed(id=id, receiver=receiver, amount=remainder, caller=msg.sender)
    return remainder
