"""DvP / XvP: every leg settles in one transaction or none does, approved by each
sender's signature before the cutoff; hashlocks, cancellation and compliance refusals."""

import pytest
from web3.logs import DISCARD

from rwakit.bench.scenario import wallet
from rwakit.chain.settlement import (
    Leg,
    SettlementTerms,
    approve_settlement,
    deploy_settlement,
    execute_call,
    hashlock_of,
)
from rwakit.domain.asset_types import AssetType
from rwakit.domain.restrictions import Restriction
from tests.integration.contracts.corporate_world import CASH, DAY, build_world
from tests.integration.contracts.harness import expect_revert, mine_at

SHARE = 10**18


@pytest.fixture(scope="module")
def world(deployed):
    with build_world(deployed, "settlement") as w:
        yield w


@pytest.fixture
def dvp(world, scenario):
    """Shares (a holds 10) against cash (b holds 100), both approved to the Settlement
    contract; the terms: a delivers 5 shares to b, b pays 20 cash to a, within a day."""
    settlement = world.contracts.settlement(
        deploy_settlement(world.op, world.s.contracts.artifacts)
    )
    token = world.token(world.distributing(AssetType.EQUITY).token)
    a, b = world.investors[:2]
    world.op.transact(token.functions.mint(a.address, 10 * SHARE))
    world.op.transact(token.functions.unpause())
    world.op.transact(world.cash.functions.transfer(b.address, 100 * CASH))
    world.as_(a).transact(token.functions.approve(settlement.address, 2**256 - 1))
    world.as_(b).transact(world.cash.functions.approve(settlement.address, 2**256 - 1))
    terms = SettlementTerms(
        legs=(
            Leg(token.address, a.address, b.address, 5 * SHARE),
            Leg(world.cash.address, b.address, a.address, 20 * CASH),
        ),
        cutoff=world.now + DAY,
    )
    return settlement, token, terms


def approvals(world, settlement, terms, signers):
    domain = settlement.functions.domainSeparator().call()
    return [approve_settlement(s.key, domain, terms) for s in signers]


def test_two_legs_settle_atomically(world, dvp):
    settlement, token, terms = dvp
    a, b = world.investors[:2]
    assert settlement.functions.settlementId(*terms.as_abi()).call() == terms.id
    cash_a = world.cash_of(a.address)
    sigs = approvals(world, settlement, terms, [a, b])
    receipt = world.as_(world.outsider).transact(execute_call(settlement, terms, sigs))
    assert token.functions.balanceOf(b.address).call() == 5 * SHARE
    assert world.cash_of(a.address) == cash_a + 20 * CASH
    assert settlement.functions.status(terms.id).call() == 1
    (event,) = settlement.events.SettlementExecuted().process_receipt(receipt, errors=DISCARD)
    assert event["args"]["id"] == terms.id and len(event["args"]["legs"]) == 2
    expect_revert(world.op, execute_call(settlement, terms, sigs), "settlement already executed")


def test_refusals(world, dvp):
    settlement, token, terms = dvp
    a, b, c = world.investors[:3]
    op = world.op
    sigs = approvals(world, settlement, terms, [a, b])
    expect_revert(op, execute_call(settlement, terms, sigs[:1]), "one signature per leg")
    forged = approvals(world, settlement, terms, [a, c])
    expect_revert(op, execute_call(settlement, terms, forged), "leg not approved by its sender")
    swapped = sigs[::-1]
    expect_revert(op, execute_call(settlement, terms, swapped), "leg not approved by its sender")
    # a leg that breaks the token's compliance fails the whole settlement with its reason
    stranger = wallet("settlement-unregistered", 0).address
    bad = SettlementTerms(
        legs=(Leg(token.address, a.address, stranger, SHARE), terms.legs[1]), cutoff=terms.cutoff
    )
    bad_sigs = approvals(world, settlement, bad, [a, b])
    expect_revert(
        op, execute_call(settlement, bad, bad_sigs), Restriction.RECEIVER_NOT_VERIFIED.message
    )
    assert token.functions.balanceOf(a.address).call() == 10 * SHARE
    mine_at(world.s.w3, terms.cutoff + 1)
    expect_revert(op, execute_call(settlement, terms, sigs), "settlement cutoff passed")


def test_cancellation(world, dvp):
    settlement, _token, terms = dvp
    a, b, c = world.investors[:3]
    legs, cutoff, hashlock, salt = terms.as_abi()
    cancel = settlement.functions.cancel(legs, cutoff, hashlock, salt)
    expect_revert(world.as_(c), cancel, "caller is not a party")
    world.as_(b).transact(cancel)
    assert settlement.functions.status(terms.id).call() == 2
    sigs = approvals(world, settlement, terms, [a, b])
    expect_revert(world.op, execute_call(settlement, terms, sigs), "settlement cancelled")


def test_hashlocked_leg_needs_the_preimage(world, dvp):
    settlement, token, terms = dvp
    a, b = world.investors[:2]
    secret = b"\x42" * 32
    locked = SettlementTerms(terms.legs, terms.cutoff, hashlock_of(secret), salt=7)
    sigs = approvals(world, settlement, locked, [a, b])
    expect_revert(world.op, execute_call(settlement, locked, sigs), "wrong hashlock preimage")
    wrong = b"\x43" * 32
    expect_revert(
        world.op, execute_call(settlement, locked, sigs, wrong), "wrong hashlock preimage"
    )
    receipt = world.op.transact(execute_call(settlement, locked, sigs, secret))
    (event,) = settlement.events.SettlementExecuted().process_receipt(receipt, errors=DISCARD)
    assert event["args"]["preimage"] == secret  # the other chain's leg unlocks with it
    assert token.functions.balanceOf(b.address).call() == 5 * SHARE
