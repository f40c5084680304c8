"""EIP-712 digests and signatures for what rwakit contracts verify on chain.

Digests are computed directly (not through eth-account's generic typed-data encoder)
because relayers sign thousands per second; coincurve signs in C.
"""

from coincurve import PrivateKey
from eth_abi import encode
from eth_utils import keccak, to_checksum_address

from rwakit.chain.abi_words import address_word, uint_word

DOMAIN_TYPEHASH = keccak(
    text="EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"
)
CLAIMS_TYPEHASH = keccak(text="Claims(address wallet,bytes32[] topics,uint256 expiry)")
# the contracts cannot name a field `from`, but the signed type string must
AUTHORIZATION_TYPEHASH = keccak(
    text="TransferAuthorization(address from,address to,uint256 value,"
    "uint256 nonce,uint256 deadline)"
)
REGISTRY_DOMAIN_NAME = "rwakit IdentityRegistry"


def domain_separator(name: str, chain_id: int, contract: str, version: str = "1") -> bytes:
    return keccak(
        encode(
            ["bytes32", "bytes32", "bytes32", "uint256", "address"],
            [
                DOMAIN_TYPEHASH,
                keccak(text=name),
                keccak(text=version),
                chain_id,
                to_checksum_address(contract),
            ],
        )
    )


def typed_digest(domain: bytes, struct_hash: bytes) -> bytes:
    return keccak(b"\x19\x01" + domain + struct_hash)


def claims_digest(domain: bytes, wallet: str, topics: list[bytes], expiry: int) -> bytes:
    """EIP-712 hashes a bytes32[] member as keccak256 of its concatenated elements."""
    struct_hash = keccak(
        encode(
            ["bytes32", "address", "bytes32", "uint256"],
            [CLAIMS_TYPEHASH, wallet, keccak(b"".join(topics)), expiry],
        )
    )
    return typed_digest(domain, struct_hash)


def authorization_digest(
    domain: bytes, owner: str, receiver: str, amount: int, nonce: int, deadline: int
) -> bytes:
    # static words only, laid out directly: relayers sign thousands of these a second
    struct_hash = keccak(
        AUTHORIZATION_TYPEHASH
        + address_word(owner)
        + address_word(receiver)
        + uint_word(amount)
        + uint_word(nonce)
        + uint_word(deadline)
    )
    return typed_digest(domain, struct_hash)


def sign_digest(private_key: bytes | PrivateKey, digest: bytes) -> tuple[int, bytes, bytes]:
    """(v, r, s) with low s, as the contracts require; pass a PrivateKey to skip re-deriving it."""
    key = private_key if isinstance(private_key, PrivateKey) else PrivateKey(private_key)
    signature = key.sign_recoverable(digest, hasher=None)
    return signature[64] + 27, signature[:32], signature[32:64]
