"""``UserStore``: the API's user accounts (email, password hash, role, custodial wallet).

The store takes hashes, never passwords; hashing is the API's job.
"""

import time
from dataclasses import dataclass

from sqlalchemy import RowMapping, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from rwakit.store import input_checks
from rwakit.store.account_tables import users
from rwakit.store.repository import Repository

_u = users.c


class EmailTaken(ValueError):
    """Another account already uses this email."""


@dataclass(frozen=True)
class UserRow:
    id: int
    email: str
    password_hash: str
    role: str
    wallet: str | None
    disabled: bool
    created_at: float

    def __repr__(self) -> str:
        return f"UserRow(id={self.id}, email={self.email!r}, role={self.role!r})"

    @classmethod
    def from_mapping(cls, row: RowMapping) -> "UserRow":
        return cls(**dict(row))


class UserStore(Repository):
    def create(self, email: str, password_hash: str, *, first_role: str, role: str) -> UserRow:
        """A new user: ``first_role`` when no user exists yet, else ``role``.

        The count and the insert share one transaction; on SQLite it holds the write lock,
        on PostgreSQL two simultaneous first registrations could both see an empty table,
        so the role is re-checked after the insert (the lowest id keeps ``first_role``).
        """
        row = {
            "email": input_checks.text(email, "email", max_length=320).lower(),
            "password_hash": password_hash,
            "disabled": False,
            "created_at": time.time(),
        }
        try:
            with self._write() as conn:
                empty = conn.execute(select(func.count()).select_from(users)).scalar_one() == 0
                row["role"] = first_role if empty else role
                new_id = conn.execute(insert(users).values(row).returning(_u.id)).scalar_one()
                if empty:
                    lowest = conn.execute(select(func.min(_u.id))).scalar_one()
                    if lowest != new_id:
                        conn.execute(update(users).where(_u.id == new_id).values(role=role))
                        row["role"] = role
        except IntegrityError:
            raise EmailTaken(f"{row['email']} already has an account") from None
        return UserRow(id=new_id, wallet=None, **row)

    def set_wallet(self, user_id: int, wallet: str) -> None:
        with self._write() as conn:
            conn.execute(update(users).where(_u.id == user_id).values(wallet=wallet))

    def set_role(self, user_id: int, role: str) -> UserRow | None:
        with self._write() as conn:
            conn.execute(update(users).where(_u.id == user_id).values(role=role))
        return self.get(user_id)

    def get(self, user_id: int) -> UserRow | None:
        return self._one(select(users).where(_u.id == user_id))

    def by_email(self, email: str) -> UserRow | None:
        return self._one(select(users).where(_u.email == email.lower()))

    def page(self, after_id: int = 0, limit: int = 100) -> list[UserRow]:
        """Users by id, keyset-paginated: ids greater than ``after_id``."""
        stmt = select(users).where(_u.id > after_id).order_by(_u.id).limit(limit)
        with self._read() as conn:
            return [UserRow.from_mapping(r) for r in conn.execute(stmt).mappings()]

    def _one(self, stmt: object) -> UserRow | None:
        with self._read() as conn:
            row = conn.execute(stmt).mappings().first()  # type: ignore[call-overload]
        return None if row is None else UserRow.from_mapping(row)
