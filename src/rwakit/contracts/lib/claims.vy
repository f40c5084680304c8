# pragma version 0.4.3
"""
@title Identity word layout, claim topics and identity expressions
@notice One storage word per wallet holds everything a transfer check needs:
        country, status, identity id and, for five built-in topics, each claim's
        expiry and trusted-issuer index. Trust is a per-topic bitmask of issuer
        indexes, so un-trusting an issuer clears one bit instead of touching claims.

        identity word:  bits 0-9 country (ISO 3166 numeric) | 10-11 status |
                        12-43 identity id | 44-243 five claims of 40 bits
                        (32-bit expiry, 8-bit issuer index) | 248-255 transient
                        global restriction code (only in values returned by the
                        registry, never stored)
        header word:    bits 0-239 five 48-bit trust masks (issuer indexes 1-47) |
                        240-255 platform-wide rule flags
        expression:     compiled once, when set, into a truth table over the topics
                        it names (at most six): bits 0-7 say which of the eight
                        variables it uses (five inline topics, then three extra
                        topics looked up outside the word), bits 8-71 hold the
                        table, indexed by the used variables' validity in order.
                        A transfer computes each used topic's validity and looks
                        the answer up, instead of interpreting the expression.
"""

KYC: constant(bytes32) = keccak256("KYC")
AML: constant(bytes32) = keccak256("AML")
ACCREDITED: constant(bytes32) = keccak256("ACCREDITED")
QUALIFIED_INSTITUTIONAL: constant(bytes32) = keccak256("QUALIFIED_INSTITUTIONAL")
PROFESSIONAL: constant(bytes32) = keccak256("PROFESSIONAL")
REGULATION_S: constant(bytes32) = keccak256("REGULATION_S")

NOT_INLINE: constant(uint256) = 255
INLINE_TOPICS: constant(uint256) = 5
MAX_ISSUERS: constant(uint256) = 47

STATUS_NONE: constant(uint256) = 0
STATUS_ACTIVE: constant(uint256) = 1
STATUS_SUSPENDED: constant(uint256) = 2
STATUS_BYPASS: constant(uint256) = 3

COUNTRY_MASK: constant(uint256) = 1023
STATUS_SHIFT: constant(uint256) = 10
ID_SHIFT: constant(uint256) = 12
ID_MASK: constant(uint256) = 4294967295
CLAIMS_SHIFT: constant(uint256) = 44
CLAIM_BITS: constant(uint256) = 40
CLAIM_MASK: constant(uint256) = 1099511627775
EXPIRY_MASK: constant(uint256) = 4294967295
REASON_SHIFT: constant(uint256) = 248
STORED_MASK: constant(uint256) = 452312848583266388373324160190187140051835877600158453279131187530910662655

TRUST_BITS: constant(uint256) = 48
FLAG_GLOBAL_EXPRESSION: constant(uint256) = 1 << 240
FLAG_GLOBAL_COUNTRY_BLOCK: constant(uint256) = 1 << 241
FLAG_GLOBAL_SENDER_BLOCK: constant(uint256) = 1 << 242

OP_AND: constant(uint256) = 1
OP_OR: constant(uint256) = 2
OP_NOT: constant(uint256) = 3
OP_INLINE: constant(uint256) = 16
OP_EXTRA: constant(uint256) = 32
MAX_OPS: constant(uint256) = 12
MAX_EXTRA_TOPICS: constant(uint256) = 3
MAX_VARIABLES: constant(uint256) = 6
EXTRA_VARIABLE: constant(uint256) = 5


@internal
@pure
def inline_slot(topic: bytes32) -> uint256:
    if topic == KYC:
        return 0
    if topic == AML:
        return 1
    if topic == ACCREDITED:
        return 2
    if topic == QUALIFIED_INSTITUTIONAL:
        return 3
    if topic == PROFESSIONAL:
        return 4
    return NOT_INLINE


@internal
@pure
def country(word: uint256) -> uint256:
    return word & COUNTRY_MASK


@internal
@pure
def status(word: uint256) -> uint256:
    return (word >> STATUS_SHIFT) & 3


@internal
@pure
def identity_id(word: uint256) -> uint256:
    return (word >> ID_SHIFT) & ID_MASK


@internal
@pure
def with_status(word: uint256, new_status: uint256) -> uint256:
    return (word & ~(3 << STATUS_SHIFT)) | (new_status << STATUS_SHIFT)


@internal
@pure
def claim_at(word: uint256, slot: uint256) -> uint256:
    return (word >> unsafe_add(CLAIMS_SHIFT, unsafe_mul(slot, CLAIM_BITS))) & CLAIM_MASK


@internal
@pure
def with_claim(word: uint256, slot: uint256, claim: uint256) -> uint256:
    offset: uint256 = unsafe_add(CLAIMS_SHIFT, unsafe_mul(slot, CLAIM_BITS))
    return (word & ~(CLAIM_MASK << offset)) | (claim << offset)


@internal
@pure
def claim_valid(claim: uint256, trust_mask: uint256, now: uint256) -> bool:
    """A claim holds when unexpired and its issuer is still trusted for the topic."""
    issuer: uint256 = claim >> 32
    return (claim & EXPIRY_MASK) > now and issuer != 0 and (trust_mask >> issuer) & 1 == 1


@internal
@pure
def inline_trust(header: uint256, slot: uint256) -> uint256:
    return (header >> unsafe_mul(slot, TRUST_BITS)) & 281474976710655


@internal
@pure
def _run(program: uint256, valuation: uint256) -> bool:
    """Interpret a postfix program; variable v is true when bit v of `valuation` is set."""
    stack: uint256 = 0
    for i: uint256 in range(MAX_OPS):
        op: uint256 = (program >> (i * 8)) & 255
        if op == 0:
            break
        if op == OP_AND:
            stack = (stack >> 1) & ((stack & 1) | ~1)
        elif op == OP_OR:
            stack = (stack >> 1) | (stack & 1)
        elif op == OP_NOT:
            stack = stack ^ 1
        elif op >= OP_EXTRA:
            stack = (stack << 1) | ((valuation >> (op - OP_EXTRA + EXTRA_VARIABLE)) & 1)
        else:
            stack = (stack << 1) | ((valuation >> (op - OP_INLINE)) & 1)
    return stack & 1 == 1


@internal
@pure
def compile_table(program: uint256) -> uint256:
    """Variables mask | truth table << 8 for a validated program; 0 for no program."""
    if program == 0:
        return 0
    used: uint256 = 0
    for i: uint256 in range(MAX_OPS):
        op: uint256 = (program >> (i * 8)) & 255
        if op >= OP_EXTRA:
            used |= 1 << (op - OP_EXTRA + EXTRA_VARIABLE)
        elif op >= OP_INLINE:
            used |= 1 << (op - OP_INLINE)
    positions: DynArray[uint256, 8] = []
    for v: uint256 in range(8):
        if (used >> v) & 1 == 1:
            positions.append(v)
    assert len(positions) <= MAX_VARIABLES, "expression: more than six distinct topics"
    table: uint256 = 0
    for row: uint256 in range(64):
        if row >> len(positions) != 0:
            break
        valuation: uint256 = 0
        for k: uint256 in range(len(positions), bound=MAX_VARIABLES):
            valuation |= ((row >> k) & 1) << positions[k]
        if self._run(program, valuation):
            table |= 1 << row
    return used | (table << 8)


@internal
@pure
def holds(compiled: uint256, word: uint256, header: uint256, extra_bits: uint256, now: uint256) -> bool:
    """Look up a compiled expression for one identity word."""
    used: uint256 = compiled & 255
    row: uint256 = 0
    k: uint256 = 0
    for v: uint256 in range(8):
        if used >> v == 0:
            break
        if (used >> v) & 1 == 1:
            valid: uint256 = 0
            if v < EXTRA_VARIABLE:
                # claim_valid, spelled out: this runs for every item of every batch.
                # Issuer index 0 needs no check: bit 0 of a trust mask is never set.
                claim: uint256 = (word >> unsafe_add(CLAIMS_SHIFT, unsafe_mul(v, CLAIM_BITS))) & CLAIM_MASK
                if claim & EXPIRY_MASK > now:
                    valid = (header >> unsafe_add(unsafe_mul(v, TRUST_BITS), claim >> 32)) & 1
            else:
                valid = (extra_bits >> unsafe_sub(v, EXTRA_VARIABLE)) & 1
            row |= valid << k
            k = unsafe_add(k, 1)
    return (compiled >> (8 + row)) & 1 == 1


@internal
@pure
def encode(expression: DynArray[bytes32, MAX_OPS]) -> (uint256, DynArray[bytes32, MAX_EXTRA_TOPICS]):
    """
    Compile a postfix list (topic ids and the words 1 AND, 2 OR, 3 NOT) into a
    program, checking that it leaves exactly one value. Empty means no rule.
    """
    program: uint256 = 0
    extras: DynArray[bytes32, MAX_EXTRA_TOPICS] = []
    depth: uint256 = 0
    for i: uint256 in range(len(expression), bound=MAX_OPS):
        item: bytes32 = expression[i]
        op: uint256 = 0
        if item == convert(OP_AND, bytes32) or item == convert(OP_OR, bytes32):
            assert depth >= 2, "expression: operator needs two operands"
            depth -= 1
            op = convert(item, uint256)
        elif item == convert(OP_NOT, bytes32):
            assert depth >= 1, "expression: NOT needs an operand"
            op = OP_NOT
        else:
            assert item != empty(bytes32), "expression: empty topic"
            slot: uint256 = self.inline_slot(item)
            if slot != NOT_INLINE:
                op = OP_INLINE + slot
            else:
                index: uint256 = len(extras)
                for j: uint256 in range(len(extras), bound=MAX_EXTRA_TOPICS):
                    if extras[j] == item:
                        index = j
                        break
                if index == len(extras):
                    assert len(extras) < MAX_EXTRA_TOPICS, "expression: too many distinct topics"
                    extras.append(item)
                op = OP_EXTRA + index
            depth += 1
        program = program | (op << (i * 8))
    assert len(expression) == 0 or depth == 1, "expression: must leave exactly one value"
    return program, extras
