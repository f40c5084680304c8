"""``RefreshTokenStore``: rotating refresh tokens, kept as digests, grouped in families.

A login starts a family; each refresh marks its token rotated and issues the next one in
the same family. Presenting a rotated token again means it leaked: the whole family is
revoked, so neither the thief nor the owner can refresh any more.
"""

import time
from dataclasses import dataclass
from enum import Enum

from sqlalchemy import insert, select, update

from rwakit.store.account_tables import refresh_tokens
from rwakit.store.repository import Repository

_t = refresh_tokens.c


class Redemption(Enum):
    OK = "ok"
    UNKNOWN = "unknown"
    EXPIRED = "expired"
    REVOKED = "revoked"
    REUSED = "reused"  # a rotated token came back: the family is now revoked


@dataclass(frozen=True)
class RedeemedToken:
    outcome: Redemption
    user_id: int | None = None
    family: str | None = None


class RefreshTokenStore(Repository):
    def issue(self, token_hash: str, user_id: int, family: str, lifetime_s: float) -> None:
        now = time.time()
        row = {
            "token_hash": token_hash,
            "user_id": user_id,
            "family": family,
            "issued_at": now,
            "expires_at": now + lifetime_s,
        }
        with self._write() as conn:
            conn.execute(insert(refresh_tokens).values(row))

    def redeem(self, token_hash: str, now: float | None = None) -> RedeemedToken:
        """Mark the token rotated if it is live; detect reuse and revoke its family."""
        now = time.time() if now is None else now
        with self._write() as conn:
            row = (
                conn.execute(select(refresh_tokens).where(_t.token_hash == token_hash))
                .mappings()
                .first()
            )
            if row is None:
                return RedeemedToken(Redemption.UNKNOWN)
            if row["revoked_at"] is not None:
                return RedeemedToken(Redemption.REVOKED, row["user_id"], row["family"])
            if row["rotated_at"] is not None:
                self._revoke_family(conn, row["family"], now)
                return RedeemedToken(Redemption.REUSED, row["user_id"], row["family"])
            if row["expires_at"] <= now:
                return RedeemedToken(Redemption.EXPIRED, row["user_id"], row["family"])
            # Guarded on rotated_at: of two simultaneous refreshes only one wins.
            won = conn.execute(
                update(refresh_tokens)
                .where(_t.token_hash == token_hash, _t.rotated_at.is_(None))
                .values(rotated_at=now)
            ).rowcount
            if not won:
                self._revoke_family(conn, row["family"], now)
                return RedeemedToken(Redemption.REUSED, row["user_id"], row["family"])
            return RedeemedToken(Redemption.OK, row["user_id"], row["family"])

    def revoke_family_of(self, token_hash: str) -> bool:
        """Log out: revoke the family the token belongs to; False for an unknown token."""
        with self._write() as conn:
            family = conn.execute(
                select(_t.family).where(_t.token_hash == token_hash)
            ).scalar_one_or_none()
            if family is None:
                return False
            self._revoke_family(conn, family, time.time())
            return True

    def revoke_user(self, user_id: int) -> None:
        with self._write() as conn:
            conn.execute(
                update(refresh_tokens)
                .where(_t.user_id == user_id, _t.revoked_at.is_(None))
                .values(revoked_at=time.time())
            )

    @staticmethod
    def _revoke_family(conn: object, family: str, now: float) -> None:
        conn.execute(  # type: ignore[attr-defined]
            update(refresh_tokens)
            .where(_t.family == family, _t.revoked_at.is_(None))
            .values(revoked_at=now)
        )
