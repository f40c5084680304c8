# pragma version 0.4.3
# pragma optimize gas
# pragma experimental-codegen
"""
@title rwakit identity registry
@notice Shared by every token of a deployment: wallet identities with country
        and status, issuer-signed claims per topic (verified once, when written),
        trusted issuers per topic, platform-wide rules, the bypass list for
        platform contracts, and lost-wallet recovery links.
"""

from .lib import claims
from .lib import reasons
from .lib import signatures

interface RestrictedToken:
    def detectTransferRestriction(sender: address, receiver: address, amount: uint256) -> uint8: view

# one issuer signature attests several topics for one wallet (a KYC provider checks
# KYC and AML together), so registering an investor costs one ecrecover, not one per topic
struct ClaimSet:
    topics: DynArray[bytes32, MAX_SET_TOPICS]
    expiry: uint256
    v: uint8
    r: bytes32
    s: bytes32

event RoleGranted:
    role: indexed(uint256)
    account: indexed(address)
    sender: indexed(address)

event RoleRevoked:
    role: indexed(uint256)
    account: indexed(address)
    sender: indexed(address)

event TopicRegistered:
    topic: indexed(bytes32)
    name: String[64]

event TrustedIssuerSet:
    issuer: indexed(address)
    topic: indexed(bytes32)
    index: uint256
    trusted: bool

event IdentityRegistered:
    wallet: indexed(address)
    identity_id: uint256
    country: uint256

event IdentityUpdated:
    wallet: indexed(address)
    country: uint256
    status: uint256

event IdentityRemoved:
    wallet: indexed(address)

event ClaimAdded:
    wallet: indexed(address)
    topic: indexed(bytes32)
    issuer: indexed(address)
    expiry: uint256

event ClaimRevoked:
    wallet: indexed(address)
    topic: indexed(bytes32)
    sender: indexed(address)

event IdentityRecovered:
    lost_wallet: indexed(address)
    new_wallet: indexed(address)
    identity_id: uint256

event GlobalExpressionSet:
    expression: DynArray[bytes32, claims.MAX_OPS]

event GlobalCountryBlockSet:
    country: indexed(uint256)
    blocked: bool

ROLE_ADMIN: constant(uint256) = 1
ROLE_REGISTRAR: constant(uint256) = 2
ROLE_GOVERNANCE: constant(uint256) = 4
ALL_ROLES: constant(uint256) = 7

MAX_BATCH: constant(uint256) = 100
MAX_CLAIM_SETS: constant(uint256) = 4
MAX_SET_TOPICS: constant(uint256) = 6
MAX_STATES: constant(uint256) = 256
MAX_EXTRA_REGISTERED: constant(uint256) = 32
MAX_COUNTRY: constant(uint256) = 999

CLAIMS_TYPEHASH: constant(bytes32) = keccak256("Claims(address wallet,bytes32[] topics,uint256 expiry)")
NAME_HASH: constant(bytes32) = keccak256("rwakit IdentityRegistry")
VERSION_HASH: constant(bytes32) = keccak256("1")

header: public(uint256)
identity_words: HashMap[address, uint256]
# claims for topics outside the five inline ones: expiry | issuer index << 32
extra_claims: HashMap[address, HashMap[bytes32, uint256]]
extra_trust: HashMap[bytes32, uint256]
extra_topics: public(DynArray[bytes32, MAX_EXTRA_REGISTERED])
is_topic: public(HashMap[bytes32, bool])

issuer_index: public(HashMap[address, uint256])
issuer_at: public(HashMap[uint256, address])
issuer_count: public(uint256)

# compiled platform-wide identity expression (see claims.compile_table)
global_expression: uint256
global_extra_topics: DynArray[bytes32, claims.MAX_EXTRA_TOPICS]
global_country_blocks: HashMap[uint256, uint256]

roles: public(HashMap[address, uint256])
recovered_to: public(HashMap[address, address])

DOMAIN_SEPARATOR: immutable(bytes32)
DEPLOY_CHAIN_ID: immutable(uint256)


@deploy
def __init__(admin: address):
    assert admin != empty(address), "zero address"
    self.roles[admin] = ALL_ROLES
    log RoleGranted(role=ALL_ROLES, account=admin, sender=msg.sender)
    DEPLOY_CHAIN_ID = chain.id
    DOMAIN_SEPARATOR = signatures.domain_separator(NAME_HASH, VERSION_HASH)
    self._register_topic("KYC")
    self._register_topic("AML")
    self._register_topic("ACCREDITED")
    self._register_topic("QUALIFIED_INSTITUTIONAL")
    self._register_topic("PROFESSIONAL")
    self._register_topic("REGULATION_S")


# ---------------------------------------------------------------- roles

@internal
@view
def _require_role(role: uint256):
    assert self.roles[msg.sender] & role != 0, "caller lacks role"


@external
def grantRole(role: uint256, account: address):
    self._require_role(ROLE_ADMIN)
    assert role != 0 and role & ~ALL_ROLES == 0, "unknown role"
    assert account != empty(address), "zero address"
    self.roles[account] |= role
    log RoleGranted(role=role, account=account, sender=msg.sender)


@external
def revokeRole(role: uint256, account: address):
    self._require_role(ROLE_ADMIN)
    self.roles[account] &= ~role
    log RoleRevoked(role=role, account=account, sender=msg.sender)


@external
@view
def hasRole(role: uint256, account: address) -> bool:
    return self.roles[account] & role == role


# ---------------------------------------------------------------- topics and issuers

@internal
def _register_topic(name: String[64]):
    topic: bytes32 = keccak256(name)
    assert not self.is_topic[topic], "topic already registered"
    self.is_topic[topic] = True
    if claims.inline_slot(topic) == claims.NOT_INLINE:
        self.extra_topics.append(topic)
    log TopicRegistered(topic=topic, name=name)


@external
def registerTopic(name: String[64]) -> bytes32:
    self._require_role(ROLE_GOVERNANCE)
    assert len(name) > 0, "empty topic name"
    self._register_topic(name)
    return keccak256(name)


@external
def setTrustedIssuer(issuer: address, topics: DynArray[bytes32, 16], trusted: bool):
    """Trust (or stop trusting) `issuer` for `topics`; claims it signed follow at once."""
    self._require_role(ROLE_GOVERNANCE)
    assert issuer != empty(address), "zero address"
    index: uint256 = self.issuer_index[issuer]
    if index == 0:
        assert trusted, "unknown issuer"
        index = self.issuer_count + 1
        assert index <= claims.MAX_ISSUERS, "too many issuers"
        self.issuer_count = index
        self.issuer_index[issuer] = index
        self.issuer_at[index] = issuer
    head: uint256 = self.header
    for topic: bytes32 in topics:
        assert self.is_topic[topic], "unknown topic"
        slot: uint256 = claims.inline_slot(topic)
        if slot != claims.NOT_INLINE:
            bit: uint256 = 1 << (slot * claims.TRUST_BITS + index)
            if trusted:
                head |= bit
            else:
                head &= ~bit
        elif trusted:
            self.extra_trust[topic] |= 1 << index
        else:
            self.extra_trust[topic] &= ~(1 << index)
        log TrustedIssuerSet(issuer=issuer, topic=topic, index=index, trusted=trusted)
    self.header = head


@external
@view
def isTrustedIssuer(issuer: address, topic: bytes32) -> bool:
    index: uint256 = self.issuer_index[issuer]
    if index == 0:
        return False
    return (self._trust_mask(self.header, topic) >> index) & 1 == 1


@internal
@view
def _trust_mask(head: uint256, topic: bytes32) -> uint256:
    slot: uint256 = claims.inline_slot(topic)
    if slot != claims.NOT_INLINE:
        return claims.inline_trust(head, slot)
    return self.extra_trust[topic]


# ---------------------------------------------------------------- identities

@internal
@pure
def _check_country(country: uint256):
    assert country >= 1 and country <= MAX_COUNTRY, "country must be ISO 3166 numeric 1-999"


@internal
def _register(wallet: address, identity_id: uint256, country: uint256) -> uint256:
    assert wallet != empty(address), "zero address"
    assert identity_id != 0 and identity_id <= claims.ID_MASK, "identity id must be 1..2^32-1"
    self._check_country(country)
    assert self.identity_words[wallet] == 0, "wallet already registered"
    log IdentityRegistered(wallet=wallet, identity_id=identity_id, country=country)
    return country | (claims.STATUS_ACTIVE << claims.STATUS_SHIFT) | (identity_id << claims.ID_SHIFT)


@internal
def _apply_claims(wallet: address, word: uint256, c: ClaimSet, head: uint256) -> uint256:
    """Verify one issuer-signed claim set once and fold its claims into the wallet's word."""
    assert c.expiry > block.timestamp and c.expiry <= claims.EXPIRY_MASK, "claim expiry out of range"
    assert len(c.topics) > 0, "claim set without topics"
    topics_hash: bytes32 = keccak256(slice(abi_encode(c.topics, ensure_tuple=False), 32, 32 * len(c.topics)))
    digest: bytes32 = signatures.digest(self._domain_separator(), keccak256(abi_encode(CLAIMS_TYPEHASH, wallet, topics_hash, c.expiry)))
    signer: address = signatures.recover(digest, c.v, c.r, c.s)
    assert signer != empty(address), "invalid claim signature"
    index: uint256 = self.issuer_index[signer]
    assert index != 0, "claim signer is not a trusted issuer"
    new_word: uint256 = word
    stored: uint256 = c.expiry | (index << 32)
    for topic: bytes32 in c.topics:
        slot: uint256 = claims.inline_slot(topic)
        if slot != claims.NOT_INLINE:
            assert (claims.inline_trust(head, slot) >> index) & 1 == 1, "claim signer not trusted for topic"
            new_word = claims.with_claim(new_word, slot, stored)
        else:
            assert (self.extra_trust[topic] >> index) & 1 == 1, "claim signer not trusted for topic"
            self.extra_claims[wallet][topic] = stored
        log ClaimAdded(wallet=wallet, topic=topic, issuer=signer, expiry=c.expiry)
    return new_word


@internal
@view
def _domain_separator() -> bytes32:
    if chain.id == DEPLOY_CHAIN_ID:
        return DOMAIN_SEPARATOR
    return signatures.domain_separator(NAME_HASH, VERSION_HASH)


@external
def registerIdentity(wallet: address, identity_id: uint256, country: uint256, claim_sets: DynArray[ClaimSet, MAX_CLAIM_SETS]):
    self._require_role(ROLE_REGISTRAR)
    word: uint256 = self._register(wallet, identity_id, country)
    if len(claim_sets) > 0:
        head: uint256 = self.header
        for c: ClaimSet in claim_sets:
            word = self._apply_claims(wallet, word, c, head)
    self.identity_words[wallet] = word


@external
def batchRegisterIdentity(wallets: DynArray[address, MAX_BATCH], identity_ids: DynArray[uint256, MAX_BATCH], countries: DynArray[uint256, MAX_BATCH], claim_sets: DynArray[ClaimSet, MAX_BATCH]):
    """
    Register many wallets; `claim_sets` is empty or holds one signed set per wallet,
    in the same order. Any bad item reverts the whole batch.
    """
    self._require_role(ROLE_REGISTRAR)
    n: uint256 = len(wallets)
    assert n > 0, "empty batch"
    assert len(identity_ids) == n and len(countries) == n, "batch length mismatch"
    assert len(claim_sets) == 0 or len(claim_sets) == n, "batch length mismatch"
    head: uint256 = 0
    if len(claim_sets) > 0:
        head = self.header
    for i: uint256 in range(n, bound=MAX_BATCH):
        word: uint256 = self._register(wallets[i], identity_ids[i], countries[i])
        if len(claim_sets) > 0:
            word = self._apply_claims(wallets[i], word, claim_sets[i], head)
        self.identity_words[wallets[i]] = word


@external
def batchAddClaims(wallets: DynArray[address, MAX_BATCH], claim_sets: DynArray[ClaimSet, MAX_BATCH]):
    """Add (or renew) claims of registered wallets, one signed set per wallet."""
    self._require_role(ROLE_REGISTRAR)
    n: uint256 = len(wallets)
    assert n > 0, "empty batch"
    assert len(claim_sets) == n, "batch length mismatch"
    head: uint256 = self.header
    for i: uint256 in range(n, bound=MAX_BATCH):
        word: uint256 = self.identity_words[wallets[i]]
        assert claims.identity_id(word) != 0, "claim for unregistered wallet"
        self.identity_words[wallets[i]] = self._apply_claims(wallets[i], word, claim_sets[i], head)


@external
def revokeClaim(wallet: address, topic: bytes32):
    """By a registrar, or by the issuer whose signature the claim carries."""
    word: uint256 = self.identity_words[wallet]
    slot: uint256 = claims.inline_slot(topic)
    stored: uint256 = 0
    if slot != claims.NOT_INLINE:
        stored = claims.claim_at(word, slot)
    else:
        stored = self.extra_claims[wallet][topic]
    assert stored != 0, "no such claim"
    if self.roles[msg.sender] & ROLE_REGISTRAR == 0:
        assert self.issuer_at[stored >> 32] == msg.sender, "caller lacks role"
    if slot != claims.NOT_INLINE:
        self.identity_words[wallet] = claims.with_claim(word, slot, 0)
    else:
        self.extra_claims[wallet][topic] = 0
    log ClaimRevoked(wallet=wallet, topic=topic, sender=msg.sender)


@external
def updateCountry(wallet: address, country: uint256):
    self._require_role(ROLE_REGISTRAR)
    self._check_country(country)
    word: uint256 = self.identity_words[wallet]
    assert claims.identity_id(word) != 0, "wallet not registered"
    word = (word & ~claims.COUNTRY_MASK) | country
    self.identity_words[wallet] = word
    log IdentityUpdated(wallet=wallet, country=country, status=claims.status(word))


@external
def setSuspended(wallet: address, suspended: bool):
    """Platform-wide block list: a suspended wallet can neither send nor receive any token."""
    self._require_role(ROLE_REGISTRAR)
    assert wallet != empty(address), "zero address"
    word: uint256 = self.identity_words[wallet]
    new_status: uint256 = claims.STATUS_SUSPENDED
    if not suspended:
        assert claims.status(word) == claims.STATUS_SUSPENDED, "wallet not suspended"
        new_status = claims.STATUS_NONE
        if claims.identity_id(word) != 0:
            new_status = claims.STATUS_ACTIVE
    else:
        self.header |= claims.FLAG_GLOBAL_SENDER_BLOCK
    word = claims.with_status(word, new_status)
    self.identity_words[wallet] = word
    log IdentityUpdated(wallet=wallet, country=claims.country(word), status=new_status)


@external
def setBypass(wallet: address, bypass: bool):
    """Platform contracts (vaults, escrows) hold tokens without an identity and skip token rules."""
    self._require_role(ROLE_GOVERNANCE)
    assert wallet != empty(address), "zero address"
    word: uint256 = self.identity_words[wallet]
    new_status: uint256 = claims.STATUS_BYPASS
    if not bypass:
        assert claims.status(word) == claims.STATUS_BYPASS, "wallet not on bypass list"
        new_status = claims.STATUS_NONE
        if claims.identity_id(word) != 0:
            new_status = claims.STATUS_ACTIVE
    word = claims.with_status(word, new_status)
    self.identity_words[wallet] = word
    log IdentityUpdated(wallet=wallet, country=claims.country(word), status=new_status)


@external
def deleteIdentity(wallet: address):
    self._require_role(ROLE_REGISTRAR)
    assert self.identity_words[wallet] != 0, "wallet not registered"
    self.identity_words[wallet] = 0
    for topic: bytes32 in self.extra_topics:
        self.extra_claims[wallet][topic] = 0
    log IdentityRemoved(wallet=wallet)


@external
def recoverIdentity(lost_wallet: address, new_wallet: address):
    """Move a lost wallet's identity and claims to a new wallet and link the two."""
    self._require_role(ROLE_REGISTRAR)
    assert new_wallet != empty(address) and new_wallet != lost_wallet, "bad new wallet"
    word: uint256 = self.identity_words[lost_wallet]
    assert claims.identity_id(word) != 0, "lost wallet not registered"
    assert self.identity_words[new_wallet] == 0, "new wallet already registered"
    self.identity_words[new_wallet] = word
    self.identity_words[lost_wallet] = 0
    for topic: bytes32 in self.extra_topics:
        c: uint256 = self.extra_claims[lost_wallet][topic]
        if c != 0:
            self.extra_claims[new_wallet][topic] = c
            self.extra_claims[lost_wallet][topic] = 0
    self.recovered_to[lost_wallet] = new_wallet
    log IdentityRecovered(lost_wallet=lost_wallet, new_wallet=new_wallet, identity_id=claims.identity_id(word))


# ---------------------------------------------------------------- platform-wide rules

@external
def setGlobalExpression(expression: DynArray[bytes32, claims.MAX_OPS]):
    self._require_role(ROLE_GOVERNANCE)
    program: uint256 = 0
    extras: DynArray[bytes32, claims.MAX_EXTRA_TOPICS] = []
    program, extras = claims.encode(expression)
    for topic: bytes32 in expression:
        if convert(topic, uint256) > claims.OP_NOT:
            assert self.is_topic[topic], "unknown topic"
    self.global_expression = claims.compile_table(program)
    self.global_extra_topics = extras
    if program == 0:
        self.header &= ~claims.FLAG_GLOBAL_EXPRESSION
    else:
        self.header |= claims.FLAG_GLOBAL_EXPRESSION
    log GlobalExpressionSet(expression=expression)


@external
def setGlobalCountryBlocked(countries: DynArray[uint256, 64], blocked: bool):
    self._require_role(ROLE_GOVERNANCE)
    for c: uint256 in countries:
        self._check_country(c)
        if blocked:
            self.global_country_blocks[c >> 8] |= 1 << (c & 255)
        else:
            self.global_country_blocks[c >> 8] &= ~(1 << (c & 255))
        log GlobalCountryBlockSet(country=c, blocked=blocked)
    any_blocked: bool = False
    for w: uint256 in range(4):
        if self.global_country_blocks[w] != 0:
            any_blocked = True
    if any_blocked:
        self.header |= claims.FLAG_GLOBAL_COUNTRY_BLOCK
    else:
        self.header &= ~claims.FLAG_GLOBAL_COUNTRY_BLOCK


@external
@view
def isGloballyBlockedCountry(country: uint256) -> bool:
    return (self.global_country_blocks[country >> 8] >> (country & 255)) & 1 == 1


# ---------------------------------------------------------------- views used by tokens

@internal
@view
def _extra_bits(wallet: address, topics: DynArray[bytes32, claims.MAX_EXTRA_TOPICS]) -> uint256:
    bits: uint256 = 0
    for j: uint256 in range(len(topics), bound=claims.MAX_EXTRA_TOPICS):
        c: uint256 = self.extra_claims[wallet][topics[j]]
        if claims.claim_valid(c, self.extra_trust[topics[j]], block.timestamp):
            bits |= 1 << j
    return bits


@internal
@view
def _global_reason(wallet: address, word: uint256, head: uint256) -> uint256:
    status: uint256 = claims.status(word)
    if status == claims.STATUS_BYPASS:
        return 0
    if status == claims.STATUS_SUSPENDED:
        return convert(reasons.RECEIVER_SUSPENDED, uint256)
    if status != claims.STATUS_ACTIVE:
        return convert(reasons.RECEIVER_NOT_VERIFIED, uint256)
    if head & claims.FLAG_GLOBAL_EXPRESSION != 0:
        extra: uint256 = 0
        if len(self.global_extra_topics) > 0:
            extra = self._extra_bits(wallet, self.global_extra_topics)
        if not claims.holds(self.global_expression, word, head, extra, block.timestamp):
            return convert(reasons.GLOBAL_CLAIMS_MISSING, uint256)
    if head & claims.FLAG_GLOBAL_COUNTRY_BLOCK != 0:
        c: uint256 = claims.country(word)
        if (self.global_country_blocks[c >> 8] >> (c & 255)) & 1 == 1:
            return convert(reasons.GLOBAL_COUNTRY_BLOCKED, uint256)
    return 0


@external
@view
def receiverState(wallet: address) -> (uint256, uint256):
    """(header, identity word with the platform-wide restriction code in its top byte)."""
    head: uint256 = self.header
    word: uint256 = self.identity_words[wallet]
    return head, word | (self._global_reason(wallet, word, head) << claims.REASON_SHIFT)


@external
@view
def receiverStates(wallets: DynArray[address, MAX_STATES]) -> (uint256, DynArray[uint256, MAX_STATES]):
    head: uint256 = self.header
    words: DynArray[uint256, MAX_STATES] = []
    plain: bool = head & (claims.FLAG_GLOBAL_EXPRESSION | claims.FLAG_GLOBAL_COUNTRY_BLOCK) == 0
    for wallet: address in wallets:
        word: uint256 = self.identity_words[wallet]
        # active (1) and bypass (3) share bit 0; without platform-wide rules they pass as they are
        if plain and (word >> claims.STATUS_SHIFT) & 1 == 1:
            words.append(word)
        else:
            words.append(word | (self._global_reason(wallet, word, head) << claims.REASON_SHIFT))
    return head, words


@external
@view
def identityWord(wallet: address) -> uint256:
    return self.identity_words[wallet]


@external
@view
def extraClaimBits(wallet: address, topics: DynArray[bytes32, claims.MAX_EXTRA_TOPICS]) -> uint256:
    return self._extra_bits(wallet, topics)


@external
@view
def isVerified(wallet: address) -> bool:
    word: uint256 = self.identity_words[wallet]
    return claims.status(word) != claims.STATUS_NONE and self._global_reason(wallet, word, self.header) == 0


@external
@view
def contains(wallet: address) -> bool:
    return claims.identity_id(self.identity_words[wallet]) != 0


@external
@view
def identity(wallet: address) -> (uint256, uint256, uint256):
    """(identity id, country, status: 0 none, 1 active, 2 suspended, 3 bypass)."""
    word: uint256 = self.identity_words[wallet]
    return claims.identity_id(word), claims.country(word), claims.status(word)


@external
@view
def investorCountry(wallet: address) -> uint16:
    return convert(claims.country(self.identity_words[wallet]), uint16)


@external
@view
def claimOf(wallet: address, topic: bytes32) -> (address, uint256, bool):
    """(issuer, expiry, valid now) of the wallet's claim for `topic`."""
    slot: uint256 = claims.inline_slot(topic)
    c: uint256 = 0
    if slot != claims.NOT_INLINE:
        c = claims.claim_at(self.identity_words[wallet], slot)
    else:
        c = self.extra_claims[wallet][topic]
    return self.issuer_at[c >> 32], c & claims.EXPIRY_MASK, claims.claim_valid(c, self._trust_mask(self.header, topic), block.timestamp)


@external
@view
def canTransfer(token: address, sender: address, receiver: address, amount: uint256) -> uint8:
    """ERC-1404 code for a transfer of `token`; 0 means allowed."""
    return staticcall RestrictedToken(token).detectTransferRestriction(sender, receiver, amount)


@external
@pure
def messageForTransferRestriction(code: uint8) -> String[64]:
    return reasons.message(code)


@external
@view
def domainSeparator() -> bytes32:
    return self._domain_separator()
