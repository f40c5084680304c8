# pragma version 0.4.3
"""
@title Transfer restriction codes (ERC-1404) shared by the registry and tokens
@notice 0 means the transfer may go ahead; every other code names one rule and one party.
"""

SUCCESS: constant(uint8) = 0
PAUSED: constant(uint8) = 1
SENDER_FROZEN: constant(uint8) = 2
RECEIVER_FROZEN: constant(uint8) = 3
INSUFFICIENT_UNFROZEN_BALANCE: constant(uint8) = 4
RECEIVER_NOT_VERIFIED: constant(uint8) = 5
RECEIVER_MISSING_CLAIMS: constant(uint8) = 6
COUNTRY_NOT_ALLOWED: constant(uint8) = 7
COUNTRY_BLOCKED: constant(uint8) = 8
HOLDER_LIMIT_REACHED: constant(uint8) = 9
COUNTRY_HOLDER_LIMIT_REACHED: constant(uint8) = 10
BALANCE_LIMIT_EXCEEDED: constant(uint8) = 11
HOLDING_PERIOD_ACTIVE: constant(uint8) = 12
TRANSFER_NOT_APPROVED: constant(uint8) = 13
SENDER_BLOCKED: constant(uint8) = 14
RECEIVER_BLOCKED: constant(uint8) = 15
ISSUANCE_LIMIT_EXCEEDED: constant(uint8) = 16
GLOBAL_CLAIMS_MISSING: constant(uint8) = 17
GLOBAL_COUNTRY_BLOCKED: constant(uint8) = 18
RECEIVER_SUSPENDED: constant(uint8) = 19
NULL_PARTY: constant(uint8) = 20
MAX_CODE: constant(uint8) = 20


@internal
@pure
def message(code: uint8) -> String[64]:
    if code == SUCCESS:
        return "transfer allowed"
    if code == PAUSED:
        return "token is paused"
    if code == SENDER_FROZEN:
        return "sender address is frozen"
    if code == RECEIVER_FROZEN:
        return "receiver address is frozen"
    if code == INSUFFICIENT_UNFROZEN_BALANCE:
        return "sender lacks unfrozen balance"
    if code == RECEIVER_NOT_VERIFIED:
        return "receiver has no registered identity"
    if code == RECEIVER_MISSING_CLAIMS:
        return "receiver lacks required claims"
    if code == COUNTRY_NOT_ALLOWED:
        return "receiver country not allowed"
    if code == COUNTRY_BLOCKED:
        return "receiver country blocked"
    if code == HOLDER_LIMIT_REACHED:
        return "maximum number of holders reached"
    if code == COUNTRY_HOLDER_LIMIT_REACHED:
        return "maximum holders for receiver country reached"
    if code == BALANCE_LIMIT_EXCEEDED:
        return "receiver balance limit exceeded"
    if code == HOLDING_PERIOD_ACTIVE:
        return "sender holding period not over"
    if code == TRANSFER_NOT_APPROVED:
        return "transfer not pre-approved"
    if code == SENDER_BLOCKED:
        return "sender address is blocked"
    if code == RECEIVER_BLOCKED:
        return "receiver address is blocked"
    if code == ISSUANCE_LIMIT_EXCEEDED:
        return "issuance limit exceeded"
    if code == GLOBAL_CLAIMS_MISSING:
        return "receiver lacks platform-wide required claims"
    if code == GLOBAL_COUNTRY_BLOCKED:
        return "receiver country blocked platform-wide"
    if code == RECEIVER_SUSPENDED:
        return "receiver identity is suspended"
    if code == NULL_PARTY:
        return "zero address"
    return "unknown restriction"
