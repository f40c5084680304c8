"""Fixed-yield coupons: every completed period claimed at once from balances at each
period end, pushes in address order that agree with claims on who was paid, funding
top-up and withdrawal with role checks, and no minting once the schedule has started."""

import pytest
from web3.logs import DISCARD

from rwakit.domain.asset_types import coupon_for, push_order
from tests.integration.contracts.corporate_world import BOND, DAY, FACE, build_world
from tests.integration.contracts.harness import expect_revert, mine_at

RATE = 500  # 5 % a year
INTERVAL = 90 * DAY
WINDOW = 2 * DAY  # the paying agent's push window after each period end


def coupon(balance: int) -> int:
    return coupon_for(balance, FACE, RATE, INTERVAL, 18)


@pytest.fixture(scope="module")
def world(deployed):
    with build_world(deployed, "coupons") as w:
        yield w


@pytest.fixture
def bond(world, scenario):
    """A 5 % bond paying quarterly from day 10 for four periods, pushes allowed for two
    days after each period end; investors 0 and 1 hold 10 bonds each, the token trades
    and the issuer has approved the schedule for its cash."""
    created = world.bond(
        rate_bps=RATE, start_in=10 * DAY, interval=INTERVAL, periods=4, push_window=WINDOW
    )
    token = world.token(created.token)
    issuer = world.contracts.bond(created.bond)
    coupons = world.contracts.coupons(created.coupons)
    a, b = world.investors[:2]
    world.op.transact(issuer.functions.issue([a.address, b.address], [10 * BOND, 10 * BOND]))
    world.op.transact(token.functions.unpause())
    world.approve_cash(coupons.address)
    return token, issuer, coupons


def end(coupons, period: int) -> int:
    return coupons.functions.periodEnd(period).call()


def pushing(world, coupons, period: int) -> None:
    """Chain time just past the end of `period`: its push window is open."""
    mine_at(world.s.w3, end(coupons, period) + 1)


def claiming(world, coupons, period: int) -> None:
    """Chain time just past `period`'s push window: holders may claim it."""
    mine_at(world.s.w3, end(coupons, period) + WINDOW + 1)


def test_holders_claim_every_completed_period_at_once(world, bond):
    token, _issuer, coupons = bond
    a, b, c = world.investors[:3]
    world.op.transact(coupons.functions.fund(10**6 * FACE))
    expect_revert(world.as_(a), coupons.functions.claim(), "no coupon period has ended")
    mine_at(world.s.w3, end(coupons, 1))
    expect_revert(world.as_(a), coupons.functions.claim(), "no coupon period has ended")
    pushing(world, coupons, 1)
    expect_revert(world.as_(a), coupons.functions.claim(), "coupon claims not open yet")
    assert coupons.functions.claimable(a.address).call() == 0
    # between the first and the second period end a moves 4 bonds to c
    world.as_(a).transact(token.functions.transfer(c.address, 4 * BOND))
    claiming(world, coupons, 2)
    assert coupons.functions.claimsOpenThrough().call() == 2
    expected = {
        a: coupon(10 * BOND) + coupon(6 * BOND),
        b: 2 * coupon(10 * BOND),
        c: coupon(4 * BOND),
    }
    for holder, amount in expected.items():
        assert coupons.functions.claimable(holder.address).call() == amount
        before = world.cash_of(holder.address)
        world.as_(holder).transact(coupons.functions.claim())
        assert world.cash_of(holder.address) == before + amount
        assert coupons.functions.claimed_through(holder.address).call() == 2
        expect_revert(world.as_(holder), coupons.functions.claim(), "coupons already claimed")
    assert coupons.functions.paid().call() == sum(expected.values())
    expect_revert(world.as_(world.outsider), coupons.functions.claim(), "no coupon owed")
    # the third period is claimable once its push window has passed
    claiming(world, coupons, 3)
    world.as_(a).transact(coupons.functions.claim())
    assert coupons.functions.claimed_through(a.address).call() == 3


def test_push_and_claim_agree_on_who_was_paid(world, bond):
    _token, _issuer, coupons = bond
    a, b = world.investors[:2]
    low, high = (
        next(h for h in (a, b) if h.address == addr) for addr in push_order([a.address, b.address])
    )
    world.op.transact(coupons.functions.fund(10**6 * FACE))
    start = {h.address: world.cash_of(h.address) for h in (a, b)}
    one = coupon(10 * BOND)
    # period 1: the agent pushes to `low` only; `high` claims after the window
    pushing(world, coupons, 1)
    receipt = world.op.transact(coupons.functions.push(1, [low.address]))
    (event,) = coupons.events.CouponsPushed().process_receipt(receipt, errors=DISCARD)
    assert (event["args"]["holders"], event["args"]["amount"]) == (1, one)
    assert coupons.functions.last_pushed(1).call() == low.address
    claiming(world, coupons, 1)
    expect_revert(world.as_(low), coupons.functions.claim(), "no coupon owed")
    assert coupons.functions.claimable(high.address).call() == one
    world.as_(high).transact(coupons.functions.claim())
    # period 2: both pushed; neither can claim it again
    pushing(world, coupons, 2)
    world.op.transact(coupons.functions.push(2, [low.address, high.address]))
    expect_revert(
        world.op,
        coupons.functions.push(2, [high.address]),
        "holders must ascend above the last paid address",
    )
    claiming(world, coupons, 2)
    for h in (low, high):
        assert coupons.functions.claimable(h.address).call() == 0
        expect_revert(world.as_(h), coupons.functions.claim(), "no coupon owed")
    # period 3: nobody pushes; each claims exactly what no push paid
    claiming(world, coupons, 3)
    assert coupons.functions.claimable(low.address).call() == one
    world.as_(low).transact(coupons.functions.claim())
    world.as_(high).transact(coupons.functions.claim())
    for h in (low, high):
        assert world.cash_of(h.address) == start[h.address] + 3 * one
    assert coupons.functions.paid().call() == 6 * one


def test_push_window_order_and_role_checks(world, bond):
    _token, _issuer, coupons = bond
    a, b = (h.address for h in world.investors[:2])
    low, high = push_order([a, b])
    world.op.transact(coupons.functions.fund(10**6 * FACE))
    expect_revert(world.op, coupons.functions.push(1, [low]), "coupon period not ended")
    pushing(world, coupons, 1)
    expect_revert(world.op, coupons.functions.push(0, [low]), "coupon period not ended")
    expect_revert(world.op, coupons.functions.push(2, [low]), "coupon period not ended")
    expect_revert(world.op, coupons.functions.push(1, []), "empty batch")
    ascending = "holders must ascend above the last paid address"
    expect_revert(world.op, coupons.functions.push(1, [high, low]), ascending)
    expect_revert(world.op, coupons.functions.push(1, [low, low]), ascending)
    outsider = world.as_(world.outsider)
    expect_revert(outsider, coupons.functions.push(1, [low]), "caller lacks role")
    world.op.transact(coupons.functions.push(1, [high]))
    assert coupons.functions.last_pushed(1).call() == high
    expect_revert(world.op, coupons.functions.push(1, [low]), ascending)
    expect_revert(world.op, coupons.functions.push(1, [high]), ascending)
    # `low` was skipped below the last paid address: the period counts as paid for it
    claiming(world, coupons, 1)
    assert coupons.functions.claimable(low).call() == 0
    expect_revert(
        world.op,
        coupons.functions.push(1, ["0xFFfFfFffFFfffFFfFFfFFFFFffFFFffffFfFFFfF"]),
        "push window closed",
    )


def test_funding_top_up_withdraw_and_shortfall(world, bond):
    _token, _issuer, coupons = bond
    a, b = world.investors[:2]
    low, high = push_order([a.address, b.address])
    claimer = a if a.address == high else b
    outsider = world.as_(world.outsider)
    one = coupon(10 * BOND)
    expect_revert(outsider, coupons.functions.fund(1), "caller lacks role")
    expect_revert(world.op, coupons.functions.fund(0), "zero amount")
    world.op.transact(coupons.functions.fund(one + 5))
    assert coupons.functions.available().call() == one + 5
    # before any period ends nothing is owed: everything may be withdrawn
    assert coupons.functions.withdrawable().call() == one + 5
    pushing(world, coupons, 1)
    assert coupons.functions.outstanding().call() == coupon(20 * BOND)
    assert coupons.functions.withdrawable().call() == 0
    unfunded = "withdrawal would leave coupons unfunded"
    expect_revert(world.op, coupons.functions.withdraw(world.op.address, 1), unfunded)
    expect_revert(world.op, coupons.functions.push(1, [low, high]), "insufficient coupon funding")
    world.op.transact(coupons.functions.push(1, [low]))
    claiming(world, coupons, 1)
    expect_revert(world.as_(claimer), coupons.functions.claim(), "insufficient coupon funding")
    world.op.transact(coupons.functions.fund(one * 3))
    expect_revert(
        outsider, coupons.functions.withdraw(world.outsider.address, 1), "caller lacks role"
    )
    withdrawable = coupons.functions.withdrawable().call()
    assert withdrawable == one * 4 + 5 - coupon(20 * BOND)
    before = world.cash_of(world.op.address)
    world.op.transact(coupons.functions.withdraw(world.op.address, withdrawable))
    assert world.cash_of(world.op.address) == before + withdrawable
    expect_revert(world.op, coupons.functions.withdraw(world.op.address, 1), unfunded)
    world.as_(claimer).transact(coupons.functions.claim())
    assert coupons.functions.available().call() == 0
    assert coupons.functions.paid().call() == 2 * one


def test_no_minting_once_the_schedule_has_started(world, bond):
    token, issuer, coupons = bond
    a = world.investors[0].address
    mine_at(world.s.w3, coupons.functions.START().call())
    expect_revert(world.op, issuer.functions.issue([a], [BOND]), "issuance closed")
    expect_revert(world.op, token.functions.mint(a, BOND), "caller lacks role")
