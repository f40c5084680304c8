"""Signatures a Vault's signers give: EIP-712 over a payout or a call and the vault's
current nonce, returned in the signer-address order the vault requires."""

from collections.abc import Sequence

from eth_abi import encode
from eth_account import Account
from eth_utils import keccak

from rwakit.chain.typed_signatures import sign_digest, typed_digest

VAULT_DOMAIN_NAME = "rwakit Vault"
PAYOUT_TYPEHASH = keccak(
    text="Payout(address asset,address receiver,uint256 amount,uint256 nonce,uint256 deadline)"
)
CALL_TYPEHASH = keccak(text="Call(address target,bytes data,uint256 nonce,uint256 deadline)")

# (v, r, s) as the Vault's Signature struct
VaultSignature = tuple[int, bytes, bytes]


def payout_digest(
    domain: bytes, asset: str, receiver: str, amount: int, nonce: int, deadline: int
) -> bytes:
    struct_hash = keccak(
        encode(
            ["bytes32", "address", "address", "uint256", "uint256", "uint256"],
            [PAYOUT_TYPEHASH, asset, receiver, amount, nonce, deadline],
        )
    )
    return typed_digest(domain, struct_hash)


def call_digest(domain: bytes, target: str, data: bytes, nonce: int, deadline: int) -> bytes:
    """EIP-712 hashes a `bytes` member as keccak256 of its content."""
    struct_hash = keccak(
        encode(
            ["bytes32", "address", "bytes32", "uint256", "uint256"],
            [CALL_TYPEHASH, target, keccak(data), nonce, deadline],
        )
    )
    return typed_digest(domain, struct_hash)


def sign_for_vault(keys: Sequence[bytes], digest: bytes) -> list[VaultSignature]:
    """Every key signs `digest`; ordered by signer address so the vault counts each once."""
    signed = sorted(
        (int(Account.from_key(key).address, 16), sign_digest(key, digest)) for key in keys
    )
    return [signature for _, signature in signed]
