"""What the contract tests share: enrolling investors, moving chain time, checking reverts
and restriction codes, and a chain checkpoint for module-wide set-up."""

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import pytest
from eth_account.signers.local import LocalAccount
from web3 import Web3
from web3.contract import Contract
from web3.contract.contract import ContractFunction

from rwakit.bench.scenario import Scenario, wallet
from rwakit.chain.transactor import TransactionFailed, Transactor
from rwakit.domain.restrictions import Restriction

ZERO = "0x0000000000000000000000000000000000000000"
US, GB, DE, JP = 840, 826, 276, 392
# enough gas for any single call the tests send without estimating first
MINED_REVERT_GAS = 30_000_000


def enrol(
    scenario: Scenario,
    seed: str,
    count: int,
    *,
    country: int = US,
    topics: Sequence[str] = ("KYC", "AML"),
    amount: int = 0,
) -> list[LocalAccount]:
    """`count` registered wallets with claims for `topics`, each minted `amount` if non-zero."""
    accounts = [wallet(seed, i) for i in range(count)]
    addresses = [a.address for a in accounts]
    scenario.operator.transact(scenario.batch_register_call(addresses, country, topics))
    if amount:
        scenario.mint_many(addresses, amount)
    return accounts


def expect_revert(tx: Transactor, call: ContractFunction, reason: str) -> None:
    """The call would revert with exactly `reason` (checked by gas estimation, nothing sent)."""
    with pytest.raises(TransactionFailed) as failed:
        tx.transact(call)
    assert failed.value.reason == reason


def mine_reverting(tx: Transactor, call: ContractFunction) -> None:
    """Send the call without estimating, so it is mined, and check it reverted on chain."""
    with pytest.raises(TransactionFailed, match="reverted in block"):
        tx.transact(call, gas=MINED_REVERT_GAS)


def expect_restriction(
    scenario: Scenario,
    token: Contract,
    sender: LocalAccount | None,
    receiver: str,
    amount: int,
    code: Restriction,
) -> None:
    """ERC-1404 view and the real transaction agree: both name `code` (sender None: a mint)."""
    sender_address = sender.address if sender else ZERO
    detected = token.functions.detectTransferRestriction(sender_address, receiver, amount).call()
    assert Restriction(detected) == code
    message = token.functions.messageForTransferRestriction(code).call()
    assert message == code.message
    if sender is None:
        expect_revert(scenario.operator, token.functions.mint(receiver, amount), message)
    else:
        expect_revert(
            scenario.investor(sender), token.functions.transfer(receiver, amount), message
        )


def expect_allowed(
    scenario: Scenario, token: Contract, sender: LocalAccount | None, receiver: str, amount: int
) -> None:
    """ERC-1404 view says 0 and the transaction goes through and moves `amount`."""
    sender_address = sender.address if sender else ZERO
    detected = token.functions.detectTransferRestriction(sender_address, receiver, amount).call()
    assert Restriction(detected) == Restriction.SUCCESS
    before = token.functions.balanceOf(receiver).call()
    if sender is None:
        scenario.operator.transact(token.functions.mint(receiver, amount))
    else:
        scenario.investor(sender).transact(token.functions.transfer(receiver, amount))
    assert token.functions.balanceOf(receiver).call() == before + amount


def balances(token: Contract, addresses: Sequence[str]) -> dict[str, int]:
    return {a: token.functions.balanceOf(a).call() for a in addresses}


def ledger(token: Contract, addresses: Sequence[str]) -> tuple:
    """Everything a half-applied batch could leave behind: balances, frozen amounts, flags,
    nonces, supply and holder count."""
    per_account = tuple(
        (
            token.functions.balanceOf(a).call(),
            token.functions.getFrozenTokens(a).call(),
            token.functions.isFrozen(a).call(),
            token.functions.nonces(a).call(),
        )
        for a in addresses
    )
    return (
        per_account,
        token.functions.totalSupply().call(),
        token.functions.holderCount().call(),
    )


def latest_timestamp(w3: Web3) -> int:
    return w3.eth.get_block("latest")["timestamp"]


def mine_at(w3: Web3, timestamp: int) -> None:
    """Mine an empty block at exactly `timestamp`, and pin the next block to it too: views,
    gas estimates and the next transaction then all see that time, however long the test
    takes in wall-clock time."""
    w3.provider.make_request("evm_setNextBlockTimestamp", [timestamp])
    w3.provider.make_request("evm_mine", [])
    assert latest_timestamp(w3) == timestamp
    next_block_at(w3, timestamp)


def next_block_at(w3: Web3, timestamp: int) -> None:
    """The next transaction is mined in a block with exactly `timestamp`."""
    w3.provider.make_request("evm_setNextBlockTimestamp", [timestamp])


def advance(w3: Web3, seconds: int) -> int:
    """Move chain time forward and mine; returns the new block's timestamp."""
    target = latest_timestamp(w3) + seconds
    mine_at(w3, target)
    return target


@contextmanager
def checkpoint(w3: Web3) -> Iterator[None]:
    """Everything done inside (and by tests run inside) is undone at exit: for module-wide
    set-up that per-test snapshots nest within."""
    snapshot_id = w3.provider.make_request("evm_snapshot", [])["result"]
    try:
        yield
    finally:
        assert w3.provider.make_request("evm_revert", [snapshot_id])["result"]
