"""Registry calls that put verified investors on chain: trust a claim issuer, then register
wallets with claim sets it signed (one signature per wallet, checked once at write time)."""

from collections.abc import Sequence
from dataclasses import dataclass

from web3.contract import Contract
from web3.contract.contract import ContractFunction

from rwakit.chain.claim_issuer import ClaimIssuer
from rwakit.domain.topics import topic_id


@dataclass(frozen=True)
class NewIdentity:
    wallet: str
    identity_id: int
    country: int  # ISO-3166 numeric


def trust_issuer_call(
    registry: Contract, issuer_address: str, topics: Sequence[str]
) -> ContractFunction:
    return registry.functions.setTrustedIssuer(issuer_address, [topic_id(t) for t in topics], True)


def is_trusted_for_all(registry: Contract, issuer_address: str, topics: Sequence[str]) -> bool:
    return all(
        registry.functions.isTrustedIssuer(issuer_address, topic_id(t)).call() for t in topics
    )


def batch_register_call(
    registry: Contract,
    issuer: ClaimIssuer,
    identities: Sequence[NewIdentity],
    topics: Sequence[str],
    expiry: int,
) -> ContractFunction:
    """One ``batchRegisterIdentity``: every wallet gets ``topics`` signed by ``issuer``."""
    return registry.functions.batchRegisterIdentity(
        [i.wallet for i in identities],
        [i.identity_id for i in identities],
        [i.country for i in identities],
        [issuer.sign(i.wallet, topics, expiry) for i in identities],
    )
