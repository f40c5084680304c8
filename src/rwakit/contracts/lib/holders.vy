# pragma version 0.4.3
"""
@title Holder and token-config word layouts
@notice A transfer touches one storage word per party and one token-wide word, so
        everything a transfer reads or writes about a holder is packed together:
        the authorization nonce, freeze flags and snapshot marker cost nothing extra.

        holder word:  bits 0-95 balance | 96-191 partially frozen amount |
                      192-223 snapshot marker (last passed boundary at the holder's
                      last change) | 224-253 authorization nonce |
                      254 address frozen | 255 address blocked for this token
        config word:  bit 0 paused | 1-32 holder count | 33-64 holder cap |
                      65-96 last passed snapshot boundary | 97-128 next boundary |
                      129-144 rule flags | 145-216 compiled identity expression
"""

U96: constant(uint256) = 79228162514264337593543950335
U32: constant(uint256) = 4294967295
U128: constant(uint256) = 340282366920938463463374607431768211455

FROZEN_SHIFT: constant(uint256) = 96
SNAP_SHIFT: constant(uint256) = 192
NONCE_SHIFT: constant(uint256) = 224
NONCE_MASK: constant(uint256) = 1073741823
ADDRESS_FROZEN: constant(uint256) = 1 << 254
ADDRESS_BLOCKED: constant(uint256) = 1 << 255

PAUSED: constant(uint256) = 1
COUNT_SHIFT: constant(uint256) = 1
CAP_SHIFT: constant(uint256) = 33
LAST_SHIFT: constant(uint256) = 65
NEXT_SHIFT: constant(uint256) = 97
RULES_SHIFT: constant(uint256) = 129
EXPRESSION_SHIFT: constant(uint256) = 145
EXPRESSION_MASK: constant(uint256) = 4722366482869645213695
NO_BOUNDARY: constant(uint256) = 4294967295

RULE_EXPRESSION: constant(uint256) = 1
RULE_COUNTRY_ALLOW: constant(uint256) = 2
RULE_COUNTRY_BLOCK: constant(uint256) = 4
RULE_HOLDER_CAP: constant(uint256) = 8
RULE_COUNTRY_HOLDER_CAP: constant(uint256) = 16
RULE_MAX_BALANCE: constant(uint256) = 32
RULE_ISSUANCE_LIMIT: constant(uint256) = 64
RULE_HOLDING_PERIOD: constant(uint256) = 128
RULE_TRANSFER_APPROVAL: constant(uint256) = 256
RULE_EXTRA_TOPICS: constant(uint256) = 512
# rules that look at the sender: only these make a transfer read the sender's identity
SENDER_RULES: constant(uint256) = 384


@internal
@pure
def balance_of(word: uint256) -> uint256:
    return word & U96


@internal
@pure
def frozen(word: uint256) -> uint256:
    return (word >> FROZEN_SHIFT) & U96


@internal
@pure
def snap(word: uint256) -> uint256:
    return (word >> SNAP_SHIFT) & U32


@internal
@pure
def nonce(word: uint256) -> uint256:
    return (word >> NONCE_SHIFT) & NONCE_MASK


@internal
@pure
def with_balance(word: uint256, amount: uint256) -> uint256:
    assert amount <= U96, "balance exceeds 2^96-1"
    return (word & ~U96) | amount


@internal
@pure
def with_frozen(word: uint256, amount: uint256) -> uint256:
    return (word & ~(U96 << FROZEN_SHIFT)) | (amount << FROZEN_SHIFT)


@internal
@pure
def with_snap(word: uint256, boundary: uint256) -> uint256:
    return (word & ~(U32 << SNAP_SHIFT)) | (boundary << SNAP_SHIFT)


@internal
@pure
def with_next_nonce(word: uint256) -> uint256:
    n: uint256 = (word >> NONCE_SHIFT) & NONCE_MASK
    assert n < NONCE_MASK, "nonce exhausted"
    return (word & ~(NONCE_MASK << NONCE_SHIFT)) | (unsafe_add(n, 1) << NONCE_SHIFT)


@internal
@pure
def holder_count(cfg: uint256) -> uint256:
    return (cfg >> COUNT_SHIFT) & U32


@internal
@pure
def with_holder_count(cfg: uint256, count: uint256) -> uint256:
    return (cfg & ~(U32 << COUNT_SHIFT)) | (count << COUNT_SHIFT)


@internal
@pure
def holder_cap(cfg: uint256) -> uint256:
    return (cfg >> CAP_SHIFT) & U32


@internal
@pure
def last_boundary(cfg: uint256) -> uint256:
    return (cfg >> LAST_SHIFT) & U32


@internal
@pure
def next_boundary(cfg: uint256) -> uint256:
    return (cfg >> NEXT_SHIFT) & U32


@internal
@pure
def with_boundaries(cfg: uint256, last: uint256, nxt: uint256) -> uint256:
    return (cfg & ~((U32 << LAST_SHIFT) | (U32 << NEXT_SHIFT))) | (last << LAST_SHIFT) | (nxt << NEXT_SHIFT)


@internal
@pure
def rules(cfg: uint256) -> uint256:
    return (cfg >> RULES_SHIFT) & 65535


@internal
@pure
def expression(cfg: uint256) -> uint256:
    return (cfg >> EXPRESSION_SHIFT) & EXPRESSION_MASK
