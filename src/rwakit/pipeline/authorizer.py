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
        accounts_for: Callable[[list[str]], dict[str, LocalAccount]],
        read_nonces: Callable[[str, list[str]], list[int]],
        domain_for: Callable[[str], bytes],
    ) -> None:
        self._accounts_for = accounts_for  # addresses -> their signers, in one lookup
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
        self._load_keys({op.params["from"] for op in ops} - self._keys.keys())
        domain = self._domain_for(token)
        signed = []
        for op in ops:
            key = (token, op.params["from"])
            nonce = self._next[key]
            self._next[key] = nonce + 1
            signed.append(
                sign_authorization(
                    self._keys[op.params["from"]],
                    domain,
                    op.params["from"],
                    op.params["to"],
                    op.params["amount"],
                    nonce,
                    now + AUTHORIZATION_LIFETIME,
                )
            )
        return signed

    def _load_keys(self, owners: set[str]) -> None:
        # one lookup for every new owner of the batch: one query per owner was half of a
        # cycle's time while a relayer met its investors for the first time
        if not owners:
            return
        accounts = self._accounts_for(sorted(owners))
        missing = owners - accounts.keys()
        if missing:
            raise LookupError(f"{sorted(missing)[0]} is not a custodial wallet")
        for owner, account in accounts.items():
            self._keys[owner] = PrivateKey(bytes(account.key))

    def forget(self, token: str, owners: Sequence[str]) -> None:
        """After a failed or reverted batch the chain is the truth again for these owners."""
        with self._lock:
            for owner in owners:
                self._next.pop((token, owner), None)
