"""``OperationStore``: the durable queue of operations, set-based for throughput.

Every call is one statement for any number of rows (an executemany on SQLite, where
statements cost no round trip), so intake and the batcher stay cheap per operation.
"""

import json
import time
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import BigInteger, Text, bindparam, func, select, text, update

from rwakit.domain.operations import OperationState, Priority
from rwakit.store import input_checks
from rwakit.store.operation_rows import NewOperation, OperationRow
from rwakit.store.repository import Repository
from rwakit.store.tables import operations

ACCEPTED, SUBMITTED, CONFIRMED, INDEXED, FAILED = (
    int(OperationState.ACCEPTED),
    int(OperationState.SUBMITTED),
    int(OperationState.CONFIRMED),
    int(OperationState.INDEXED),
    int(OperationState.FAILED),
)
_ops = operations.c

# PostgreSQL: per-row values travel as three arrays, so one statement updates any count.
_CONFIRM_POSTGRES = text(f"""
    UPDATE operations AS o
    SET state = {CONFIRMED}, confirmed_at = :now,
        block_number = v.block_number, gas_used = v.gas_used
    FROM unnest(CAST(:ids AS bigint[]), CAST(:blocks AS bigint[]), CAST(:gas AS bigint[]))
        AS v(id, block_number, gas_used)
    WHERE o.id = v.id AND o.state IN ({ACCEPTED}, {SUBMITTED})
""")
_FAIL_POSTGRES = text(f"""
    UPDATE operations AS o
    SET state = {FAILED}, failed_at = :now, reason_code = v.code, reason_message = v.message
    FROM unnest(CAST(:ids AS bigint[]), CAST(:codes AS text[]), CAST(:messages AS text[]))
        AS v(id, code, message)
    WHERE o.id = v.id AND o.state <> {FAILED}
""")


class IdempotencyKeyReused(ValueError):
    """An idempotency key already names a different operation: retrying must repeat the
    same request, so a changed one is refused rather than silently answered with the old."""

    def __init__(self, key: str) -> None:
        super().__init__(f"idempotency key {key!r} was already used for a different operation")
        self.key = key


def _same_request(row: Any) -> tuple:
    """What a retry must repeat; params compared in their stored (JSON) form."""
    params = json.dumps(row["params"], sort_keys=True)
    return (row["kind"], row["contract"], params, row["requester"])


class OperationStore(Repository):
    def insert(self, ops: Sequence[NewOperation], now: float | None = None) -> list[int]:
        """Store new operations; returns their ids in input order.

        A repeated idempotency key (in the table or earlier in ``ops``) yields the id of the
        operation already stored under it, and stores nothing new. Every item is checked
        before anything is written, so bad input stores nothing. Ids order the queue within
        a priority; in a call that mixes keyed and unkeyed operations the keyed ones get the
        later ids.
        """
        accepted_at = time.time() if now is None else now
        rows = [op.to_row(accepted_at) for op in ops]
        unkeyed = [i for i, row in enumerate(rows) if row["idempotency_key"] is None]
        first_with_key: dict[str, int] = {}
        for i, row in enumerate(rows):
            key = row["idempotency_key"]
            if key is not None:
                first = first_with_key.setdefault(key, i)
                if _same_request(rows[first]) != _same_request(row):
                    raise IdempotencyKeyReused(key)
        ids: list[int] = [0] * len(rows)
        with self._write() as conn:
            if unkeyed:
                new_ids = self._insert_ids(conn, operations, [rows[i] for i in unkeyed])
                for i, new_id in zip(unkeyed, new_ids, strict=True):
                    ids[i] = new_id
            if first_with_key:
                by_key = self._insert_keyed(conn, [rows[i] for i in first_with_key.values()])
                for i, row in enumerate(rows):
                    if row["idempotency_key"] is not None:
                        ids[i] = by_key[row["idempotency_key"]]
        return ids

    def _insert_keyed(self, conn: Any, rows: list[dict[str, Any]]) -> dict[str, int]:
        stmt = (
            self._upsert(operations)
            .on_conflict_do_nothing(index_elements=[_ops.idempotency_key])
            .returning(_ops.idempotency_key, _ops.id)
        )
        by_key: dict[str, int] = dict(conn.execute(stmt, rows).all())
        # Keys that conflicted were stored earlier (or by a concurrent caller that has
        # committed by now: ON CONFLICT waits for it): answer with the stored ids.
        taken = {r["idempotency_key"]: r for r in rows if r["idempotency_key"] not in by_key}
        if taken:
            existing = select(
                _ops.idempotency_key, _ops.id, _ops.kind, _ops.contract, _ops.params, _ops.requester
            ).where(self._in(_ops.idempotency_key, list(taken), Text()))
            for stored in conn.execute(existing).mappings():
                key = stored["idempotency_key"]
                if _same_request(stored) != _same_request(taken[key]):
                    raise IdempotencyKeyReused(key)  # rolls back whatever this call inserted
                by_key[key] = stored["id"]
        return by_key

    def claim_pending(
        self, contracts: Sequence[str] | None, limit: int, max_priority: Priority | int | str
    ) -> list[OperationRow]:
        """Accepted operations, urgent first then oldest, for the caller to batch.

        On PostgreSQL the rows stay locked (``FOR UPDATE SKIP LOCKED``) until the caller's
        transaction ends, so concurrent workers claim disjoint sets; bind the store to a
        ``Connection`` for that. SQLite's BEGIN IMMEDIATE admits one writer at a time.
        """
        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
            raise ValueError(f"claim limit must be a positive integer; got {limit!r}")
        ceiling = int(Priority.parse(max_priority))
        stmt = (
            select(operations)
            .where(_ops.state == ACCEPTED, _ops.priority <= ceiling)
            .order_by(_ops.priority, _ops.id)
            .limit(limit)
        )
        if contracts is not None:
            wanted = [input_checks.address(c, "contract") for c in contracts]
            if not wanted:
                return []
            stmt = stmt.where(self._in(_ops.contract, wanted, Text()))
        if self._postgres:
            stmt = stmt.with_for_update(skip_locked=True)
        with self._write() as conn:
            return [OperationRow.from_mapping(row) for row in conn.execute(stmt).mappings()]

    def mark_submitted(self, op_ids: Iterable[int], batch_id: int, tx_hash: str, now: float) -> int:
        """Accepted (or already submitted, when a replacement tx carries them) → submitted."""
        ids = input_checks.row_ids(op_ids)
        (batch,) = input_checks.row_ids([batch_id], "batch")
        tx = input_checks.text(tx_hash, "transaction hash", max_length=66)
        stmt = (
            update(operations)
            .where(self._in_ids(_ops.id, ids), _ops.state.in_((ACCEPTED, SUBMITTED)))
            .values(state=SUBMITTED, batch_id=batch, tx_hash=tx, submitted_at=now)
        )
        return self._update_count(stmt, ids)

    def mark_confirmed(self, updates: Sequence[tuple[int, int, int]], now: float) -> int:
        """``(op_id, block_number, gas_used)`` per operation → confirmed."""
        ids = input_checks.row_ids(op_id for op_id, _, _ in updates)
        blocks = [input_checks.non_negative(b, "block number") for _, b, _ in updates]
        gas = [input_checks.non_negative(g, "gas used") for _, _, g in updates]
        if not ids:
            return 0
        with self._write() as conn:
            if self._postgres:
                params = {"ids": ids, "blocks": blocks, "gas": gas, "now": now}
                return conn.execute(_CONFIRM_POSTGRES, params).rowcount
            stmt = (
                update(operations)
                # `<=` rather than IN: an expanding IN can't go into an executemany
                .where(_ops.id == bindparam("op_id"), _ops.state <= SUBMITTED)
                .values(
                    state=CONFIRMED,
                    confirmed_at=now,
                    block_number=bindparam("block"),
                    gas_used=bindparam("gas"),
                )
            )
            rows = [
                {"op_id": i, "block": b, "gas": g} for i, b, g in zip(ids, blocks, gas, strict=True)
            ]
            return conn.execute(stmt, rows).rowcount

    def record_results(self, results: Sequence[tuple[int, dict[str, Any]]]) -> int:
        """``(op_id, result)`` per operation: what a confirmed operation made (a created
        asset's addresses), kept for its requester to read."""
        ids = input_checks.row_ids(op_id for op_id, _ in results)
        if not ids:
            return 0
        stmt = (
            update(operations)
            .where(_ops.id == bindparam("op_id"))
            .values(result=bindparam("made", type_=operations.c.result.type))
        )
        rows = [{"op_id": i, "made": r} for i, (_, r) in zip(ids, results, strict=True)]
        with self._write() as conn:
            return conn.execute(stmt, rows).rowcount

    def mark_failed(self, failures: Sequence[tuple[int, str, str]], now: float) -> int:
        """``(op_id, reason_code, message)`` per operation → failed; a first failure stays."""
        ids = input_checks.row_ids(op_id for op_id, _, _ in failures)
        codes = [input_checks.text(code, "reason code", max_length=64) for _, code, _ in failures]
        messages = [str(message) for _, _, message in failures]
        if not ids:
            return 0
        with self._write() as conn:
            if self._postgres:
                params = {"ids": ids, "codes": codes, "messages": messages, "now": now}
                return conn.execute(_FAIL_POSTGRES, params).rowcount
            stmt = (
                update(operations)
                .where(_ops.id == bindparam("op_id"), _ops.state != FAILED)
                .values(
                    state=FAILED,
                    failed_at=now,
                    reason_code=bindparam("code"),
                    reason_message=bindparam("message"),
                )
            )
            rows = [
                {"op_id": i, "code": c, "message": m}
                for i, c, m in zip(ids, codes, messages, strict=True)
            ]
            return conn.execute(stmt, rows).rowcount

    def mark_indexed(self, op_ids: Iterable[int], now: float) -> int:
        """Confirmed → indexed: the read model now shows the operation's effects."""
        ids = input_checks.row_ids(op_ids)
        stmt = (
            update(operations)
            .where(self._in_ids(_ops.id, ids), _ops.state == CONFIRMED)
            .values(state=INDEXED, indexed_at=now)
        )
        return self._update_count(stmt, ids)

    def requeue(self, op_ids: Iterable[int]) -> int:
        """Submitted → accepted, batch cleared: their transaction was dropped, send them again."""
        ids = input_checks.row_ids(op_ids)
        stmt = (
            update(operations)
            .where(self._in_ids(_ops.id, ids), _ops.state == SUBMITTED)
            .values(state=ACCEPTED, batch_id=None, tx_hash=None, submitted_at=None)
        )
        return self._update_count(stmt, ids)

    def _update_count(self, stmt: Any, ids: list[int]) -> int:
        if not ids:
            return 0
        with self._write() as conn:
            return conn.execute(stmt).rowcount

    def get(self, op_id: int) -> OperationRow | None:
        return self.get_many([op_id]).get(op_id)

    def get_many(self, op_ids: Iterable[int]) -> dict[int, OperationRow]:
        """The stored operations among ``op_ids``, by id; unknown ids are left out."""
        ids = input_checks.row_ids(op_ids)
        if not ids:
            return {}
        stmt = select(operations).where(self._in_ids(_ops.id, ids))
        with self._read() as conn:
            found = [OperationRow.from_mapping(row) for row in conn.execute(stmt).mappings()]
        return {row.id: row for row in found}

    def accepted_times(self, op_ids: Iterable[int]) -> dict[int, float]:
        """When each operation was accepted: what latency metrics need, without whole rows."""
        ids = input_checks.row_ids(op_ids)
        if not ids:
            return {}
        stmt = select(_ops.id, _ops.accepted_at).where(self._in_ids(_ops.id, ids))
        with self._read() as conn:
            return {op_id: accepted for op_id, accepted in conn.execute(stmt)}

    def ids_by_batch(self, batch_ids: Iterable[int]) -> dict[int, list[int]]:
        """The operations each batch carries (ascending ids), for confirmation and recovery."""
        ids = input_checks.row_ids(batch_ids, "batch")
        if not ids:
            return {}
        stmt = (
            select(_ops.batch_id, _ops.id)
            .where(self._in(_ops.batch_id, ids, BigInteger()))
            .order_by(_ops.id)
        )
        grouped: dict[int, list[int]] = {batch_id: [] for batch_id in ids}
        with self._read() as conn:
            for batch_id, op_id in conn.execute(stmt):
                grouped[batch_id].append(op_id)
        return grouped

    def counts_by_state(self) -> dict[OperationState, int]:
        stmt = select(_ops.state, func.count()).group_by(_ops.state)
        counts = dict.fromkeys(OperationState, 0)
        with self._read() as conn:
            for state, count in conn.execute(stmt):
                counts[OperationState(state)] = count
        return counts

    def pending_contracts(self) -> list[str]:
        """Contracts with accepted operations waiting (served by the pick-up partial index)."""
        stmt = select(_ops.contract).where(_ops.state == ACCEPTED).distinct()
        with self._read() as conn:
            return list(conn.execute(stmt).scalars())

    def pending_depth(self) -> int:
        """Accepted operations waiting for a batch (served by the pick-up partial index)."""
        stmt = select(func.count()).select_from(operations).where(_ops.state == ACCEPTED)
        with self._read() as conn:
            return conn.execute(stmt).scalar_one()
