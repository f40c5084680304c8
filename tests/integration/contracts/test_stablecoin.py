"""Stablecoins: minting only up to collateral attested by an issuer the registry trusts
for the collateral topic, only while that attestation is unexpired and trusted."""

import pytest
from eth_account import Account

from rwakit.bench.scenario import BENCH_RULES
from rwakit.chain.asset_creation import create_stablecoin
from rwakit.chain.collateral_attestations import sign_collateral
from rwakit.chain.dev_wallets import deterministic_key
from rwakit.chain.token_factory import TokenSpec
from rwakit.domain.asset_types import AssetType
from rwakit.domain.roles import TokenRole
from rwakit.domain.topics import topic_id
from tests.integration.contracts.corporate_world import DAY, build_world
from tests.integration.contracts.harness import expect_revert, mine_at

COLLATERAL = topic_id("COLLATERAL")
AUDITOR_KEY = deterministic_key("stablecoin-auditor")
AUDITOR = Account.from_key(AUDITOR_KEY).address
ROGUE_KEY = deterministic_key("stablecoin-rogue")
USD = 10**6


@pytest.fixture(scope="module")
def world(deployed):
    with build_world(deployed, "stablecoin") as w:
        registry = deployed.contracts.registry
        w.op.transact(registry.functions.registerTopic("COLLATERAL"))
        w.op.transact(registry.functions.setTrustedIssuer(AUDITOR, [COLLATERAL], True))
        yield w


@pytest.fixture
def coin(world, scenario):
    spec = TokenSpec("Rwa Dollar", "RUSD", AssetType.STABLECOIN, decimals=6, rules=BENCH_RULES)
    created = create_stablecoin(world.op, world.factory, spec, world.op.address, COLLATERAL)
    return world.token(created.token), world.contracts.collateral_minter(created.minter)


def attest(world, minter, amount: int, nonce: int, key: bytes = AUDITOR_KEY, expiry_in=DAY):
    domain = minter.functions.domainSeparator().call()
    token = minter.functions.TOKEN().call()
    args = sign_collateral(key, domain, token, amount, world.now + expiry_in, nonce)
    return minter.functions.attest(*args)


def test_minting_is_bounded_by_attested_collateral(world, coin):
    token, minter = coin
    a, b = (h.address for h in world.investors[:2])
    assert token.functions.roles(minter.address).call() == TokenRole.SUPPLY
    assert token.functions.roles(world.op.address).call() == TokenRole.ALL & ~TokenRole.SUPPLY
    expect_revert(world.op, minter.functions.mint([a], [1]), "collateral claim expired")
    world.as_(world.outsider).transact(attest(world, minter, 1_000 * USD, 1))
    assert minter.functions.mintable().call() == 1_000 * USD
    expect_revert(world.as_(world.outsider), minter.functions.mint([a], [1]), "caller lacks role")
    world.op.transact(minter.functions.mint([a, b], [600 * USD, 300 * USD]))
    assert token.functions.totalSupply().call() == 900 * USD
    expect_revert(
        world.op, minter.functions.mint([a], [101 * USD]), "mint exceeds proven collateral"
    )
    expect_revert(world.op, token.functions.mint(a, 1), "caller lacks role")
    # redemptions burn through the minter, freeing room under the same collateral
    world.op.transact(minter.functions.burn(a, 200 * USD))
    assert minter.functions.mintable().call() == 300 * USD
    # a newer, larger attestation raises the bound
    expect_revert(world.op, attest(world, minter, 5_000 * USD, 1), "attestation not newer")
    world.op.transact(attest(world, minter, 5_000 * USD, 2))
    world.op.transact(minter.functions.mint([b], [4_000 * USD]))


def test_expired_or_untrusted_collateral_stops_minting(world, coin):
    _token, minter = coin
    a = world.investors[0].address
    expect_revert(
        world.op, attest(world, minter, USD, 1, key=ROGUE_KEY), "issuer not trusted for collateral"
    )
    expect_revert(world.op, attest(world, minter, USD, 1, expiry_in=0), "collateral claim expired")
    world.op.transact(attest(world, minter, 1_000 * USD, 1))
    expiry = minter.functions.collateral_expiry().call()
    registry = world.s.contracts.registry
    world.op.transact(registry.functions.setTrustedIssuer(AUDITOR, [COLLATERAL], False))
    expect_revert(world.op, minter.functions.mint([a], [1]), "collateral issuer no longer trusted")
    assert minter.functions.mintable().call() == 0
    world.op.transact(registry.functions.setTrustedIssuer(AUDITOR, [COLLATERAL], True))
    world.op.transact(minter.functions.mint([a], [1]))
    mine_at(world.s.w3, expiry)
    expect_revert(world.op, minter.functions.mint([a], [1]), "collateral claim expired")
    assert minter.functions.mintable().call() == 0
