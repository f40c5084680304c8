"""Batch functions: length mismatch, empty batch, zero address and bound exceeded each
revert clearly; a bad item anywhere reverts the whole batch, nothing half-applied; and
signed transfer authorizations refuse wrong signers, replays, expired deadlines and
malleable signatures."""

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from eth_account.signers.local import LocalAccount
from eth_keys import keys
from web3.contract import Contract
from web3.contract.contract import ContractFunction

from rwakit.bench.scenario import Scenario, wallet
from rwakit.chain.authorizations import sign_authorization
from rwakit.chain.transactor import TransactionFailed
from rwakit.chain.typed_signatures import authorization_digest, domain_separator
from rwakit.domain.restrictions import Restriction
from rwakit.domain.topics import topic_id
from tests.integration.contracts.harness import (
    ZERO,
    checkpoint,
    expect_revert,
    latest_timestamp,
    ledger,
    mine_at,
    mine_reverting,
)

TOKEN_BOUND = 256
REGISTRY_BOUND = 100
SECP256K1_N = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141
HOLDINGS = 1000
FROZEN = 100
NOT_VERIFIED = Restriction.RECEIVER_NOT_VERIFIED.message
BAD_SIGNATURE = "invalid authorization signature"


@dataclass(frozen=True)
class Crowd:
    """Module-wide set-up: TOKEN_BOUND registered wallets; the first four hold HOLDINGS
    tokens each, FROZEN of them partially frozen."""

    token: Contract
    registry: Contract
    wallets: list[LocalAccount]
    stranger: str  # never registered

    @property
    def addresses(self) -> list[str]:
        return [w.address for w in self.wallets]

    @property
    def holders(self) -> list[LocalAccount]:
        return self.wallets[:4]

    @property
    def receivers(self) -> list[str]:
        """Registered wallets holding nothing."""
        return self.addresses[4:]

    def watched(self) -> list[str]:
        return [*self.addresses[:8], self.stranger]


@pytest.fixture(scope="module")
def crowd(deployed: Scenario, w3, token: Contract, registry: Contract) -> Iterator[Crowd]:
    with checkpoint(w3):
        wallets = [wallet("batches", i) for i in range(TOKEN_BOUND)]
        deployed.register_many([w.address for w in wallets])
        holders = [w.address for w in wallets[:4]]
        deployed.operator.transact(token.functions.batchMint(holders, [HOLDINGS] * 4))
        deployed.operator.transact(token.functions.batchFreezePartialTokens(holders, [FROZEN] * 4))
        yield Crowd(token, registry, wallets, wallet("batches-stranger", 0).address)


def authorize(token: Contract, owner: LocalAccount, receiver: str, amount: int, **kw) -> tuple:
    """The owner's signed authorization; nonce, deadline, signing key and domain default to
    the owner's current nonce, an hour from now, the owner's key and the token's domain."""
    nonce = kw["nonce"] if "nonce" in kw else token.functions.nonces(owner.address).call()
    deadline = kw.get("deadline") or latest_timestamp(token.w3) + 3600
    domain = kw.get("domain") or token.functions.domainSeparator().call()
    key = kw.get("key", owner.key)
    return sign_authorization(key, domain, owner.address, receiver, amount, nonce, deadline)


def claim_sets(s: Scenario, addresses: list[str]) -> list[tuple]:
    expiry = latest_timestamp(s.w3) + 10**6
    return [s.issuer.sign(a, ("KYC", "AML"), expiry) for a in addresses]


def new_identities(s: Scenario, addresses: list[str], with_claims: bool = True) -> tuple:
    ids = list(range(5000, 5000 + len(addresses)))
    claims = claim_sets(s, addresses) if with_claims else []
    return list(addresses), ids, [840] * len(addresses), claims


# ---------------------------------------------------------------- one table per failure mode

Call = Callable[[Scenario, Crowd], ContractFunction]


def t(c: Crowd):
    return c.token.functions


def r(c: Crowd):
    return c.registry.functions


def h(c: Crowd, i: int) -> str:
    return c.holders[i].address


MISMATCHED: dict[str, Call] = {
    "batchTransfer": lambda s, c: t(c).batchTransfer(c.receivers[:2], [1]),
    "batchMint": lambda s, c: t(c).batchMint(c.receivers[:2], [1]),
    "batchBurn": lambda s, c: t(c).batchBurn([h(c, 0), h(c, 1)], [1]),
    "batchForcedTransfer-receivers": lambda s, c: t(c).batchForcedTransfer(
        [h(c, 0), h(c, 1)], c.receivers[:1], [1, 1]
    ),
    "batchForcedTransfer-amounts": lambda s, c: t(c).batchForcedTransfer(
        [h(c, 0), h(c, 1)], c.receivers[:2], [1]
    ),
    "batchSetAddressFrozen": lambda s, c: t(c).batchSetAddressFrozen(c.receivers[:2], [True]),
    "batchFreezePartialTokens": lambda s, c: t(c).batchFreezePartialTokens([h(c, 0), h(c, 1)], [1]),
    "batchUnfreezePartialTokens": lambda s, c: t(c).batchUnfreezePartialTokens(
        [h(c, 0), h(c, 1)], [1]
    ),
    "batchRegisterIdentity-ids": lambda s, c: r(c).batchRegisterIdentity(
        [c.stranger, wallet("batches-x", 0).address], [1], [840, 840], []
    ),
    "batchRegisterIdentity-countries": lambda s, c: r(c).batchRegisterIdentity(
        [c.stranger], [1], [], []
    ),
    "batchRegisterIdentity-claims": lambda s, c: r(c).batchRegisterIdentity(
        [c.stranger, wallet("batches-x", 0).address],
        [1, 2],
        [840, 840],
        claim_sets(s, [c.stranger]),
    ),
    "batchAddClaims": lambda s, c: r(c).batchAddClaims(
        c.receivers[:2], claim_sets(s, c.receivers[:1])
    ),
}

EMPTY: dict[str, Call] = {
    "batchTransfer": lambda s, c: t(c).batchTransfer([], []),
    "batchMint": lambda s, c: t(c).batchMint([], []),
    "batchBurn": lambda s, c: t(c).batchBurn([], []),
    "batchForcedTransfer": lambda s, c: t(c).batchForcedTransfer([], [], []),
    "batchSetAddressFrozen": lambda s, c: t(c).batchSetAddressFrozen([], []),
    "batchFreezePartialTokens": lambda s, c: t(c).batchFreezePartialTokens([], []),
    "batchUnfreezePartialTokens": lambda s, c: t(c).batchUnfreezePartialTokens([], []),
    "batchTransferWithAuthorization": lambda s, c: t(c).batchTransferWithAuthorization([]),
    "batchRegisterIdentity": lambda s, c: r(c).batchRegisterIdentity([], [], [], []),
    "batchAddClaims": lambda s, c: r(c).batchAddClaims([], []),
}

# a zero address as the second item; only where an address names a party that could be zero
ZERO_ITEM: dict[str, Call] = {
    "batchTransfer": lambda s, c: t(c).batchTransfer([c.receivers[0], ZERO], [1, 1]),
    "batchMint": lambda s, c: t(c).batchMint([c.receivers[0], ZERO], [1, 1]),
    "batchForcedTransfer": lambda s, c: t(c).batchForcedTransfer(
        [h(c, 0), h(c, 0)], [c.receivers[0], ZERO], [1, 1]
    ),
    "batchSetAddressFrozen": lambda s, c: t(c).batchSetAddressFrozen(
        [c.receivers[0], ZERO], [True, True]
    ),
    "batchFreezePartialTokens": lambda s, c: t(c).batchFreezePartialTokens([h(c, 0), ZERO], [1, 0]),
    "batchTransferWithAuthorization": lambda s, c: t(c).batchTransferWithAuthorization(
        [
            authorize(c.token, c.holders[0], c.receivers[0], 1),
            authorize(c.token, c.holders[1], ZERO, 1),
        ]
    ),
    "batchRegisterIdentity": lambda s, c: r(c).batchRegisterIdentity(
        *new_identities(s, [c.stranger, ZERO], with_claims=False)
    ),
}

# one item past the bound; built from valid items so only the length is wrong
OVERSIZE = TOKEN_BOUND + 1


def many(c: Crowd, n: int) -> list[str]:
    """n registered addresses (repeating when n exceeds the crowd)."""
    return [c.addresses[i % len(c.addresses)] for i in range(n)]


def authorizations(c: Crowd, n: int) -> list[tuple]:
    owner = c.holders[0]
    deadline = latest_timestamp(c.token.w3) + 3600
    domain = c.token.functions.domainSeparator().call()
    return [
        authorize(
            c.token,
            owner,
            c.receivers[i % len(c.receivers)],
            1,
            nonce=i,
            deadline=deadline,
            domain=domain,
        )
        for i in range(n)
    ]


SIZED: dict[str, Callable[[Scenario, Crowd, int], ContractFunction]] = {
    "batchTransfer": lambda s, c, n: t(c).batchTransfer(many(c, n), [0] * n),
    "batchMint": lambda s, c, n: t(c).batchMint(many(c, n), [1] * n),
    "batchBurn": lambda s, c, n: t(c).batchBurn(many(c, n), [0] * n),
    "batchForcedTransfer": lambda s, c, n: t(c).batchForcedTransfer(
        [h(c, 0)] * n, many(c, n), [1] * n
    ),
    "batchSetAddressFrozen": lambda s, c, n: t(c).batchSetAddressFrozen(many(c, n), [True] * n),
    "batchFreezePartialTokens": lambda s, c, n: t(c).batchFreezePartialTokens(many(c, n), [0] * n),
    "batchUnfreezePartialTokens": lambda s, c, n: t(c).batchUnfreezePartialTokens(
        many(c, n), [0] * n
    ),
    "batchTransferWithAuthorization": lambda s, c, n: t(c).batchTransferWithAuthorization(
        authorizations(c, n)
    ),
}
REGISTRY_SIZED: dict[str, Callable[[Scenario, Crowd, int], ContractFunction]] = {
    "batchRegisterIdentity": lambda s, c, n: r(c).batchRegisterIdentity(
        *new_identities(s, [wallet("batches-new", i).address for i in range(n)])
    ),
    "batchAddClaims": lambda s, c, n: r(c).batchAddClaims(
        c.addresses[:n], claim_sets(s, c.addresses[:n])
    ),
}

# a bad second item of three
BAD_MIDDLE: dict[str, tuple[Call, str]] = {
    "batchTransfer": (
        lambda s, c: t(c).batchTransfer([c.receivers[0], c.stranger, c.receivers[1]], [1, 1, 1]),
        NOT_VERIFIED,
    ),
    "batchMint": (
        lambda s, c: t(c).batchMint([c.receivers[0], c.stranger, c.receivers[1]], [1, 1, 1]),
        NOT_VERIFIED,
    ),
    "batchBurn": (
        lambda s, c: t(c).batchBurn([h(c, 0), h(c, 1), h(c, 2)], [1, HOLDINGS + 1, 1]),
        "burn exceeds balance",
    ),
    "batchForcedTransfer": (
        lambda s, c: t(c).batchForcedTransfer(
            [h(c, 0), h(c, 1), h(c, 2)], [c.receivers[0], c.stranger, c.receivers[1]], [1, 1, 1]
        ),
        NOT_VERIFIED,
    ),
    "batchSetAddressFrozen": (
        lambda s, c: t(c).batchSetAddressFrozen([h(c, 0), ZERO, h(c, 1)], [True] * 3),
        "zero address",
    ),
    "batchFreezePartialTokens": (
        lambda s, c: t(c).batchFreezePartialTokens(
            [h(c, 0), h(c, 1), h(c, 2)], [1, HOLDINGS - FROZEN + 1, 1]
        ),
        "freeze exceeds balance",
    ),
    "batchUnfreezePartialTokens": (
        lambda s, c: t(c).batchUnfreezePartialTokens(
            [h(c, 0), h(c, 1), h(c, 2)], [1, FROZEN + 1, 1]
        ),
        "unfreeze exceeds frozen tokens",
    ),
    "batchTransferWithAuthorization": (
        lambda s, c: t(c).batchTransferWithAuthorization(
            [
                authorize(c.token, c.holders[0], c.receivers[0], 1),
                authorize(c.token, c.holders[1], c.receivers[1], 1, key=c.holders[2].key),
                authorize(c.token, c.holders[2], c.receivers[2], 1),
            ]
        ),
        BAD_SIGNATURE,
    ),
}


def sender_of(name: str, s: Scenario, c: Crowd):
    """batchTransfer spends the caller's own tokens: the first holder sends it."""
    return s.investor(c.holders[0]) if name == "batchTransfer" else s.operator


def registry_state(c: Crowd, addresses: list[str]) -> tuple:
    kyc = topic_id("KYC")
    return tuple(
        (c.registry.functions.identity(a).call(), c.registry.functions.claimOf(a, kyc).call())
        for a in addresses
    )


@pytest.mark.parametrize("name", list(MISMATCHED))
def test_length_mismatch(scenario, crowd, name):
    base = name.split("-")[0]
    expect_revert(
        sender_of(base, scenario, crowd), MISMATCHED[name](scenario, crowd), "batch length mismatch"
    )


@pytest.mark.parametrize("name", list(EMPTY))
def test_empty_batch(scenario, crowd, name):
    expect_revert(sender_of(name, scenario, crowd), EMPTY[name](scenario, crowd), "empty batch")


@pytest.mark.parametrize("name", list(ZERO_ITEM))
def test_zero_address_item(scenario, crowd, name):
    before = ledger(crowd.token, crowd.watched())
    expect_revert(
        sender_of(name, scenario, crowd), ZERO_ITEM[name](scenario, crowd), "zero address"
    )
    assert ledger(crowd.token, crowd.watched()) == before


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        # no check of their own: the zero address holds nothing, so a real amount fails
        ("batchBurn", "burn exceeds balance"),
        ("batchUnfreezePartialTokens", "unfreeze exceeds frozen tokens"),
        ("batchAddClaims", "claim for unregistered wallet"),
    ],
)
def test_zero_address_item_where_no_party_can_be_zero(scenario, crowd, name, reason):
    c = crowd
    call = {
        "batchBurn": lambda: t(c).batchBurn([h(c, 0), ZERO], [1, 1]),
        "batchUnfreezePartialTokens": lambda: t(c).batchUnfreezePartialTokens(
            [h(c, 0), ZERO], [1, 1]
        ),
        "batchAddClaims": lambda: r(c).batchAddClaims(
            [c.receivers[0], ZERO], claim_sets(scenario, [c.receivers[0], ZERO])
        ),
    }[name]()
    expect_revert(scenario.operator, call, reason)


@pytest.mark.parametrize("name", list(SIZED))
def test_token_batch_bound(scenario, crowd, name):
    """TOKEN_BOUND items go through; one more is refused by the ABI decoder before any
    code runs (a revert without a reason), and a mined attempt changes nothing."""
    sender = sender_of(name, scenario, crowd)
    before = ledger(crowd.token, crowd.watched())
    with pytest.raises(TransactionFailed) as refused:
        sender.transact(SIZED[name](scenario, crowd, OVERSIZE))
    assert refused.value.reason == "no reason given"
    mine_reverting(sender, SIZED[name](scenario, crowd, OVERSIZE))
    assert ledger(crowd.token, crowd.watched()) == before
    receipt = sender.transact(SIZED[name](scenario, crowd, TOKEN_BOUND))
    assert receipt["status"] == 1


@pytest.mark.parametrize("name", list(REGISTRY_SIZED))
def test_registry_batch_bound(scenario, crowd, name):
    sender = scenario.operator
    newcomers = [wallet("batches-new", i).address for i in range(REGISTRY_BOUND + 1)]
    before = registry_state(crowd, [*newcomers[:3], *crowd.addresses[:3]])
    with pytest.raises(TransactionFailed) as refused:
        sender.transact(REGISTRY_SIZED[name](scenario, crowd, REGISTRY_BOUND + 1))
    assert refused.value.reason == "no reason given"
    mine_reverting(sender, REGISTRY_SIZED[name](scenario, crowd, REGISTRY_BOUND + 1))
    assert registry_state(crowd, [*newcomers[:3], *crowd.addresses[:3]]) == before
    receipt = sender.transact(REGISTRY_SIZED[name](scenario, crowd, REGISTRY_BOUND))
    assert receipt["status"] == 1


@pytest.mark.parametrize("name", list(BAD_MIDDLE))
def test_bad_item_reverts_the_whole_batch(scenario, crowd, name):
    build, reason = BAD_MIDDLE[name]
    sender = sender_of(name, scenario, crowd)
    before = ledger(crowd.token, crowd.watched())
    expect_revert(sender, build(scenario, crowd), reason)
    # mined for real, the revert leaves no trace of the good first item
    mine_reverting(sender, build(scenario, crowd))
    assert ledger(crowd.token, crowd.watched()) == before


def test_bad_registration_reverts_the_whole_batch(scenario, crowd):
    newcomers = [wallet("batches-mid", i).address for i in range(2)]
    wallets = [newcomers[0], crowd.receivers[0], newcomers[1]]  # the middle one is registered
    call = crowd.registry.functions.batchRegisterIdentity(*new_identities(scenario, wallets))
    before = registry_state(crowd, wallets)
    expect_revert(scenario.operator, call, "wallet already registered")
    mine_reverting(scenario.operator, call)
    assert registry_state(crowd, wallets) == before
    assert not crowd.registry.functions.contains(newcomers[0]).call()


def test_bad_claim_item_reverts_the_whole_batch(scenario, crowd):
    wallets = [crowd.receivers[0], crowd.stranger, crowd.receivers[1]]
    kyc = topic_id("KYC")
    expiry = latest_timestamp(scenario.w3) + 5 * 10**7
    signed = [scenario.issuer.sign(a, ("KYC",), expiry) for a in wallets]
    call = crowd.registry.functions.batchAddClaims(wallets, signed)
    before = registry_state(crowd, wallets)
    expect_revert(scenario.operator, call, "claim for unregistered wallet")
    mine_reverting(scenario.operator, call)
    assert registry_state(crowd, wallets) == before
    assert crowd.registry.functions.claimOf(crowd.receivers[0], kyc).call()[1] != expiry


# ---------------------------------------------------------------- signed authorizations


def test_domain_separator_is_eip712_for_this_token(crowd):
    token = crowd.token
    expected = domain_separator(token.functions.name().call(), token.w3.eth.chain_id, token.address)
    assert token.functions.domainSeparator().call() == expected


def test_authorization_moves_tokens_and_spends_the_nonce(scenario, crowd):
    owner, receiver = crowd.holders[0], crowd.receivers[0]
    token = crowd.token
    assert token.functions.nonces(owner.address).call() == 0
    auth = authorize(token, owner, receiver, 25)
    scenario.operator.transact(token.functions.transferWithAuthorization(auth))
    assert token.functions.balanceOf(receiver).call() == 25
    assert token.functions.balanceOf(owner.address).call() == HOLDINGS - 25
    assert token.functions.nonces(owner.address).call() == 1
    # the same signature again is a replay: its nonce is spent
    expect_revert(scenario.operator, token.functions.transferWithAuthorization(auth), BAD_SIGNATURE)
    expect_revert(
        scenario.operator, token.functions.batchTransferWithAuthorization([auth]), BAD_SIGNATURE
    )


def test_batch_authorizations_use_consecutive_nonces(scenario, crowd):
    token = crowd.token
    first, second = crowd.holders[:2]
    deadline = latest_timestamp(scenario.w3) + 3600
    batch = [
        authorize(token, first, crowd.receivers[0], 1, nonce=0, deadline=deadline),
        authorize(token, second, crowd.receivers[1], 2, nonce=0, deadline=deadline),
        authorize(token, first, crowd.receivers[2], 3, nonce=1, deadline=deadline),
    ]
    scenario.operator.transact(token.functions.batchTransferWithAuthorization(batch))
    assert token.functions.nonces(first.address).call() == 2
    assert token.functions.nonces(second.address).call() == 1
    assert [token.functions.balanceOf(a).call() for a in crowd.receivers[:3]] == [1, 2, 3]


def test_two_authorizations_signed_with_the_same_nonce_cannot_both_settle(scenario, crowd):
    token, owner = crowd.token, crowd.holders[0]
    batch = [
        authorize(token, owner, crowd.receivers[0], 1, nonce=0),
        authorize(token, owner, crowd.receivers[1], 1, nonce=0),
    ]
    before = ledger(token, crowd.watched())
    expect_revert(
        scenario.operator, token.functions.batchTransferWithAuthorization(batch), BAD_SIGNATURE
    )
    assert ledger(token, crowd.watched()) == before


def tampered(auth: tuple, **changes) -> tuple:
    owner, receiver, amount, deadline, v, r_, s_ = auth
    fields = dict(owner=owner, receiver=receiver, amount=amount, deadline=deadline, v=v, r=r_, s=s_)
    fields.update(changes)
    return tuple(fields.values())


def high_s(auth: tuple) -> tuple:
    """The malleable twin of a valid signature: s' = n - s with the other v."""
    *_, v, _, s_ = auth
    twin_s = (SECP256K1_N - int.from_bytes(s_, "big")).to_bytes(32, "big")
    return tampered(auth, v=55 - v, s=twin_s)


@pytest.mark.parametrize(
    "forgery",
    ["wrong-signer", "high-s", "bad-v", "changed-amount", "changed-receiver", "nonce-ahead"],
)
def test_forged_authorization_is_refused(scenario, crowd, forgery):
    token, owner, receiver = crowd.token, crowd.holders[0], crowd.receivers[0]
    auth = {
        "wrong-signer": lambda: authorize(token, owner, receiver, 5, key=crowd.holders[1].key),
        "high-s": lambda: high_s(authorize(token, owner, receiver, 5)),
        "bad-v": lambda: tampered(authorize(token, owner, receiver, 5), v=0),
        "changed-amount": lambda: tampered(authorize(token, owner, receiver, 5), amount=6),
        "changed-receiver": lambda: tampered(
            authorize(token, owner, receiver, 5), receiver=crowd.receivers[1]
        ),
        "nonce-ahead": lambda: authorize(token, owner, receiver, 5, nonce=1),
    }[forgery]()
    before = ledger(token, crowd.watched())
    expect_revert(scenario.operator, token.functions.transferWithAuthorization(auth), BAD_SIGNATURE)
    expect_revert(
        scenario.operator, token.functions.batchTransferWithAuthorization([auth]), BAD_SIGNATURE
    )
    assert ledger(token, crowd.watched()) == before


def test_high_s_twin_of_a_valid_signature_is_itself_valid_ecdsa(crowd):
    """Guards the high-s test: the twin recovers the same signer, so only the contract's
    malleability check can be what refuses it."""
    token, owner, receiver = crowd.token, crowd.holders[0], crowd.receivers[0]
    auth = authorize(token, owner, receiver, 5, nonce=0, deadline=10**10)
    *_, v, r_, s_ = high_s(auth)
    digest = authorization_digest(
        token.functions.domainSeparator().call(), owner.address, receiver, 5, 0, 10**10
    )
    twin = keys.Signature(vrs=(v - 27, int.from_bytes(r_, "big"), int.from_bytes(s_, "big")))
    assert twin.recover_public_key_from_msg_hash(digest).to_checksum_address() == owner.address


def test_authorization_deadline(scenario, crowd):
    token, owner, receiver = crowd.token, crowd.holders[0], crowd.receivers[0]
    now = latest_timestamp(scenario.w3) + 10
    mine_at(scenario.w3, now)
    expired = authorize(token, owner, receiver, 5, deadline=now - 1)
    expect_revert(
        scenario.operator,
        token.functions.transferWithAuthorization(expired),
        "authorization expired",
    )
    expect_revert(
        scenario.operator,
        token.functions.batchTransferWithAuthorization([expired]),
        "authorization expired",
    )
    # a deadline equal to the block's timestamp is still good
    on_time = authorize(token, owner, receiver, 5, deadline=now)
    scenario.operator.transact(token.functions.transferWithAuthorization(on_time))
    assert token.functions.nonces(owner.address).call() == 1


def test_authorized_transfer_still_obeys_compliance(scenario, crowd):
    token, owner = crowd.token, crowd.holders[0]
    auth = authorize(token, owner, crowd.stranger, 5)
    expect_revert(scenario.operator, token.functions.transferWithAuthorization(auth), NOT_VERIFIED)
    frozen = authorize(token, owner, crowd.receivers[0], HOLDINGS - FROZEN + 1)
    expect_revert(
        scenario.operator,
        token.functions.transferWithAuthorization(frozen),
        Restriction.INSUFFICIENT_UNFROZEN_BALANCE.message,
    )
    assert token.functions.nonces(owner.address).call() == 0


# ---------------------------------------------------------------- a batch books like its items


def test_batch_transfer_books_repeated_receivers_and_the_sender_itself(scenario, crowd):
    token = crowd.token
    sender = crowd.holders[0]
    r0, r1 = crowd.receivers[:2]
    holders_before = token.functions.holderCount().call()
    supply = token.functions.totalSupply().call()
    call = token.functions.batchTransfer([r0, r0, sender.address, r1], [10, 20, 5, 30])
    scenario.investor(sender).transact(call)
    assert token.functions.balanceOf(sender.address).call() == HOLDINGS - 60
    assert token.functions.balanceOf(r0).call() == 30
    assert token.functions.balanceOf(r1).call() == 30
    assert token.functions.holderCount().call() == holders_before + 2
    assert token.functions.totalSupply().call() == supply


def test_batch_transfer_cannot_spend_more_than_the_free_balance_across_items(scenario, crowd):
    token, sender = crowd.token, crowd.holders[0]
    free = HOLDINGS - FROZEN
    before = ledger(token, crowd.watched())
    call = token.functions.batchTransfer(crowd.receivers[:2], [free - 100, 101])
    expect_revert(
        scenario.investor(sender), call, Restriction.INSUFFICIENT_UNFROZEN_BALANCE.message
    )
    assert ledger(token, crowd.watched()) == before
    scenario.investor(sender).transact(
        token.functions.batchTransfer(crowd.receivers[:2], [free - 100, 100])
    )
    assert token.functions.balanceOf(sender.address).call() == FROZEN


def test_batch_transfer_of_everything_leaves_the_holder_count_right(scenario, crowd):
    token = crowd.token
    sender = crowd.wallets[8]
    scenario.operator.transact(token.functions.mint(sender.address, 100))
    holders_before = token.functions.holderCount().call()
    receivers = crowd.receivers[5:7]
    scenario.investor(sender).transact(token.functions.batchTransfer(receivers, [60, 40]))
    assert token.functions.balanceOf(sender.address).call() == 0
    assert token.functions.holderCount().call() == holders_before + 1


def test_batch_transfer_across_a_snapshot_boundary_keeps_the_old_balance(scenario, crowd):
    token, w3 = crowd.token, scenario.w3
    sender = crowd.holders[0]
    boundary = latest_timestamp(w3) + 100
    scenario.operator.transact(token.functions.scheduleSnapshots([boundary]))
    mine_at(w3, boundary + 1)
    receivers = crowd.receivers[:3]
    scenario.investor(sender).transact(token.functions.batchTransfer(receivers, [1, 2, 3]))
    assert token.functions.balanceOfAt(sender.address, boundary).call() == HOLDINGS
    assert [token.functions.balanceOfAt(a, boundary).call() for a in receivers] == [0, 0, 0]
    assert token.functions.balanceOf(sender.address).call() == HOLDINGS - 6
