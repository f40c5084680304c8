# pragma version 0.4.3
"""
@title Installing and changing a token's compliance rules
@notice Each setter updates the rule's parameters and its flag in the config word;
        a transfer looks at a parameter only when its flag is on.
"""

from . import claims
from . import holders
from . import token_state

uses: token_state

struct Rules:
    expression: DynArray[bytes32, claims.MAX_OPS]
    allowed_countries: DynArray[uint256, 64]
    blocked_countries: DynArray[uint256, 64]
    max_holders: uint256
    max_balance: uint256
    holding_period: uint256
    issuance_limit: uint256
    issuance_period: uint256
    require_transfer_approval: bool

MAX_HOLDING_PERIOD: constant(uint256) = 3153600000


@internal
def apply_rules(cfg: uint256, r: Rules, registry: address) -> uint256:
    new_cfg: uint256 = self.with_expression(cfg, r.expression, registry)
    for c: uint256 in r.allowed_countries:
        new_cfg = self.set_country(new_cfg, holders.RULE_COUNTRY_ALLOW, c, True)
    for c: uint256 in r.blocked_countries:
        new_cfg = self.set_country(new_cfg, holders.RULE_COUNTRY_BLOCK, c, True)
    new_cfg = self.with_holder_cap(new_cfg, r.max_holders)
    new_cfg = self.with_max_balance(new_cfg, r.max_balance)
    new_cfg = self.with_holding_period(new_cfg, r.holding_period)
    new_cfg = self.with_issuance_limit(new_cfg, r.issuance_limit, r.issuance_period)
    return self.with_flag(new_cfg, holders.RULE_TRANSFER_APPROVAL, r.require_transfer_approval)


@internal
@pure
def with_flag(cfg: uint256, rule: uint256, on: bool) -> uint256:
    if on:
        return cfg | (rule << holders.RULES_SHIFT)
    return cfg & ~(rule << holders.RULES_SHIFT)


@internal
def with_expression(cfg: uint256, expression: DynArray[bytes32, claims.MAX_OPS], registry: address) -> uint256:
    program: uint256 = 0
    extras: DynArray[bytes32, claims.MAX_EXTRA_TOPICS] = []
    program, extras = claims.encode(expression)
    for topic: bytes32 in expression:
        if convert(topic, uint256) > claims.OP_NOT:
            assert staticcall token_state.IdentityRegistry(registry).is_topic(topic), "unknown topic"
    token_state.extra_topics = extras
    compiled: uint256 = claims.compile_table(program)
    new_cfg: uint256 = (cfg & ~(holders.EXPRESSION_MASK << holders.EXPRESSION_SHIFT)) | (compiled << holders.EXPRESSION_SHIFT)
    new_cfg = self.with_flag(new_cfg, holders.RULE_EXPRESSION, program != 0)
    log token_state.IdentityExpressionSet(expression=expression)
    return self.with_flag(new_cfg, holders.RULE_EXTRA_TOPICS, len(extras) > 0)


@internal
def set_country(cfg: uint256, rule: uint256, country: uint256, listed: bool) -> uint256:
    assert country >= 1 and country <= 999, "country must be ISO 3166 numeric 1-999"
    bit: uint256 = 1 << (country & 255)
    any_listed: bool = False
    for w: uint256 in range(4):
        word: uint256 = 0
        if rule == holders.RULE_COUNTRY_ALLOW:
            word = token_state.country_allow[w]
        else:
            word = token_state.country_block[w]
        if w == country >> 8:
            if listed:
                word |= bit
            else:
                word &= ~bit
            if rule == holders.RULE_COUNTRY_ALLOW:
                token_state.country_allow[w] = word
            else:
                token_state.country_block[w] = word
        if word != 0:
            any_listed = True
    log token_state.CountryRuleSet(rule=rule, country=country, listed=listed)
    return self.with_flag(cfg, rule, any_listed)


@internal
def with_holder_cap(cfg: uint256, cap: uint256) -> uint256:
    assert cap <= holders.U32, "holder cap above 2^32-1"
    log token_state.RuleChanged(rule=holders.RULE_HOLDER_CAP, value=cap)
    return self.with_flag((cfg & ~(holders.U32 << holders.CAP_SHIFT)) | (cap << holders.CAP_SHIFT), holders.RULE_HOLDER_CAP, cap != 0)


@internal
def with_max_balance(cfg: uint256, limit: uint256) -> uint256:
    token_state.max_balance = limit
    log token_state.RuleChanged(rule=holders.RULE_MAX_BALANCE, value=limit)
    return self.with_flag(cfg, holders.RULE_MAX_BALANCE, limit != 0)


@internal
def with_holding_period(cfg: uint256, period: uint256) -> uint256:
    assert period <= MAX_HOLDING_PERIOD, "holding period above 100 years"
    token_state.holding_period = period
    log token_state.RuleChanged(rule=holders.RULE_HOLDING_PERIOD, value=period)
    return self.with_flag(cfg, holders.RULE_HOLDING_PERIOD, period != 0)


@internal
def with_issuance_limit(cfg: uint256, limit: uint256, period: uint256) -> uint256:
    # what was issued stays counted: raising a lifetime limit must not reset it
    token_state.issuance_limit = limit
    token_state.issuance_period = period
    if token_state.issuance_window_start == 0:
        token_state.issuance_window_start = block.timestamp
    log token_state.RuleChanged(rule=holders.RULE_ISSUANCE_LIMIT, value=limit)
    return self.with_flag(cfg, holders.RULE_ISSUANCE_LIMIT, limit != 0)
