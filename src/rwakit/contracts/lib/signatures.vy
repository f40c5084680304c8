# pragma version 0.4.3
"""
@title EIP-712 signature recovery with malleability checks
@notice ecrecover returns the empty address on failure and accepts high-s
        signatures; both are rejected here so one authorization has one signature.
"""

# secp256k1n / 2: signatures with a larger s are the malleable twin of a valid one
HALF_CURVE_ORDER: constant(uint256) = 57896044618658097711785492504343953926418782139537452191302581570759080747168


@internal
@pure
def digest(domain_separator: bytes32, struct_hash: bytes32) -> bytes32:
    return keccak256(concat(b"\x19\x01", domain_separator, struct_hash))


@internal
@pure
def recover(digest: bytes32, v: uint8, r: bytes32, s: bytes32) -> address:
    """Signer of `digest`, or the empty address when the signature is malformed."""
    if convert(s, uint256) > HALF_CURVE_ORDER:
        return empty(address)
    if v != 27 and v != 28:
        return empty(address)
    return ecrecover(digest, v, r, s)


@internal
@view
def domain_separator(name_hash: bytes32, version_hash: bytes32) -> bytes32:
    return keccak256(
        abi_encode(
            keccak256(
                "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"
            ),
            name_hash,
            version_hash,
            chain.id,
            self,
        )
    )
