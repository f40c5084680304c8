# pragma version 0.4.3
# pragma optimize gas
# pragma experimental-codegen
"""
@title Fixed-yield coupon schedule of a bond token
@notice PERIODS coupon periods of INTERVAL seconds from START; period k (1-based) ends at
        START + k * INTERVAL, a snapshot boundary of the token (scheduled with the
        SCHEDULER role this contract holds). A holder's coupon for period k is
            floor(balanceOfAt(holder, end_k) * FACE_VALUE * RATE_BPS * INTERVAL
                  / (10**decimals * 10_000 * 365 days))
        i.e. the annual rate in basis points on the face value held at the period's end,
        accrued actual/365 over the interval. Coupons are paid in DENOMINATION from the
        funding the issuer deposits.
        For PUSH_WINDOW seconds after a period ends only the paying agent pays it, pushing
        to many holders in strictly increasing address order and keeping only the last
        address paid: a holder at or below it counts as paid for that period. Then holders
        claim every such open period they were not paid, all at once. Pushes and claims
        of one period never overlap in time, so a push reads no per-holder marker.
"""

from .lib import payouts

event CouponsFunded:
    funder: indexed(address)
    amount: uint256
    available: uint256

event CouponFundingWithdrawn:
    receiver: indexed(address)
    amount: uint256
    available: uint256
    caller: indexed(address)

event CouponsClaimed:
    holder: indexed(address)
    first_period: uint256
    last_period: uint256
    amount: uint256

event CouponsPushed:
    period: indexed(uint256)
    holders: uint256
    amount: uint256
    last_paid: address
    caller: indexed(address)

U128: constant(uint256) = 2**128 - 1

TOKEN: public(immutable(address))
DENOMINATION: public(immutable(address))
FACE_VALUE: public(immutable(uint256))
RATE_BPS: public(immutable(uint256))
START: public(immutable(uint256))
INTERVAL: public(immutable(uint256))
PERIODS: public(immutable(uint256))
PUSH_WINDOW: public(immutable(uint256))
# coupon = balance * NUMERATOR // DENOMINATOR (see the notice)
NUMERATOR: immutable(uint256)
DENOMINATOR: immutable(uint256)

# periods a holder has claimed (claims take every completed period, so they are contiguous)
claimed_through: public(HashMap[address, uint256])
# period -> highest address a push has paid (or skipped as already claimed)
last_pushed: public(HashMap[uint256, address])
# funding not yet paid or withdrawn | paid << 128: one word, written by every payment
money: uint256


@deploy
def __init__(token: address, denomination: address, face_value: uint256, rate_bps: uint256, start: uint256, interval: uint256, periods: uint256, push_window: uint256):
    assert token != empty(address) and denomination != empty(address), "zero address"
    assert face_value > 0 and face_value <= payouts.U128, "face value out of range"
    assert rate_bps > 0 and rate_bps <= payouts.BPS, "rate must be 1-10000 bps"
    assert interval >= 86400 and interval <= payouts.YEAR, "interval must be 1-365 days"
    assert periods > 0 and periods <= payouts.MAX_SCHEDULE, "periods must be 1-128"
    assert start >= block.timestamp, "start must not be in the past"
    assert push_window < interval, "push window must be shorter than the interval"
    TOKEN = token
    DENOMINATION = denomination
    FACE_VALUE = face_value
    RATE_BPS = rate_bps
    START = start
    INTERVAL = interval
    PERIODS = periods
    PUSH_WINDOW = push_window
    NUMERATOR = face_value * rate_bps * interval
    DENOMINATOR = 10 ** convert(staticcall payouts.AssetToken(token).decimals(), uint256) * payouts.BPS * payouts.YEAR


@internal
@view
def _completed() -> uint256:
    # balances are readable only at boundaries strictly before now
    if block.timestamp <= START + INTERVAL:
        return 0
    return min(PERIODS, (block.timestamp - START - 1) // INTERVAL)


@internal
@view
def _claims_open() -> uint256:
    """Periods whose push window has closed: holders may claim them."""
    if block.timestamp <= START + INTERVAL + PUSH_WINDOW:
        return 0
    return min(PERIODS, (block.timestamp - START - PUSH_WINDOW - 1) // INTERVAL)


@internal
@view
def _end(period: uint256) -> uint256:
    return START + period * INTERVAL


@internal
@view
def _coupon(balance: uint256) -> uint256:
    return balance * NUMERATOR // DENOMINATOR


@internal
@view
def _available() -> uint256:
    return self.money & U128


@internal
@view
def _paid() -> uint256:
    return self.money >> 128


@external
@view
def completedPeriods() -> uint256:
    return self._completed()


@external
@view
def periodEnd(period: uint256) -> uint256:
    assert period >= 1 and period <= PERIODS, "no such period"
    return self._end(period)


@external
@view
def couponFor(balance: uint256) -> uint256:
    """One period's coupon on `balance` token units."""
    return self._coupon(balance)


@external
@view
def claimsOpenThrough() -> uint256:
    """The last period holders may claim now (0: none)."""
    return self._claims_open()


@external
@view
def available() -> uint256:
    """Funding not yet paid out or withdrawn."""
    return self._available()


@external
@view
def paid() -> uint256:
    return self._paid()


@internal
@view
def _owed(holder: address, completed: uint256) -> uint256:
    total: uint256 = 0
    for k: uint256 in range(self.claimed_through[holder] + 1, completed + 1, bound=payouts.MAX_SCHEDULE):
        if convert(holder, uint256) > convert(self.last_pushed[k], uint256):
            total += self._coupon(staticcall payouts.AssetToken(TOKEN).balanceOfAt(holder, self._end(k)))
    return total


@external
@view
def claimable(holder: address) -> uint256:
    return self._owed(holder, self._claims_open())


@internal
@view
def _outstanding() -> uint256:
    """Coupons of completed periods not yet paid (an upper bound: rounding favours holders)."""
    due: uint256 = 0
    for k: uint256 in range(1, self._completed() + 1, bound=payouts.MAX_SCHEDULE):
        due += self._coupon(staticcall payouts.AssetToken(TOKEN).totalSupplyAt(self._end(k)))
    return due - min(due, self._paid())


@external
@view
def outstanding() -> uint256:
    return self._outstanding()


@external
@view
def withdrawable() -> uint256:
    return self._available() - min(self._available(), self._outstanding())


@external
def scheduleBoundaries():
    """Make every future period end a snapshot boundary (the creation call does this)."""
    ends: DynArray[uint256, payouts.MAX_SCHEDULE] = []
    for k: uint256 in range(1, PERIODS + 1, bound=payouts.MAX_SCHEDULE):
        t: uint256 = self._end(k)
        if t >= block.timestamp:
            ends.append(t)
    assert len(ends) > 0, "schedule has ended"
    extcall payouts.AssetToken(TOKEN).scheduleSnapshots(ends)


@external
def fund(amount: uint256):
    """Top up coupon funding (governance role), pulled from the caller by allowance."""
    payouts.require_role(TOKEN, payouts.ROLE_GOVERNANCE)
    assert amount > 0, "zero amount"
    money: uint256 = self.money
    available: uint256 = (money & U128) + amount
    assert available <= U128, "funding out of range"
    self.money = (money - (money & U128)) | available
    payouts.collect(DENOMINATION, msg.sender, amount)
    log CouponsFunded(funder=msg.sender, amount=amount, available=available)


@external
def withdraw(receiver: address, amount: uint256):
    """Governance takes back funding that no completed period still owes."""
    payouts.require_role(TOKEN, payouts.ROLE_GOVERNANCE)
    assert receiver != empty(address), "zero address"
    available: uint256 = self._available()
    assert available >= self._outstanding() + amount, "withdrawal would leave coupons unfunded"
    self.money -= amount
    payouts.pay(DENOMINATION, receiver, amount)
    log CouponFundingWithdrawn(receiver=receiver, amount=amount, available=available - amount, caller=msg.sender)


@internal
def _spend(amount: uint256):
    money: uint256 = self.money
    assert money & U128 >= amount, "insufficient coupon funding"
    self.money = money - amount + (amount << 128)


@external
def claim() -> uint256:
    """Pay the caller every completed period it has not been paid, at once."""
    completed: uint256 = self._claims_open()
    if completed == 0:
        assert self._completed() != 0, "no coupon period has ended"
        raise "coupon claims not open yet"
    first: uint256 = self.claimed_through[msg.sender] + 1
    assert first <= completed, "coupons already claimed"
    amount: uint256 = self._owed(msg.sender, completed)
    assert amount > 0, "no coupon owed"
    self.claimed_through[msg.sender] = completed
    self._spend(amount)
    payouts.pay(DENOMINATION, msg.sender, amount)
    log CouponsClaimed(holder=msg.sender, first_period=first, last_period=completed, amount=amount)
    return amount


@external
def push(period: uint256, holders: DynArray[address, payouts.MAX_PUSH]):
    """
    The paying agent (custodian role) pays `period` during its push window to holders
    in strictly increasing address order above the period's last paid address. Every
    holder of the period must be included: an address skipped below the new last paid
    address can no longer claim the period.
    """
    payouts.require_role(TOKEN, payouts.ROLE_CUSTODIAN)
    assert period >= 1 and period <= self._completed(), "coupon period not ended"
    t: uint256 = self._end(period)
    assert block.timestamp <= t + PUSH_WINDOW, "push window closed"
    assert len(holders) > 0, "empty batch"
    previous: address = self.last_pushed[period]
    # checked as it goes so a short budget fails with our reason, not the asset's
    budget: uint256 = self._available()
    total: uint256 = 0
    for holder: address in holders:
        payouts.require_ascending(previous, holder)
        previous = holder
        amount: uint256 = self._coupon(staticcall payouts.AssetToken(TOKEN).balanceOfAt(holder, t))
        if amount != 0:
            total += amount
            assert total <= budget, "insufficient coupon funding"
            payouts.pay(DENOMINATION, holder, amount)
    self.last_pushed[period] = previous
    self.money = self.money - total + (total << 128)
    log CouponsPushed(period=period, holders=len(holders), amount=total, last_paid=previous, caller=msg.sender)
