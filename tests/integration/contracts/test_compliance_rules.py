"""Every compliance rule blocks what it must with the right ERC-1404 code, lets through what
it must, and the real transaction reverts with the registry's message for that code.

The session token requires "KYC AND AML", allows US/GB/DE/FR/CH and caps holders at 100,000;
tests change its rules through its governance functions (the operator holds every role)."""

import pytest
from eth_account import Account
from eth_utils import keccak

from rwakit.bench.scenario import wallet
from rwakit.chain.claim_issuer import ClaimIssuer
from rwakit.domain.restrictions import MESSAGES, Restriction
from rwakit.domain.roles import RuleFlag
from rwakit.domain.topics import encode_expression, topic_id
from tests.integration.contracts.harness import (
    GB,
    JP,
    US,
    ZERO,
    advance,
    enrol,
    expect_allowed,
    expect_restriction,
    expect_revert,
    latest_timestamp,
    mine_at,
)

R = Restriction


def govern(scenario, call) -> None:
    scenario.operator.transact(call)


# ---------------------------------------------------------------- codes and messages


def test_every_restriction_message_matches_the_contracts(scenario, token, registry):
    assert [int(code) for code in Restriction] == list(range(21))
    assert set(MESSAGES) == set(Restriction)
    for code in Restriction:
        on_chain = registry.functions.messageForTransferRestriction(code).call()
        assert on_chain == code.message, code.name
        assert token.functions.messageForTransferRestriction(code).call() == code.message
    assert registry.functions.messageForTransferRestriction(21).call() == "unknown restriction"


def test_registry_can_transfer_answers_for_a_token(scenario, token, registry):
    (alice,) = enrol(scenario, "can-transfer", 1, amount=10)
    stranger = wallet("can-transfer-stranger", 0).address
    ask = registry.functions.canTransfer
    assert ask(token.address, alice.address, alice.address, 10).call() == R.SUCCESS
    assert ask(token.address, alice.address, stranger, 10).call() == R.RECEIVER_NOT_VERIFIED
    assert ask(token.address, alice.address, alice.address, 11).call() == (
        R.INSUFFICIENT_UNFROZEN_BALANCE
    )


def test_compliant_mint_and_transfer_go_through(scenario, token):
    alice, bob = enrol(scenario, "ok", 2)
    expect_allowed(scenario, token, None, alice.address, 100)
    expect_allowed(scenario, token, alice, bob.address, 40)
    assert token.functions.balanceOf(alice.address).call() == 60


def test_unregistered_receiver_is_not_verified(scenario, token):
    (alice,) = enrol(scenario, "unreg", 1, amount=100)
    stranger = wallet("unreg-stranger", 0).address
    expect_restriction(scenario, token, None, stranger, 1, R.RECEIVER_NOT_VERIFIED)
    expect_restriction(scenario, token, alice, stranger, 1, R.RECEIVER_NOT_VERIFIED)


def test_zero_receiver_is_a_null_party(scenario, token):
    (alice,) = enrol(scenario, "null", 1, amount=100)
    expect_restriction(scenario, token, alice, ZERO, 1, R.NULL_PARTY)
    expect_restriction(scenario, token, None, ZERO, 1, R.NULL_PARTY)


def test_spending_more_than_the_balance_is_insufficient_unfrozen_balance(scenario, token):
    alice, bob = enrol(scenario, "insufficient", 2, amount=10)
    expect_restriction(scenario, token, alice, bob.address, 11, R.INSUFFICIENT_UNFROZEN_BALANCE)
    expect_allowed(scenario, token, alice, bob.address, 10)


# ---------------------------------------------------------------- identity expression


def test_kyc_and_aml_requires_both_claims(scenario, token):
    (holder,) = enrol(scenario, "expr-holder", 1, amount=100)
    (kyc_only,) = enrol(scenario, "expr-kyc", 1, topics=("KYC",))
    (aml_only,) = enrol(scenario, "expr-aml", 1, topics=("AML",))
    (both,) = enrol(scenario, "expr-both", 1)
    for lacking in (kyc_only, aml_only):
        expect_restriction(scenario, token, None, lacking.address, 5, R.RECEIVER_MISSING_CLAIMS)
        expect_restriction(scenario, token, holder, lacking.address, 5, R.RECEIVER_MISSING_CLAIMS)
    expect_allowed(scenario, token, None, both.address, 5)
    expect_allowed(scenario, token, holder, both.address, 5)


EXPRESSION_CASES = [
    # expression, receiver's claims, allowed?
    ("KYC OR ACCREDITED", ("KYC",), True),
    ("KYC OR ACCREDITED", ("ACCREDITED",), True),
    ("KYC OR ACCREDITED", ("AML",), False),
    ("NOT ACCREDITED", ("KYC",), True),
    ("NOT ACCREDITED", ("ACCREDITED",), False),
    ("KYC AND (ACCREDITED OR NOT AML)", ("KYC", "ACCREDITED", "AML"), True),
    ("KYC AND (ACCREDITED OR NOT AML)", ("KYC",), True),
    ("KYC AND (ACCREDITED OR NOT AML)", ("KYC", "AML"), False),
    ("KYC AND (ACCREDITED OR NOT AML)", ("ACCREDITED",), False),
    ("KYC AND REGULATION_S", ("KYC", "REGULATION_S"), True),
    ("KYC AND REGULATION_S", ("KYC",), False),
    ("KYC AND REGULATION_S", ("REGULATION_S",), False),
    ("NOT REGULATION_S", ("KYC",), True),
    ("NOT REGULATION_S", ("KYC", "REGULATION_S"), False),
    ("ACCREDITED OR REGULATION_S", ("REGULATION_S",), True),
]


def trust_regulation_s(scenario) -> None:
    registry = scenario.contracts.registry
    govern(
        scenario,
        registry.functions.setTrustedIssuer(
            scenario.issuer.address, [topic_id("REGULATION_S")], True
        ),
    )


@pytest.mark.parametrize(("expression", "topics", "allowed"), EXPRESSION_CASES)
def test_identity_expression(scenario, token, expression, topics, allowed):
    trust_regulation_s(scenario)
    govern(scenario, token.functions.setIdentityExpression(encode_expression(expression)))
    extra = RuleFlag.EXTRA_TOPICS in RuleFlag(token.functions.ruleFlags().call())
    assert extra == ("REGULATION_S" in expression)
    (receiver,) = enrol(scenario, "expr-case", 1, topics=topics)
    if allowed:
        expect_allowed(scenario, token, None, receiver.address, 7)
    else:
        expect_restriction(scenario, token, None, receiver.address, 7, R.RECEIVER_MISSING_CLAIMS)


def test_extra_topic_claim_revoked_blocks_again(scenario, token, registry):
    trust_regulation_s(scenario)
    govern(
        scenario, token.functions.setIdentityExpression(encode_expression("KYC AND REGULATION_S"))
    )
    (receiver,) = enrol(scenario, "regs", 1, topics=("KYC", "REGULATION_S"))
    expect_allowed(scenario, token, None, receiver.address, 1)
    govern(scenario, registry.functions.revokeClaim(receiver.address, topic_id("REGULATION_S")))
    expect_restriction(scenario, token, None, receiver.address, 1, R.RECEIVER_MISSING_CLAIMS)


def test_empty_expression_removes_the_rule(scenario, token):
    (unclaimed,) = enrol(scenario, "no-claims", 1, topics=("ACCREDITED",))
    expect_restriction(scenario, token, None, unclaimed.address, 1, R.RECEIVER_MISSING_CLAIMS)
    govern(scenario, token.functions.setIdentityExpression([]))
    assert RuleFlag.EXPRESSION not in RuleFlag(token.functions.ruleFlags().call())
    expect_allowed(scenario, token, None, unclaimed.address, 1)


@pytest.mark.parametrize(
    ("expression", "reason"),
    [
        ([topic_id("NO_SUCH_TOPIC")], "unknown topic"),
        ([topic_id("KYC"), (1).to_bytes(32, "big")], "expression: operator needs two operands"),
        ([(3).to_bytes(32, "big")], "expression: NOT needs an operand"),
        ([topic_id("KYC"), topic_id("AML")], "expression: must leave exactly one value"),
        ([bytes(32)], "expression: empty topic"),
    ],
)
def test_malformed_expression_is_refused(scenario, token, registry, expression, reason):
    before = token.functions.ruleFlags().call()
    expect_revert(scenario.operator, token.functions.setIdentityExpression(expression), reason)
    expect_revert(
        scenario.operator,
        registry.functions.setGlobalExpression(expression),
        reason,
    )
    assert token.functions.ruleFlags().call() == before


# ---------------------------------------------------------------- claim validity


def register_with_expiry(scenario, account, expiry: int, topics=("KYC", "AML")) -> None:
    claims = [scenario.issuer.sign(account.address, topics, expiry)]
    call = scenario.contracts.registry.functions.registerIdentity(account.address, 77, US, claims)
    scenario.operator.transact(call)


def test_expired_claim_no_longer_counts(scenario, token, registry):
    w3 = scenario.w3
    (holder,) = enrol(scenario, "expiry-holder", 1, amount=100)
    receiver = wallet("expiry", 0)
    expiry = latest_timestamp(w3) + 1000
    register_with_expiry(scenario, receiver, expiry)
    mine_at(w3, expiry - 1)
    assert registry.functions.claimOf(receiver.address, topic_id("KYC")).call()[2]
    expect_allowed(scenario, token, holder, receiver.address, 10)
    mine_at(w3, expiry)
    assert registry.functions.claimOf(receiver.address, topic_id("KYC")).call() == [
        scenario.issuer.address,
        expiry,
        False,
    ]
    expect_restriction(scenario, token, holder, receiver.address, 10, R.RECEIVER_MISSING_CLAIMS)
    expect_restriction(scenario, token, None, receiver.address, 10, R.RECEIVER_MISSING_CLAIMS)
    # a sender's claims are not checked: the expired holder may still send to a compliant one
    expect_allowed(scenario, token, receiver, holder.address, 10)
    # renewing the claims restores it
    renewed = [scenario.issuer.sign(receiver.address, ("KYC", "AML"), expiry + 10_000)]
    scenario.operator.transact(registry.functions.batchAddClaims([receiver.address], renewed))
    expect_allowed(scenario, token, holder, receiver.address, 10)


def test_claims_from_an_untrusted_issuer_stop_counting(scenario, token, registry):
    holder, receiver = enrol(scenario, "untrust", 2, amount=100)
    aml = topic_id("AML")
    govern(scenario, registry.functions.setTrustedIssuer(scenario.issuer.address, [aml], False))
    assert not registry.functions.isTrustedIssuer(scenario.issuer.address, aml).call()
    assert not registry.functions.claimOf(receiver.address, aml).call()[2]
    expect_restriction(scenario, token, holder, receiver.address, 1, R.RECEIVER_MISSING_CLAIMS)
    expect_restriction(scenario, token, None, receiver.address, 1, R.RECEIVER_MISSING_CLAIMS)
    govern(scenario, registry.functions.setTrustedIssuer(scenario.issuer.address, [aml], True))
    expect_allowed(scenario, token, holder, receiver.address, 1)


def test_untrusting_one_issuer_leaves_another_issuers_claims_valid(scenario, token, registry):
    other = ClaimIssuer(
        keccak(text="rwakit:second-issuer"), scenario.w3.eth.chain_id, registry.address
    )
    topics = [topic_id("KYC"), topic_id("AML")]
    govern(scenario, registry.functions.setTrustedIssuer(other.address, topics, True))
    receiver = wallet("second-issuer", 0)
    claims = [other.sign(receiver.address, ("KYC", "AML"), latest_timestamp(scenario.w3) + 10**6)]
    govern(scenario, registry.functions.registerIdentity(receiver.address, 5, US, claims))
    govern(scenario, registry.functions.setTrustedIssuer(scenario.issuer.address, topics, False))
    expect_allowed(scenario, token, None, receiver.address, 1)
    govern(scenario, registry.functions.setTrustedIssuer(other.address, [topics[0]], False))
    expect_restriction(scenario, token, None, receiver.address, 1, R.RECEIVER_MISSING_CLAIMS)


@pytest.mark.parametrize("by_issuer", [False, True], ids=["by-registrar", "by-issuer"])
def test_revoked_claim_no_longer_counts(scenario, token, registry, by_issuer):
    holder, receiver = enrol(scenario, "revoke", 2, amount=100)
    revoker = scenario.operator
    if by_issuer:
        revoker = scenario.investor(Account.from_key(scenario.issuer.private_key))
    revoker.transact(registry.functions.revokeClaim(receiver.address, topic_id("KYC")))
    assert registry.functions.claimOf(receiver.address, topic_id("KYC")).call() == [ZERO, 0, False]
    expect_restriction(scenario, token, holder, receiver.address, 1, R.RECEIVER_MISSING_CLAIMS)
    expect_revert(
        scenario.operator,
        registry.functions.revokeClaim(receiver.address, topic_id("KYC")),
        "no such claim",
    )


# ---------------------------------------------------------------- countries


def test_country_allow_list(scenario, token):
    (holder,) = enrol(scenario, "allow-holder", 1, amount=100)
    (british,) = enrol(scenario, "allow-gb", 1, country=GB)
    (japanese,) = enrol(scenario, "allow-jp", 1, country=JP)
    expect_restriction(scenario, token, None, japanese.address, 1, R.COUNTRY_NOT_ALLOWED)
    expect_restriction(scenario, token, holder, japanese.address, 1, R.COUNTRY_NOT_ALLOWED)
    expect_allowed(scenario, token, holder, british.address, 1)
    govern(scenario, token.functions.setCountryRule(int(RuleFlag.COUNTRY_ALLOW), [JP], True))
    assert token.functions.isCountryListed(int(RuleFlag.COUNTRY_ALLOW), JP).call()
    expect_allowed(scenario, token, holder, japanese.address, 1)
    govern(scenario, token.functions.setCountryRule(int(RuleFlag.COUNTRY_ALLOW), [GB], False))
    expect_restriction(scenario, token, holder, british.address, 1, R.COUNTRY_NOT_ALLOWED)


def test_removing_every_allowed_country_turns_the_allow_list_off(scenario, token):
    (japanese,) = enrol(scenario, "allow-off", 1, country=JP)
    every = [840, 826, 276, 250, 756]
    govern(scenario, token.functions.setCountryRule(int(RuleFlag.COUNTRY_ALLOW), every, False))
    assert RuleFlag.COUNTRY_ALLOW not in RuleFlag(token.functions.ruleFlags().call())
    expect_allowed(scenario, token, None, japanese.address, 1)


def test_country_block_list(scenario, token):
    (holder,) = enrol(scenario, "block-holder", 1, amount=100)
    (british,) = enrol(scenario, "block-gb", 1, country=GB)
    govern(scenario, token.functions.setCountryRule(int(RuleFlag.COUNTRY_BLOCK), [GB], True))
    expect_restriction(scenario, token, None, british.address, 1, R.COUNTRY_BLOCKED)
    expect_restriction(scenario, token, holder, british.address, 1, R.COUNTRY_BLOCKED)
    (american,) = enrol(scenario, "block-us", 1)
    expect_allowed(scenario, token, holder, american.address, 1)
    govern(scenario, token.functions.setCountryRule(int(RuleFlag.COUNTRY_BLOCK), [GB], False))
    assert RuleFlag.COUNTRY_BLOCK not in RuleFlag(token.functions.ruleFlags().call())
    expect_allowed(scenario, token, holder, british.address, 1)


def test_unknown_country_rule_is_refused(scenario, token):
    expect_revert(
        scenario.operator,
        token.functions.setCountryRule(int(RuleFlag.HOLDER_CAP), [US], True),
        "unknown country rule",
    )


# ---------------------------------------------------------------- holder caps and balances


def test_max_holders(scenario, token):
    alice, bob = enrol(scenario, "cap", 2, amount=100)
    carol, dave = enrol(scenario, "cap-new", 2)
    govern(scenario, token.functions.setMaxHolders(2))
    assert token.functions.maxHolders().call() == 2
    expect_restriction(scenario, token, None, carol.address, 1, R.HOLDER_LIMIT_REACHED)
    expect_restriction(scenario, token, alice, carol.address, 99, R.HOLDER_LIMIT_REACHED)
    # existing holders still receive, by mint and by transfer
    expect_allowed(scenario, token, None, alice.address, 1)
    expect_allowed(scenario, token, bob, alice.address, 1)
    # handing the whole balance to a new holder keeps the count: allowed at the cap
    expect_allowed(scenario, token, alice, carol.address, 102)
    assert token.functions.holderCount().call() == 2
    assert token.functions.balanceOf(alice.address).call() == 0
    expect_restriction(scenario, token, bob, dave.address, 1, R.HOLDER_LIMIT_REACHED)
    expect_revert(
        scenario.operator, token.functions.setMaxHolders(1), "cap below current holder count"
    )


def test_country_holder_cap(scenario, token, registry):
    govern(scenario, token.functions.setCountryHolderCap(US, 2))
    assert RuleFlag.COUNTRY_HOLDER_CAP in RuleFlag(token.functions.ruleFlags().call())
    first, second, third = enrol(scenario, "country-cap-us", 3)
    (british,) = enrol(scenario, "country-cap-gb", 1)
    scenario.operator.transact(registry.functions.updateCountry(british.address, GB))
    expect_allowed(scenario, token, None, first.address, 100)
    expect_allowed(scenario, token, None, second.address, 100)
    assert token.functions.countryHolders(US).call() == [2, 2]
    expect_restriction(scenario, token, None, third.address, 1, R.COUNTRY_HOLDER_LIMIT_REACHED)
    expect_restriction(scenario, token, first, third.address, 1, R.COUNTRY_HOLDER_LIMIT_REACHED)
    # other countries are not capped; existing US holders still receive
    expect_allowed(scenario, token, first, british.address, 10)
    expect_allowed(scenario, token, first, second.address, 10)
    assert token.functions.countryHolders(GB).call() == [1, 0]
    # a US holder leaving frees a place
    scenario.operator.transact(token.functions.burn(second.address, 110))
    assert token.functions.countryHolders(US).call() == [1, 2]
    expect_allowed(scenario, token, first, third.address, 1)


def test_country_holder_cap_allows_whole_balance_to_a_new_holder_of_the_same_country(
    scenario, token
):
    govern(scenario, token.functions.setCountryHolderCap(US, 1))
    leaving, joining = enrol(scenario, "country-cap-swap", 2)
    scenario.operator.transact(token.functions.mint(leaving.address, 100))
    expect_allowed(scenario, token, leaving, joining.address, 100)
    assert token.functions.countryHolders(US).call() == [1, 1]


def test_country_holder_cap_counts_a_handover_from_another_country_as_a_newcomer(
    scenario, token, registry
):
    govern(scenario, token.functions.setCountryHolderCap(US, 1))
    (american, british, joining) = enrol(scenario, "country-cap-cross", 3)
    scenario.operator.transact(registry.functions.updateCountry(british.address, GB))
    scenario.operator.transact(
        token.functions.batchMint([american.address, british.address], [5, 5])
    )
    # the British holder leaving frees no American place
    expect_restriction(scenario, token, british, joining.address, 5, R.COUNTRY_HOLDER_LIMIT_REACHED)
    assert token.functions.countryHolders(US).call() == [1, 1]


def test_country_holder_cap_must_be_set_before_the_first_holder(scenario, token):
    enrol(scenario, "country-cap-late", 1, amount=1)
    expect_revert(
        scenario.operator,
        token.functions.setCountryHolderCap(US, 5),
        "country caps must be set before the first holder",
    )
    expect_revert(
        scenario.operator,
        token.functions.setCountryHolderCap(0, 5),
        "country must be ISO 3166 numeric 1-999",
    )


def test_max_balance(scenario, token):
    alice, bob = enrol(scenario, "max-balance", 2, amount=100)
    govern(scenario, token.functions.setMaxBalance(150))
    assert token.functions.max_balance().call() == 150
    expect_restriction(scenario, token, None, alice.address, 51, R.BALANCE_LIMIT_EXCEEDED)
    expect_restriction(scenario, token, bob, alice.address, 51, R.BALANCE_LIMIT_EXCEEDED)
    expect_allowed(scenario, token, bob, alice.address, 50)
    assert token.functions.balanceOf(alice.address).call() == 150
    expect_restriction(scenario, token, None, alice.address, 1, R.BALANCE_LIMIT_EXCEEDED)
    govern(scenario, token.functions.setMaxBalance(0))
    expect_allowed(scenario, token, None, alice.address, 1)


# ---------------------------------------------------------------- issuance limits


def test_lifetime_issuance_limit(scenario, token):
    alice, bob = enrol(scenario, "issuance", 2)
    govern(scenario, token.functions.setIssuanceLimit(1000, 0))
    # a batch that crosses the limit in its second item fails as a whole
    expect_revert(
        scenario.operator,
        token.functions.batchMint([alice.address, bob.address], [600, 401]),
        R.ISSUANCE_LIMIT_EXCEEDED.message,
    )
    expect_allowed(scenario, token, None, alice.address, 600)
    expect_restriction(scenario, token, None, bob.address, 401, R.ISSUANCE_LIMIT_EXCEEDED)
    expect_allowed(scenario, token, None, bob.address, 400)
    assert token.functions.issued_in_window().call() == 1000
    # burning does not give issuance back; transfers are not issuance
    scenario.operator.transact(token.functions.burn(alice.address, 100))
    expect_restriction(scenario, token, None, alice.address, 1, R.ISSUANCE_LIMIT_EXCEEDED)
    expect_allowed(scenario, token, alice, bob.address, 100)
    # far in the future a lifetime limit still holds
    advance(scenario.w3, 300 * 24 * 3600)
    expect_restriction(scenario, token, None, alice.address, 1, R.ISSUANCE_LIMIT_EXCEEDED)


def test_changing_a_lifetime_issuance_limit_keeps_what_was_issued(scenario, token):
    (alice,) = enrol(scenario, "issuance-raise", 1)
    govern(scenario, token.functions.setIssuanceLimit(1000, 0))
    scenario.operator.transact(token.functions.mint(alice.address, 1000))
    govern(scenario, token.functions.setIssuanceLimit(1500, 0))
    expect_restriction(scenario, token, None, alice.address, 501, R.ISSUANCE_LIMIT_EXCEEDED)


def test_issuance_limit_per_period(scenario, token):
    w3 = scenario.w3
    day = 24 * 3600
    (alice,) = enrol(scenario, "issuance-period", 1)
    govern(scenario, token.functions.setIssuanceLimit(1000, day))
    expect_allowed(scenario, token, None, alice.address, 1000)
    first_mint = latest_timestamp(w3)
    expect_restriction(scenario, token, None, alice.address, 1, R.ISSUANCE_LIMIT_EXCEEDED)
    mine_at(w3, first_mint + day // 2)
    expect_restriction(scenario, token, None, alice.address, 1, R.ISSUANCE_LIMIT_EXCEEDED)
    mine_at(w3, first_mint + day + 1)
    # a new window: the full limit again, and no more
    expect_restriction(scenario, token, None, alice.address, 1001, R.ISSUANCE_LIMIT_EXCEEDED)
    expect_allowed(scenario, token, None, alice.address, 1000)
    expect_restriction(scenario, token, None, alice.address, 1, R.ISSUANCE_LIMIT_EXCEEDED)


# ---------------------------------------------------------------- holding period and approvals


def test_holding_period(scenario, token):
    w3 = scenario.w3
    period = 7 * 24 * 3600
    alice, bob = enrol(scenario, "holding", 2)
    govern(scenario, token.functions.setHoldingPeriod(period))
    expect_allowed(scenario, token, None, alice.address, 100)
    minted_at = latest_timestamp(w3)
    assert token.functions.locked_until(alice.address).call() == minted_at + period
    expect_restriction(scenario, token, alice, bob.address, 10, R.HOLDING_PERIOD_ACTIVE)
    mine_at(w3, minted_at + period - 1)
    expect_restriction(scenario, token, alice, bob.address, 10, R.HOLDING_PERIOD_ACTIVE)
    mine_at(w3, minted_at + period)
    expect_allowed(scenario, token, alice, bob.address, 10)
    # receiving locked bob's sending from his receipt on
    received_at = latest_timestamp(w3)
    assert token.functions.locked_until(bob.address).call() == received_at + period
    expect_restriction(scenario, token, bob, alice.address, 10, R.HOLDING_PERIOD_ACTIVE)
    # receiving never needs the receiver's own lock to be over
    expect_allowed(scenario, token, alice, bob.address, 10)
    govern(scenario, token.functions.setHoldingPeriod(0))
    expect_allowed(scenario, token, bob, alice.address, 10)


def test_transfer_approval_is_one_time(scenario, token):
    alice, bob = enrol(scenario, "approval", 2, amount=100)
    custodian = scenario.operator
    govern(scenario, token.functions.setTransferApprovalRequired(True))
    expect_restriction(scenario, token, alice, bob.address, 10, R.TRANSFER_NOT_APPROVED)
    custodian.transact(token.functions.approveTransfer(alice.address, bob.address, 10))
    assert token.functions.transferApprovals(alice.address, bob.address, 10).call() == 1
    # the approval is for that exact sender, receiver and amount
    expect_restriction(scenario, token, alice, bob.address, 9, R.TRANSFER_NOT_APPROVED)
    expect_restriction(scenario, token, bob, alice.address, 10, R.TRANSFER_NOT_APPROVED)
    expect_allowed(scenario, token, alice, bob.address, 10)
    assert token.functions.transferApprovals(alice.address, bob.address, 10).call() == 0
    expect_restriction(scenario, token, alice, bob.address, 10, R.TRANSFER_NOT_APPROVED)
    # revoking takes an approval back; minting needs none
    custodian.transact(token.functions.approveTransfer(alice.address, bob.address, 10))
    custodian.transact(token.functions.revokeTransferApproval(alice.address, bob.address, 10))
    expect_restriction(scenario, token, alice, bob.address, 10, R.TRANSFER_NOT_APPROVED)
    expect_revert(
        custodian,
        token.functions.revokeTransferApproval(alice.address, bob.address, 10),
        "no such approval",
    )
    expect_allowed(scenario, token, None, bob.address, 10)


def test_two_approvals_allow_two_identical_transfers_in_one_batch(scenario, token):
    alice, bob = enrol(scenario, "approval-batch", 2, amount=100)
    govern(scenario, token.functions.setTransferApprovalRequired(True))
    call = token.functions.batchTransfer([bob.address, bob.address], [10, 10])
    scenario.operator.transact(token.functions.approveTransfer(alice.address, bob.address, 10))
    expect_revert(scenario.investor(alice), call, R.TRANSFER_NOT_APPROVED.message)
    scenario.operator.transact(token.functions.approveTransfer(alice.address, bob.address, 10))
    scenario.investor(alice).transact(call)
    assert token.functions.balanceOf(bob.address).call() == 120


# ---------------------------------------------------------------- address lists


def test_token_block_list(scenario, token):
    alice, bob = enrol(scenario, "blocked", 2, amount=100)
    govern(scenario, token.functions.setAddressBlocked(bob.address, True))
    assert token.functions.isBlocked(bob.address).call()
    expect_restriction(scenario, token, alice, bob.address, 1, R.RECEIVER_BLOCKED)
    expect_restriction(scenario, token, None, bob.address, 1, R.RECEIVER_BLOCKED)
    expect_restriction(scenario, token, bob, alice.address, 1, R.SENDER_BLOCKED)
    govern(scenario, token.functions.setAddressBlocked(bob.address, False))
    expect_allowed(scenario, token, bob, alice.address, 1)
    expect_allowed(scenario, token, alice, bob.address, 1)


def test_frozen_address_neither_sends_nor_receives(scenario, token):
    alice, bob = enrol(scenario, "frozen", 2, amount=100)
    scenario.operator.transact(token.functions.setAddressFrozen(bob.address, True))
    assert token.functions.isFrozen(bob.address).call()
    expect_restriction(scenario, token, bob, alice.address, 1, R.SENDER_FROZEN)
    expect_restriction(scenario, token, alice, bob.address, 1, R.RECEIVER_FROZEN)
    expect_restriction(scenario, token, None, bob.address, 1, R.RECEIVER_FROZEN)
    scenario.operator.transact(token.functions.setAddressFrozen(bob.address, False))
    expect_allowed(scenario, token, bob, alice.address, 1)
    expect_allowed(scenario, token, alice, bob.address, 1)


def test_partially_frozen_tokens_are_not_spendable(scenario, token):
    alice, bob = enrol(scenario, "partial", 2, amount=100)
    custodian = scenario.operator
    custodian.transact(token.functions.freezePartialTokens(alice.address, 60))
    assert token.functions.getFrozenTokens(alice.address).call() == 60
    expect_restriction(scenario, token, alice, bob.address, 41, R.INSUFFICIENT_UNFROZEN_BALANCE)
    expect_allowed(scenario, token, alice, bob.address, 40)
    expect_restriction(scenario, token, alice, bob.address, 1, R.INSUFFICIENT_UNFROZEN_BALANCE)
    expect_revert(
        custodian, token.functions.freezePartialTokens(alice.address, 1), "freeze exceeds balance"
    )
    expect_revert(
        custodian,
        token.functions.unfreezePartialTokens(alice.address, 61),
        "unfreeze exceeds frozen tokens",
    )
    custodian.transact(token.functions.unfreezePartialTokens(alice.address, 10))
    expect_allowed(scenario, token, alice, bob.address, 10)


def test_forced_transfer_and_burn_unfreeze_what_they_take(scenario, token):
    alice, bob = enrol(scenario, "partial-forced", 2, amount=100)
    custodian = scenario.operator
    custodian.transact(token.functions.freezePartialTokens(alice.address, 60))
    # 40 free: a forced transfer of 70 takes 30 frozen tokens and unfreezes them
    custodian.transact(token.functions.forcedTransfer(alice.address, bob.address, 70))
    assert token.functions.balanceOf(alice.address).call() == 30
    assert token.functions.getFrozenTokens(alice.address).call() == 30
    custodian.transact(token.functions.burn(alice.address, 20))
    assert token.functions.balanceOf(alice.address).call() == 10
    assert token.functions.getFrozenTokens(alice.address).call() == 10
    expect_restriction(scenario, token, alice, bob.address, 1, R.INSUFFICIENT_UNFROZEN_BALANCE)
    # a burn of free tokens leaves the frozen ones frozen
    scenario.operator.transact(token.functions.mint(alice.address, 5))
    custodian.transact(token.functions.burn(alice.address, 5))
    assert token.functions.getFrozenTokens(alice.address).call() == 10


# ---------------------------------------------------------------- platform-wide rules


def test_global_expression(scenario, token, registry):
    (holder,) = enrol(
        scenario, "global-expr-holder", 1, amount=100, topics=("KYC", "AML", "ACCREDITED")
    )
    (plain,) = enrol(scenario, "global-expr-plain", 1)
    govern(scenario, registry.functions.setGlobalExpression(encode_expression("ACCREDITED")))
    assert not registry.functions.isVerified(plain.address).call()
    assert registry.functions.isVerified(holder.address).call()
    expect_restriction(scenario, token, None, plain.address, 1, R.GLOBAL_CLAIMS_MISSING)
    expect_restriction(scenario, token, holder, plain.address, 1, R.GLOBAL_CLAIMS_MISSING)
    expect_allowed(scenario, token, plain, holder.address, 0)
    govern(scenario, registry.functions.setGlobalExpression([]))
    assert registry.functions.isVerified(plain.address).call()
    expect_allowed(scenario, token, holder, plain.address, 1)


def test_global_expression_with_an_extra_topic(scenario, token, registry):
    trust_regulation_s(scenario)
    (plain,) = enrol(scenario, "global-regs-plain", 1)
    (offshore,) = enrol(scenario, "global-regs", 1, topics=("KYC", "AML", "REGULATION_S"))
    govern(scenario, registry.functions.setGlobalExpression(encode_expression("REGULATION_S")))
    expect_restriction(scenario, token, None, plain.address, 1, R.GLOBAL_CLAIMS_MISSING)
    expect_allowed(scenario, token, None, offshore.address, 1)


def test_global_country_block(scenario, token, registry):
    (holder,) = enrol(scenario, "global-country-holder", 1, amount=100)
    (british,) = enrol(scenario, "global-country-gb", 1, country=GB)
    govern(scenario, registry.functions.setGlobalCountryBlocked([GB], True))
    assert registry.functions.isGloballyBlockedCountry(GB).call()
    assert not registry.functions.isVerified(british.address).call()
    expect_restriction(scenario, token, None, british.address, 1, R.GLOBAL_COUNTRY_BLOCKED)
    expect_restriction(scenario, token, holder, british.address, 1, R.GLOBAL_COUNTRY_BLOCKED)
    govern(scenario, registry.functions.setGlobalCountryBlocked([GB], False))
    expect_allowed(scenario, token, holder, british.address, 1)


def test_suspended_wallet_neither_sends_nor_receives(scenario, token, registry):
    alice, bob = enrol(scenario, "suspended", 2, amount=100)
    scenario.operator.transact(registry.functions.setSuspended(bob.address, True))
    assert registry.functions.identity(bob.address).call()[2] == 2
    assert not registry.functions.isVerified(bob.address).call()
    expect_restriction(scenario, token, alice, bob.address, 1, R.RECEIVER_SUSPENDED)
    expect_restriction(scenario, token, None, bob.address, 1, R.RECEIVER_SUSPENDED)
    expect_restriction(scenario, token, bob, alice.address, 1, R.SENDER_BLOCKED)
    # not even to a bypassed platform contract
    vault = wallet("suspended-vault", 0).address
    govern(scenario, registry.functions.setBypass(vault, True))
    expect_restriction(scenario, token, bob, vault, 1, R.SENDER_BLOCKED)
    scenario.operator.transact(registry.functions.setSuspended(bob.address, False))
    assert registry.functions.identity(bob.address).call()[2] == 1
    expect_allowed(scenario, token, bob, alice.address, 1)
    expect_allowed(scenario, token, alice, bob.address, 1)
    expect_revert(
        scenario.operator,
        registry.functions.setSuspended(bob.address, False),
        "wallet not suspended",
    )


def test_bypass_receiver_skips_token_rules_and_needs_no_identity(scenario, token, registry):
    alice, bob = enrol(scenario, "bypass", 2)
    vault = wallet("bypass-vault", 0)
    govern(scenario, token.functions.setHoldingPeriod(30 * 24 * 3600))
    govern(scenario, token.functions.setTransferApprovalRequired(True))
    govern(scenario, token.functions.setMaxBalance(1000))
    expect_allowed(scenario, token, None, alice.address, 100)
    expect_allowed(scenario, token, None, bob.address, 100)
    govern(scenario, token.functions.setMaxHolders(2))
    expect_restriction(scenario, token, alice, vault.address, 10, R.RECEIVER_NOT_VERIFIED)
    govern(scenario, registry.functions.setBypass(vault.address, True))
    assert registry.functions.identity(vault.address).call() == [0, 0, 3]
    assert registry.functions.isVerified(vault.address).call()
    # holding period, approval, holder cap and balance cap all skipped for the vault
    expect_allowed(scenario, token, alice, vault.address, 10)
    expect_allowed(scenario, token, None, vault.address, 5000)
    assert token.functions.holderCount().call() == 3
    # the vault is a bypassed sender too: no approval or lock for what it sends out
    expect_allowed(scenario, token, vault, bob.address, 10)
    # the token's own freeze and block lists still apply to it
    scenario.operator.transact(token.functions.setAddressFrozen(vault.address, True))
    expect_restriction(scenario, token, alice, vault.address, 1, R.RECEIVER_FROZEN)
    govern(scenario, registry.functions.setBypass(vault.address, False))
    scenario.operator.transact(token.functions.setAddressFrozen(vault.address, False))
    expect_restriction(scenario, token, None, vault.address, 1, R.RECEIVER_NOT_VERIFIED)


def test_paused_token_blocks_transfers_but_not_issuance(scenario, token):
    alice, bob = enrol(scenario, "paused", 2, amount=100)
    scenario.operator.transact(token.functions.pause())
    assert token.functions.paused().call()
    expect_restriction(scenario, token, alice, bob.address, 1, R.PAUSED)
    expect_allowed(scenario, token, None, bob.address, 1)
    expect_revert(scenario.operator, token.functions.pause(), "already paused")
    scenario.operator.transact(token.functions.unpause())
    expect_allowed(scenario, token, alice, bob.address, 1)
    expect_revert(scenario.operator, token.functions.unpause(), "not paused")


# ---------------------------------------------------------------- forced transfers


def test_forced_transfer_skips_token_rules(scenario, token):
    custodian = scenario.operator
    (alice,) = enrol(scenario, "forced", 1, amount=100)
    (japanese,) = enrol(scenario, "forced-jp", 1, country=JP, topics=("KYC",))
    custodian.transact(token.functions.pause())
    custodian.transact(token.functions.setAddressFrozen(alice.address, True))
    govern(scenario, token.functions.setMaxHolders(1))
    govern(scenario, token.functions.setTransferApprovalRequired(True))
    govern(scenario, token.functions.setHoldingPeriod(3600))
    custodian.transact(token.functions.forcedTransfer(alice.address, japanese.address, 30))
    assert token.functions.balanceOf(japanese.address).call() == 30
    assert token.functions.holderCount().call() == 2
    # what a forced transfer delivers is locked like anything received
    locked = token.functions.locked_until(japanese.address).call()
    assert locked == latest_timestamp(scenario.w3) + 3600


@pytest.mark.parametrize(
    "receiver_state",
    ["unregistered", "suspended", "globally-blocked-country", "global-claims-missing", "zero"],
)
def test_forced_transfer_still_needs_a_verified_receiver(scenario, token, registry, receiver_state):
    custodian = scenario.operator
    (alice,) = enrol(scenario, "forced-verify", 1, amount=100)
    receiver = wallet("forced-verify-receiver", 0).address
    expected = {
        "unregistered": R.RECEIVER_NOT_VERIFIED.message,
        "suspended": R.RECEIVER_SUSPENDED.message,
        "globally-blocked-country": R.GLOBAL_COUNTRY_BLOCKED.message,
        "global-claims-missing": R.GLOBAL_CLAIMS_MISSING.message,
        "zero": "zero address",
    }[receiver_state]
    if receiver_state == "zero":
        receiver = ZERO
    elif receiver_state != "unregistered":
        scenario.operator.transact(scenario.register_call(receiver, GB))
        if receiver_state == "suspended":
            scenario.operator.transact(registry.functions.setSuspended(receiver, True))
        elif receiver_state == "globally-blocked-country":
            govern(scenario, registry.functions.setGlobalCountryBlocked([GB], True))
        else:
            govern(
                scenario, registry.functions.setGlobalExpression(encode_expression("ACCREDITED"))
            )
    expect_revert(custodian, token.functions.forcedTransfer(alice.address, receiver, 10), expected)
    assert token.functions.balanceOf(alice.address).call() == 100
