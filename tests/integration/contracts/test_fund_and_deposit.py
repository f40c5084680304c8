"""Funds: created with their distribution and management fee contracts in one
transaction; the fee accrues pro rata to elapsed time and only governance collects it.
Deposits: the token core with its type recorded."""

import pytest

from rwakit.bench.scenario import BENCH_RULES
from rwakit.chain.asset_creation import create_fund, token_terms
from rwakit.chain.token_factory import TokenSpec, create_token
from rwakit.domain.asset_types import SECONDS_PER_YEAR, AssetType
from rwakit.domain.roles import TokenRole
from tests.integration.contracts.corporate_world import DAY, build_world
from tests.integration.contracts.harness import expect_revert, mine_at, next_block_at

UNIT = 10**18
FEE_BPS = 200  # 2 % a year


@pytest.fixture(scope="module")
def world(deployed):
    with build_world(deployed, "fund") as w:
        yield w


@pytest.fixture
def fund(world, scenario):
    manager = world.investors[5].address
    spec = TokenSpec("Income Fund", "FND", AssetType.FUND, rules=BENCH_RULES)
    created = create_fund(world.op, world.factory, spec, world.op.address, FEE_BPS, manager)
    token = world.token(created.token)
    world.op.transact(token.functions.mint(world.investors[0].address, 1_000 * UNIT))
    return created, token, world.contracts.fund_fee(created.fee), manager


def test_fund_creation_wires_roles(world, fund):
    created, token, fee, manager = fund
    assert token.functions.asset_type().call() == "fund"
    assert token.functions.roles(created.fee).call() == TokenRole.SUPPLY
    assert token.functions.roles(created.distribution).call() == TokenRole.SCHEDULER
    assert token.functions.roles(world.op.address).call() == TokenRole.ALL
    assert token.functions.roles(world.factory.address).call() == 0
    assert fee.functions.receiver().call() == manager


def test_management_fee_accrues_pro_rata_to_time(world, fund):
    _created, token, fee, manager = fund
    start = fee.functions.last_collected().call()
    expect_revert(world.as_(world.outsider), fee.functions.collect(), "caller lacks role")
    quarter = start + 91 * DAY
    mine_at(world.s.w3, quarter)
    expected = 1_000 * UNIT * FEE_BPS * (quarter - start) // (10_000 * SECONDS_PER_YEAR)
    assert fee.functions.accrued().call() == expected
    next_block_at(world.s.w3, quarter)
    world.op.transact(fee.functions.collect())
    assert token.functions.balanceOf(manager).call() == expected
    assert fee.functions.last_collected().call() == quarter
    # the next period accrues on the larger supply, from the last collection
    later = quarter + 30 * DAY
    mine_at(world.s.w3, later)
    supply = 1_000 * UNIT + expected
    assert fee.functions.accrued().call() == supply * FEE_BPS * 30 * DAY // (
        10_000 * SECONDS_PER_YEAR
    )
    expect_revert(
        world.as_(world.outsider),
        fee.functions.setReceiver(world.outsider.address),
        "caller lacks role",
    )


def test_fee_checks(world, scenario):
    spec = TokenSpec("Bad Fund", "BAD", AssetType.FUND)
    call = world.factory.functions
    terms = token_terms(spec, world.op.address)
    receiver = world.investors[5].address
    expect_revert(world.op, call.createFund(terms, 0, 0, receiver), "fee must be 1-1000 bps")
    expect_revert(world.op, call.createFund(terms, 0, 1001, receiver), "fee must be 1-1000 bps")
    expect_revert(
        world.as_(world.outsider), call.createFund(terms, 0, 100, receiver), "caller lacks role"
    )


def test_deposit_is_the_token_core_with_its_type(world, scenario):
    spec = TokenSpec("Term Deposit", "TDP", AssetType.DEPOSIT, decimals=6, rules=BENCH_RULES)
    address = create_token(world.op, world.s.contracts, spec, world.op.address)
    token = world.token(address)
    assert token.functions.asset_type().call() == "deposit"
    assert token.functions.decimals().call() == 6
    world.op.transact(token.functions.mint(world.investors[0].address, 5_000_000))
    assert token.functions.totalSupply().call() == 5_000_000
