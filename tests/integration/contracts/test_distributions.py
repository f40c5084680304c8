"""Dividends and fund distributions: declared at a record time that becomes a snapshot
boundary, owed pro rata to balances at it, claimed or pushed in address order, and the
unclaimed remainder reclaimed after the deadline."""

import pytest

from rwakit.domain.asset_types import AssetType, distribution_id, pro_rata_share, push_order
from rwakit.domain.roles import TokenRole
from tests.integration.contracts.corporate_world import CASH, DAY, build_world
from tests.integration.contracts.harness import ZERO, expect_revert, mine_at

SHARE = 10**18
AMOUNT = 1_000_003 * CASH  # not a multiple of the supply: shares round down
WINDOW = DAY  # the paying agent's push window after the record time


@pytest.fixture(scope="module")
def world(deployed):
    with build_world(deployed, "distributions") as w:
        yield w


@pytest.fixture
def equity(world, scenario):
    """An equity token with its Distribution contract (one-day push window); investors
    0, 1, 2 hold 3, 5 and 11 shares; trading; the issuer has approved the distribution
    contract for its cash."""
    created = world.distributing(AssetType.EQUITY, push_window=WINDOW)
    token = world.token(created.token)
    holders = [h.address for h in world.investors[:3]]
    world.op.transact(token.functions.batchMint(holders, [3 * SHARE, 5 * SHARE, 11 * SHARE]))
    world.op.transact(token.functions.unpause())
    distribution = world.contracts.distribution(created.distribution)
    world.approve_cash(distribution.address)
    return token, distribution


def declare(world, distribution, record_in: int = DAY, deadline_in: int = 30 * DAY) -> tuple:
    now = world.now
    record, deadline = now + record_in, now + deadline_in
    world.op.transact(distribution.functions.declare(world.cash.address, AMOUNT, record, deadline))
    id_ = distribution_id(world.cash.address, record)
    assert distribution.functions.distributionId(world.cash.address, record).call() == id_
    return id_, record, deadline


def test_creation_wires_roles(world, scenario):
    created = world.distributing(AssetType.FUND)
    token = world.token(created.token)
    assert token.functions.asset_type().call() == "fund"
    assert token.functions.roles(created.distribution).call() == TokenRole.SCHEDULER
    assert token.functions.roles(world.op.address).call() == TokenRole.ALL
    assert token.functions.roles(world.factory.address).call() == 0
    distribution = world.contracts.distribution(created.distribution)
    assert distribution.functions.TOKEN().call() == created.token


def test_declare_push_claim_reclaim(world, equity):
    token, distribution = equity
    a, b, c, d = world.investors[:4]
    cash_before = world.cash_of(world.op.address)
    id_, record, deadline = declare(world, distribution)
    assert world.cash_of(world.op.address) == cash_before - AMOUNT
    assert token.functions.isSnapshotBoundary(record).call()
    assert distribution.functions.distribution(id_).call() == [
        world.cash.address,
        AMOUNT,
        record,
        deadline,
        0,
    ]
    expect_revert(
        world.op, distribution.functions.push(id_, [a.address]), "record time not reached"
    )
    # after the record time balances move: payouts still follow the record-time balances
    mine_at(world.s.w3, record + 1)
    world.as_(c).transact(token.functions.transfer(d.address, 11 * SHARE))
    supply = 19 * SHARE
    held = {a: 3, b: 5, c: 11, d: 0}
    owed = {h: pro_rata_share(AMOUNT, n * SHARE, supply) for h, n in held.items()}
    expect_revert(
        world.as_(a), distribution.functions.claim(id_), "claims open after the push window"
    )
    # the agent pushes to the lower half of the holders; the rest claim after the window
    order = push_order([h.address for h in held])
    by_address = {h.address: h for h in held}
    pushed, claimers = [by_address[x] for x in order[:2]], [by_address[x] for x in order[2:]]
    cash = {h: world.cash_of(h.address) for h in held}
    world.op.transact(distribution.functions.push(id_, [h.address for h in pushed]))
    for h in pushed:
        assert world.cash_of(h.address) == cash[h] + owed[h]
    mine_at(world.s.w3, record + WINDOW + 1)
    expect_revert(world.op, distribution.functions.push(id_, [order[3]]), "push window closed")
    for h in pushed:
        assert distribution.functions.claimable(id_, h.address).call() == 0
        expect_revert(world.as_(h), distribution.functions.claim(id_), "distribution already paid")
    for h in claimers:
        assert distribution.functions.claimable(id_, h.address).call() == owed[h]
        if owed[h] == 0:
            expect_revert(world.as_(h), distribution.functions.claim(id_), "no distribution owed")
            continue
        world.as_(h).transact(distribution.functions.claim(id_))
        assert world.cash_of(h.address) == cash[h] + owed[h]
        expect_revert(world.as_(h), distribution.functions.claim(id_), "distribution already paid")
    paid = sum(owed.values())
    assert AMOUNT - 3 < paid <= AMOUNT  # three holders, each rounded down by under one unit
    assert distribution.functions.distribution(id_).call()[4] == paid
    expect_revert(
        world.op,
        distribution.functions.reclaim(id_, world.op.address),
        "distribution deadline not passed",
    )
    mine_at(world.s.w3, deadline + 1)
    expect_revert(world.as_(a), distribution.functions.claim(id_), "distribution deadline passed")
    outsider = world.as_(world.outsider)
    expect_revert(
        outsider, distribution.functions.reclaim(id_, world.outsider.address), "caller lacks role"
    )
    before = world.cash_of(world.op.address)
    world.op.transact(distribution.functions.reclaim(id_, world.op.address))
    assert world.cash_of(world.op.address) == before + AMOUNT - paid
    expect_revert(
        world.op, distribution.functions.reclaim(id_, world.op.address), "nothing to reclaim"
    )
    assert world.cash_of(distribution.address) == 0


def test_declare_checks(world, equity):
    token, distribution = equity
    now = world.now
    cash = world.cash.address
    outsider = world.as_(world.outsider)
    declare_ = distribution.functions.declare
    later = now + 3 * DAY
    expect_revert(outsider, declare_(cash, 1, now + DAY, later), "caller lacks role")
    expect_revert(world.op, declare_(ZERO, 1, now + DAY, later), "zero address")
    expect_revert(world.op, declare_(cash, 0, now + DAY, later), "amount out of range")
    expect_revert(world.op, declare_(cash, 2**96, now + DAY, later), "amount out of range")
    expect_revert(
        world.op, declare_(cash, 1, now - 1, later), "record time must not be in the past"
    )
    expect_revert(
        world.op,
        declare_(cash, 1, now + DAY, now + DAY + WINDOW),
        "deadline must follow the push window",
    )
    world.op.transact(declare_(cash, 1, now + DAY, later))
    expect_revert(world.op, declare_(cash, 2, now + DAY, later), "distribution exists")
    expect_revert(world.op, distribution.functions.claim(7), "no such distribution")
    # the distribution contract's SCHEDULER role is what makes the record time a boundary
    world.op.transact(token.functions.revokeRole(TokenRole.SCHEDULER, distribution.address))
    expect_revert(world.op, declare_(cash, 1, now + DAY + 1, later), "caller lacks role")


def test_push_checks(world, equity):
    _token, distribution = equity
    a, b = (h.address for h in world.investors[:2])
    low, high = push_order([a, b])
    id_, record, _ = declare(world, distribution)
    expect_revert(world.op, distribution.functions.push(id_, [low]), "record time not reached")
    mine_at(world.s.w3, record + 1)
    outsider = world.as_(world.outsider)
    expect_revert(outsider, distribution.functions.push(id_, [low]), "caller lacks role")
    expect_revert(world.op, distribution.functions.push(id_, []), "empty batch")
    ascending = "holders must ascend above the last paid address"
    expect_revert(world.op, distribution.functions.push(id_, [high, low]), ascending)
    world.op.transact(distribution.functions.push(id_, [high]))
    expect_revert(world.op, distribution.functions.push(id_, [low]), ascending)
    # an address skipped below the last paid one counts as handled by the push
    mine_at(world.s.w3, record + WINDOW + 1)
    assert distribution.functions.claimable(id_, low).call() == 0
    expect_revert(
        world.as_(world.investors[0] if world.investors[0].address == low else world.investors[1]),
        distribution.functions.claim(id_),
        "distribution already paid",
    )
