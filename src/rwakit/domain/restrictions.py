"""Transfer restriction codes (ERC-1404), the same numbers the contracts return."""

from enum import IntEnum


class Restriction(IntEnum):
    SUCCESS = 0
    PAUSED = 1
    SENDER_FROZEN = 2
    RECEIVER_FROZEN = 3
    INSUFFICIENT_UNFROZEN_BALANCE = 4
    RECEIVER_NOT_VERIFIED = 5
    RECEIVER_MISSING_CLAIMS = 6
    COUNTRY_NOT_ALLOWED = 7
    COUNTRY_BLOCKED = 8
    HOLDER_LIMIT_REACHED = 9
    COUNTRY_HOLDER_LIMIT_REACHED = 10
    BALANCE_LIMIT_EXCEEDED = 11
    HOLDING_PERIOD_ACTIVE = 12
    TRANSFER_NOT_APPROVED = 13
    SENDER_BLOCKED = 14
    RECEIVER_BLOCKED = 15
    ISSUANCE_LIMIT_EXCEEDED = 16
    GLOBAL_CLAIMS_MISSING = 17
    GLOBAL_COUNTRY_BLOCKED = 18
    RECEIVER_SUSPENDED = 19
    NULL_PARTY = 20

    @property
    def message(self) -> str:
        return MESSAGES[self]


MESSAGES = {
    Restriction.SUCCESS: "transfer allowed",
    Restriction.PAUSED: "token is paused",
    Restriction.SENDER_FROZEN: "sender address is frozen",
    Restriction.RECEIVER_FROZEN: "receiver address is frozen",
    Restriction.INSUFFICIENT_UNFROZEN_BALANCE: "sender lacks unfrozen balance",
    Restriction.RECEIVER_NOT_VERIFIED: "receiver has no registered identity",
    Restriction.RECEIVER_MISSING_CLAIMS: "receiver lacks required claims",
    Restriction.COUNTRY_NOT_ALLOWED: "receiver country not allowed",
    Restriction.COUNTRY_BLOCKED: "receiver country blocked",
    Restriction.HOLDER_LIMIT_REACHED: "maximum number of holders reached",
    Restriction.COUNTRY_HOLDER_LIMIT_REACHED: "maximum holders for receiver country reached",
    Restriction.BALANCE_LIMIT_EXCEEDED: "receiver balance limit exceeded",
    Restriction.HOLDING_PERIOD_ACTIVE: "sender holding period not over",
    Restriction.TRANSFER_NOT_APPROVED: "transfer not pre-approved",
    Restriction.SENDER_BLOCKED: "sender address is blocked",
    Restriction.RECEIVER_BLOCKED: "receiver address is blocked",
    Restriction.ISSUANCE_LIMIT_EXCEEDED: "issuance limit exceeded",
    Restriction.GLOBAL_CLAIMS_MISSING: "receiver lacks platform-wide required claims",
    Restriction.GLOBAL_COUNTRY_BLOCKED: "receiver country blocked platform-wide",
    Restriction.RECEIVER_SUSPENDED: "receiver identity is suspended",
    Restriction.NULL_PARTY: "zero address",
}
