"""The multisig Vault: M-of-N and weighted EIP-712 approvals, payouts that fail plainly
when the vault cannot cover them, calls that fund corporate actions, signer changes."""

import pytest
from eth_account import Account

from rwakit.chain.asset_creation import create_vault
from rwakit.chain.dev_wallets import deterministic_key
from rwakit.chain.transactor import TransactionFailed
from rwakit.chain.vault_signatures import call_digest, payout_digest, sign_for_vault
from rwakit.domain.asset_types import AssetType, distribution_id
from rwakit.domain.roles import TokenRole
from tests.integration.contracts.corporate_world import CASH, DAY, build_world
from tests.integration.contracts.harness import expect_revert

KEYS = [deterministic_key(f"vault-signer-{i}") for i in range(4)]
SIGNERS = [Account.from_key(k).address for k in KEYS]
STRANGER_KEY = deterministic_key("vault-stranger")


@pytest.fixture(scope="module")
def world(deployed):
    with build_world(deployed, "vault") as w:
        yield w


def new_vault(world, threshold: int = 2, weights: list[int] | None = None, n: int = 3):
    address = create_vault(world.op, world.factory, SIGNERS[:n], threshold, weights)
    vault = world.contracts.vault(address)
    world.op.transact(world.cash.functions.transfer(address, 1_000 * CASH))
    return vault


def payout_call(world, vault, keys, receiver: str, amount: int, **kw):
    nonce = kw.get("nonce", vault.functions.nonce().call())
    deadline = kw.get("deadline", world.now + 3600)
    domain = vault.functions.domainSeparator().call()
    digest = payout_digest(domain, world.cash.address, receiver, amount, nonce, deadline)
    sigs = kw.get("sigs") or sign_for_vault(keys, digest)
    return vault.functions.payout(world.cash.address, receiver, amount, deadline, sigs)


def execute_call(world, vault, keys, target: str, data: bytes):
    nonce = vault.functions.nonce().call()
    deadline = world.now + 3600
    digest = call_digest(vault.functions.domainSeparator().call(), target, data, nonce, deadline)
    return vault.functions.execute(target, data, deadline, sign_for_vault(keys, digest))


def test_two_of_three_payout(world, scenario):
    vault = new_vault(world)
    receiver = world.investors[0].address
    before = world.cash_of(receiver)
    # anyone may submit the signed payout
    world.as_(world.outsider).transact(payout_call(world, vault, KEYS[:2], receiver, 7 * CASH))
    assert world.cash_of(receiver) == before + 7 * CASH
    assert vault.functions.nonce().call() == 1
    world.op.transact(payout_call(world, vault, [KEYS[0], KEYS[2]], receiver, CASH))
    assert world.cash_of(receiver) == before + 8 * CASH


def test_payout_refusals(world, scenario):
    vault = new_vault(world)
    receiver = world.investors[0].address
    op = world.op
    below = "signatures below threshold"
    expect_revert(op, payout_call(world, vault, KEYS[:1], receiver, CASH), below)
    expect_revert(
        op,
        payout_call(world, vault, [KEYS[0], STRANGER_KEY], receiver, CASH),
        "signer not authorized",
    )
    domain = vault.functions.domainSeparator().call()
    deadline = world.now + 3600
    digest = payout_digest(domain, world.cash.address, receiver, CASH, 0, deadline)
    ordered = sign_for_vault(KEYS[:2], digest)
    ordering = "signatures must be ordered by signer"
    reversed_ = payout_call(world, vault, [], receiver, CASH, deadline=deadline, sigs=ordered[::-1])
    expect_revert(op, reversed_, ordering)
    twice = payout_call(world, vault, [], receiver, CASH, deadline=deadline, sigs=ordered[:1] * 2)
    expect_revert(op, twice, ordering)
    expired = payout_call(world, vault, KEYS[:2], receiver, CASH, deadline=world.now - 1)
    expect_revert(op, expired, "authorization expired")
    too_much = payout_call(world, vault, KEYS[:2], receiver, 1_001 * CASH)
    expect_revert(op, too_much, "insufficient vault balance")
    # a signed payout runs once: its nonce is spent
    call = payout_call(world, vault, KEYS[:2], receiver, CASH)
    op.transact(call)
    # signatures over nonce 0 recover to other (unknown, unordered) addresses now
    with pytest.raises(TransactionFailed) as replayed:
        op.transact(call)
    assert replayed.value.reason in (
        "signer not authorized",
        "signatures must be ordered by signer",
    )
    assert vault.functions.nonce().call() == 1


def test_weighted_signers(world, scenario):
    vault = new_vault(world, threshold=3, weights=[3, 1, 1, 1], n=4)
    receiver = world.investors[1].address
    world.op.transact(payout_call(world, vault, KEYS[:1], receiver, CASH))
    world.op.transact(payout_call(world, vault, KEYS[1:4], receiver, CASH))
    expect_revert(
        world.op, payout_call(world, vault, KEYS[1:3], receiver, CASH), "signatures below threshold"
    )


def test_creation_checks(world, scenario):
    outsider = world.as_(world.outsider)
    expect_revert(
        outsider, world.factory.functions.createVault(SIGNERS[:3], [], 2), "caller lacks role"
    )
    expect_revert(
        world.op,
        world.factory.functions.createVault(SIGNERS[:3], [], 4),
        "threshold must be 1 to the total weight",
    )
    expect_revert(
        world.op,
        world.factory.functions.createVault([SIGNERS[0], SIGNERS[0]], [], 1),
        "duplicate signer",
    )
    expect_revert(
        world.op,
        world.factory.functions.createVault(SIGNERS[:2], [1], 1),
        "weights length mismatch",
    )
    expect_revert(world.op, world.factory.functions.createVault([], [], 1), "no signers")


def test_vault_funds_a_dividend_and_changes_its_signers(world, scenario):
    vault = new_vault(world)
    created = world.distributing(AssetType.EQUITY)
    token = world.token(created.token)
    distribution = world.contracts.distribution(created.distribution)
    world.op.transact(token.functions.batchMint([world.investors[0].address], [10**18]))
    world.op.transact(token.functions.grantRole(TokenRole.GOVERNANCE, vault.address))
    approve = world.cash.functions.approve(distribution.address, 500 * CASH)
    data = bytes.fromhex(approve._encode_transaction_data()[2:])
    world.op.transact(execute_call(world, vault, KEYS[:2], world.cash.address, data))
    record = world.now + DAY
    declare = distribution.functions.declare(world.cash.address, 500 * CASH, record, record + DAY)
    data = bytes.fromhex(declare._encode_transaction_data()[2:])
    world.op.transact(execute_call(world, vault, KEYS[:2], distribution.address, data))
    assert (
        distribution.functions.distribution(distribution_id(world.cash.address, record)).call()[1]
        == 500 * CASH
    )
    assert world.cash_of(vault.address) == 500 * CASH
    # a failing call reverts with the callee's reason
    data = bytes.fromhex(declare._encode_transaction_data()[2:])
    expect_revert(
        world.op,
        execute_call(world, vault, KEYS[:2], distribution.address, data),
        "distribution exists",
    )
    # signers change only through the vault itself
    change = vault.functions.setSigners(SIGNERS[2:4], [], 2)
    expect_revert(world.op, change, "only the vault itself")
    data = bytes.fromhex(change._encode_transaction_data()[2:])
    world.op.transact(execute_call(world, vault, KEYS[:2], vault.address, data))
    assert vault.functions.weight(SIGNERS[0]).call() == 0
    assert vault.functions.threshold().call() == 2
    receiver = world.investors[0].address
    expect_revert(
        world.op, payout_call(world, vault, KEYS[:2], receiver, CASH), "signer not authorized"
    )
    world.op.transact(payout_call(world, vault, KEYS[2:4], receiver, CASH))
