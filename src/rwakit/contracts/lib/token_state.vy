# pragma version 0.4.3
"""
@title Storage, events and roles of a security token
@notice Shared by SecurityToken (the hot path) and SecurityTokenAdmin (governance,
        reached by delegatecall), so both see one storage layout.
"""

from . import claims
from . import holders

interface IdentityRegistry:
    def receiverState(wallet: address) -> (uint256, uint256): view
    def receiverStates(wallets: DynArray[address, MAX_BATCH]) -> (uint256, DynArray[uint256, MAX_BATCH]): view
    def identityWord(wallet: address) -> uint256: view
    def extraClaimBits(wallet: address, topics: DynArray[bytes32, claims.MAX_EXTRA_TOPICS]) -> uint256: view
    def is_topic(topic: bytes32) -> bool: view
    def recovered_to(lost: address) -> address: view
    def messageForTransferRestriction(code: uint8) -> String[64]: view

event Transfer:
    sender: indexed(address)
    receiver: indexed(address)
    value: uint256

event Approval:
    owner: indexed(address)
    spender: indexed(address)
    value: uint256

event AddressFrozen:
    user_address: indexed(address)
    is_frozen: indexed(bool)
    owner: indexed(address)

event TokensFrozen:
    user_address: indexed(address)
    amount: uint256

event TokensUnfrozen:
    user_address: indexed(address)
    amount: uint256

event Paused:
    user_address: address

event Unpaused:
    user_address: address

event RecoverySuccess:
    lost_wallet: indexed(address)
    new_wallet: indexed(address)
    investor_onchain_id: indexed(address)

event RoleGranted:
    role: indexed(uint256)
    account: indexed(address)
    sender: indexed(address)

event RoleRevoked:
    role: indexed(uint256)
    account: indexed(address)
    sender: indexed(address)

event RuleChanged:
    rule: indexed(uint256)
    value: uint256

event IdentityExpressionSet:
    expression: DynArray[bytes32, claims.MAX_OPS]

event CountryRuleSet:
    rule: indexed(uint256)
    country: indexed(uint256)
    listed: bool

event CountryHolderCapSet:
    country: indexed(uint256)
    cap: uint256

event TransferApproved:
    sender: indexed(address)
    receiver: indexed(address)
    amount: uint256
    approvals: uint256

event AddressBlocked:
    user_address: indexed(address)
    blocked: bool

event SnapshotScheduled:
    boundary: indexed(uint256)

ROLE_ADMIN: constant(uint256) = 1
ROLE_GOVERNANCE: constant(uint256) = 2
ROLE_SUPPLY: constant(uint256) = 4
ROLE_CUSTODIAN: constant(uint256) = 8
ROLE_EMERGENCY: constant(uint256) = 16
ROLE_SCHEDULER: constant(uint256) = 32
ALL_ROLES: constant(uint256) = 63

MAX_BATCH: constant(uint256) = 256
MAX_BOUNDARY_STEPS: constant(uint256) = 256

name: public(String[64])
symbol: public(String[16])
decimals: public(uint8)
asset_type: public(String[16])

holder_words: HashMap[address, uint256]
config: uint256
# total supply in bits 0-127, snapshot marker in 128-159
supply_word: uint256
allowance: public(HashMap[address, HashMap[address, uint256]])
roles: public(HashMap[address, uint256])

# lazy snapshots: boundary -> next boundary (NO_BOUNDARY at the tail)
boundary_next: HashMap[uint256, uint256]
# account -> boundary -> balance before the first change after it | previous marker << 96
balance_history: HashMap[address, HashMap[uint256, uint256]]
supply_history: HashMap[uint256, uint256]

# rule parameters, read only when their rule flag is set
extra_topics: public(DynArray[bytes32, claims.MAX_EXTRA_TOPICS])
country_allow: HashMap[uint256, uint256]
country_block: HashMap[uint256, uint256]
# holders in bits 0-127, cap in 128-255
country_holders: HashMap[uint256, uint256]
max_balance: public(uint256)
holding_period: public(uint256)
locked_until: public(HashMap[address, uint256])
issuance_limit: public(uint256)
issuance_period: public(uint256)
issuance_window_start: public(uint256)
issued_in_window: public(uint256)
transfer_approvals: HashMap[bytes32, uint256]
# who may install the first rule set; cleared once it has
rules_installer: address
# the country a holder was counted under for per-country caps: it must leave that
# count even if its registry country changed or its identity moved since it joined
counted_country: HashMap[address, uint256]


@internal
@view
def require_role(role: uint256):
    assert self.roles[msg.sender] & role != 0, "caller lacks role"


@internal
def grant(role: uint256, account: address):
    assert role != 0 and role & ~ALL_ROLES == 0, "unknown role"
    assert account != empty(address), "zero address"
    self.roles[account] |= role
    log RoleGranted(role=role, account=account, sender=msg.sender)


@internal
@pure
def approval_key(sender: address, receiver: address, amount: uint256) -> bytes32:
    return keccak256(abi_encode(sender, receiver, amount))


@internal
@view
def country_listed(rule: uint256, country: uint256) -> bool:
    word: uint256 = 0
    if rule == holders.RULE_COUNTRY_ALLOW:
        word = self.country_allow[country >> 8]
    else:
        word = self.country_block[country >> 8]
    return (word >> (country & 255)) & 1 == 1


@internal
@view
def issued_after(amount: uint256) -> uint256:
    """Issued in the current window after minting `amount` (period 0: lifetime)."""
    period: uint256 = self.issuance_period
    if period != 0 and block.timestamp >= self.issuance_window_start + period:
        return amount
    return self.issued_in_window + amount


@internal
@view
def advanced(cfg: uint256, strict: bool) -> uint256:
    """
    The config with every passed boundary moved from next to last. Strict callers
    are about to change balances and must not fall behind the clock.
    """
    nxt: uint256 = holders.next_boundary(cfg)
    if block.timestamp <= nxt:
        return cfg
    last: uint256 = holders.last_boundary(cfg)
    for i: uint256 in range(MAX_BOUNDARY_STEPS):
        if block.timestamp <= nxt:
            break
        last = nxt
        nxt = self.boundary_next[last]
    assert not strict or block.timestamp <= nxt, "too many snapshot boundaries passed: call advanceSnapshots"
    return holders.with_boundaries(cfg, last, nxt)
