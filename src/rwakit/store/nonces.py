"""``NonceStore``: the next nonce of each signer, reserved atomically in the database.

Reserving in the database (not in memory) means a restarted or replacement worker never
reuses a nonce a crashed one had already signed with.
"""

from sqlalchemy import select, update

from rwakit.store import input_checks
from rwakit.store.repository import Repository
from rwakit.store.tables import signer_nonces

_n = signer_nonces.c


class UnknownSignerError(LookupError):
    """A nonce was asked for a signer whose chain nonce was never recorded."""


class NonceStore(Repository):
    def reserve(self, signer: str, count: int = 1) -> int:
        """Take the next ``count`` nonces; returns the first. One atomic increment."""
        if isinstance(count, bool) or not isinstance(count, int) or count < 1:
            raise ValueError(f"nonce count must be a positive integer; got {count!r}")
        address = input_checks.address(signer, "signer")
        stmt = (
            update(signer_nonces)
            .where(_n.signer == address)
            .values(next_nonce=_n.next_nonce + count)
            .returning(_n.next_nonce)
        )
        with self._write() as conn:
            after = conn.execute(stmt).scalar_one_or_none()
        if after is None:
            raise UnknownSignerError(
                f"no nonce recorded for signer {address}; call set_next with the chain's "
                "pending nonce first"
            )
        return after - count

    def set_next(self, signer: str, nonce: int) -> None:
        """Record the next nonce to use, e.g. the chain's pending nonce after a restart."""
        address = input_checks.address(signer, "signer")
        value = input_checks.non_negative(nonce, "nonce")
        stmt = (
            self._upsert(signer_nonces)
            .values(signer=address, next_nonce=value)
            .on_conflict_do_update(index_elements=[_n.signer], set_={"next_nonce": value})
        )
        with self._write() as conn:
            conn.execute(stmt)

    def peek(self, signer: str) -> int | None:
        """The next nonce ``reserve`` would hand out, or None if none is recorded."""
        address = input_checks.address(signer, "signer")
        with self._read() as conn:
            return conn.execute(
                select(_n.next_nonce).where(_n.signer == address)
            ).scalar_one_or_none()
