"""DvP / XvP settlements: the legs' id, each sender's EIP-712 approval, the call that
settles every leg at once, and deploying the (one per deployment) Settlement contract."""

from collections.abc import Sequence
from dataclasses import dataclass

from eth_abi import encode
from eth_utils import keccak
from web3 import Web3

from rwakit.chain.transactor import Transactor
from rwakit.chain.typed_signatures import sign_digest, typed_digest
from rwakit.contracts.artifacts import ContractArtifact

SETTLEMENT_DOMAIN_NAME = "rwakit Settlement"
SETTLEMENT_TYPEHASH = keccak(text="Settlement(bytes32 id)")
NO_HASHLOCK = b"\x00" * 32


@dataclass(frozen=True)
class Leg:
    token: str
    sender: str
    receiver: str
    amount: int

    def as_abi(self) -> tuple:
        return (
            Web3.to_checksum_address(self.token),
            Web3.to_checksum_address(self.sender),
            Web3.to_checksum_address(self.receiver),
            self.amount,
        )


@dataclass(frozen=True)
class SettlementTerms:
    legs: tuple[Leg, ...]
    cutoff: int
    hashlock: bytes = NO_HASHLOCK  # keccak256 of a 32-byte preimage, or zero
    salt: int = 0

    def as_abi(self) -> tuple:
        return ([leg.as_abi() for leg in self.legs], self.cutoff, self.hashlock, self.salt)

    @property
    def id(self) -> bytes:
        return keccak(
            encode(
                ["(address,address,address,uint256)[]", "uint256", "bytes32", "uint256"],
                self.as_abi(),
            )
        )


def hashlock_of(preimage: bytes) -> bytes:
    return keccak(preimage)


def approve_settlement(key: bytes, domain: bytes, terms: SettlementTerms) -> tuple:
    """A sender's approval of every leg of `terms`: (v, r, s)."""
    struct_hash = keccak(encode(["bytes32", "bytes32"], [SETTLEMENT_TYPEHASH, terms.id]))
    return sign_digest(key, typed_digest(domain, struct_hash))


def execute_call(settlement, terms: SettlementTerms, approvals: Sequence[tuple], preimage=None):
    """`approvals[i]` from legs[i].sender; `preimage` only for a hashlocked settlement."""
    legs, cutoff, hashlock, salt = terms.as_abi()
    return settlement.functions.execute(
        legs, cutoff, hashlock, salt, list(approvals), preimage or NO_HASHLOCK
    )


def deploy_settlement(tx: Transactor, artifacts: dict[str, ContractArtifact]) -> str:
    artifact = artifacts["Settlement"]
    return tx.deploy(
        tx.w3.eth.contract(abi=artifact.abi, bytecode=artifact.bytecode)
        .constructor()
        .data_in_transaction
    )
