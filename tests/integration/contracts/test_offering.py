"""Primary issuance: verified investors subscribe within the window and limits, paying
into escrow by allowance or signed authorization; the issuer settles batches (mint +
payment in one transaction) and refunds what cannot settle; investors recover
subscriptions left unsettled."""

import pytest
from eth_account import Account

from rwakit.bench.scenario import BENCH_RULES, wallet
from rwakit.chain.asset_creation import OfferingTerms, create_offering, create_stablecoin
from rwakit.chain.authorizations import sign_authorization
from rwakit.chain.collateral_attestations import sign_collateral
from rwakit.chain.dev_wallets import deterministic_key
from rwakit.chain.token_factory import TokenSpec
from rwakit.domain.asset_types import AssetType
from rwakit.domain.restrictions import Restriction
from rwakit.domain.roles import TokenRole
from rwakit.domain.topics import topic_id
from tests.integration.contracts.corporate_world import CASH, DAY, build_world
from tests.integration.contracts.harness import expect_revert, mine_at

SHARE = 10**18
PRICE = 2 * CASH  # per whole share


@pytest.fixture(scope="module")
def world(deployed):
    with build_world(deployed, "offering") as w:
        for investor in w.investors:
            w.op.transact(w.cash.functions.transfer(investor.address, 1_000 * CASH))
        yield w


@pytest.fixture
def offering(world, scenario):
    """Shares offered at 2 cash each: cap 100, 1 to 50 per investor, open from 100 s to
    10 days from now, five days to settle; investors have approved the offering."""
    created = world.distributing(AssetType.EQUITY)
    token = world.token(created.token)
    now = world.now
    terms = OfferingTerms(
        payment=world.cash.address,
        treasury=world.outsider.address,
        price=PRICE,
        hard_cap=100 * SHARE,
        min_per_investor=SHARE,
        max_per_investor=50 * SHARE,
        opens=now + 100,
        closes=now + 10 * DAY,
        settlement_period=5 * DAY,
    )
    offering = world.contracts.offering(
        create_offering(world.op, world.factory, token.address, terms)
    )
    world.op.transact(token.functions.grantRole(TokenRole.SUPPLY, offering.address))
    for investor in world.investors:
        world.as_(investor).transact(world.cash.functions.approve(offering.address, 10**30))
    return token, offering, terms


def test_subscribe_settle_refund_lifecycle(world, offering):
    token, offer, terms = offering
    a, b, c = world.investors[:3]
    expect_revert(world.as_(a), offer.functions.subscribe(SHARE), "offering not open")
    mine_at(world.s.w3, terms.opens)
    cash = {h: world.cash_of(h.address) for h in (a, b, c)}
    world.as_(a).transact(offer.functions.subscribe(10 * SHARE))
    world.as_(a).transact(offer.functions.subscribe(5 * SHARE))
    world.as_(b).transact(offer.functions.subscribe(50 * SHARE))
    world.as_(c).transact(offer.functions.subscribe(SHARE))
    assert offer.functions.subscriptionOf(a.address).call() == [15 * SHARE, 15 * PRICE]
    assert world.cash_of(a.address) == cash[a] - 15 * PRICE
    assert world.cash_of(offer.address) == 66 * PRICE
    assert offer.functions.subscribed().call() == 66 * SHARE
    outsider = world.as_(world.outsider)
    expect_revert(outsider, offer.functions.settle([a.address]), "caller lacks role")
    treasury_before = world.cash_of(terms.treasury)
    world.op.transact(offer.functions.settle([a.address, b.address]))
    assert token.functions.balanceOf(a.address).call() == 15 * SHARE
    assert token.functions.balanceOf(b.address).call() == 50 * SHARE
    assert world.cash_of(terms.treasury) == treasury_before + 65 * PRICE
    assert offer.functions.subscriptionOf(a.address).call() == [0, 0]
    expect_revert(world.op, offer.functions.settle([a.address]), "no subscription to settle")
    # c cannot settle (say its claims lapsed): the issuer refunds it in full
    world.op.transact(offer.functions.refund([c.address]))
    assert world.cash_of(c.address) == cash[c]
    assert offer.functions.subscribed().call() == 65 * SHARE
    expect_revert(world.op, offer.functions.refund([c.address]), "no subscription to refund")
    assert world.cash_of(offer.address) == 0


def test_subscription_limits_and_eligibility(world, offering):
    _token, offer, terms = offering
    a, b, c, d = world.investors[:4]
    mine_at(world.s.w3, terms.opens)
    # an investor without a registered identity is refused with the token's reason
    stranger = wallet("offering-unregistered", 0)
    world.s.fund(stranger.address)
    world.as_(stranger).transact(world.cash.functions.approve(offer.address, 10**30))
    expect_revert(
        world.as_(stranger),
        offer.functions.subscribe(SHARE),
        Restriction.RECEIVER_NOT_VERIFIED.message,
    )
    expect_revert(world.as_(a), offer.functions.subscribe(0), "zero amount")
    expect_revert(
        world.as_(a), offer.functions.subscribe(SHARE - 1), "below the minimum subscription"
    )
    expect_revert(
        world.as_(a), offer.functions.subscribe(51 * SHARE), "above the maximum subscription"
    )
    world.as_(a).transact(offer.functions.subscribe(50 * SHARE))
    expect_revert(world.as_(a), offer.functions.subscribe(1), "above the maximum subscription")
    world.as_(b).transact(offer.functions.subscribe(45 * SHARE))
    expect_revert(
        world.as_(c), offer.functions.subscribe(6 * SHARE), "subscription over the hard cap"
    )
    world.as_(c).transact(offer.functions.subscribe(5 * SHARE))
    mine_at(world.s.w3, terms.closes)
    expect_revert(world.as_(d), offer.functions.subscribe(SHARE), "offering closed")


def test_unsettled_subscription_comes_back_after_the_settlement_period(world, offering):
    token, offer, terms = offering
    a = world.investors[0]
    mine_at(world.s.w3, terms.opens)
    before = world.cash_of(a.address)
    world.as_(a).transact(offer.functions.subscribe(3 * SHARE))
    expect_revert(
        world.as_(a), offer.functions.withdrawSubscription(), "settlement period not over"
    )
    mine_at(world.s.w3, terms.closes + terms.settlement_period)
    world.as_(a).transact(offer.functions.withdrawSubscription())
    assert world.cash_of(a.address) == before
    assert token.functions.balanceOf(a.address).call() == 0
    expect_revert(world.as_(a), offer.functions.withdrawSubscription(), "no subscription to refund")


def test_cost_rounds_up_and_creation_checks(world, offering):
    token, offer, terms = offering
    assert offer.functions.costOf(1).call() == 1  # 2e-12 cash rounds up to one unit
    assert offer.functions.costOf(SHARE).call() == PRICE
    bad = OfferingTerms(**{**terms.__dict__, "min_per_investor": 60 * SHARE})
    create = world.factory.functions.createOffering(token.address, bad.as_abi())
    expect_revert(world.op, create, "investor limits out of order")
    late = OfferingTerms(**{**terms.__dict__, "opens": terms.closes})
    expect_revert(
        world.op,
        world.factory.functions.createOffering(token.address, late.as_abi()),
        "offering window out of order",
    )
    expect_revert(
        world.as_(world.outsider),
        world.factory.functions.createOffering(token.address, terms.as_abi()),
        "caller lacks role",
    )


def test_subscription_paid_by_a_signed_authorization(world, scenario):
    """The payment asset is a rwakit stablecoin: the investor signs the payment and a
    relayer submits the subscription."""
    registry = world.s.contracts.registry
    auditor_key = deterministic_key("offering-auditor")
    world.op.transact(registry.functions.registerTopic("COLLATERAL"))
    world.op.transact(
        registry.functions.setTrustedIssuer(
            Account.from_key(auditor_key).address, [topic_id("COLLATERAL")], True
        )
    )
    spec = TokenSpec("Rwa Dollar", "RUSD", AssetType.STABLECOIN, decimals=6, rules=BENCH_RULES)
    coin = create_stablecoin(
        world.op, world.factory, spec, world.op.address, topic_id("COLLATERAL")
    )
    dollar = world.token(coin.token)
    minter = world.contracts.collateral_minter(coin.minter)
    domain = minter.functions.domainSeparator().call()
    expiry = world.now + DAY
    world.op.transact(
        minter.functions.attest(
            *sign_collateral(auditor_key, domain, dollar.address, 10**9, expiry, 1)
        )
    )
    a, treasury = world.investors[0], world.investors[5]
    world.op.transact(minter.functions.mint([a.address], [100 * CASH]))
    world.op.transact(dollar.functions.unpause())
    shares = world.token(world.distributing(AssetType.EQUITY).token)
    now = world.now
    terms = OfferingTerms(
        dollar.address, treasury.address, PRICE, 100 * SHARE, SHARE, 50 * SHARE, now, now + DAY, DAY
    )
    offer = world.contracts.offering(
        create_offering(world.op, world.factory, shares.address, terms)
    )
    world.op.transact(shares.functions.grantRole(TokenRole.SUPPLY, offer.address))
    # the offering holds investors' cash in escrow: the registry lets it receive the coin
    world.op.transact(registry.functions.setBypass(offer.address, True))
    pay_domain = dollar.functions.domainSeparator().call()

    def authorization(amount: int) -> tuple:
        nonce = dollar.functions.nonces(a.address).call()
        return sign_authorization(
            a.key, pay_domain, a.address, offer.address, amount, nonce, world.now + 3600
        )

    relayer = world.as_(world.outsider)
    expect_revert(
        relayer,
        offer.functions.subscribeWithAuthorization(10 * SHARE, authorization(19 * CASH)),
        "authorization does not pay this subscription",
    )
    relayer.transact(
        offer.functions.subscribeWithAuthorization(10 * SHARE, authorization(20 * CASH))
    )
    assert offer.functions.subscriptionOf(a.address).call() == [10 * SHARE, 20 * CASH]
    assert dollar.functions.balanceOf(a.address).call() == 80 * CASH
    world.op.transact(offer.functions.settle([a.address]))
    assert shares.functions.balanceOf(a.address).call() == 10 * SHARE
    assert dollar.functions.balanceOf(treasury.address).call() == 20 * CASH
