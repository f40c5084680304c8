"""``ApiKeyStore``: service API keys, kept as digests, each scoped to a set of roles."""

import time
from dataclasses import dataclass

from sqlalchemy import RowMapping, insert, select, update

from rwakit.store.account_tables import api_keys
from rwakit.store.repository import Repository

_k = api_keys.c


@dataclass(frozen=True)
class ApiKeyRow:
    id: int
    name: str
    roles: list[str]
    created_by: int
    created_at: float
    revoked_at: float | None

    @classmethod
    def from_mapping(cls, row: RowMapping) -> "ApiKeyRow":
        values = dict(row)
        values.pop("key_hash", None)
        return cls(**values)


class ApiKeyStore(Repository):
    def create(self, key_hash: str, name: str, roles: list[str], created_by: int) -> ApiKeyRow:
        row = {
            "key_hash": key_hash,
            "name": name,
            "roles": sorted(set(roles)),
            "created_by": created_by,
            "created_at": time.time(),
        }
        with self._write() as conn:
            new_id = conn.execute(insert(api_keys).values(row).returning(_k.id)).scalar_one()
        return ApiKeyRow(new_id, name, row["roles"], created_by, row["created_at"], None)

    def live_by_hash(self, key_hash: str) -> ApiKeyRow | None:
        stmt = select(api_keys).where(_k.key_hash == key_hash, _k.revoked_at.is_(None))
        with self._read() as conn:
            row = conn.execute(stmt).mappings().first()
        return None if row is None else ApiKeyRow.from_mapping(row)

    def all(self) -> list[ApiKeyRow]:
        with self._read() as conn:
            rows = conn.execute(select(api_keys).order_by(_k.id)).mappings().all()
        return [ApiKeyRow.from_mapping(r) for r in rows]

    def revoke(self, key_id: int) -> bool:
        with self._write() as conn:
            changed = conn.execute(
                update(api_keys)
                .where(_k.id == key_id, _k.revoked_at.is_(None))
                .values(revoked_at=time.time())
            ).rowcount
        return bool(changed)
