"""Signed transfer authorizations: an investor's wallet signs, a relayer settles in batches."""

from coincurve import PrivateKey

from rwakit.chain.typed_signatures import authorization_digest, sign_digest

# (owner, receiver, amount, deadline, v, r, s) as SecurityToken's Authorization struct
Authorization = tuple[str, str, int, int, int, bytes, bytes]


def sign_authorization(
    private_key: bytes | PrivateKey,
    domain: bytes,
    owner: str,
    receiver: str,
    amount: int,
    nonce: int,
    deadline: int,
) -> Authorization:
    v, r, s = sign_digest(
        private_key, authorization_digest(domain, owner, receiver, amount, nonce, deadline)
    )
    return (owner, receiver, amount, deadline, v, r, s)
