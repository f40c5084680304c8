# pragma version 0.4.3
# pragma optimize gas
# pragma experimental-codegen
"""
@title A fund's management fee, collected as new units pro rata to elapsed time
@notice FEE_BPS a year of the supply, accrued linearly since the last collection:
            fee = floor(totalSupply * FEE_BPS * elapsed / (10_000 * 365 days))
        minted to the fee receiver when the governance role collects (the receiver must
        be eligible to hold the fund, like any holder). Holds the token's SUPPLY role.
"""

from .lib import payouts

interface Minter:
    def mint(receiver: address, amount: uint256): nonpayable

event FeeCollected:
    receiver: indexed(address)
    amount: uint256
    supply: uint256
    elapsed: uint256
    caller: indexed(address)

event FeeReceiverSet:
    receiver: indexed(address)

# 10 % a year is already far above any fund's management fee
MAX_FEE_BPS: constant(uint256) = 1_000

TOKEN: public(immutable(address))
FEE_BPS: public(immutable(uint256))

receiver: public(address)
last_collected: public(uint256)


@deploy
def __init__(token: address, fee_bps: uint256, receiver: address):
    assert token != empty(address) and receiver != empty(address), "zero address"
    assert fee_bps > 0 and fee_bps <= MAX_FEE_BPS, "fee must be 1-1000 bps"
    TOKEN = token
    FEE_BPS = fee_bps
    self.receiver = receiver
    self.last_collected = block.timestamp
    log FeeReceiverSet(receiver=receiver)


@internal
@view
def _accrued() -> (uint256, uint256, uint256):
    supply: uint256 = staticcall payouts.AssetToken(TOKEN).totalSupply()
    elapsed: uint256 = block.timestamp - self.last_collected
    return supply * FEE_BPS * elapsed // (payouts.BPS * payouts.YEAR), supply, elapsed


@external
@view
def accrued() -> uint256:
    fee: uint256 = 0
    supply: uint256 = 0
    elapsed: uint256 = 0
    fee, supply, elapsed = self._accrued()
    return fee


@external
def collect() -> uint256:
    payouts.require_role(TOKEN, payouts.ROLE_GOVERNANCE)
    fee: uint256 = 0
    supply: uint256 = 0
    elapsed: uint256 = 0
    fee, supply, elapsed = self._accrued()
    assert fee != 0, "no fee accrued"
    self.last_collected = block.timestamp
    extcall Minter(TOKEN).mint(self.receiver, fee)
    log FeeCollected(receiver=self.receiver, amount=fee, supply=supply, elapsed=elapsed, caller=msg.sender)
    return fee


@external
def setReceiver(receiver: address):
    payouts.require_role(TOKEN, payouts.ROLE_GOVERNANCE)
    assert receiver != empty(address), "zero address"
    self.receiver = receiver
    log FeeReceiverSet(receiver=receiver)
