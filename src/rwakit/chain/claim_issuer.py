"""A trusted claim issuer (a KYC provider, say) signing claims the registry will accept."""

from collections.abc import Sequence
from dataclasses import dataclass

from eth_account import Account

from rwakit.chain.typed_signatures import (
    REGISTRY_DOMAIN_NAME,
    claims_digest,
    domain_separator,
    sign_digest,
)
from rwakit.domain.topics import topic_id

# (topics, expiry, v, r, s) as the registry's ClaimSet struct
ClaimSet = tuple[list[bytes], int, int, bytes, bytes]


@dataclass(frozen=True)
class ClaimIssuer:
    private_key: bytes
    chain_id: int
    registry: str

    @property
    def address(self) -> str:
        return Account.from_key(self.private_key).address

    def sign(self, wallet: str, topics: Sequence[str | bytes], expiry: int) -> ClaimSet:
        """One signature attesting every topic in `topics` for `wallet` until `expiry`."""
        ids = [topic_id(t) if isinstance(t, str) else t for t in topics]
        domain = domain_separator(REGISTRY_DOMAIN_NAME, self.chain_id, self.registry)
        v, r, s = sign_digest(self.private_key, claims_digest(domain, wallet, ids, expiry))
        return (ids, expiry, v, r, s)
