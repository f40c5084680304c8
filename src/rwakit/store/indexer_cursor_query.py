"""The indexer's cursor per chain (its last applied block), read for the ops status."""

from dataclasses import dataclass

from sqlalchemy import select

from rwakit.store.read_model_tables import indexer_cursors
from rwakit.store.repository import Repository


@dataclass(frozen=True)
class IndexerCursor:
    chain_id: int
    block_number: int
    updated_at: float  # epoch seconds of the indexer's last commit


class IndexerCursors(Repository):
    def all(self) -> list[IndexerCursor]:
        c = indexer_cursors.c
        stmt = select(c.chain_id, c.block_number, c.updated_at).order_by(c.chain_id)
        with self._read() as conn:
            return [IndexerCursor(**row) for row in conn.execute(stmt).mappings()]
