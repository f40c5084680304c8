"""``BatchStore``: one row per signed transaction, written before it is sent.

A worker that restarts finds its unfinished batches here, with the exact raw transaction,
so it can re-broadcast or reconcile them instead of signing the operations again.
"""

import time
from collections.abc import Iterable
from dataclasses import dataclass
from enum import IntEnum
from typing import Any

from sqlalchemy import RowMapping, insert, select, update

from rwakit.store import input_checks
from rwakit.store.repository import Repository
from rwakit.store.tables import batches

_b = batches.c


class BatchState(IntEnum):
    SIGNED = 0
    SENT = 1
    MINED = 2
    CONFIRMED = 3
    REPLACED = 8  # a re-priced transaction with the same nonce took its place
    FAILED = 9


UNFINISHED = (BatchState.SIGNED, BatchState.SENT, BatchState.MINED)


@dataclass(frozen=True)
class SignedBatch:
    signer: str
    nonce: int
    contract: str
    kind: str
    op_count: int
    tx_hash: str
    raw_tx: bytes
    gas_limit: int
    max_fee_per_gas: int
    max_priority_fee_per_gas: int


@dataclass(frozen=True)
class BatchRow(SignedBatch):
    id: int
    state: BatchState
    created_at: float
    sent_at: float | None
    mined_at: float | None
    block_number: int | None
    gas_used: int | None

    @classmethod
    def from_mapping(cls, row: RowMapping) -> "BatchRow":
        values = dict(row)
        values["state"] = BatchState(values["state"])
        return cls(**values)


class BatchStore(Repository):
    def record_signed(self, batch: SignedBatch, now: float | None = None) -> int:
        """Record a signed transaction before it is sent; returns the batch id."""
        row = {
            "signer": input_checks.address(batch.signer, "signer"),
            "nonce": input_checks.non_negative(batch.nonce, "nonce"),
            "contract": input_checks.address(batch.contract, "contract"),
            "kind": input_checks.text(batch.kind, "operation kind", max_length=64),
            "op_count": input_checks.non_negative(batch.op_count, "operation count"),
            "tx_hash": input_checks.text(batch.tx_hash, "transaction hash", max_length=66),
            "raw_tx": bytes(batch.raw_tx),
            "gas_limit": input_checks.non_negative(batch.gas_limit, "gas limit"),
            "max_fee_per_gas": input_checks.non_negative(batch.max_fee_per_gas, "max fee"),
            "max_priority_fee_per_gas": input_checks.non_negative(
                batch.max_priority_fee_per_gas, "max priority fee"
            ),
            "state": int(BatchState.SIGNED),
            "created_at": time.time() if now is None else now,
        }
        with self._write() as conn:
            return conn.execute(insert(batches).returning(_b.id), row).scalar_one()

    def mark_sent(self, batch_id: int, now: float) -> bool:
        return self._move(batch_id, (BatchState.SIGNED,), BatchState.SENT, sent_at=now)

    def mark_mined(self, batch_id: int, block_number: int, gas_used: int, now: float) -> bool:
        values = {
            "block_number": input_checks.non_negative(block_number, "block number"),
            "gas_used": input_checks.non_negative(gas_used, "gas used"),
            "mined_at": now,
        }
        sent = (BatchState.SIGNED, BatchState.SENT)
        return self._move(batch_id, sent, BatchState.MINED, **values)

    def mark_confirmed(self, batch_id: int) -> bool:
        return self._move(batch_id, (BatchState.MINED,), BatchState.CONFIRMED)

    def mark_replaced(self, batch_id: int) -> bool:
        sent = (BatchState.SIGNED, BatchState.SENT)
        return self._move(batch_id, sent, BatchState.REPLACED)

    def mark_failed(self, batch_id: int) -> bool:
        return self._move(batch_id, UNFINISHED, BatchState.FAILED)

    def _move(
        self, batch_id: int, from_states: Iterable[BatchState], to: BatchState, **values: Any
    ) -> bool:
        """One state change, only from the states it may follow; False when it did not apply."""
        (checked_id,) = input_checks.row_ids([batch_id], "batch")
        stmt = (
            update(batches)
            .where(_b.id == checked_id, _b.state.in_([int(s) for s in from_states]))
            .values(state=int(to), **values)
        )
        with self._write() as conn:
            return conn.execute(stmt).rowcount == 1

    def get(self, batch_id: int) -> BatchRow | None:
        (checked_id,) = input_checks.row_ids([batch_id], "batch")
        with self._read() as conn:
            row = conn.execute(select(batches).where(_b.id == checked_id)).mappings().first()
        return None if row is None else BatchRow.from_mapping(row)

    def replaced(self, signer: str, nonce: int) -> list[BatchRow]:
        """The transactions a re-priced batch took the place of (same signer and nonce):
        any of them may still be the one the chain mines."""
        stmt = select(batches).where(
            _b.signer == input_checks.address(signer, "signer"),
            _b.nonce == input_checks.non_negative(nonce, "nonce"),
            _b.state == int(BatchState.REPLACED),
        )
        with self._read() as conn:
            return [BatchRow.from_mapping(row) for row in conn.execute(stmt).mappings()]

    def unfinished(self, signer: str) -> list[BatchRow]:
        """Signed, sent or mined batches of ``signer`` by nonce: what crash recovery resumes."""
        stmt = (
            select(batches)
            .where(
                _b.signer == input_checks.address(signer, "signer"),
                _b.state.in_([int(s) for s in UNFINISHED]),
            )
            .order_by(_b.nonce, _b.id)
        )
        with self._read() as conn:
            return [BatchRow.from_mapping(row) for row in conn.execute(stmt).mappings()]
