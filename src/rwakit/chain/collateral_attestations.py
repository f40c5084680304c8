"""A collateral issuer's EIP-712 attestation of the collateral behind a stablecoin, as
CollateralMinter.vy verifies it."""

from eth_abi import encode
from eth_utils import keccak

from rwakit.chain.typed_signatures import sign_digest, typed_digest

COLLATERAL_TYPEHASH = keccak(
    text="Collateral(address token,uint256 amount,uint256 expiry,uint256 nonce)"
)


def sign_collateral(
    key: bytes, domain: bytes, token: str, amount: int, expiry: int, nonce: int
) -> tuple[int, int, int, int, bytes, bytes]:
    """(amount, expiry, nonce, v, r, s): the arguments of `attest`."""
    struct_hash = keccak(
        encode(
            ["bytes32", "address", "uint256", "uint256", "uint256"],
            [COLLATERAL_TYPEHASH, token, amount, expiry, nonce],
        )
    )
    v, r, s = sign_digest(key, typed_digest(domain, struct_hash))
    return amount, expiry, nonce, v, r, s
