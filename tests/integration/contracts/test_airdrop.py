"""Merkle airdrops: claims within the window, pushed batches, linear vesting with a
cliff, and the refusals (bad proof, twice, too early or late, over-committed roots)."""

import pytest

from rwakit.chain.airdrops import claim_call, claim_many_call, create_drop, deploy_airdrop
from rwakit.domain.airdrop_tree import AirdropTree
from tests.integration.contracts.corporate_world import CASH, DAY, build_world
from tests.integration.contracts.harness import expect_revert, mine_at


@pytest.fixture(scope="module")
def world(deployed):
    with build_world(deployed, "airdrop") as w:
        yield w


@pytest.fixture
def airdrop(world, scenario):
    contract = world.contracts.airdrop(deploy_airdrop(world.op, world.s.contracts.artifacts))
    world.approve_cash(contract.address)
    return contract


def tree_of(world, amounts: list[int]) -> AirdropTree:
    accounts = [h.address for h in world.investors]
    return AirdropTree(tuple(zip(accounts, amounts, strict=False)))


def test_claim_window_and_pushed_batch(world, airdrop):
    tree = tree_of(world, [(i + 1) * CASH for i in range(5)])
    start, end = world.now + DAY, world.now + 10 * DAY
    id_ = create_drop(world.op, airdrop, world.cash.address, tree, start, end)
    assert world.cash_of(airdrop.address) == tree.total
    expect_revert(world.op, claim_call(airdrop, id_, tree, 0), "airdrop not started")
    mine_at(world.s.w3, start)
    account = tree.entitlements[0][0]
    before = world.cash_of(account)
    world.as_(world.outsider).transact(claim_call(airdrop, id_, tree, 0))
    assert world.cash_of(account) == before + CASH
    expect_revert(world.op, claim_call(airdrop, id_, tree, 0), "nothing to claim")
    wrong = airdrop.functions.claim(id_, account, 2 * CASH, tree.proof(0))
    expect_revert(world.op, wrong, "invalid airdrop proof")
    # the operator pushes the rest; the already-paid account is passed over
    balances = {a: world.cash_of(a) for a, _ in tree.entitlements}
    world.op.transact(claim_many_call(airdrop, id_, tree, [0, 1, 2, 3]))
    for i, (a, n) in enumerate(tree.entitlements[:4]):
        assert world.cash_of(a) == balances[a] + (0 if i == 0 else n)
    assert airdrop.functions.drops(id_).call()[4] == 10 * CASH  # paid
    expect_revert(world.op, airdrop.functions.reclaim(id_), "airdrop not ended")
    mine_at(world.s.w3, end + 1)
    expect_revert(world.op, claim_call(airdrop, id_, tree, 4), "airdrop ended")
    expect_revert(
        world.as_(world.outsider), airdrop.functions.reclaim(id_), "caller is not the creator"
    )
    before = world.cash_of(world.op.address)
    world.op.transact(airdrop.functions.reclaim(id_))
    assert world.cash_of(world.op.address) == before + 5 * CASH
    expect_revert(world.op, airdrop.functions.reclaim(id_), "nothing to reclaim")


def test_linear_vesting_with_cliff(world, airdrop):
    tree = tree_of(world, [100 * CASH, 40 * CASH])
    now = world.now
    start, cliff, vesting_end, end = now + DAY, now + 11 * DAY, now + 101 * DAY, now + 200 * DAY
    id_ = create_drop(world.op, airdrop, world.cash.address, tree, start, end, cliff, vesting_end)
    account = tree.entitlements[0][0]
    before = world.cash_of(account)
    mine_at(world.s.w3, cliff - 1)
    expect_revert(world.op, claim_call(airdrop, id_, tree, 0), "nothing to claim")
    mine_at(world.s.w3, start + 25 * DAY)  # a quarter of the way
    world.op.transact(claim_call(airdrop, id_, tree, 0))
    assert world.cash_of(account) == before + 25 * CASH
    mine_at(world.s.w3, start + 50 * DAY)
    world.op.transact(claim_call(airdrop, id_, tree, 0))
    assert world.cash_of(account) == before + 50 * CASH
    mine_at(world.s.w3, vesting_end + 1)
    world.op.transact(claim_call(airdrop, id_, tree, 0))
    assert world.cash_of(account) == before + 100 * CASH
    expect_revert(world.op, claim_call(airdrop, id_, tree, 0), "nothing to claim")


def test_creation_checks_and_overcommitted_root(world, airdrop):
    tree = tree_of(world, [3 * CASH, 3 * CASH])
    now = world.now
    create = airdrop.functions.create
    cash = world.cash.address
    expect_revert(world.op, create(cash, tree.root, 0, now, now + DAY, 0, 0), "zero amount")
    expect_revert(
        world.op, create(cash, tree.root, 1, now + DAY, now, 0, 0), "claim window out of order"
    )
    expect_revert(
        world.op, create(cash, tree.root, 1, now, now + DAY, 5, 0), "cliff without vesting"
    )
    expect_revert(
        world.op,
        create(cash, tree.root, 1, now + 9, now + DAY, now, now + 99),
        "vesting out of order",
    )
    # the root promises 6 cash but only 4 are funded: claims stop at the funding
    call = create(cash, tree.root, 4 * CASH, now, now + DAY, 0, 0)
    world.op.transact(call)
    id_ = airdrop.functions.count().call()
    world.op.transact(claim_call(airdrop, id_, tree, 0))
    expect_revert(world.op, claim_call(airdrop, id_, tree, 1), "airdrop exhausted")
    expect_revert(world.op, claim_many_call(airdrop, id_, tree, [1]), "airdrop exhausted")
