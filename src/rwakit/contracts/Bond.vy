# pragma version 0.4.3
# pragma optimize gas
# pragma experimental-codegen
"""
@title Bond: issuance cap, maturity and redemption at face value
@notice Holds the SUPPLY and EMERGENCY roles on its SecurityToken and is meant to be its
        only minter: the issuer (token governance role) mints through `issue`, which keeps
        the cap and stops at `ISSUE_UNTIL` (the coupon schedule's start, or maturity).
        Once the maturity date is reached and the reserve in the denomination asset
        covers the whole supply, anyone may call `mature`: the token is paused, so only
        forced transfers move it, and holders redeem at face value.
        Face value is in denomination units per whole bond (10**decimals token units);
        a redemption of `a` units pays floor(a * FACE_VALUE / 10**decimals).
"""

from ethereum.ercs import IERC20
from .lib import payouts

event BondIssued:
    total: uint256
    supply: uint256
    issuer: indexed(address)

event ReserveFunded:
    funder: indexed(address)
    amount: uint256
    reserve: uint256

event ReserveWithdrawn:
    receiver: indexed(address)
    amount: uint256
    reserve: uint256
    caller: indexed(address)

event BondMatured:
    supply: uint256
    reserve: uint256
    caller: indexed(address)

event Redeemed:
    holder: indexed(address)
    amount: uint256
    paid: uint256
    caller: indexed(address)

TOKEN: public(immutable(address))
DENOMINATION: public(immutable(address))
FACE_VALUE: public(immutable(uint256))
CAP: public(immutable(uint256))
MATURITY: public(immutable(uint256))
ISSUE_UNTIL: public(immutable(uint256))
UNIT: immutable(uint256)

matured: public(bool)


@deploy
def __init__(token: address, denomination: address, face_value: uint256, cap: uint256, maturity: uint256, issue_until: uint256):
    assert token != empty(address) and denomination != empty(address), "zero address"
    assert face_value > 0 and face_value <= payouts.U128, "face value out of range"
    assert cap > 0 and cap <= payouts.U96, "cap out of range"
    assert maturity > block.timestamp, "maturity must be in the future"
    assert issue_until <= maturity, "issuance must end by maturity"
    TOKEN = token
    DENOMINATION = denomination
    FACE_VALUE = face_value
    CAP = cap
    MATURITY = maturity
    ISSUE_UNTIL = issue_until
    UNIT = 10 ** convert(staticcall payouts.AssetToken(token).decimals(), uint256)


@internal
@view
def _face(amount: uint256) -> uint256:
    return amount * FACE_VALUE // UNIT


@internal
@view
def _reserve() -> uint256:
    return staticcall IERC20(DENOMINATION).balanceOf(self)


@internal
@view
def _needed() -> uint256:
    # sum of floor(a_i * F / U) <= floor(sum a_i * F / U): the whole supply's face value covers every holder
    return self._face(staticcall payouts.AssetToken(TOKEN).totalSupply())


@external
@view
def faceValueOf(amount: uint256) -> uint256:
    return self._face(amount)


@external
@view
def reserve() -> uint256:
    return self._reserve()


@external
@view
def reserveNeeded() -> uint256:
    """Denomination units that redeem the whole outstanding supply at face value."""
    return self._needed()


@external
@view
def reserveMissing() -> uint256:
    needed: uint256 = self._needed()
    have: uint256 = self._reserve()
    if have >= needed:
        return 0
    return needed - have


@external
@view
def withdrawable() -> uint256:
    """Reserve above what redemption of the whole supply needs."""
    needed: uint256 = self._needed()
    have: uint256 = self._reserve()
    if have <= needed:
        return 0
    return have - needed


@external
def issue(receivers: DynArray[address, payouts.MAX_BATCH], amounts: DynArray[uint256, payouts.MAX_BATCH]):
    """Mint to verified investors (the token's compliance checks each one)."""
    payouts.require_role(TOKEN, payouts.ROLE_GOVERNANCE)
    assert not self.matured and block.timestamp < ISSUE_UNTIL, "issuance closed"
    total: uint256 = 0
    for a: uint256 in amounts:
        total += a
    supply: uint256 = staticcall payouts.AssetToken(TOKEN).totalSupply() + total
    assert supply <= CAP, "cap exceeded"
    extcall payouts.AssetToken(TOKEN).batchMint(receivers, amounts)
    log BondIssued(total=total, supply=supply, issuer=msg.sender)


@external
def fundReserve(amount: uint256):
    """Anyone may add to the reserve (a plain transfer works too, without the event)."""
    assert amount > 0, "zero amount"
    payouts.collect(DENOMINATION, msg.sender, amount)
    log ReserveFunded(funder=msg.sender, amount=amount, reserve=self._reserve())


@external
def withdrawReserve(receiver: address, amount: uint256):
    payouts.require_role(TOKEN, payouts.ROLE_GOVERNANCE)
    assert receiver != empty(address), "zero address"
    have: uint256 = self._reserve()
    assert have >= self._needed() + amount, "withdrawal would leave redemption underfunded"
    payouts.pay(DENOMINATION, receiver, amount)
    log ReserveWithdrawn(receiver=receiver, amount=amount, reserve=have - amount, caller=msg.sender)


@external
def mature():
    assert not self.matured, "already matured"
    assert block.timestamp >= MATURITY, "maturity date not reached"
    supply: uint256 = staticcall payouts.AssetToken(TOKEN).totalSupply()
    have: uint256 = self._reserve()
    assert have >= self._face(supply), "reserve does not cover redemption"
    self.matured = True
    # matured bonds stop trading; forced transfers and redemption burns still work while paused
    if not staticcall payouts.AssetToken(TOKEN).paused():
        extcall payouts.AssetToken(TOKEN).pause()
    log BondMatured(supply=supply, reserve=have, caller=msg.sender)


@internal
def _redeem(holder: address, amount: uint256):
    assert amount > 0, "zero amount"
    paid: uint256 = self._face(amount)
    extcall payouts.AssetToken(TOKEN).burn(holder, amount)
    payouts.pay(DENOMINATION, holder, paid)
    log Redeemed(holder=holder, amount=amount, paid=paid, caller=msg.sender)


@external
def redeem(amount: uint256):
    """Burn `amount` of the caller's unfrozen bonds for their face value."""
    assert self.matured, "bond not matured"
    token: payouts.AssetToken = payouts.AssetToken(TOKEN)
    assert not staticcall token.isFrozen(msg.sender), "sender frozen"
    free: uint256 = staticcall token.balanceOf(msg.sender) - staticcall token.getFrozenTokens(msg.sender)
    assert free >= amount, "insufficient unfrozen balance"
    self._redeem(msg.sender, amount)


@external
def redeemFor(holders: DynArray[address, payouts.MAX_BATCH]):
    """A custodian redeems holders' whole balances (frozen ones included), paying each holder."""
    assert self.matured, "bond not matured"
    payouts.require_role(TOKEN, payouts.ROLE_CUSTODIAN)
    assert len(holders) > 0, "empty batch"
    for holder: address in holders:
        self._redeem(holder, staticcall payouts.AssetToken(TOKEN).balanceOf(holder))
