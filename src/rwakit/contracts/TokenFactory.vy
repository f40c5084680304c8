# pragma version 0.4.3
# pragma optimize gas
# pragma experimental-codegen
"""
@title rwakit token factory
@notice One transaction creates a security token from the blueprint with its
        compliance rules and role holders, bound to this deployment's identity
        registry and admin extension.
"""

from .lib import token_rules

interface RulesInstaller:
    def installRules(rules: token_rules.Rules): nonpayable

event TokenCreated:
    token: indexed(address)
    admin: indexed(address)
    creator: indexed(address)
    asset_type: String[16]
    name: String[64]
    symbol: String[16]
    decimals: uint8

event CreatorSet:
    account: indexed(address)
    allowed: bool

event OwnerChanged:
    owner: indexed(address)

MAX_GRANTS: constant(uint256) = 16
# EIP-5202 blueprint preamble (0xFE7100) precedes the token's initcode
BLUEPRINT_PREAMBLE: constant(uint256) = 3

TOKEN_BLUEPRINT: public(immutable(address))
ADMIN_EXTENSION: public(immutable(address))
REGISTRY: public(immutable(address))

owner: public(address)
is_creator: public(HashMap[address, bool])
is_token: public(HashMap[address, bool])
token_count: public(uint256)
token_at: public(HashMap[uint256, address])


@deploy
def __init__(token_blueprint: address, admin_extension: address, registry: address, owner: address):
    assert token_blueprint != empty(address) and admin_extension != empty(address), "zero address"
    assert registry != empty(address) and owner != empty(address), "zero address"
    TOKEN_BLUEPRINT = token_blueprint
    ADMIN_EXTENSION = admin_extension
    REGISTRY = registry
    self.owner = owner
    self.is_creator[owner] = True
    log OwnerChanged(owner=owner)
    log CreatorSet(account=owner, allowed=True)


@external
def setCreator(account: address, allowed: bool):
    assert msg.sender == self.owner, "caller lacks role"
    assert account != empty(address), "zero address"
    self.is_creator[account] = allowed
    log CreatorSet(account=account, allowed=allowed)


@external
def transferOwnership(new_owner: address):
    assert msg.sender == self.owner, "caller lacks role"
    assert new_owner != empty(address), "zero address"
    self.owner = new_owner
    log OwnerChanged(owner=new_owner)


@external
def createToken(
    name: String[64],
    symbol: String[16],
    decimals: uint8,
    asset_type: String[16],
    admin: address,
    grant_accounts: DynArray[address, MAX_GRANTS],
    grant_roles: DynArray[uint256, MAX_GRANTS],
    rules: token_rules.Rules,
) -> address:
    assert self.is_creator[msg.sender], "caller lacks role"
    token: address = create_from_blueprint(
        TOKEN_BLUEPRINT,
        name,
        symbol,
        decimals,
        asset_type,
        REGISTRY,
        ADMIN_EXTENSION,
        admin,
        grant_accounts,
        grant_roles,
        code_offset=BLUEPRINT_PREAMBLE,
    )
    extcall RulesInstaller(token).installRules(rules)
    self.is_token[token] = True
    index: uint256 = self.token_count
    self.token_at[index] = token
    self.token_count = index + 1
    log TokenCreated(token=token, admin=admin, creator=msg.sender, asset_type=asset_type, name=name, symbol=symbol, decimals=decimals)
    return token
