"""Confirm sent batches from whole blocks: one `eth_getBlockReceipts` per block, never
one receipt call per transaction. A reverted batch goes back in halves (bisection) until
the bad item stands alone and fails with its reason; its neighbours confirm."""

import time
from dataclasses import dataclass

from eth_account.signers.local import LocalAccount
from eth_account.typed_transactions import TypedTransaction
from hexbytes import HexBytes
from sqlalchemy import Engine

from rwakit.chain.fees import FeePolicy
from rwakit.pipeline.authorizer import Authorizer
from rwakit.pipeline.batch_calls import PendingOp
from rwakit.pipeline.batcher import SplitHints
from rwakit.pipeline.chain_client import ChainClient
from rwakit.pipeline.creation_results import creation_result
from rwakit.pipeline.fault_points import crash_if
from rwakit.pipeline.metrics import PipelineMetrics
from rwakit.pipeline.precheck import creation_dry_run, precheck
from rwakit.store.batches import BatchRow, BatchState, BatchStore, SignedBatch
from rwakit.store.operations import OperationStore

RESEND_AFTER_S = 2.0  # a recorded transaction still not accepted by the node after this


@dataclass(frozen=True)
class TrackerConfig:
    confirmations: int = 1  # 1: confirmed in the block that mined it
    stuck_after_s: float = 6.0  # re-price a sent transaction not mined by then


class ConfirmationTracker:
    def __init__(
        self,
        engine: Engine,
        chain: ChainClient,
        signer: LocalAccount,
        *,
        multicall: str,
        registry: str,
        fees: FeePolicy,
        authorizer: Authorizer,
        hints: SplitHints,
        metrics: PipelineMetrics,
        config: TrackerConfig = TrackerConfig(),
    ) -> None:
        self.engine, self.chain, self.signer = engine, chain, signer
        self.multicall, self.registry = multicall, registry
        self.fees, self.authorizer, self.hints, self.metrics = fees, authorizer, hints, metrics
        self.config = config
        self.next_block: int | None = None
        self.head: dict | None = None  # the newest block processed
        self._replaced: dict[str, int] = {}  # tx hash of a re-priced tx -> its batch's row

    def poll(self) -> int:
        """Process every newly confirmed block; returns how many blocks were processed."""
        head = self.chain.block_number()
        ready = head - self.config.confirmations + 1
        if self.next_block is None:
            self.next_block = self._resume_from(ready)
        processed = 0
        while self.next_block <= ready:
            self._process_block(self.next_block)
            self.next_block += 1
            processed += 1
        if processed:
            self.head = self.chain.block(head)
            self._replace_stuck()
        return processed

    @property
    def base_fee(self) -> int:
        return int(self.head["baseFeePerGas"], 16) if self.head else 0

    def _inflight(self) -> dict[str, BatchRow]:
        rows = BatchStore(self.engine).unfinished(self.signer.address)
        self.metrics.inflight.set(len(rows))
        return {row.tx_hash.lower(): row for row in rows}

    def _resume_from(self, ready: int) -> int:
        """After a restart, start at the oldest block that may hold one of our batches."""
        oldest = ready
        for row in self._inflight().values():
            receipt = self._mined_receipt(row)
            if receipt is not None:
                oldest = min(oldest, int(receipt["blockNumber"], 16))
        return oldest

    def _mined_receipt(self, row: BatchRow) -> dict | None:
        """The receipt of the batch's transaction or, for a re-priced batch, of the one it
        replaced: after a restart only the database remembers which hashes share a nonce."""
        receipt = self.chain.receipt(row.tx_hash)
        if receipt is not None:
            return receipt
        for earlier in BatchStore(self.engine).replaced(row.signer, row.nonce):
            receipt = self.chain.receipt(earlier.tx_hash)
            if receipt is not None:
                self._replaced[earlier.tx_hash.lower()] = row.id
                return receipt
        return None

    def _process_block(self, number: int) -> None:
        inflight = self._inflight()
        if not inflight:
            return
        confirmed: list[tuple[BatchRow, int]] = []
        results: dict[int, dict] = {}  # batch id → what its creation made
        for receipt in self.chain.block_receipts(number):
            tx_hash = receipt["transactionHash"].lower()
            row = inflight.get(tx_hash)
            if row is None and tx_hash in self._replaced:
                row = next((r for r in inflight.values() if r.id == self._replaced[tx_hash]), None)
            if row is None:
                continue
            if int(receipt["status"], 16) == 1:
                confirmed.append((row, int(receipt["gasUsed"], 16)))
                if row.kind == "create_asset":
                    made = creation_result(receipt.get("logs") or [], row.contract)
                    if made is not None:
                        results[row.id] = made
            else:
                self._reverted(row)
        if confirmed:
            crash_if("after_mining")  # mined, confirmation not yet recorded
            self._confirm(confirmed, number, results)

    def _confirm(
        self, mined: list[tuple[BatchRow, int]], block: int, results: dict[int, dict]
    ) -> None:
        """Every batch a block confirmed, in one database transaction."""
        now = time.time()
        with self.engine.begin() as conn:
            ops = OperationStore(conn)
            by_batch = ops.ids_by_batch([row.id for row, _ in mined])
            # each operation's share of its batch's gas
            share = {row.id: gas // max(1, len(by_batch[row.id])) for row, gas in mined}
            updates = [
                (op_id, block, share[row.id]) for row, _ in mined for op_id in by_batch[row.id]
            ]
            accepted = ops.accepted_times([op_id for op_id, _, _ in updates])
            ops.mark_confirmed(updates, now)
            # a creation goes one per transaction: its batch's result is its op's
            ops.record_results(
                [
                    (op_id, results[row.id])
                    for row, _ in mined
                    if row.id in results
                    for op_id in by_batch[row.id]
                ]
            )
            batches = BatchStore(conn)
            for row, gas_used in mined:
                batches.mark_mined(row.id, block, gas_used, now)
                batches.mark_confirmed(row.id)
        for row, _ in mined:
            op_ids = by_batch[row.id]
            self.hints.done(op_ids)
            self.metrics.confirmed(row.kind, [now - accepted[i] for i in op_ids], share[row.id])

    def _reverted(self, row: BatchRow) -> None:
        now = time.time()
        self.metrics.reverts.inc()
        store = OperationStore(self.engine)
        op_ids = store.ids_by_batch([row.id])[row.id]
        rows = store.get_many(op_ids)
        if row.kind == "transfer":
            self.authorizer.forget(row.contract, [rows[i].params["from"] for i in op_ids])
        with self.engine.begin() as conn:
            BatchStore(conn).mark_failed(row.id)
            if len(op_ids) > 1:
                OperationStore(conn).requeue(op_ids)
                self.hints.halve(op_ids)
                return
            op = rows[op_ids[0]]
            pending = PendingOp(op.id, op.kind, op.contract, op.params, int(op.priority))
            dry_run = creation_dry_run(self.chain.call, self.signer.address)
            checked = precheck(
                self.chain.eth_call, self.multicall, self.registry, [pending], dry_run
            )
            failure = checked.failures.get(op.id)
            code, message = (
                (failure.code, failure.message)
                if failure
                else ("REVERTED", "the transaction reverted")
            )
            OperationStore(conn).mark_failed([(op.id, code, message)], now)
        self.hints.done(op_ids)
        self.metrics.failures.labels(code).inc()

    def _replace_stuck(self) -> None:
        """Re-send recorded transactions the node refused earlier (a gap in our nonces would
        hold back every later one), and re-sign with higher fees those that waited too long."""
        now = time.time()
        inflight = self._inflight().values()
        # only the lowest unmined nonce can be stuck on its fee: later ones merely queue
        # behind it, and re-pricing them would only churn the pool
        head = self.chain.mined_nonce(self.signer.address) if inflight else None
        for row in inflight:
            if row.state == BatchState.SIGNED and now - row.created_at > RESEND_AFTER_S:
                answer = self.chain.send_raw([row.raw_tx])[0]
                if isinstance(answer, str) or "known" in str(answer).lower():
                    BatchStore(self.engine).mark_sent(row.id, time.time())
                continue
            if (
                row.state != BatchState.SENT
                or row.nonce != head
                or row.sent_at is None
                or now - row.sent_at < self.config.stuck_after_s
            ):
                continue
            if self.chain.receipt(row.tx_hash) is not None:
                continue
            max_fee, tip = self.fees.replacement(
                row.max_fee_per_gas, row.max_priority_fee_per_gas, self.base_fee
            )
            tx = TypedTransaction.from_bytes(HexBytes(row.raw_tx)).as_dict()
            tx.update(maxFeePerGas=max_fee, maxPriorityFeePerGas=tip)
            tx.pop("v", None), tx.pop("r", None), tx.pop("s", None), tx.pop("yParity", None)
            signed = self.signer.sign_transaction(tx)
            new_hash = "0x" + signed.hash.hex().removeprefix("0x")
            with self.engine.begin() as conn:
                batches = BatchStore(conn)
                new_id = batches.record_signed(
                    SignedBatch(
                        row.signer,
                        row.nonce,
                        row.contract,
                        row.kind,
                        row.op_count,
                        new_hash,
                        bytes(signed.raw_transaction),
                        row.gas_limit,
                        max_fee,
                        tip,
                    ),
                    now,
                )
                op_ids = OperationStore(conn).ids_by_batch([row.id])[row.id]
                OperationStore(conn).mark_submitted(op_ids, new_id, new_hash, now)
                batches.mark_replaced(row.id)
            self._replaced[row.tx_hash.lower()] = new_id
            answer = self.chain.send_raw([bytes(signed.raw_transaction)])[0]
            if isinstance(answer, str):
                BatchStore(self.engine).mark_sent(new_id, time.time())
            self.metrics.replacements.inc()
