"""Sign investors' transfer authorizations with their custodial keys at batch time.

Signing when the batch is built (not when the op is accepted) means the nonce is always
the next one the token expects, even after an earlier transfer of the same investor failed.
"""

import threading
from collections.abc import Callable, Sequence

from coincurve import PrivateKey
from eth_account.signers.local import LocalAccount

from rwakit.chain.authorizations import Authorization, sign_authorization
from rwakit.pipeline.batch_calls import PendingOp

AUTHORIZATION_LIFETIME = 3600


class Authorizer:
    def __init__(
        self,
        account_for: Callable[[str], LocalAccount],
        read_nonces: Callable[[str, list[str]], list[int]],
        domain_for: Callable[[str], bytes],
    ) -> None:
        self._account_for = account_for
        self._read_nonces = read_nonces  # (token, owners) -> on-chain nonces
        self._domain_for = domain_for
        self._next: dict[tuple[str, str], int] = {}
        self._keys: dict[str, PrivateKey] = {}  # signing keys, not re-derived per signature
        self._lock = threading.Lock()  # the confirmation thread forgets, the batcher signs

    def sign(self, ops: Sequence[PendingOp], now: int) -> list[Authorization]:
        with self._lock:
            return self._sign(ops, now)

    def _sign(self, ops: Sequence[PendingOp], now: int) -> list[Authorization]:
        token = ops[0].contract
        unknown = sorted(
            {op.params["from"] for op in ops} - {o for t, o in self._next if t == token}
        )
        if unknown:
            for owner, nonce in zip(unknown, self._read_nonces(token, unknown), strict=True):
                self._next[(token, owner)] = nonce
        domain = self._domain_for(token)
        signed = []
        for op in ops:
            key = (token, op.params["from"])
            nonce = self._next[key]
            self._next[key] = nonce + 1
            signed.append(
                sign_authorization(
                    self._key(op.params["from"]),
                    domain,
                    op.params["from"],
                    op.params["to"],
                    op.params["amount"],
                    nonce,
                    now + AUTHORIZATION_LIFETIME,
                )
            )
        return signed

    def _key(self, owner: str) -> PrivateKey:
        key = self._keys.get(owner)
        if key is None:
            key = self._keys[owner] = PrivateKey(bytes(self._account_for(owner).key))
        return key

    def forget(self, token: str, owners: Sequence[str]) -> None:
        """After a failed or reverted batch the chain is the truth again for these owners."""
        with self._lock:
            for owner in owners:
                self._next.pop((token, owner), None)
