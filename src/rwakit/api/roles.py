"""The API's roles; every endpoint names the ones it allows (see ``access.Allow``)."""

from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"
    ISSUER = "issuer"
    COMPLIANCE_OFFICER = "compliance_officer"
    INVESTOR = "investor"


ALL_ROLES = frozenset(Role)
STAFF = frozenset({Role.ADMIN, Role.ISSUER, Role.COMPLIANCE_OFFICER})
