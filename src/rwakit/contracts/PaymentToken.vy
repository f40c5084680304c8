# pragma version 0.4.3
# pragma optimize gas
# pragma experimental-codegen
"""
@title Plain ERC-20 payment token
@notice A settlement asset (cash on chain) for coupons, dividends, redemptions and
        subscriptions in tests, benchmarks and local set-ups. No compliance: payment
        tokens in production are whatever ERC-20 the issuer settles in. The minter
        (its deployer unless handed over) mints.
"""

from ethereum.ercs import IERC20

implements: IERC20

event Transfer:
    sender: indexed(address)
    receiver: indexed(address)
    value: uint256

event Approval:
    owner: indexed(address)
    spender: indexed(address)
    value: uint256

event MinterChanged:
    minter: indexed(address)

name: public(String[64])
symbol: public(String[16])
decimals: public(uint8)
totalSupply: public(uint256)
balanceOf: public(HashMap[address, uint256])
allowance: public(HashMap[address, HashMap[address, uint256]])
minter: public(address)


@deploy
def __init__(name_: String[64], symbol_: String[16], decimals_: uint8):
    assert decimals_ <= 18, "decimals above 18"
    self.name = name_
    self.symbol = symbol_
    self.decimals = decimals_
    self.minter = msg.sender
    log MinterChanged(minter=msg.sender)


@internal
def _move(sender: address, receiver: address, amount: uint256):
    assert receiver != empty(address), "zero address"
    balance: uint256 = self.balanceOf[sender]
    assert balance >= amount, "insufficient balance"
    self.balanceOf[sender] = unsafe_sub(balance, amount)
    self.balanceOf[receiver] += amount
    log Transfer(sender=sender, receiver=receiver, value=amount)


@external
def transfer(receiver: address, amount: uint256) -> bool:
    self._move(msg.sender, receiver, amount)
    return True


@external
def transferFrom(sender: address, receiver: address, amount: uint256) -> bool:
    allowed: uint256 = self.allowance[sender][msg.sender]
    if allowed != max_value(uint256):
        assert allowed >= amount, "allowance exceeded"
        self.allowance[sender][msg.sender] = unsafe_sub(allowed, amount)
    self._move(sender, receiver, amount)
    return True


@external
def approve(spender: address, amount: uint256) -> bool:
    assert spender != empty(address), "zero address"
    self.allowance[msg.sender][spender] = amount
    log Approval(owner=msg.sender, spender=spender, value=amount)
    return True


@external
def mint(receiver: address, amount: uint256):
    assert msg.sender == self.minter, "caller lacks role"
    assert receiver != empty(address), "zero address"
    self.totalSupply += amount
    self.balanceOf[receiver] += amount
    log Transfer(sender=empty(address), receiver=receiver, value=amount)


@external
def setMinter(minter: address):
    assert msg.sender == self.minter, "caller lacks role"
    assert minter != empty(address), "zero address"
    self.minter = minter
    log MinterChanged(minter=minter)
