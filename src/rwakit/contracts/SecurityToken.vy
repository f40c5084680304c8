# pragma version 0.4.3
# pragma optimize gas
# pragma experimental-codegen
"""
@title rwakit security token
@notice ERC-20 with ERC-3643 semantics and ERC-1404 restriction codes: every
        transfer checks the receiver's identity and the token's compliance rules;
        agents mint, burn, freeze and force transfers, each with a batch form;
        relayers settle investors' signed transfers in batches. Balances at
        scheduled snapshot boundaries are kept lazily. Governance functions live
        in SecurityTokenAdmin, reached by delegatecall from the fallback, which
        keeps this contract under the EIP-170 size limit.
"""

from .lib import claims
from .lib import holders
from .lib import reasons
from .lib import signatures
from .lib import token_state
from .lib import token_ledger

initializes: token_state
initializes: token_ledger[token_state := token_state]

exports: (
    token_state.name,
    token_state.symbol,
    token_state.decimals,
    token_state.asset_type,
    token_state.allowance,
    token_state.roles,
    token_state.extra_topics,
    token_state.max_balance,
    token_state.holding_period,
    token_state.locked_until,
    token_state.issuance_limit,
    token_state.issuance_period,
    token_state.issued_in_window,
)

interface TokenAdmin:
    def REGISTRY() -> address: view

struct Authorization:
    owner: address
    receiver: address
    amount: uint256
    deadline: uint256
    v: uint8
    r: bytes32
    s: bytes32

MAX_BATCH: constant(uint256) = token_state.MAX_BATCH
MAX_GRANTS: constant(uint256) = 16
MAX_HISTORY_WALK: constant(uint256) = 4096

AUTH_TYPEHASH: constant(bytes32) = keccak256("TransferAuthorization(address from,address to,uint256 value,uint256 nonce,uint256 deadline)")
VERSION_HASH: constant(bytes32) = keccak256("1")

REGISTRY: immutable(address)
ADMIN: public(immutable(address))
DOMAIN_SEPARATOR: immutable(bytes32)
DEPLOY_CHAIN_ID: immutable(uint256)
NAME_HASH: immutable(bytes32)


@deploy
def __init__(
    name_: String[64],
    symbol_: String[16],
    decimals_: uint8,
    asset_type_: String[16],
    registry: address,
    admin_extension: address,
    admin: address,
    grant_accounts: DynArray[address, MAX_GRANTS],
    grant_roles: DynArray[uint256, MAX_GRANTS],
):
    assert registry != empty(address) and admin != empty(address), "zero address"
    assert staticcall TokenAdmin(admin_extension).REGISTRY() == registry, "admin extension serves another registry"
    assert len(name_) > 0 and len(symbol_) > 0, "name and symbol required"
    assert decimals_ <= 18, "decimals above 18"
    assert len(grant_accounts) == len(grant_roles), "grant length mismatch"
    token_state.name = name_
    token_state.symbol = symbol_
    token_state.decimals = decimals_
    token_state.asset_type = asset_type_
    REGISTRY = registry
    ADMIN = admin_extension
    NAME_HASH = keccak256(name_)
    DEPLOY_CHAIN_ID = chain.id
    DOMAIN_SEPARATOR = signatures.domain_separator(NAME_HASH, VERSION_HASH)
    token_state.grant(token_state.ALL_ROLES, admin)
    for i: uint256 in range(len(grant_accounts), bound=MAX_GRANTS):
        token_state.grant(grant_roles[i], grant_accounts[i])
    # created paused: an issuer configures and mints before investors trade
    token_state.config = holders.PAUSED | (holders.NO_BOUNDARY << holders.NEXT_SHIFT)
    # the creator (normally the factory, in the same transaction) installs the rules once
    token_state.rules_installer = msg.sender
    log token_state.Paused(user_address=msg.sender)


@external
def __default__() -> uint256:
    """
    Governance functions run in SecurityTokenAdmin against this token's storage.
    Vyper cannot return raw bytes, so the first word of the answer is returned:
    enough for the admin functions, which return nothing or one bool.
    """
    response: Bytes[32] = raw_call(ADMIN, msg.data, max_outsize=32, is_delegate_call=True)
    if len(response) == 0:
        return 0
    return convert(response, uint256)


# ---------------------------------------------------------------- views

@external
@view
def balanceOf(account: address) -> uint256:
    return holders.balance_of(token_state.holder_words[account])


@external
@view
def totalSupply() -> uint256:
    return token_state.supply_word & holders.U128


@external
@view
def getFrozenTokens(account: address) -> uint256:
    return holders.frozen(token_state.holder_words[account])


@external
@view
def isFrozen(account: address) -> bool:
    return token_state.holder_words[account] & holders.ADDRESS_FROZEN != 0


@external
@view
def isBlocked(account: address) -> bool:
    return token_state.holder_words[account] & holders.ADDRESS_BLOCKED != 0


@external
@view
def nonces(owner: address) -> uint256:
    return holders.nonce(token_state.holder_words[owner])


@external
@view
def paused() -> bool:
    return token_state.config & holders.PAUSED != 0


@external
@view
def holderCount() -> uint256:
    return holders.holder_count(token_state.config)


@external
@view
def maxHolders() -> uint256:
    return holders.holder_cap(token_state.config)


@external
@view
def ruleFlags() -> uint256:
    return holders.rules(token_state.config)


@external
@view
def countryHolders(country: uint256) -> (uint256, uint256):
    """(holders, cap) for a country; counted only while per-country caps are on."""
    entry: uint256 = token_state.country_holders[country]
    return entry & holders.U128, entry >> 128


@external
@view
def isCountryListed(rule: uint256, country: uint256) -> bool:
    return token_state.country_listed(rule, country)


@external
@view
def transferApprovals(sender: address, receiver: address, amount: uint256) -> uint256:
    return token_state.transfer_approvals[token_state.approval_key(sender, receiver, amount)]


@external
@view
def identityRegistry() -> address:
    return REGISTRY


@external
@view
def compliance() -> address:
    # the rules are compiled into the token itself
    return self


@external
@view
def onchainID() -> address:
    return empty(address)


@external
@pure
def version() -> String[8]:
    return "1"


@external
@view
def hasRole(role: uint256, account: address) -> bool:
    return token_state.roles[account] & role == role


@external
@view
def domainSeparator() -> bytes32:
    return self._domain_separator()


# ---------------------------------------------------------------- compliance check

@internal
@view
def _restriction(sender: address, receiver: address, amount: uint256, from_word: uint256, to_word: uint256, cfg: uint256, state: uint256, head: uint256, minting: bool) -> uint8:
    """
    The one compliance check behind transfers, mints and the ERC-1404 view. Words
    arrive already read, so a batch reads each of them once.
    """
    rule_flags: uint256 = holders.rules(cfg)
    if not minting:
        if cfg & holders.PAUSED != 0:
            return reasons.PAUSED
        if from_word & holders.ADDRESS_FROZEN != 0:
            return reasons.SENDER_FROZEN
        if from_word & holders.ADDRESS_BLOCKED != 0:
            return reasons.SENDER_BLOCKED
        if holders.balance_of(from_word) < holders.frozen(from_word) + amount:
            return reasons.INSUFFICIENT_UNFROZEN_BALANCE
    if to_word & holders.ADDRESS_FROZEN != 0:
        return reasons.RECEIVER_FROZEN
    if to_word & holders.ADDRESS_BLOCKED != 0:
        return reasons.RECEIVER_BLOCKED
    global_code: uint256 = state >> claims.REASON_SHIFT
    if global_code != 0:
        return convert(global_code, uint8)
    receiver_bypass: bool = claims.status(state) == claims.STATUS_BYPASS
    if not minting and (head & claims.FLAG_GLOBAL_SENDER_BLOCK != 0 or rule_flags & holders.SENDER_RULES != 0):
        sender_status: uint256 = claims.status(staticcall token_state.IdentityRegistry(REGISTRY).identityWord(sender))
        if sender_status == claims.STATUS_SUSPENDED:
            return reasons.SENDER_BLOCKED
        if sender_status != claims.STATUS_BYPASS and not receiver_bypass:
            if rule_flags & holders.RULE_HOLDING_PERIOD != 0 and token_state.locked_until[sender] > block.timestamp:
                return reasons.HOLDING_PERIOD_ACTIVE
            if rule_flags & holders.RULE_TRANSFER_APPROVAL != 0 and token_state.transfer_approvals[token_state.approval_key(sender, receiver, amount)] == 0:
                return reasons.TRANSFER_NOT_APPROVED
    if receiver_bypass or rule_flags == 0:
        return reasons.SUCCESS
    if rule_flags & holders.RULE_EXPRESSION != 0:
        extra: uint256 = 0
        if rule_flags & holders.RULE_EXTRA_TOPICS != 0:
            extra = staticcall token_state.IdentityRegistry(REGISTRY).extraClaimBits(receiver, token_state.extra_topics)
        if not claims.holds(holders.expression(cfg), state, head, extra, block.timestamp):
            return reasons.RECEIVER_MISSING_CLAIMS
    country: uint256 = state & claims.COUNTRY_MASK
    if rule_flags & holders.RULE_COUNTRY_ALLOW != 0 and (token_state.country_allow[country >> 8] >> (country & 255)) & 1 == 0:
        return reasons.COUNTRY_NOT_ALLOWED
    if rule_flags & holders.RULE_COUNTRY_BLOCK != 0 and (token_state.country_block[country >> 8] >> (country & 255)) & 1 == 1:
        return reasons.COUNTRY_BLOCKED
    if rule_flags & (holders.RULE_HOLDER_CAP | holders.RULE_COUNTRY_HOLDER_CAP) != 0 and to_word & holders.U96 == 0 and amount != 0 and sender != receiver:
        leaving: uint256 = 0
        if not minting and holders.balance_of(from_word) == amount:
            leaving = 1
        if rule_flags & holders.RULE_HOLDER_CAP != 0 and holders.holder_count(cfg) + 1 - leaving > holders.holder_cap(cfg):
            return reasons.HOLDER_LIMIT_REACHED
        if rule_flags & holders.RULE_COUNTRY_HOLDER_CAP != 0:
            entry: uint256 = token_state.country_holders[country]
            cap: uint256 = entry >> 128
            if cap != 0 and entry & holders.U128 >= cap:
                # a holder handing everything to a newcomer of its own country keeps the count
                if leaving == 0 or claims.country(staticcall token_state.IdentityRegistry(REGISTRY).identityWord(sender)) != country:
                    return reasons.COUNTRY_HOLDER_LIMIT_REACHED
    if rule_flags & holders.RULE_MAX_BALANCE != 0 and sender != receiver and (to_word & holders.U96) + amount > token_state.max_balance:
        return reasons.BALANCE_LIMIT_EXCEEDED
    if minting and rule_flags & holders.RULE_ISSUANCE_LIMIT != 0 and token_state.issued_after(amount) > token_state.issuance_limit:
        return reasons.ISSUANCE_LIMIT_EXCEEDED
    return reasons.SUCCESS


@external
@view
def detectTransferRestriction(sender: address, receiver: address, amount: uint256) -> uint8:
    """ERC-1404: 0 when `sender` may transfer `amount` to `receiver` now; sender 0x0 checks a mint."""
    if receiver == empty(address):
        return reasons.NULL_PARTY
    head: uint256 = 0
    state: uint256 = 0
    head, state = staticcall token_state.IdentityRegistry(REGISTRY).receiverState(receiver)
    cfg: uint256 = token_state.advanced(token_state.config, False)
    return self._restriction(sender, receiver, amount, token_state.holder_words[sender], token_state.holder_words[receiver], cfg, state, head, sender == empty(address))


@external
@view
def messageForTransferRestriction(code: uint8) -> String[64]:
    return self._message(code)


@internal
@view
def _message(code: uint8) -> String[64]:
    # the texts live once, in the registry, to keep this contract small
    return staticcall token_state.IdentityRegistry(REGISTRY).messageForTransferRestriction(code)


@internal
@view
def _require_allowed(code: uint8):
    if code != reasons.SUCCESS:
        raise self._message(code)


# ---------------------------------------------------------------- snapshots

@external
@view
def isSnapshotBoundary(t: uint256) -> bool:
    return token_state.boundary_next[t] != 0


@external
@view
def nextSnapshotBoundary() -> uint256:
    nxt: uint256 = holders.next_boundary(token_state.advanced(token_state.config, False))
    if nxt == holders.NO_BOUNDARY:
        return 0
    return nxt


@external
@view
def lastSnapshotBoundary() -> uint256:
    return holders.last_boundary(token_state.advanced(token_state.config, False))


@internal
@view
def _require_passed_boundary(t: uint256):
    assert token_state.boundary_next[t] != 0, "not a snapshot boundary"
    assert t < block.timestamp, "snapshot boundary not reached"


@external
@view
def balanceOfAt(account: address, t: uint256) -> uint256:
    """Balance at a passed snapshot boundary `t`."""
    self._require_passed_boundary(t)
    word: uint256 = token_state.holder_words[account]
    key: uint256 = holders.snap(word)
    if key < t:
        return holders.balance_of(word)
    for i: uint256 in range(MAX_HISTORY_WALK):
        entry: uint256 = token_state.balance_history[account][key]
        prev: uint256 = entry >> 96
        if prev < t:
            return entry & holders.U96
        key = prev
    raise "history walk too long"


@external
@view
def totalSupplyAt(t: uint256) -> uint256:
    """Total supply at a passed snapshot boundary `t`."""
    self._require_passed_boundary(t)
    word: uint256 = token_state.supply_word
    key: uint256 = word >> 128
    if key < t:
        return word & holders.U128
    for i: uint256 in range(MAX_HISTORY_WALK):
        entry: uint256 = token_state.supply_history[key]
        prev: uint256 = entry >> 128
        if prev < t:
            return entry & holders.U128
        key = prev
    raise "history walk too long"


# ---------------------------------------------------------------- transfers

@internal
def _checked_move(sender: address, receiver: address, amount: uint256, from_word: uint256, cfg: uint256, state: uint256, head: uint256) -> (uint256, uint256):
    """Check and apply one transfer from a sender whose word the caller holds; see ledger.move."""
    assert receiver != empty(address), "zero address"
    to_word: uint256 = from_word
    if receiver != sender:
        to_word = token_state.holder_words[receiver]
    self._require_allowed(self._restriction(sender, receiver, amount, from_word, to_word, cfg, state, head, False))
    new_from_word: uint256 = 0
    new_cfg: uint256 = 0
    new_from_word, new_cfg = token_ledger.move(sender, receiver, amount, from_word, to_word, cfg, False, REGISTRY)
    if holders.rules(cfg) & holders.SENDER_RULES != 0:
        token_ledger.after_rules(sender, receiver, amount, cfg, False)
    return new_from_word, new_cfg


@internal
def _checked_transfer(sender: address, receiver: address, amount: uint256, cfg: uint256, state: uint256, head: uint256) -> uint256:
    from_word: uint256 = 0
    new_cfg: uint256 = 0
    from_word, new_cfg = self._checked_move(sender, receiver, amount, token_state.holder_words[sender], cfg, state, head)
    token_state.holder_words[sender] = from_word
    return new_cfg


@internal
def _single_transfer(sender: address, receiver: address, amount: uint256):
    assert receiver != empty(address), "zero address"
    head: uint256 = 0
    state: uint256 = 0
    head, state = staticcall token_state.IdentityRegistry(REGISTRY).receiverState(receiver)
    cfg: uint256 = token_state.config
    new_cfg: uint256 = self._checked_transfer(sender, receiver, amount, token_state.advanced(cfg, True), state, head)
    if new_cfg != cfg:
        token_state.config = new_cfg


@external
def transfer(receiver: address, amount: uint256) -> bool:
    self._single_transfer(msg.sender, receiver, amount)
    return True


@external
def transferFrom(sender: address, receiver: address, amount: uint256) -> bool:
    allowed: uint256 = token_state.allowance[sender][msg.sender]
    if allowed != max_value(uint256):
        assert allowed >= amount, "allowance exceeded"
        token_state.allowance[sender][msg.sender] = unsafe_sub(allowed, amount)
    self._single_transfer(sender, receiver, amount)
    return True


@external
def approve(spender: address, amount: uint256) -> bool:
    assert spender != empty(address), "zero address"
    token_state.allowance[msg.sender][spender] = amount
    log token_state.Approval(owner=msg.sender, spender=spender, value=amount)
    return True


@internal
@pure
def _require_batch(n: uint256, m: uint256):
    assert n > 0, "empty batch"
    assert n == m, "batch length mismatch"


@external
def batchTransfer(receivers: DynArray[address, MAX_BATCH], amounts: DynArray[uint256, MAX_BATCH]):
    n: uint256 = len(receivers)
    self._require_batch(n, len(amounts))
    head: uint256 = 0
    states: DynArray[uint256, MAX_BATCH] = []
    head, states = staticcall token_state.IdentityRegistry(REGISTRY).receiverStates(receivers)
    cfg: uint256 = token_state.config
    new_cfg: uint256 = token_state.advanced(cfg, True)
    # one sender: its word stays in memory and is stored once
    from_word: uint256 = token_state.holder_words[msg.sender]
    for i: uint256 in range(n, bound=MAX_BATCH):
        from_word, new_cfg = self._checked_move(msg.sender, receivers[i], amounts[i], from_word, new_cfg, states[i], head)
    token_state.holder_words[msg.sender] = from_word
    if new_cfg != cfg:
        token_state.config = new_cfg


# ---------------------------------------------------------------- signed transfer authorizations

@internal
@view
def _domain_separator() -> bytes32:
    if chain.id == DEPLOY_CHAIN_ID:
        return DOMAIN_SEPARATOR
    return signatures.domain_separator(NAME_HASH, VERSION_HASH)


@internal
def _use_authorization(a: Authorization, domain: bytes32):
    """Check the owner signed this exact transfer with its current nonce, then spend the nonce."""
    assert a.deadline >= block.timestamp, "authorization expired"
    word: uint256 = token_state.holder_words[a.owner]
    struct_hash: bytes32 = keccak256(abi_encode(AUTH_TYPEHASH, a.owner, a.receiver, a.amount, holders.nonce(word), a.deadline))
    signer: address = signatures.recover(signatures.digest(domain, struct_hash), a.v, a.r, a.s)
    assert signer != empty(address) and signer == a.owner, "invalid authorization signature"
    token_state.holder_words[a.owner] = holders.with_next_nonce(word)


@external
def transferWithAuthorization(a: Authorization):
    self._use_authorization(a, self._domain_separator())
    self._single_transfer(a.owner, a.receiver, a.amount)


@external
def batchTransferWithAuthorization(authorizations: DynArray[Authorization, MAX_BATCH]):
    """A relayer settles many investors' signed transfers in one transaction."""
    n: uint256 = len(authorizations)
    assert n > 0, "empty batch"
    receivers: DynArray[address, MAX_BATCH] = []
    for a: Authorization in authorizations:
        receivers.append(a.receiver)
    head: uint256 = 0
    states: DynArray[uint256, MAX_BATCH] = []
    head, states = staticcall token_state.IdentityRegistry(REGISTRY).receiverStates(receivers)
    domain: bytes32 = self._domain_separator()
    cfg: uint256 = token_state.config
    new_cfg: uint256 = token_state.advanced(cfg, True)
    for i: uint256 in range(n, bound=MAX_BATCH):
        a: Authorization = authorizations[i]
        self._use_authorization(a, domain)
        new_cfg = self._checked_transfer(a.owner, a.receiver, a.amount, new_cfg, states[i], head)
    if new_cfg != cfg:
        token_state.config = new_cfg


# ---------------------------------------------------------------- supply management

@internal
def _checked_mint(receiver: address, amount: uint256, cfg: uint256, state: uint256, head: uint256) -> uint256:
    assert receiver != empty(address), "zero address"
    assert amount <= holders.U96, "amount exceeds 2^96-1"
    self._require_allowed(self._restriction(empty(address), receiver, amount, 0, token_state.holder_words[receiver], cfg, state, head, True))
    new_cfg: uint256 = token_ledger.mint_to(receiver, amount, cfg, REGISTRY)
    if holders.rules(cfg) & (holders.RULE_HOLDING_PERIOD | holders.RULE_ISSUANCE_LIMIT) != 0:
        token_ledger.after_rules(empty(address), receiver, amount, cfg, True)
    return new_cfg


@external
def mint(receiver: address, amount: uint256):
    token_state.require_role(token_state.ROLE_SUPPLY)
    assert receiver != empty(address), "zero address"
    head: uint256 = 0
    state: uint256 = 0
    head, state = staticcall token_state.IdentityRegistry(REGISTRY).receiverState(receiver)
    cfg: uint256 = token_state.advanced(token_state.config, True)
    token_state.config = self._checked_mint(receiver, amount, cfg, state, head)
    token_ledger.change_supply(cfg, amount, 0)


@external
def batchMint(receivers: DynArray[address, MAX_BATCH], amounts: DynArray[uint256, MAX_BATCH]):
    token_state.require_role(token_state.ROLE_SUPPLY)
    n: uint256 = len(receivers)
    self._require_batch(n, len(amounts))
    head: uint256 = 0
    states: DynArray[uint256, MAX_BATCH] = []
    head, states = staticcall token_state.IdentityRegistry(REGISTRY).receiverStates(receivers)
    cfg: uint256 = token_state.advanced(token_state.config, True)
    total: uint256 = 0
    for i: uint256 in range(n, bound=MAX_BATCH):
        cfg = self._checked_mint(receivers[i], amounts[i], cfg, states[i], head)
        total += amounts[i]
    token_state.config = cfg
    token_ledger.change_supply(cfg, total, 0)


@external
def burn(account: address, amount: uint256):
    token_state.require_role(token_state.ROLE_SUPPLY)
    cfg: uint256 = token_state.advanced(token_state.config, True)
    token_state.config = token_ledger.burn_from(account, amount, cfg, REGISTRY)
    token_ledger.change_supply(cfg, 0, amount)


@external
def batchBurn(accounts: DynArray[address, MAX_BATCH], amounts: DynArray[uint256, MAX_BATCH]):
    token_state.require_role(token_state.ROLE_SUPPLY)
    n: uint256 = len(accounts)
    self._require_batch(n, len(amounts))
    cfg: uint256 = token_state.advanced(token_state.config, True)
    total: uint256 = 0
    for i: uint256 in range(n, bound=MAX_BATCH):
        cfg = token_ledger.burn_from(accounts[i], amounts[i], cfg, REGISTRY)
        total += amounts[i]
    token_state.config = cfg
    token_ledger.change_supply(cfg, 0, total)


# ---------------------------------------------------------------- custodian operations

@internal
def _forced(sender: address, receiver: address, amount: uint256, cfg: uint256, state: uint256) -> uint256:
    """Skips the token's rules but never the receiver's verification."""
    assert receiver != empty(address), "zero address"
    self._require_allowed(convert(state >> claims.REASON_SHIFT, uint8))
    from_word: uint256 = 0
    new_cfg: uint256 = 0
    from_word, new_cfg = token_ledger.move(sender, receiver, amount, token_state.holder_words[sender], token_state.holder_words[receiver], cfg, True, REGISTRY)
    token_state.holder_words[sender] = from_word
    if holders.rules(cfg) & holders.RULE_HOLDING_PERIOD != 0:
        token_state.locked_until[receiver] = block.timestamp + token_state.holding_period
    return new_cfg


@external
def forcedTransfer(sender: address, receiver: address, amount: uint256) -> bool:
    token_state.require_role(token_state.ROLE_CUSTODIAN)
    head: uint256 = 0
    state: uint256 = 0
    head, state = staticcall token_state.IdentityRegistry(REGISTRY).receiverState(receiver)
    cfg: uint256 = token_state.config
    new_cfg: uint256 = self._forced(sender, receiver, amount, token_state.advanced(cfg, True), state)
    if new_cfg != cfg:
        token_state.config = new_cfg
    return True


@external
def batchForcedTransfer(senders: DynArray[address, MAX_BATCH], receivers: DynArray[address, MAX_BATCH], amounts: DynArray[uint256, MAX_BATCH]):
    token_state.require_role(token_state.ROLE_CUSTODIAN)
    n: uint256 = len(senders)
    self._require_batch(n, len(receivers))
    self._require_batch(n, len(amounts))
    head: uint256 = 0
    states: DynArray[uint256, MAX_BATCH] = []
    head, states = staticcall token_state.IdentityRegistry(REGISTRY).receiverStates(receivers)
    cfg: uint256 = token_state.config
    new_cfg: uint256 = token_state.advanced(cfg, True)
    for i: uint256 in range(n, bound=MAX_BATCH):
        new_cfg = self._forced(senders[i], receivers[i], amounts[i], new_cfg, states[i])
    if new_cfg != cfg:
        token_state.config = new_cfg


@internal
def _set_frozen(account: address, freeze: bool):
    assert account != empty(address), "zero address"
    word: uint256 = token_state.holder_words[account]
    if freeze:
        word |= holders.ADDRESS_FROZEN
    else:
        word &= ~holders.ADDRESS_FROZEN
    token_state.holder_words[account] = word
    log token_state.AddressFrozen(user_address=account, is_frozen=freeze, owner=msg.sender)


@external
def setAddressFrozen(account: address, freeze: bool):
    token_state.require_role(token_state.ROLE_CUSTODIAN)
    self._set_frozen(account, freeze)


@external
def batchSetAddressFrozen(accounts: DynArray[address, MAX_BATCH], freeze: DynArray[bool, MAX_BATCH]):
    token_state.require_role(token_state.ROLE_CUSTODIAN)
    n: uint256 = len(accounts)
    self._require_batch(n, len(freeze))
    for i: uint256 in range(n, bound=MAX_BATCH):
        self._set_frozen(accounts[i], freeze[i])


@internal
def _freeze_partial(account: address, amount: uint256):
    assert account != empty(address), "zero address"
    word: uint256 = token_state.holder_words[account]
    frozen: uint256 = holders.frozen(word) + amount
    assert frozen <= holders.balance_of(word), "freeze exceeds balance"
    token_state.holder_words[account] = holders.with_frozen(word, frozen)
    log token_state.TokensFrozen(user_address=account, amount=amount)


@internal
def _unfreeze_partial(account: address, amount: uint256):
    word: uint256 = token_state.holder_words[account]
    frozen: uint256 = holders.frozen(word)
    assert frozen >= amount, "unfreeze exceeds frozen tokens"
    token_state.holder_words[account] = holders.with_frozen(word, unsafe_sub(frozen, amount))
    log token_state.TokensUnfrozen(user_address=account, amount=amount)


@external
def freezePartialTokens(account: address, amount: uint256):
    token_state.require_role(token_state.ROLE_CUSTODIAN)
    self._freeze_partial(account, amount)


@external
def unfreezePartialTokens(account: address, amount: uint256):
    token_state.require_role(token_state.ROLE_CUSTODIAN)
    self._unfreeze_partial(account, amount)


@external
def batchFreezePartialTokens(accounts: DynArray[address, MAX_BATCH], amounts: DynArray[uint256, MAX_BATCH]):
    token_state.require_role(token_state.ROLE_CUSTODIAN)
    n: uint256 = len(accounts)
    self._require_batch(n, len(amounts))
    for i: uint256 in range(n, bound=MAX_BATCH):
        self._freeze_partial(accounts[i], amounts[i])


@external
def batchUnfreezePartialTokens(accounts: DynArray[address, MAX_BATCH], amounts: DynArray[uint256, MAX_BATCH]):
    token_state.require_role(token_state.ROLE_CUSTODIAN)
    n: uint256 = len(accounts)
    self._require_batch(n, len(amounts))
    for i: uint256 in range(n, bound=MAX_BATCH):
        self._unfreeze_partial(accounts[i], amounts[i])
