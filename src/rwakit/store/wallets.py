"""``WalletStore``: custodial wallets' addresses and their encrypted keys.

The store never sees a plain key; ``rwakit.chain.custody`` encrypts before it writes.
"""

import time
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import RowMapping, Text, select

from rwakit.store import input_checks
from rwakit.store.repository import Repository
from rwakit.store.tables import custodial_wallets

_w = custodial_wallets.c


@dataclass(frozen=True)
class WalletRow:
    owner: str
    address: str
    encrypted_key: bytes
    created_at: float

    def __repr__(self) -> str:
        # Ciphertext is not secret on its own, but logs have no use for it either.
        return f"WalletRow(owner={self.owner!r}, address={self.address!r})"

    @classmethod
    def from_mapping(cls, row: RowMapping) -> "WalletRow":
        return cls(**dict(row))


class WalletStore(Repository):
    def create(
        self, owner: str, address: str, encrypted_key: bytes, now: float | None = None
    ) -> str:
        """Store a wallet for ``owner``; returns the owner's address on record.

        An owner who already has a wallet keeps it: the existing address is returned and
        the new key is discarded, so two concurrent creates end with one wallet.
        """
        row = {
            "owner": input_checks.text(owner, "wallet owner"),
            "address": input_checks.address(address, "wallet address"),
            "encrypted_key": bytes(encrypted_key),
            "created_at": time.time() if now is None else now,
        }
        stmt = (
            self._upsert(custodial_wallets)
            .values(row)
            .on_conflict_do_nothing(index_elements=[_w.owner])
        )
        with self._write() as conn:
            conn.execute(stmt)
            return conn.execute(select(_w.address).where(_w.owner == owner)).scalar_one()

    def get_by_owner(self, owner: str) -> WalletRow | None:
        return self._one(select(custodial_wallets).where(_w.owner == owner))

    def get_by_address(self, address: str) -> WalletRow | None:
        checked = input_checks.address(address, "wallet address")
        return self._one(select(custodial_wallets).where(_w.address == checked))

    def get_many_by_address(self, addresses: Iterable[str]) -> list[WalletRow]:
        """The wallets among ``addresses`` (lower-case hex), in one query."""
        wanted = [input_checks.address(a, "wallet address") for a in addresses]
        if not wanted:
            return []
        stmt = select(custodial_wallets).where(self._in(_w.address, wanted, Text()))
        with self._read() as conn:
            return [WalletRow.from_mapping(row) for row in conn.execute(stmt).mappings()]

    def addresses(self, owners: Iterable[str]) -> dict[str, str]:
        """Owner → address for the owners that have a wallet."""
        wanted = list(owners)
        if not wanted:
            return {}
        stmt = select(_w.owner, _w.address).where(self._in(_w.owner, wanted, Text()))
        with self._read() as conn:
            return dict(conn.execute(stmt).all())

    def _one(self, stmt: object) -> WalletRow | None:
        with self._read() as conn:
            row = conn.execute(stmt).mappings().first()  # type: ignore[call-overload]
        return None if row is None else WalletRow.from_mapping(row)
