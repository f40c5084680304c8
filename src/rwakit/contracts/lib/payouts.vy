# pragma version 0.4.3
"""
@title What corporate-action contracts share: the token's roles, its snapshots, payments
@notice Bond, FixedYield and Distribution hold roles on one SecurityToken and take their
        callers' roles from it, so an issuer manages every permission in one place.
        Payment assets are any ERC-20; transfers that return nothing count as success.
"""

from ethereum.ercs import IERC20

interface AssetToken:
    def hasRole(role: uint256, account: address) -> bool: view
    def balanceOf(account: address) -> uint256: view
    def totalSupply() -> uint256: view
    def balanceOfAt(account: address, t: uint256) -> uint256: view
    def totalSupplyAt(t: uint256) -> uint256: view
    def decimals() -> uint8: view
    def paused() -> bool: view
    def isFrozen(account: address) -> bool: view
    def getFrozenTokens(account: address) -> uint256: view
    def scheduleSnapshots(times: DynArray[uint256, MAX_SCHEDULE]): nonpayable
    def batchMint(receivers: DynArray[address, MAX_BATCH], amounts: DynArray[uint256, MAX_BATCH]): nonpayable
    def burn(account: address, amount: uint256): nonpayable
    def pause(): nonpayable

# the token's role bits (lib/token_state.vy)
ROLE_ADMIN: constant(uint256) = 1
ROLE_GOVERNANCE: constant(uint256) = 2
ROLE_SUPPLY: constant(uint256) = 4
ROLE_CUSTODIAN: constant(uint256) = 8
ROLE_EMERGENCY: constant(uint256) = 16
ROLE_SCHEDULER: constant(uint256) = 32

MAX_BATCH: constant(uint256) = 256
MAX_SCHEDULE: constant(uint256) = 128
# a pushed payout batch: 1,000 holders fit comfortably in one block
MAX_PUSH: constant(uint256) = 1000
YEAR: constant(uint256) = 365 * 86400
BPS: constant(uint256) = 10_000
U96: constant(uint256) = 2**96 - 1
U128: constant(uint256) = 2**128 - 1


@internal
@view
def require_role(token: address, role: uint256):
    assert staticcall AssetToken(token).hasRole(role, msg.sender), "caller lacks role"


@internal
def pay(asset: address, receiver: address, amount: uint256):
    assert extcall IERC20(asset).transfer(receiver, amount, default_return_value=True), "payment failed"


@internal
def collect(asset: address, payer: address, amount: uint256):
    assert extcall IERC20(asset).transferFrom(payer, self, amount, default_return_value=True), "payment failed"


@internal
@pure
def require_ascending(previous: address, current: address):
    # pushes go in strictly increasing address order: one "last paid" word per period
    # then tells claims and later pushes who has been paid
    assert convert(current, uint256) > convert(previous, uint256), "holders must ascend above the last paid address"
