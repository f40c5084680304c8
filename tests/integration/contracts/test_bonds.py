"""Bonds end to end: creation with roles wired in one transaction, issuance under the cap,
reserve views, maturity, redemption at face value, and every refusal with its reason."""

import pytest

from rwakit.chain.asset_creation import BondTerms, token_terms
from rwakit.chain.token_factory import TokenSpec
from rwakit.domain.asset_types import face_value_of
from rwakit.domain.restrictions import Restriction
from rwakit.domain.roles import TokenRole
from tests.integration.contracts.corporate_world import BOND, DAY, FACE, build_world
from tests.integration.contracts.harness import ZERO, expect_revert, mine_at

ROLE = TokenRole


@pytest.fixture(scope="module")
def world(deployed):
    with build_world(deployed, "bonds") as w:
        yield w


@pytest.fixture
def bond(world, scenario):
    """A zero-coupon bond maturing in 400 days, 10 bonds issued to each of the first two
    investors, trading."""
    created = world.bond()
    token = world.token(created.token)
    contract = world.contracts.bond(created.bond)
    a, b = world.investors[:2]
    world.op.transact(contract.functions.issue([a.address, b.address], [10 * BOND, 10 * BOND]))
    world.op.transact(token.functions.unpause())
    return created, token, contract


def test_creation_wires_roles_in_one_transaction(world, scenario):
    created = world.bond(rate_bps=500)
    token = world.token(created.token)
    roles = token.functions.roles
    assert created.coupons is not None
    assert roles(created.bond).call() == ROLE.SUPPLY | ROLE.EMERGENCY
    assert roles(created.coupons).call() == ROLE.SCHEDULER
    assert roles(world.op.address).call() == ROLE.ALL & ~ROLE.SUPPLY
    assert roles(world.factory.address).call() == 0
    assert token.functions.asset_type().call() == "bond"
    assert token.functions.paused().call()
    coupons = world.contracts.coupons(created.coupons)
    for period in range(1, 5):
        end = coupons.functions.periodEnd(period).call()
        assert token.functions.isSnapshotBoundary(end).call()
    bond = world.contracts.bond(created.bond)
    assert bond.functions.ISSUE_UNTIL().call() == coupons.functions.START().call()
    assert bond.functions.FACE_VALUE().call() == FACE


def test_only_creators_create_and_coupons_end_by_maturity(world, scenario):
    outsider = world.as_(world.outsider)
    spec = TokenSpec("X", "X", "bond")
    now = world.now
    terms = BondTerms(world.cash.address, FACE, BOND, now + 100 * DAY, 500, now + DAY, 90 * DAY, 2)
    call = world.factory.functions.createBond(token_terms(spec, world.op.address), terms.as_abi())
    expect_revert(outsider, call, "caller lacks role")
    expect_revert(world.op, call, "coupons must end by maturity")


def test_issue_respects_cap_window_and_role(world, scenario):
    created = world.bond(cap=5 * BOND, maturity_in=30 * DAY)
    bond = world.contracts.bond(created.bond)
    token = world.token(created.token)
    a = world.investors[0].address
    expect_revert(world.as_(world.outsider), bond.functions.issue([a], [BOND]), "caller lacks role")
    expect_revert(world.op, bond.functions.issue([a], [6 * BOND]), "cap exceeded")
    world.op.transact(bond.functions.issue([a], [5 * BOND]))
    expect_revert(world.op, bond.functions.issue([a], [1]), "cap exceeded")
    # the issuer holds no SUPPLY role: minting around the bond is refused
    expect_revert(world.op, token.functions.mint(a, 1), "caller lacks role")
    # unregistered receivers are refused by the token's compliance, with its reason
    stranger = "0x00000000000000000000000000000000000000AB"
    created2 = world.bond(cap=5 * BOND, maturity_in=30 * DAY, symbol="BN2")
    bond2 = world.contracts.bond(created2.bond)
    code = world.token(created2.token).functions.detectTransferRestriction(ZERO, stranger, 1).call()
    assert code == Restriction.RECEIVER_NOT_VERIFIED
    expect_revert(world.op, bond2.functions.issue([stranger], [BOND]), Restriction(code).message)
    # bond2's own maturity: created a block later, it may mature a second after the first
    mine_at(world.s.w3, bond2.functions.MATURITY().call())
    expect_revert(world.op, bond2.functions.issue([a], [BOND]), "issuance closed")


def test_reserve_views_and_withdrawal_limits(world, bond):
    _created, _token, contract = bond
    needed = face_value_of(20 * BOND, FACE, 18)
    assert contract.functions.reserveNeeded().call() == needed
    assert contract.functions.reserveMissing().call() == needed
    assert contract.functions.withdrawable().call() == 0
    world.approve_cash(contract.address)
    world.op.transact(contract.functions.fundReserve(needed + 7))
    assert contract.functions.reserve().call() == needed + 7
    assert contract.functions.reserveMissing().call() == 0
    assert contract.functions.withdrawable().call() == 7
    expect_revert(
        world.op,
        contract.functions.withdrawReserve(world.op.address, 8),
        "withdrawal would leave redemption underfunded",
    )
    outsider = world.as_(world.outsider)
    expect_revert(
        outsider, contract.functions.withdrawReserve(world.outsider.address, 1), "caller lacks role"
    )
    expect_revert(world.op, contract.functions.fundReserve(0), "zero amount")
    before = world.cash_of(world.op.address)
    world.op.transact(contract.functions.withdrawReserve(world.op.address, 7))
    assert world.cash_of(world.op.address) == before + 7
    assert contract.functions.withdrawable().call() == 0


def test_full_lifecycle_mature_redeem(world, bond):
    _created, token, contract = bond
    w3 = world.s.w3
    a, b, c = world.investors[:3]
    world.as_(a).transact(token.functions.transfer(c.address, 4 * BOND))
    expect_revert(world.as_(a), contract.functions.redeem(BOND), "bond not matured")
    expect_revert(world.op, contract.functions.mature(), "maturity date not reached")
    mine_at(w3, contract.functions.MATURITY().call())
    expect_revert(world.op, contract.functions.mature(), "reserve does not cover redemption")
    world.approve_cash(contract.address)
    world.op.transact(contract.functions.fundReserve(contract.functions.reserveMissing().call()))
    world.as_(world.outsider).transact(contract.functions.mature())
    assert contract.functions.matured().call()
    assert token.functions.paused().call()
    expect_revert(world.op, contract.functions.mature(), "already matured")
    # matured bonds stop trading; forced transfers still move them
    expect_revert(
        world.as_(a), token.functions.transfer(b.address, BOND), Restriction.PAUSED.message
    )
    world.op.transact(token.functions.forcedTransfer(a.address, b.address, BOND))
    # holders redeem at face value; a custodian redeems the rest for them
    before = world.cash_of(a.address)
    world.as_(a).transact(contract.functions.redeem(2 * BOND))
    assert world.cash_of(a.address) == before + 2 * FACE
    assert token.functions.balanceOf(a.address).call() == 3 * BOND
    expect_revert(
        world.as_(a), contract.functions.redeem(4 * BOND), "insufficient unfrozen balance"
    )
    outsider = world.as_(world.outsider)
    expect_revert(outsider, contract.functions.redeemFor([b.address]), "caller lacks role")
    holders = [a.address, b.address, c.address]
    cash_before = [world.cash_of(h) for h in holders]
    bonds_before = [token.functions.balanceOf(h).call() for h in holders]
    world.op.transact(contract.functions.redeemFor(holders))
    for h, cash, bonds in zip(holders, cash_before, bonds_before, strict=True):
        assert world.cash_of(h) == cash + face_value_of(bonds, FACE, 18)
        assert token.functions.balanceOf(h).call() == 0
    assert token.functions.totalSupply().call() == 0
    assert contract.functions.reserve().call() == 0


def test_frozen_holder_cannot_redeem_but_custodian_can(world, bond):
    _created, token, contract = bond
    a = world.investors[0]
    mine_at(world.s.w3, contract.functions.MATURITY().call())
    world.approve_cash(contract.address)
    world.op.transact(contract.functions.fundReserve(contract.functions.reserveMissing().call()))
    world.op.transact(contract.functions.mature())
    world.op.transact(token.functions.freezePartialTokens(a.address, 9 * BOND))
    expect_revert(
        world.as_(a), contract.functions.redeem(2 * BOND), "insufficient unfrozen balance"
    )
    world.op.transact(token.functions.setAddressFrozen(a.address, True))
    expect_revert(world.as_(a), contract.functions.redeem(BOND), "sender frozen")
    world.op.transact(contract.functions.redeemFor([a.address]))
    assert token.functions.balanceOf(a.address).call() == 0
    assert world.cash_of(a.address) >= 10 * FACE
