"""``IdentityDirectory``: the read model's identities with their claims, the claim topics
and the trusted issuers; the lists in keyset pages on their primary keys."""

from dataclasses import dataclass

from sqlalchemy import and_, or_, select

from rwakit.store import input_checks
from rwakit.store.read_model_tables import claim_topics, claims, identities, trusted_issuers
from rwakit.store.repository import Repository

MAX_PAGE_SIZE = 500


@dataclass(frozen=True)
class ClaimRow:
    topic: str
    issuer: str
    expiry: int


@dataclass(frozen=True)
class IdentityRow:
    wallet: str
    identity_id: int
    country: int
    status: int  # 0 none, 1 active, 2 suspended, 3 bypass
    claims: list[ClaimRow]


@dataclass(frozen=True)
class TopicRow:
    topic: str
    name: str


@dataclass(frozen=True)
class TrustedIssuerRow:
    issuer: str
    topic: str
    position: int


def _limit(limit: int) -> int:
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_PAGE_SIZE:
        raise ValueError(f"limit must be 1 to {MAX_PAGE_SIZE}; got {limit!r}")
    return limit


class IdentityDirectory(Repository):
    def identity(self, wallet: str) -> IdentityRow | None:
        wallet = input_checks.address(wallet, "wallet").lower()
        i, c = identities.c, claims.c
        with self._read() as conn:
            row = conn.execute(select(identities).where(i.wallet == wallet)).mappings().first()
            if row is None:
                return None
            found = conn.execute(
                select(c.topic, c.issuer, c.expiry).where(c.wallet == wallet).order_by(c.topic)
            ).mappings()
            held = [ClaimRow(**claim) for claim in found]
        return IdentityRow(row["wallet"], row["identity_id"], row["country"], row["status"], held)

    def topics(self, *, after: str | None = None, limit: int = 50) -> list[TopicRow]:
        """Claim topics in topic order; ``limit`` + 1 rows tell the caller there is more."""
        t = claim_topics.c
        stmt = select(t.topic, t.name)
        if after is not None:
            stmt = stmt.where(t.topic > input_checks.text(after, "cursor"))
        stmt = stmt.order_by(t.topic).limit(_limit(limit) + 1)
        with self._read() as conn:
            return [TopicRow(**row) for row in conn.execute(stmt).mappings()]

    def trusted_issuers(
        self,
        *,
        topic: str | None = None,
        after: tuple[str, str] | None = None,
        limit: int = 50,
    ) -> list[TrustedIssuerRow]:
        """Trusted (issuer, topic) pairs in that order, optionally for one topic;
        ``limit`` + 1 rows tell the caller there is more."""
        t = trusted_issuers.c
        stmt = select(t.issuer, t.topic, t.position)
        if topic is not None:
            stmt = stmt.where(t.topic == input_checks.text(topic, "topic"))
        if after is not None:
            issuer, after_topic = after
            stmt = stmt.where(
                or_(t.issuer > issuer, and_(t.issuer == issuer, t.topic > after_topic))
            )
        stmt = stmt.order_by(t.issuer, t.topic).limit(_limit(limit) + 1)
        with self._read() as conn:
            return [TrustedIssuerRow(**row) for row in conn.execute(stmt).mappings()]
