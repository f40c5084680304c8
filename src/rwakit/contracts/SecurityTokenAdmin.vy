# pragma version 0.4.3
# pragma optimize gas
# pragma experimental-codegen
"""
@title Governance functions of rwakit security tokens
@notice Runs only by delegatecall from a SecurityToken's fallback, against that
        token's storage (same layout: both initialize token_state). One deployment
        serves every token of a registry.
"""

from .lib import claims
from .lib import holders
from .lib import token_state
from .lib import token_rules
from .lib import token_ledger

initializes: token_state
initializes: token_rules[token_state := token_state]
initializes: token_ledger[token_state := token_state]

MAX_SCHEDULE: constant(uint256) = 128
MAX_BOUNDARY_WALK: constant(uint256) = 4096

REGISTRY: public(immutable(address))
SELF: immutable(address)


@deploy
def __init__(registry: address):
    assert registry != empty(address), "zero address"
    REGISTRY = registry
    SELF = self


@internal
@view
def _only_as_token(role: uint256):
    # called directly, this contract's own storage would be changed: meaningless
    assert self != SELF, "call through a token"
    token_state.require_role(role)


@external
def grantRole(role: uint256, account: address):
    self._only_as_token(token_state.ROLE_ADMIN)
    token_state.grant(role, account)


@external
def revokeRole(role: uint256, account: address):
    self._only_as_token(token_state.ROLE_ADMIN)
    token_state.roles[account] &= ~role
    log token_state.RoleRevoked(role=role, account=account, sender=msg.sender)


@external
def pause():
    self._only_as_token(token_state.ROLE_EMERGENCY)
    cfg: uint256 = token_state.config
    assert cfg & holders.PAUSED == 0, "already paused"
    token_state.config = cfg | holders.PAUSED
    log token_state.Paused(user_address=msg.sender)


@external
def unpause():
    self._only_as_token(token_state.ROLE_EMERGENCY)
    cfg: uint256 = token_state.config
    assert cfg & holders.PAUSED != 0, "not paused"
    token_state.config = cfg & ~holders.PAUSED
    log token_state.Unpaused(user_address=msg.sender)


# ---------------------------------------------------------------- rules

@external
def installRules(rules: token_rules.Rules):
    """The token's first rule set, installed once by its creator (the factory)."""
    assert self != SELF, "call through a token"
    assert msg.sender == token_state.rules_installer and msg.sender != empty(address), "rules already installed"
    token_state.rules_installer = empty(address)
    token_state.config = token_rules.apply_rules(token_state.config, rules, REGISTRY)


@external
def setIdentityExpression(expression: DynArray[bytes32, claims.MAX_OPS]):
    """Postfix list of topic ids and the words 1 AND, 2 OR, 3 NOT; empty removes the rule."""
    self._only_as_token(token_state.ROLE_GOVERNANCE)
    token_state.config = token_rules.with_expression(token_state.config, expression, REGISTRY)


@external
def setCountryRule(rule: uint256, countries: DynArray[uint256, 64], listed: bool):
    """Add countries to (or remove them from) the allow list (rule 2) or the block list (rule 4)."""
    self._only_as_token(token_state.ROLE_GOVERNANCE)
    assert rule == holders.RULE_COUNTRY_ALLOW or rule == holders.RULE_COUNTRY_BLOCK, "unknown country rule"
    cfg: uint256 = token_state.config
    for c: uint256 in countries:
        cfg = token_rules.set_country(cfg, rule, c, listed)
    token_state.config = cfg


@external
def setMaxHolders(cap: uint256):
    self._only_as_token(token_state.ROLE_GOVERNANCE)
    cfg: uint256 = token_state.config
    assert cap == 0 or cap >= holders.holder_count(cfg), "cap below current holder count"
    token_state.config = token_rules.with_holder_cap(cfg, cap)


@external
def setCountryHolderCap(country: uint256, cap: uint256):
    """Per-country caps count holders from the first holder on, so they must start before issuance."""
    self._only_as_token(token_state.ROLE_GOVERNANCE)
    assert country >= 1 and country <= 999, "country must be ISO 3166 numeric 1-999"
    cfg: uint256 = token_state.config
    if holders.rules(cfg) & holders.RULE_COUNTRY_HOLDER_CAP == 0:
        assert holders.holder_count(cfg) == 0, "country caps must be set before the first holder"
        token_state.config = token_rules.with_flag(cfg, holders.RULE_COUNTRY_HOLDER_CAP, True)
    entry: uint256 = token_state.country_holders[country]
    token_state.country_holders[country] = (entry & holders.U128) | (cap << 128)
    log token_state.CountryHolderCapSet(country=country, cap=cap)


@external
def setMaxBalance(limit: uint256):
    self._only_as_token(token_state.ROLE_GOVERNANCE)
    token_state.config = token_rules.with_max_balance(token_state.config, limit)


@external
def setHoldingPeriod(period: uint256):
    self._only_as_token(token_state.ROLE_GOVERNANCE)
    token_state.config = token_rules.with_holding_period(token_state.config, period)


@external
def setIssuanceLimit(limit: uint256, period: uint256):
    """Cap on minting: lifetime when period is 0, else per window of `period` seconds."""
    self._only_as_token(token_state.ROLE_GOVERNANCE)
    token_state.config = token_rules.with_issuance_limit(token_state.config, limit, period)


@external
def setTransferApprovalRequired(required: bool):
    self._only_as_token(token_state.ROLE_GOVERNANCE)
    token_state.config = token_rules.with_flag(token_state.config, holders.RULE_TRANSFER_APPROVAL, required)
    log token_state.RuleChanged(rule=holders.RULE_TRANSFER_APPROVAL, value=convert(required, uint256))


@external
def setAddressBlocked(account: address, blocked: bool):
    """Token-level block list: a blocked address can neither send nor receive this token."""
    self._only_as_token(token_state.ROLE_GOVERNANCE)
    assert account != empty(address), "zero address"
    word: uint256 = token_state.holder_words[account]
    if blocked:
        word |= holders.ADDRESS_BLOCKED
    else:
        word &= ~holders.ADDRESS_BLOCKED
    token_state.holder_words[account] = word
    log token_state.AddressBlocked(user_address=account, blocked=blocked)


@external
def approveTransfer(sender: address, receiver: address, amount: uint256):
    """Pre-approve one exact transfer; each approval is used up by one transfer."""
    self._only_as_token(token_state.ROLE_CUSTODIAN)
    key: bytes32 = token_state.approval_key(sender, receiver, amount)
    count: uint256 = token_state.transfer_approvals[key] + 1
    token_state.transfer_approvals[key] = count
    log token_state.TransferApproved(sender=sender, receiver=receiver, amount=amount, approvals=count)


@external
def revokeTransferApproval(sender: address, receiver: address, amount: uint256):
    self._only_as_token(token_state.ROLE_CUSTODIAN)
    key: bytes32 = token_state.approval_key(sender, receiver, amount)
    count: uint256 = token_state.transfer_approvals[key]
    assert count > 0, "no such approval"
    token_state.transfer_approvals[key] = count - 1
    log token_state.TransferApproved(sender=sender, receiver=receiver, amount=amount, approvals=count - 1)


# ---------------------------------------------------------------- snapshots

@external
def scheduleSnapshots(times: DynArray[uint256, MAX_SCHEDULE]):
    """
    Make each time (ascending, not in the past) a boundary at which balances and
    supply are kept; times already scheduled are skipped.
    """
    assert self != SELF, "call through a token"
    if token_state.roles[msg.sender] & (token_state.ROLE_GOVERNANCE | token_state.ROLE_SCHEDULER) == 0:
        raise "caller lacks role"
    assert len(times) > 0, "empty batch"
    cfg: uint256 = token_state.advanced(token_state.config, True)
    head: uint256 = holders.next_boundary(cfg)
    prev: uint256 = 0
    cur: uint256 = head
    previous_time: uint256 = 0
    for t: uint256 in times:
        assert t >= block.timestamp and t < holders.NO_BOUNDARY, "boundary must not be in the past"
        assert t > previous_time, "boundaries must ascend"
        previous_time = t
        for i: uint256 in range(MAX_BOUNDARY_WALK):
            if cur >= t:
                break
            prev = cur
            cur = token_state.boundary_next[cur]
        if cur == t:
            continue
        token_state.boundary_next[t] = cur
        if prev == 0:
            head = t
        else:
            token_state.boundary_next[prev] = t
        prev = t
        log token_state.SnapshotScheduled(boundary=t)
    token_state.config = holders.with_boundaries(cfg, holders.last_boundary(cfg), head)


@external
def advanceSnapshots():
    """Catch up, in steps, when very many boundaries passed without a balance change."""
    assert self != SELF, "call through a token"
    token_state.config = token_state.advanced(token_state.config, False)


# ---------------------------------------------------------------- recovery

@external
def recoveryAddress(lost_wallet: address, new_wallet: address, investor_onchain_id: address) -> bool:
    """
    Move a lost wallet's tokens, frozen tokens and freeze flag to the wallet the
    registry recovered its identity to.
    """
    self._only_as_token(token_state.ROLE_CUSTODIAN)
    assert staticcall token_state.IdentityRegistry(REGISTRY).recovered_to(lost_wallet) == new_wallet, "registry has no recovery to this wallet"
    lost_word: uint256 = token_state.holder_words[lost_wallet]
    amount: uint256 = holders.balance_of(lost_word)
    assert amount > 0, "lost wallet holds no tokens"
    frozen: uint256 = holders.frozen(lost_word)
    remaining: uint256 = 0
    cfg: uint256 = 0
    remaining, cfg = token_ledger.move(lost_wallet, new_wallet, amount, lost_word, token_state.holder_words[new_wallet], token_state.advanced(token_state.config, True), True, REGISTRY)
    token_state.holder_words[lost_wallet] = remaining & ~holders.ADDRESS_FROZEN
    new_word: uint256 = token_state.holder_words[new_wallet]
    new_word = holders.with_frozen(new_word, holders.frozen(new_word) + frozen)
    if lost_word & holders.ADDRESS_FROZEN != 0:
        new_word |= holders.ADDRESS_FROZEN
        log token_state.AddressFrozen(user_address=new_wallet, is_frozen=True, owner=msg.sender)
    token_state.holder_words[new_wallet] = new_word
    if frozen != 0:
        log token_state.TokensFrozen(user_address=new_wallet, amount=frozen)
    token_state.config = cfg
    log token_state.RecoverySuccess(lost_wallet=lost_wallet, new_wallet=new_wallet, investor_onchain_id=investor_onchain_id)
    return True
