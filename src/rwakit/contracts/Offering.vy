# pragma version 0.4.3
# pragma optimize gas
# pragma experimental-codegen
"""
@title Primary issuance: subscriptions paid into escrow, settled in batches
@notice Between OPENS and CLOSES verified investors (the token's own mint compliance
        check) subscribe for token units and pay PRICE per whole token (rounded up) in
        PAYMENT, by allowance or, when PAYMENT is a rwakit token, by a signed transfer
        authorization anyone may submit; the payment waits here. The issuer (token governance role)
        settles subscriptions in batches: one transaction mints every item and forwards
        the batch's payments to TREASURY. It refunds what cannot settle; after
        CLOSES + SETTLEMENT_PERIOD an investor may take back an unsettled subscription.
        Needs the SUPPLY role on the token.
"""

from ethereum.ercs import IERC20
from .lib import payouts

struct Authorization:
    owner: address
    receiver: address
    amount: uint256
    deadline: uint256
    v: uint8
    r: bytes32
    s: bytes32

interface AuthorizedPayment:
    def transferWithAuthorization(a: Authorization): nonpayable

interface MintCheck:
    def detectTransferRestriction(sender: address, receiver: address, amount: uint256) -> uint8: view
    def messageForTransferRestriction(code: uint8) -> String[64]: view

event Subscribed:
    investor: indexed(address)
    units: uint256
    paid: uint256
    total_units: uint256

event SubscriptionsSettled:
    investors: uint256
    units: uint256
    paid: uint256
    caller: indexed(address)

event SubscriptionRefunded:
    investor: indexed(address)
    units: uint256
    paid: uint256
    caller: indexed(address)

U128: constant(uint256) = 2**128 - 1

TOKEN: public(immutable(address))
PAYMENT: public(immutable(address))
TREASURY: public(immutable(address))
PRICE: public(immutable(uint256))
HARD_CAP: public(immutable(uint256))
MIN_PER_INVESTOR: public(immutable(uint256))
MAX_PER_INVESTOR: public(immutable(uint256))
OPENS: public(immutable(uint256))
CLOSES: public(immutable(uint256))
SETTLEMENT_PERIOD: public(immutable(uint256))
UNIT: immutable(uint256)

# investor -> units | paid << 128 (unsettled)
subscriptions: HashMap[address, uint256]
# units ever subscribed and not refunded: what the hard cap bounds
subscribed: public(uint256)


@deploy
def __init__(token: address, payment: address, treasury: address, price: uint256, hard_cap: uint256, min_per_investor: uint256, max_per_investor: uint256, opens: uint256, closes: uint256, settlement_period: uint256):
    assert token != empty(address) and payment != empty(address) and treasury != empty(address), "zero address"
    assert price > 0 and price <= U128, "price out of range"
    assert hard_cap > 0 and hard_cap <= payouts.U96, "hard cap out of range"
    assert min_per_investor <= max_per_investor and max_per_investor <= hard_cap, "investor limits out of order"
    assert opens < closes and closes > block.timestamp, "offering window out of order"
    TOKEN = token
    PAYMENT = payment
    TREASURY = treasury
    PRICE = price
    HARD_CAP = hard_cap
    MIN_PER_INVESTOR = min_per_investor
    MAX_PER_INVESTOR = max_per_investor
    OPENS = opens
    CLOSES = closes
    SETTLEMENT_PERIOD = settlement_period
    UNIT = 10 ** convert(staticcall payouts.AssetToken(token).decimals(), uint256)


@internal
@view
def _cost(units: uint256) -> uint256:
    # rounded up: tiny subscriptions never get tokens for nothing
    return (units * PRICE + UNIT - 1) // UNIT


@external
@view
def costOf(units: uint256) -> uint256:
    return self._cost(units)


@external
@view
def subscriptionOf(investor: address) -> (uint256, uint256):
    """(units, paid) of the investor's unsettled subscription."""
    entry: uint256 = self.subscriptions[investor]
    return entry & U128, entry >> 128


@internal
def _subscribe(investor: address, units: uint256) -> uint256:
    """Record the subscription; returns its cost, which the caller collects."""
    assert block.timestamp >= OPENS, "offering not open"
    assert block.timestamp < CLOSES, "offering closed"
    assert units > 0, "zero amount"
    entry: uint256 = self.subscriptions[investor]
    held: uint256 = (entry & U128) + units
    assert held >= MIN_PER_INVESTOR, "below the minimum subscription"
    assert held <= MAX_PER_INVESTOR, "above the maximum subscription"
    total: uint256 = self.subscribed + units
    assert total <= HARD_CAP, "subscription over the hard cap"
    # verified investors only: the same check a mint to them will pass
    code: uint8 = staticcall MintCheck(TOKEN).detectTransferRestriction(empty(address), investor, held)
    if code != 0:
        raise staticcall MintCheck(TOKEN).messageForTransferRestriction(code)
    cost: uint256 = self._cost(units)
    self.subscribed = total
    self.subscriptions[investor] = entry + units + (cost << 128)
    log Subscribed(investor=investor, units=units, paid=cost, total_units=total)
    return cost


@external
def subscribe(units: uint256):
    """Subscribe the caller, paying by allowance."""
    payouts.collect(PAYMENT, msg.sender, self._subscribe(msg.sender, units))


@external
def subscribeWithAuthorization(units: uint256, payment: Authorization):
    """Subscribe `payment.owner`, paying with its signed transfer authorization of the
    exact cost to this contract (a relayer may submit it)."""
    cost: uint256 = self._subscribe(payment.owner, units)
    assert payment.receiver == self and payment.amount == cost, "authorization does not pay this subscription"
    extcall AuthorizedPayment(PAYMENT).transferWithAuthorization(payment)


@external
def settle(investors: DynArray[address, payouts.MAX_BATCH]):
    """Mint every listed subscription and pay the treasury, in one transaction."""
    payouts.require_role(TOKEN, payouts.ROLE_GOVERNANCE)
    assert len(investors) > 0, "empty batch"
    amounts: DynArray[uint256, payouts.MAX_BATCH] = []
    units: uint256 = 0
    paid: uint256 = 0
    for investor: address in investors:
        entry: uint256 = self.subscriptions[investor]
        assert entry != 0, "no subscription to settle"
        self.subscriptions[investor] = 0
        amounts.append(entry & U128)
        units += entry & U128
        paid += entry >> 128
    extcall payouts.AssetToken(TOKEN).batchMint(investors, amounts)
    payouts.pay(PAYMENT, TREASURY, paid)
    log SubscriptionsSettled(investors=len(investors), units=units, paid=paid, caller=msg.sender)


@internal
def _refund(investor: address):
    entry: uint256 = self.subscriptions[investor]
    assert entry != 0, "no subscription to refund"
    self.subscriptions[investor] = 0
    self.subscribed -= entry & U128
    payouts.pay(PAYMENT, investor, entry >> 128)
    log SubscriptionRefunded(investor=investor, units=entry & U128, paid=entry >> 128, caller=msg.sender)


@external
def refund(investors: DynArray[address, payouts.MAX_BATCH]):
    """The issuer returns subscriptions that cannot settle."""
    payouts.require_role(TOKEN, payouts.ROLE_GOVERNANCE)
    assert len(investors) > 0, "empty batch"
    for investor: address in investors:
        self._refund(investor)


@external
def withdrawSubscription():
    """An investor takes back a subscription the issuer left unsettled past the period."""
    assert block.timestamp >= CLOSES + SETTLEMENT_PERIOD, "settlement period not over"
    self._refund(msg.sender)
