"""A trusted claim issuer (a KYC provider, say) signing claims the registry will accept."""

from dataclasses import dataclass

from eth_account import Account

from rwakit.chain.typed_signatures import (
    REGISTRY_DOMAIN_NAME,
    claim_digest,
    domain_separator,
    sign_digest,
)
from rwakit.domain.topics import topic_id

SignedClaim = tuple[bytes, int, int, bytes, bytes]  # (topic, expiry, v, r, s) as the ABI takes it


@dataclass(frozen=True)
class ClaimIssuer:
    private_key: bytes
    chain_id: int
    registry: str

    @property
    def address(self) -> str:
        return Account.from_key(self.private_key).address

    def sign(self, wallet: str, topic: str | bytes, expiry: int) -> SignedClaim:
        topic_bytes = topic_id(topic) if isinstance(topic, str) else topic
        domain = domain_separator(REGISTRY_DOMAIN_NAME, self.chain_id, self.registry)
        v, r, s = sign_digest(self.private_key, claim_digest(domain, wallet, topic_bytes, expiry))
        return (topic_bytes, expiry, v, r, s)

    def sign_for(self, wallet: str, topic: str | bytes, expiry: int) -> tuple:
        """The batch form, naming the wallet: (wallet, topic, expiry, v, r, s)."""
        return (wallet, *self.sign(wallet, topic, expiry))
