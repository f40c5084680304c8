"""Identities from registration to deletion, lost-wallet recovery, ERC-20 allowances,
token creation, and balances at scheduled snapshot boundaries."""

import pytest
from web3.exceptions import ContractLogicError

from rwakit.bench.scenario import wallet
from rwakit.chain.claim_issuer import ClaimIssuer
from rwakit.chain.dev_wallets import deterministic_key
from rwakit.chain.token_factory import TokenRules, TokenSpec, create_token
from rwakit.domain.restrictions import Restriction
from rwakit.domain.roles import RuleFlag, TokenRole
from rwakit.domain.topics import topic_id
from tests.integration.contracts.harness import (
    GB,
    JP,
    US,
    ZERO,
    enrol,
    expect_allowed,
    expect_restriction,
    expect_revert,
    latest_timestamp,
    mine_at,
    next_block_at,
)

R = Restriction
KYC, AML = topic_id("KYC"), topic_id("AML")
MAX_UINT = 2**256 - 1


def view_reverts(call, reason: str) -> None:
    with pytest.raises(ContractLogicError) as failed:
        call.call()
    assert reason in str(failed.value)


# ---------------------------------------------------------------- registration


def test_register_with_claims(scenario, token, registry):
    account = wallet("lifecycle-register", 0).address
    expiry = latest_timestamp(scenario.w3) + 10**6
    claims = [scenario.issuer.sign(account, ("KYC", "AML"), expiry)]
    assert registry.functions.identity(account).call() == [0, 0, 0]
    assert not registry.functions.contains(account).call()
    assert not registry.functions.isVerified(account).call()
    scenario.operator.transact(registry.functions.registerIdentity(account, 4242, GB, claims))
    assert registry.functions.identity(account).call() == [4242, GB, 1]
    assert registry.functions.contains(account).call()
    assert registry.functions.isVerified(account).call()
    assert registry.functions.investorCountry(account).call() == GB
    for topic in (KYC, AML):
        assert registry.functions.claimOf(account, topic).call() == [
            scenario.issuer.address,
            expiry,
            True,
        ]
    assert registry.functions.claimOf(account, topic_id("ACCREDITED")).call() == [ZERO, 0, False]
    expect_allowed(scenario, token, None, account, 10)


def test_registered_without_claims_is_verified_but_lacks_the_tokens_claims(
    scenario, token, registry
):
    account = wallet("lifecycle-bare", 0).address
    scenario.operator.transact(registry.functions.registerIdentity(account, 1, US, []))
    assert registry.functions.isVerified(account).call()
    expect_restriction(scenario, token, None, account, 1, R.RECEIVER_MISSING_CLAIMS)
    claims = [scenario.issuer.sign(account, ("KYC", "AML"), latest_timestamp(scenario.w3) + 10**6)]
    scenario.operator.transact(registry.functions.batchAddClaims([account], claims))
    expect_allowed(scenario, token, None, account, 1)


def test_claims_signed_by_several_issuers_combine(scenario, token, registry):
    other = ClaimIssuer(
        deterministic_key("lifecycle-aml-provider"), scenario.w3.eth.chain_id, registry.address
    )
    scenario.operator.transact(registry.functions.setTrustedIssuer(other.address, [AML], True))
    account = wallet("lifecycle-two-issuers", 0).address
    expiry = latest_timestamp(scenario.w3) + 10**6
    claims = [
        scenario.issuer.sign(account, ("KYC",), expiry),
        other.sign(account, ("AML",), expiry),
    ]
    scenario.operator.transact(registry.functions.registerIdentity(account, 9, US, claims))
    assert registry.functions.claimOf(account, KYC).call()[0] == scenario.issuer.address
    assert registry.functions.claimOf(account, AML).call()[0] == other.address
    expect_allowed(scenario, token, None, account, 1)


REGISTRATION_REFUSALS = [
    "already-registered",
    "country-zero",
    "country-1000",
    "id-zero",
    "id-too-big",
    "expired-claim",
    "unknown-signer",
    "signer-not-trusted-for-topic",
    "claims-of-another-wallet",
    "no-topics",
    "unregistered-topic",
]


@pytest.mark.parametrize("case", REGISTRATION_REFUSALS)
def test_registration_refusals(scenario, registry, case):
    (registered,) = enrol(scenario, "lifecycle-refusal", 1)
    account = wallet("lifecycle-refusal-new", 0).address
    later = latest_timestamp(scenario.w3) + 10**6
    issuer = scenario.issuer
    stranger = ClaimIssuer(deterministic_key("nobody-trusts-me"), issuer.chain_id, issuer.registry)
    good = [issuer.sign(account, ("KYC",), later)]
    wallet_, identity_id, country, claims, reason = {
        "already-registered": (registered.address, 1, US, [], "wallet already registered"),
        "country-zero": (account, 1, 0, good, "country must be ISO 3166 numeric 1-999"),
        "country-1000": (account, 1, 1000, good, "country must be ISO 3166 numeric 1-999"),
        "id-zero": (account, 0, US, good, "identity id must be 1..2^32-1"),
        "id-too-big": (account, 2**32, US, good, "identity id must be 1..2^32-1"),
        "expired-claim": (
            account,
            1,
            US,
            [issuer.sign(account, ("KYC",), latest_timestamp(scenario.w3) - 1)],
            "claim expiry out of range",
        ),
        "unknown-signer": (
            account,
            1,
            US,
            [stranger.sign(account, ("KYC",), later)],
            "claim signer is not a trusted issuer",
        ),
        "signer-not-trusted-for-topic": (
            account,
            1,
            US,
            [issuer.sign(account, ("KYC", "PROFESSIONAL"), later)],
            "claim signer not trusted for topic",
        ),
        "claims-of-another-wallet": (
            account,
            1,
            US,
            [issuer.sign(registered.address, ("KYC",), later)],
            "claim signer is not a trusted issuer",
        ),
        "no-topics": (
            account,
            1,
            US,
            [issuer.sign(account, (), later)],
            "claim set without topics",
        ),
        "unregistered-topic": (
            account,
            1,
            US,
            [issuer.sign(account, ("NOT_A_TOPIC",), later)],
            "claim signer not trusted for topic",
        ),
    }[case]
    call = registry.functions.registerIdentity(wallet_, identity_id, country, claims)
    expect_revert(scenario.operator, call, reason)
    assert not registry.functions.contains(account).call()


def test_update_country(scenario, token, registry):
    (holder,) = enrol(scenario, "lifecycle-country-holder", 1, amount=100)
    (moving,) = enrol(scenario, "lifecycle-country", 1)
    scenario.operator.transact(registry.functions.updateCountry(moving.address, JP))
    assert registry.functions.identity(moving.address).call()[1:] == [JP, 1]
    assert registry.functions.investorCountry(moving.address).call() == JP
    expect_restriction(scenario, token, holder, moving.address, 1, R.COUNTRY_NOT_ALLOWED)
    scenario.operator.transact(registry.functions.updateCountry(moving.address, GB))
    expect_allowed(scenario, token, holder, moving.address, 1)
    stranger = wallet("lifecycle-country-stranger", 0).address
    expect_revert(
        scenario.operator, registry.functions.updateCountry(stranger, GB), "wallet not registered"
    )
    expect_revert(
        scenario.operator,
        registry.functions.updateCountry(moving.address, 0),
        "country must be ISO 3166 numeric 1-999",
    )


def test_delete_identity(scenario, token, registry):
    (holder,) = enrol(scenario, "lifecycle-delete-holder", 1, amount=100)
    (leaving,) = enrol(scenario, "lifecycle-delete", 1)
    scenario.operator.transact(registry.functions.deleteIdentity(leaving.address))
    assert registry.functions.identity(leaving.address).call() == [0, 0, 0]
    assert not registry.functions.contains(leaving.address).call()
    assert not registry.functions.isVerified(leaving.address).call()
    assert registry.functions.claimOf(leaving.address, KYC).call() == [ZERO, 0, False]
    expect_restriction(scenario, token, holder, leaving.address, 1, R.RECEIVER_NOT_VERIFIED)
    expect_revert(
        scenario.operator,
        registry.functions.deleteIdentity(leaving.address),
        "wallet not registered",
    )
    # the wallet can be registered afresh, without the old claims
    scenario.operator.transact(registry.functions.registerIdentity(leaving.address, 8, US, []))
    assert registry.functions.claimOf(leaving.address, AML).call() == [ZERO, 0, False]
    expect_restriction(scenario, token, holder, leaving.address, 1, R.RECEIVER_MISSING_CLAIMS)


def test_delete_identity_clears_extra_topic_claims(scenario, registry):
    regulation_s = topic_id("REGULATION_S")
    scenario.operator.transact(
        registry.functions.setTrustedIssuer(scenario.issuer.address, [regulation_s], True)
    )
    (leaving,) = enrol(scenario, "lifecycle-delete-extra", 1, topics=("KYC", "REGULATION_S"))
    assert registry.functions.claimOf(leaving.address, regulation_s).call()[2]
    scenario.operator.transact(registry.functions.deleteIdentity(leaving.address))
    assert registry.functions.claimOf(leaving.address, regulation_s).call() == [ZERO, 0, False]


# ---------------------------------------------------------------- recovery


def test_recovery_moves_balance_frozen_tokens_and_freeze(scenario, token, registry):
    lost, other = enrol(scenario, "lifecycle-recovery", 2, amount=100)
    found = wallet("lifecycle-recovery-found", 0).address
    custodian = scenario.operator
    custodian.transact(token.functions.freezePartialTokens(lost.address, 30))
    custodian.transact(token.functions.setAddressFrozen(lost.address, True))
    identity = registry.functions.identity(lost.address).call()
    holders = token.functions.holderCount().call()
    supply = token.functions.totalSupply().call()
    # the token refuses before the registry has linked the wallets
    expect_revert(
        custodian,
        token.functions.recoveryAddress(lost.address, found, ZERO),
        "registry has no recovery to this wallet",
    )
    custodian.transact(registry.functions.recoverIdentity(lost.address, found))
    assert registry.functions.identity(found).call() == identity
    assert registry.functions.identity(lost.address).call() == [0, 0, 0]
    assert registry.functions.recovered_to(lost.address).call() == found
    assert registry.functions.isVerified(found).call()
    assert registry.functions.claimOf(found, KYC).call()[2]
    # only to the wallet the registry named
    expect_revert(
        custodian,
        token.functions.recoveryAddress(lost.address, other.address, ZERO),
        "registry has no recovery to this wallet",
    )
    custodian.transact(token.functions.recoveryAddress(lost.address, found, other.address))
    assert token.functions.balanceOf(found).call() == 100
    assert token.functions.getFrozenTokens(found).call() == 30
    assert token.functions.isFrozen(found).call()
    assert token.functions.balanceOf(lost.address).call() == 0
    assert token.functions.getFrozenTokens(lost.address).call() == 0
    assert not token.functions.isFrozen(lost.address).call()
    assert token.functions.holderCount().call() == holders
    assert token.functions.totalSupply().call() == supply
    expect_revert(
        custodian,
        token.functions.recoveryAddress(lost.address, found, ZERO),
        "lost wallet holds no tokens",
    )


def test_recovery_moves_extra_topic_claims(scenario, registry):
    regulation_s = topic_id("REGULATION_S")
    scenario.operator.transact(
        registry.functions.setTrustedIssuer(scenario.issuer.address, [regulation_s], True)
    )
    (lost,) = enrol(scenario, "lifecycle-recovery-extra", 1, topics=("KYC", "REGULATION_S"))
    found = wallet("lifecycle-recovery-extra-found", 0).address
    claim = registry.functions.claimOf(lost.address, regulation_s).call()
    scenario.operator.transact(registry.functions.recoverIdentity(lost.address, found))
    assert registry.functions.claimOf(found, regulation_s).call() == claim
    assert registry.functions.claimOf(lost.address, regulation_s).call() == [ZERO, 0, False]


@pytest.mark.parametrize("case", ["unregistered", "taken", "same", "zero"])
def test_recover_identity_refusals(scenario, registry, case):
    lost, taken = enrol(scenario, "lifecycle-recover-refusal", 2)
    stranger = wallet("lifecycle-recover-refusal-stranger", 0).address
    source, target, reason = {
        "unregistered": (stranger, wallet("x", 1).address, "lost wallet not registered"),
        "taken": (lost.address, taken.address, "new wallet already registered"),
        "same": (lost.address, lost.address, "bad new wallet"),
        "zero": (lost.address, ZERO, "bad new wallet"),
    }[case]
    expect_revert(scenario.operator, registry.functions.recoverIdentity(source, target), reason)


def test_recovery_keeps_per_country_holder_counts(scenario, token, registry):
    scenario.operator.transact(token.functions.setCountryHolderCap(US, 10))
    (lost,) = enrol(scenario, "lifecycle-recovery-country", 1, amount=100)
    found = wallet("lifecycle-recovery-country-found", 0).address
    assert token.functions.countryHolders(US).call() == [1, 10]
    scenario.operator.transact(registry.functions.recoverIdentity(lost.address, found))
    scenario.operator.transact(token.functions.recoveryAddress(lost.address, found, ZERO))
    assert token.functions.countryHolders(US).call() == [1, 10]


def test_country_change_keeps_per_country_holder_counts(scenario, token, registry):
    scenario.operator.transact(token.functions.setCountryHolderCap(US, 10))
    (mover,) = enrol(scenario, "lifecycle-country-count", 1, amount=100)
    scenario.operator.transact(registry.functions.updateCountry(mover.address, GB))
    scenario.operator.transact(token.functions.burn(mover.address, 100))
    assert token.functions.holderCount().call() == 0
    assert token.functions.countryHolders(US).call()[0] == 0


# ---------------------------------------------------------------- ERC-20


def test_allowance_and_transfer_from(scenario, token):
    owner, receiver = enrol(scenario, "lifecycle-erc20", 2, amount=100)
    spender = scenario.investor(wallet("lifecycle-erc20-spender", 0))  # needs no identity
    as_owner = scenario.investor(owner)
    as_owner.transact(token.functions.approve(spender.address, 50))
    assert token.functions.allowance(owner.address, spender.address).call() == 50
    spender.transact(token.functions.transferFrom(owner.address, receiver.address, 30))
    assert token.functions.balanceOf(receiver.address).call() == 130
    assert token.functions.balanceOf(owner.address).call() == 70
    assert token.functions.allowance(owner.address, spender.address).call() == 20
    expect_revert(
        spender,
        token.functions.transferFrom(owner.address, receiver.address, 21),
        "allowance exceeded",
    )
    # compliance still applies, and a refused transfer spends no allowance
    stranger = wallet("lifecycle-erc20-stranger", 0).address
    expect_revert(
        spender,
        token.functions.transferFrom(owner.address, stranger, 10),
        R.RECEIVER_NOT_VERIFIED.message,
    )
    assert token.functions.allowance(owner.address, spender.address).call() == 20
    # an unlimited allowance is never used up
    as_owner.transact(token.functions.approve(spender.address, MAX_UINT))
    spender.transact(token.functions.transferFrom(owner.address, receiver.address, 10))
    assert token.functions.allowance(owner.address, spender.address).call() == MAX_UINT
    expect_revert(as_owner, token.functions.approve(ZERO, 1), "zero address")


def test_transfer_reports_success(scenario, token):
    owner, receiver = enrol(scenario, "lifecycle-bool", 2, amount=100)
    transfer = token.functions.transfer(receiver.address, 1)
    assert transfer.call({"from": owner.address}) is True


# ---------------------------------------------------------------- token creation


def test_created_token_starts_paused_with_its_rules_and_roles(scenario):
    supply_agent = wallet("lifecycle-new-token-agent", 0).address
    rules = TokenRules(
        expression="KYC",
        allowed_countries=(US, GB),
        blocked_countries=(JP,),
        max_holders=10,
        max_balance=500,
        holding_period=3600,
        issuance_limit=10_000,
        issuance_period=86_400,
        require_transfer_approval=True,
    )
    spec = TokenSpec("Fresh Fund", "FRF", "fund", decimals=6, rules=rules, grants={supply_agent: 4})
    address = create_token(scenario.operator, scenario.contracts, spec, scenario.operator.address)
    token = scenario.contracts.token(address)
    assert scenario.contracts.factory.functions.is_token(address).call()
    assert token.functions.paused().call()
    assert token.functions.name().call() == "Fresh Fund"
    assert token.functions.symbol().call() == "FRF"
    assert token.functions.decimals().call() == 6
    assert token.functions.asset_type().call() == "fund"
    assert token.functions.roles(scenario.operator.address).call() == TokenRole.ALL
    assert token.functions.roles(supply_agent).call() == TokenRole.SUPPLY
    expected = RuleFlag(0)
    for flag in ("EXPRESSION", "COUNTRY_ALLOW", "COUNTRY_BLOCK", "HOLDER_CAP", "MAX_BALANCE"):
        expected |= RuleFlag[flag]
    for flag in ("ISSUANCE_LIMIT", "HOLDING_PERIOD", "TRANSFER_APPROVAL"):
        expected |= RuleFlag[flag]
    assert RuleFlag(token.functions.ruleFlags().call()) == expected
    assert token.functions.maxHolders().call() == 10
    assert token.functions.max_balance().call() == 500
    assert token.functions.holding_period().call() == 3600
    assert token.functions.issuance_limit().call() == 10_000
    assert token.functions.issuance_period().call() == 86_400
    assert token.functions.isCountryListed(int(RuleFlag.COUNTRY_BLOCK), JP).call()
    assert not token.functions.isCountryListed(int(RuleFlag.COUNTRY_ALLOW), JP).call()


# ---------------------------------------------------------------- snapshots


def state(token, accounts) -> tuple[list[int], int]:
    return [
        token.functions.balanceOf(a).call() for a in accounts
    ], token.functions.totalSupply().call()


def at(token, accounts, t) -> tuple[list[int], int]:
    return (
        [token.functions.balanceOfAt(a, t).call() for a in accounts],
        token.functions.totalSupplyAt(t).call(),
    )


def test_balances_at_snapshot_boundaries(scenario, token):
    w3, operator = scenario.w3, scenario.operator
    alice, bob, carol = enrol(scenario, "lifecycle-snap", 3)
    (dave,) = enrol(scenario, "lifecycle-snap-late", 1)
    accounts = [a.address for a in (alice, bob, carol, dave)]
    start = latest_timestamp(w3)
    t1, t2 = start + 1000, start + 2000
    operator.transact(token.functions.scheduleSnapshots([t1, t2]))
    assert token.functions.isSnapshotBoundary(t1).call()
    assert token.functions.isSnapshotBoundary(t2).call()
    assert token.functions.nextSnapshotBoundary().call() == t1
    view_reverts(token.functions.balanceOfAt(alice.address, t1), "snapshot boundary not reached")

    operator.transact(token.functions.batchMint(accounts[:2], [100, 50]))
    mine_at(w3, t1 - 10)
    scenario.investor(alice).transact(token.functions.transfer(bob.address, 10))
    # a transaction in a block stamped exactly t1 still belongs to the snapshot at t1
    next_block_at(w3, t1)
    scenario.investor(alice).transact(token.functions.transfer(carol.address, 5))
    assert latest_timestamp(w3) == t1
    at_t1 = state(token, accounts)
    assert at_t1 == ([85, 60, 5, 0], 150)

    mine_at(w3, t1 + 1)
    # nothing changed since t1: the answer is today's balance
    assert at(token, accounts, t1) == at_t1
    view_reverts(token.functions.balanceOfAt(alice.address, t2), "snapshot boundary not reached")
    scenario.investor(bob).transact(token.functions.transfer(alice.address, 20))
    operator.transact(token.functions.burn(carol.address, 5))
    operator.transact(token.functions.mint(dave.address, 7))
    assert token.functions.lastSnapshotBoundary().call() == t1
    assert token.functions.nextSnapshotBoundary().call() == t2
    at_t2 = state(token, accounts)
    assert at_t2 == ([105, 40, 0, 7], 152)

    mine_at(w3, t2 + 5)
    scenario.investor(alice).transact(token.functions.transfer(carol.address, 1))
    operator.transact(token.functions.forcedTransfer(dave.address, bob.address, 7))
    operator.transact(token.functions.mint(carol.address, 3))
    assert token.functions.lastSnapshotBoundary().call() == t2
    assert token.functions.nextSnapshotBoundary().call() == 0
    assert state(token, accounts) == ([104, 47, 4, 0], 155)

    assert at(token, accounts, t1) == at_t1
    assert at(token, accounts, t2) == at_t2
    for not_a_boundary in (0, t1 - 1, t1 + 1, t2 - 1, t2 + 5):
        view_reverts(
            token.functions.balanceOfAt(alice.address, not_a_boundary), "not a snapshot boundary"
        )
        view_reverts(token.functions.totalSupplyAt(not_a_boundary), "not a snapshot boundary")


def test_boundaries_scheduled_in_separate_calls_interleave(scenario, token):
    w3, operator = scenario.w3, scenario.operator
    (alice,) = enrol(scenario, "lifecycle-snap-interleave", 1)
    start = latest_timestamp(w3)
    t1, t2, t3 = start + 1000, start + 2000, start + 3000
    operator.transact(token.functions.scheduleSnapshots([t1, t3]))
    operator.transact(token.functions.scheduleSnapshots([t2]))
    # scheduling a boundary again changes nothing
    operator.transact(token.functions.scheduleSnapshots([t1, t3]))
    assert token.functions.nextSnapshotBoundary().call() == t1
    for step, t in enumerate((t1, t2, t3), start=1):
        mine_at(w3, t - 1)
        operator.transact(token.functions.mint(alice.address, step))
    mine_at(w3, t3 + 1)
    operator.transact(token.functions.mint(alice.address, 100))
    assert [token.functions.balanceOfAt(alice.address, t).call() for t in (t1, t2, t3)] == [1, 3, 6]
    assert [token.functions.totalSupplyAt(t).call() for t in (t1, t2, t3)] == [1, 3, 6]


@pytest.mark.parametrize("case", ["past", "descending", "repeated", "empty"])
def test_schedule_refusals(scenario, token, case):
    now = latest_timestamp(scenario.w3)
    times, reason = {
        "past": ([now - 1], "boundary must not be in the past"),
        "descending": ([now + 2000, now + 1000], "boundaries must ascend"),
        "repeated": ([now + 1000, now + 1000], "boundaries must ascend"),
        "empty": ([], "empty batch"),
    }[case]
    expect_revert(scenario.operator, token.functions.scheduleSnapshots(times), reason)
    assert token.functions.nextSnapshotBoundary().call() == 0
