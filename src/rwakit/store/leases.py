"""``LeaseStore``: named leases with expiry, so one worker at a time owns a signer or a chain.

A holder renews its lease (the heartbeat) well before it expires; when the holder dies,
the lease runs out and another process takes it over. Callers pass ``now`` so tests and
workers agree on one clock.
"""

from sqlalchemy import delete, select, update

from rwakit.store import input_checks
from rwakit.store.repository import Repository
from rwakit.store.tables import leases

_l = leases.c


def _ttl(ttl: float) -> float:
    if isinstance(ttl, bool) or not isinstance(ttl, int | float) or ttl <= 0:
        raise ValueError(f"lease ttl must be a positive number of seconds; got {ttl!r}")
    return float(ttl)


class LeaseStore(Repository):
    def acquire(self, name: str, holder: str, ttl: float, now: float) -> bool:
        """Take the lease if it is free, expired or already ours; True when we hold it.

        One conditional upsert, so two contenders can never both win.
        """
        input_checks.text(name, "lease name")
        input_checks.text(holder, "lease holder")
        stmt = self._upsert(leases).values(
            name=name, holder=holder, expires_at=now + _ttl(ttl), heartbeat_at=now
        )
        stmt = stmt.on_conflict_do_update(
            index_elements=[_l.name],
            set_={
                "holder": stmt.excluded.holder,
                "expires_at": stmt.excluded.expires_at,
                "heartbeat_at": stmt.excluded.heartbeat_at,
            },
            where=(_l.expires_at <= now) | (_l.holder == stmt.excluded.holder),
        ).returning(_l.holder)
        with self._write() as conn:
            return conn.execute(stmt).scalar_one_or_none() == holder

    def renew(self, name: str, holder: str, ttl: float, now: float) -> bool:
        """Extend our lease (the heartbeat); False when someone else holds it now."""
        stmt = (
            update(leases)
            .where(_l.name == name, _l.holder == holder)
            .values(expires_at=now + _ttl(ttl), heartbeat_at=now)
        )
        with self._write() as conn:
            return conn.execute(stmt).rowcount == 1

    def release(self, name: str, holder: str) -> bool:
        """Give the lease up at once (clean shutdown), if it is still ours."""
        with self._write() as conn:
            return (
                conn.execute(delete(leases).where(_l.name == name, _l.holder == holder)).rowcount
                == 1
            )

    def holder(self, name: str, now: float | None = None) -> str | None:
        """Who holds the lease; with ``now``, an expired lease counts as free (None)."""
        stmt = select(_l.holder).where(_l.name == name)
        if now is not None:
            stmt = stmt.where(_l.expires_at > now)
        with self._read() as conn:
            return conn.execute(stmt).scalar_one_or_none()
