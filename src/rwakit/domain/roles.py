"""Role bits of tokens and of the identity registry (the contracts' numbers)."""

from enum import IntEnum, IntFlag


class TokenRole(IntEnum):
    ADMIN = 1
    GOVERNANCE = 2
    SUPPLY = 4
    CUSTODIAN = 8
    EMERGENCY = 16
    SCHEDULER = 32
    ALL = 63


class RegistryRole(IntEnum):
    ADMIN = 1
    REGISTRAR = 2
    GOVERNANCE = 4
    ALL = 7


class IdentityStatus(IntEnum):
    NONE = 0
    ACTIVE = 1
    SUSPENDED = 2
    BYPASS = 3


class RuleFlag(IntFlag):
    """Token rule flags (`ruleFlags()`), also the rule ids of `setCountryRule`."""

    EXPRESSION = 1
    COUNTRY_ALLOW = 2
    COUNTRY_BLOCK = 4
    HOLDER_CAP = 8
    COUNTRY_HOLDER_CAP = 16
    MAX_BALANCE = 32
    ISSUANCE_LIMIT = 64
    HOLDING_PERIOD = 128
    TRANSFER_APPROVAL = 256
    EXTRA_TOPICS = 512
