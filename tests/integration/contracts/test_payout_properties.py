"""Properties of every payout, over random holdings, amounts and push/claim splits: no
payout exceeds its pro-rata share or falls a whole unit short of it, and the total paid
never exceeds what was funded."""

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rwakit.chain.transactor import TransactionFailed
from rwakit.domain.asset_types import AssetType, coupon_for, distribution_id, push_order
from tests.integration.contracts.corporate_world import (
    BOND,
    DAY,
    FACE,
    INVESTORS,
    OPERATOR_CASH,
    build_world,
)
from tests.integration.contracts.harness import mine_at

SETTINGS = settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
WINDOW = DAY

holdings = st.lists(st.integers(1, 10**24), min_size=1, max_size=INVESTORS)
# True: paid by the agent's push; False: left to claim
push_split = st.lists(st.booleans(), min_size=INVESTORS, max_size=INVESTORS)


@pytest.fixture(scope="module")
def world(deployed):
    with build_world(deployed, "payout-properties") as w:
        yield w


@contextmanager
def example(w3) -> Iterator[None]:
    """Each hypothesis example starts from the module's chain state and leaves it as it was
    (the module-wide `world` checkpoint undoes the rest)."""
    snapshot_id = w3.provider.make_request("evm_snapshot", [])["result"]
    try:
        yield
    finally:
        assert w3.provider.make_request("evm_revert", [snapshot_id])["result"]


def split(world, balances: list[int], pushes: list[bool]) -> tuple[list, list]:
    """(pushed, claimers): the pushed holders are a prefix of push order, as pushes must be."""
    holders = world.investors[: len(balances)]
    order = push_order([h.address for h in holders])
    cut = sum(pushes[: len(order)])
    by_address = {h.address: h for h in holders}
    return [by_address[a] for a in order[:cut]], [by_address[a] for a in order[cut:]]


@SETTINGS
# up to all the cash the world gave the operator: more would fail the declare's transfer
@given(balances=holdings, amount=st.integers(1, OPERATOR_CASH), pushes=push_split)
def test_distribution_shares_round_down_by_under_one_unit(world, balances, amount, pushes):
    with example(world.s.w3):
        created = world.distributing(AssetType.FUND, push_window=WINDOW)
        token = world.token(created.token)
        distribution = world.contracts.distribution(created.distribution)
        holders = world.investors[: len(balances)]
        world.op.transact(token.functions.batchMint([h.address for h in holders], balances))
        world.approve_cash(distribution.address)
        record = world.now + DAY
        world.op.transact(
            distribution.functions.declare(world.cash.address, amount, record, record + 10 * DAY)
        )
        id_ = distribution_id(world.cash.address, record)
        before = {h.address: world.cash_of(h.address) for h in holders}
        pushed, claimers = split(world, balances, pushes)
        mine_at(world.s.w3, record + 1)
        if pushed:
            world.op.transact(distribution.functions.push(id_, [h.address for h in pushed]))
        mine_at(world.s.w3, record + WINDOW + 1)
        supply = sum(balances)
        for h, balance in zip(holders, balances, strict=True):
            if h not in claimers:
                continue
            if amount * balance < supply:  # a share under one unit: nothing to pay
                with pytest.raises(TransactionFailed, match="no distribution owed"):
                    world.as_(h).transact(distribution.functions.claim(id_))
            else:
                world.as_(h).transact(distribution.functions.claim(id_))
        total = 0
        for h, balance in zip(holders, balances, strict=True):
            got = world.cash_of(h.address) - before[h.address]
            # floor: never more than the exact share, less by under one unit
            assert got * supply <= amount * balance < (got + 1) * supply
            total += got
        assert total <= amount
        assert distribution.functions.distribution(id_).call()[4] == total


@SETTINGS
@given(
    balances=st.lists(st.integers(1, 10**6 * BOND), min_size=1, max_size=INVESTORS),
    rate=st.integers(1, 10_000),
    funding_share=st.integers(0, 150),
    pushes=push_split,
)
def test_coupons_never_exceed_funding_and_round_down(world, balances, rate, funding_share, pushes):
    interval = 30 * DAY
    with example(world.s.w3):
        created = world.bond(
            cap=INVESTORS * 10**6 * BOND,
            rate_bps=rate,
            start_in=DAY,
            interval=interval,
            periods=1,
            push_window=WINDOW,
        )
        issuer = world.contracts.bond(created.bond)
        coupons = world.contracts.coupons(created.coupons)
        holders = world.investors[: len(balances)]
        world.op.transact(issuer.functions.issue([h.address for h in holders], balances))
        due = [coupon_for(b, FACE, rate, interval, 18) for b in balances]
        funded = sum(due) * funding_share // 100
        world.approve_cash(coupons.address)
        if funded:
            world.op.transact(coupons.functions.fund(funded))
        before = {h.address: world.cash_of(h.address) for h in holders}
        pushed, claimers = split(world, balances, pushes)
        end = coupons.functions.periodEnd(1).call()
        mine_at(world.s.w3, end + 1)
        if pushed:
            try:
                world.op.transact(coupons.functions.push(1, [h.address for h in pushed]))
            except TransactionFailed as failed:
                assert failed.reason == "insufficient coupon funding"
        mine_at(world.s.w3, end + WINDOW + 1)
        for h in claimers:
            try:
                world.as_(h).transact(coupons.functions.claim())
            except TransactionFailed as failed:
                assert failed.reason in ("insufficient coupon funding", "no coupon owed")
        total = 0
        for h, owed in zip(holders, due, strict=True):
            got = world.cash_of(h.address) - before[h.address]
            assert got in (0, owed)  # paid in full or not at all, never more
            total += got
        assert total <= funded
        assert coupons.functions.paid().call() == total
        if funding_share >= 100:
            assert total == sum(due)  # fully funded: everyone was paid
