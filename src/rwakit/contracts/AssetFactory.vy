# pragma version 0.4.3
# pragma optimize gas
# pragma experimental-codegen
"""
@title rwakit asset factory: a token with its corporate-action contracts in one transaction
@notice Creates the token through the TokenFactory (so its rules are installed and it is
        indexed like any other), creates the Bond / FixedYield / Distribution contracts
        from blueprints, gives each the token roles it needs, hands the remaining roles to
        the issuer and drops its own. Callers must be creators on the TokenFactory, which
        must list this factory as a creator too.
        A bond's SUPPLY role goes to the Bond contract alone, so every mint passes its
        cap and issuance window (which closes when coupons start); the issuer's admin
        role could still grant SUPPLY elsewhere, deliberately.
"""

from .lib import payouts
from .lib import token_rules

interface TokenFactory:
    def createToken(name: String[64], symbol: String[16], decimals: uint8, asset_type: String[16], admin: address, grant_accounts: DynArray[address, MAX_GRANTS], grant_roles: DynArray[uint256, MAX_GRANTS], rules: token_rules.Rules) -> address: nonpayable
    def is_creator(account: address) -> bool: view

interface RoleAdmin:
    def grantRole(role: uint256, account: address): nonpayable
    def revokeRole(role: uint256, account: address): nonpayable

interface CouponSchedule:
    def scheduleBoundaries(): nonpayable

struct TokenTerms:
    name: String[64]
    symbol: String[16]
    decimals: uint8
    admin: address
    grant_accounts: DynArray[address, MAX_GRANTS]
    grant_roles: DynArray[uint256, MAX_GRANTS]
    rules: token_rules.Rules

struct BondTerms:
    denomination: address
    face_value: uint256
    cap: uint256
    maturity: uint256
    # coupon schedule; rate 0 makes a zero-coupon bond
    coupon_rate_bps: uint256
    coupon_start: uint256
    coupon_interval: uint256
    coupon_periods: uint256
    # seconds after each period end reserved for the paying agent's pushes
    coupon_push_window: uint256

event BondCreated:
    token: indexed(address)
    bond: indexed(address)
    coupons: address
    admin: indexed(address)
    denomination: address
    face_value: uint256
    cap: uint256
    maturity: uint256
    coupon_rate_bps: uint256
    coupon_start: uint256
    coupon_interval: uint256
    coupon_periods: uint256
    coupon_push_window: uint256
    name: String[64]
    symbol: String[16]
    decimals: uint8

event DistributingTokenCreated:
    token: indexed(address)
    distribution: indexed(address)
    admin: indexed(address)
    asset_type: String[16]
    push_window: uint256
    name: String[64]
    symbol: String[16]
    decimals: uint8

event FundFeeCreated:
    token: indexed(address)
    fee: indexed(address)
    fee_bps: uint256
    receiver: address

event StablecoinCreated:
    token: indexed(address)
    minter: indexed(address)
    admin: indexed(address)
    collateral_topic: bytes32
    name: String[64]
    symbol: String[16]
    decimals: uint8

event EquityCreated:
    token: indexed(address)
    voting: indexed(address)
    class_name: String[32]
    votes_per_share: uint256

event VaultCreated:
    vault: indexed(address)
    creator: indexed(address)
    signers: DynArray[address, MAX_SIGNERS]
    weights: DynArray[uint256, MAX_SIGNERS]
    threshold: uint256

struct OfferingTerms:
    payment: address
    treasury: address
    price: uint256
    hard_cap: uint256
    min_per_investor: uint256
    max_per_investor: uint256
    opens: uint256
    closes: uint256
    settlement_period: uint256

event OfferingCreated:
    offering: indexed(address)
    token: indexed(address)
    creator: indexed(address)
    terms: OfferingTerms

MAX_GRANTS: constant(uint256) = 16
MAX_SIGNERS: constant(uint256) = 16
BLUEPRINT_PREAMBLE: constant(uint256) = 3
ALL_ROLES: constant(uint256) = 63

TOKEN_FACTORY: public(immutable(address))
BOND_BLUEPRINT: public(immutable(address))
FIXED_YIELD_BLUEPRINT: public(immutable(address))
DISTRIBUTION_BLUEPRINT: public(immutable(address))
VAULT_BLUEPRINT: public(immutable(address))
OFFERING_BLUEPRINT: public(immutable(address))
FUND_FEE_BLUEPRINT: public(immutable(address))
MINTER_BLUEPRINT: public(immutable(address))
VOTING_BLUEPRINT: public(immutable(address))
REGISTRY: public(immutable(address))


@deploy
def __init__(token_factory: address, bond_blueprint: address, fixed_yield_blueprint: address, distribution_blueprint: address, vault_blueprint: address, offering_blueprint: address, fund_fee_blueprint: address, minter_blueprint: address, voting_blueprint: address, registry: address):
    assert token_factory != empty(address) and bond_blueprint != empty(address), "zero address"
    assert fixed_yield_blueprint != empty(address) and distribution_blueprint != empty(address), "zero address"
    assert vault_blueprint != empty(address) and offering_blueprint != empty(address), "zero address"
    VAULT_BLUEPRINT = vault_blueprint
    OFFERING_BLUEPRINT = offering_blueprint
    assert fund_fee_blueprint != empty(address), "zero address"
    FUND_FEE_BLUEPRINT = fund_fee_blueprint
    assert minter_blueprint != empty(address) and registry != empty(address), "zero address"
    MINTER_BLUEPRINT = minter_blueprint
    assert voting_blueprint != empty(address), "zero address"
    VOTING_BLUEPRINT = voting_blueprint
    REGISTRY = registry
    TOKEN_FACTORY = token_factory
    BOND_BLUEPRINT = bond_blueprint
    FIXED_YIELD_BLUEPRINT = fixed_yield_blueprint
    DISTRIBUTION_BLUEPRINT = distribution_blueprint


@internal
def _token(terms: TokenTerms, asset_type: String[16]) -> address:
    assert staticcall TokenFactory(TOKEN_FACTORY).is_creator(msg.sender), "caller lacks role"
    assert terms.admin != empty(address), "zero address"
    assert len(terms.grant_accounts) == len(terms.grant_roles), "grant length mismatch"
    # this factory administers the token until the end of the call
    return extcall TokenFactory(TOKEN_FACTORY).createToken(terms.name, terms.symbol, terms.decimals, asset_type, self, [], [], terms.rules)


@internal
def _hand_over(token: address, terms: TokenTerms, withheld: uint256):
    roles: RoleAdmin = RoleAdmin(token)
    extcall roles.grantRole(ALL_ROLES & ~withheld, terms.admin)
    for i: uint256 in range(len(terms.grant_accounts), bound=MAX_GRANTS):
        role: uint256 = terms.grant_roles[i] & ~withheld
        if role != 0:
            extcall roles.grantRole(role, terms.grant_accounts[i])
    extcall roles.revokeRole(ALL_ROLES, self)


@external
def createBond(terms: TokenTerms, bond: BondTerms) -> (address, address, address):
    """(token, bond, coupon schedule or 0x0) of a new bond."""
    token: address = self._token(terms, "bond")
    issue_until: uint256 = bond.maturity
    coupons: address = empty(address)
    if bond.coupon_rate_bps != 0:
        assert bond.coupon_start + bond.coupon_interval * bond.coupon_periods <= bond.maturity, "coupons must end by maturity"
        issue_until = bond.coupon_start
        coupons = create_from_blueprint(FIXED_YIELD_BLUEPRINT, token, bond.denomination, bond.face_value, bond.coupon_rate_bps, bond.coupon_start, bond.coupon_interval, bond.coupon_periods, bond.coupon_push_window, code_offset=BLUEPRINT_PREAMBLE)
        extcall RoleAdmin(token).grantRole(payouts.ROLE_SCHEDULER, coupons)
        extcall CouponSchedule(coupons).scheduleBoundaries()
    issuer: address = create_from_blueprint(BOND_BLUEPRINT, token, bond.denomination, bond.face_value, bond.cap, bond.maturity, issue_until, code_offset=BLUEPRINT_PREAMBLE)
    extcall RoleAdmin(token).grantRole(payouts.ROLE_SUPPLY | payouts.ROLE_EMERGENCY, issuer)
    self._hand_over(token, terms, payouts.ROLE_SUPPLY)
    log BondCreated(token=token, bond=issuer, coupons=coupons, admin=terms.admin, denomination=bond.denomination, face_value=bond.face_value, cap=bond.cap, maturity=bond.maturity, coupon_rate_bps=bond.coupon_rate_bps, coupon_start=bond.coupon_start, coupon_interval=bond.coupon_interval, coupon_periods=bond.coupon_periods, coupon_push_window=bond.coupon_push_window, name=terms.name, symbol=terms.symbol, decimals=terms.decimals)
    return token, issuer, coupons


@internal
def _distributing(terms: TokenTerms, asset_type: String[16], push_window: uint256) -> (address, address):
    assert len(asset_type) > 0, "asset type required"
    token: address = self._token(terms, asset_type)
    distribution: address = create_from_blueprint(DISTRIBUTION_BLUEPRINT, token, push_window, code_offset=BLUEPRINT_PREAMBLE)
    extcall RoleAdmin(token).grantRole(payouts.ROLE_SCHEDULER, distribution)
    log DistributingTokenCreated(token=token, distribution=distribution, admin=terms.admin, asset_type=asset_type, push_window=push_window, name=terms.name, symbol=terms.symbol, decimals=terms.decimals)
    return token, distribution


@external
def createDistributingToken(terms: TokenTerms, asset_type: String[16], push_window: uint256) -> (address, address):
    """(token, distribution contract) of a new equity, fund or other dividend-paying asset."""
    token: address = empty(address)
    distribution: address = empty(address)
    token, distribution = self._distributing(terms, asset_type, push_window)
    self._hand_over(token, terms, 0)
    return token, distribution


@external
def createFund(terms: TokenTerms, push_window: uint256, fee_bps: uint256, fee_receiver: address) -> (address, address, address):
    """(token, distribution contract, management fee contract) of a new fund."""
    token: address = empty(address)
    distribution: address = empty(address)
    token, distribution = self._distributing(terms, "fund", push_window)
    fee: address = create_from_blueprint(FUND_FEE_BLUEPRINT, token, fee_bps, fee_receiver, code_offset=BLUEPRINT_PREAMBLE)
    extcall RoleAdmin(token).grantRole(payouts.ROLE_SUPPLY, fee)
    self._hand_over(token, terms, 0)
    log FundFeeCreated(token=token, fee=fee, fee_bps=fee_bps, receiver=fee_receiver)
    return token, distribution, fee


@external
def createEquity(terms: TokenTerms, push_window: uint256, class_name: String[32], votes_per_share: uint256) -> (address, address, address):
    """(token, distribution contract, voting contract) of a new share class."""
    token: address = empty(address)
    distribution: address = empty(address)
    token, distribution = self._distributing(terms, "equity", push_window)
    voting: address = create_from_blueprint(VOTING_BLUEPRINT, token, class_name, votes_per_share, code_offset=BLUEPRINT_PREAMBLE)
    extcall RoleAdmin(token).grantRole(payouts.ROLE_SCHEDULER, voting)
    self._hand_over(token, terms, 0)
    log EquityCreated(token=token, voting=voting, class_name=class_name, votes_per_share=votes_per_share)
    return token, distribution, voting


@external
def createStablecoin(terms: TokenTerms, collateral_topic: bytes32) -> (address, address):
    """(token, collateral minter): only the minter mints, within attested collateral."""
    token: address = self._token(terms, "stablecoin")
    minter: address = create_from_blueprint(MINTER_BLUEPRINT, token, REGISTRY, collateral_topic, code_offset=BLUEPRINT_PREAMBLE)
    extcall RoleAdmin(token).grantRole(payouts.ROLE_SUPPLY, minter)
    self._hand_over(token, terms, payouts.ROLE_SUPPLY)
    log StablecoinCreated(token=token, minter=minter, admin=terms.admin, collateral_topic=collateral_topic, name=terms.name, symbol=terms.symbol, decimals=terms.decimals)
    return token, minter


@external
def createVault(signers: DynArray[address, MAX_SIGNERS], weights: DynArray[uint256, MAX_SIGNERS], threshold: uint256) -> address:
    """A multisig treasury (empty weights: one vote per signer)."""
    assert staticcall TokenFactory(TOKEN_FACTORY).is_creator(msg.sender), "caller lacks role"
    vault: address = create_from_blueprint(VAULT_BLUEPRINT, signers, weights, threshold, code_offset=BLUEPRINT_PREAMBLE)
    log VaultCreated(vault=vault, creator=msg.sender, signers=signers, weights=weights, threshold=threshold)
    return vault


@external
def createOffering(token: address, terms: OfferingTerms) -> address:
    """
    A primary offering of an existing token. It mints, so the token's admin grants it
    the SUPPLY role next (a bond's Bond contract stays its only minter: use `issue`).
    """
    assert staticcall TokenFactory(TOKEN_FACTORY).is_creator(msg.sender), "caller lacks role"
    offering: address = create_from_blueprint(OFFERING_BLUEPRINT, token, terms.payment, terms.treasury, terms.price, terms.hard_cap, terms.min_per_investor, terms.max_per_investor, terms.opens, terms.closes, terms.settlement_period, code_offset=BLUEPRINT_PREAMBLE)
    log OfferingCreated(offering=offering, token=token, creator=msg.sender, terms=terms)
    return offering
