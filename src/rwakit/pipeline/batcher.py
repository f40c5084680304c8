"""Fold accepted operations into batch transactions and send them.

One cycle: claim pending ops, group them by (contract, batch function), pre-check every
item in one multicall and fail the bad ones with their reason, size transactions by gas
under the per-transaction cap, sign with consecutive nonces, record each signed
transaction (raw bytes included) and mark its ops submitted in the same database
transaction, and only then send them all in one JSON-RPC batch. A crash after the commit
loses nothing: recovery re-broadcasts what was recorded.
"""

import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from eth_account.signers.local import LocalAccount
from sqlalchemy import Engine

from rwakit.chain.fees import FeePolicy
from rwakit.pipeline.authorizer import Authorizer
from rwakit.pipeline.batch_calls import BatchCall, PendingOp, batch_call, group_of, split_by_gas
from rwakit.pipeline.chain_client import ChainClient
from rwakit.pipeline.creation_calls import CreationCall
from rwakit.pipeline.fault_points import crash_if
from rwakit.pipeline.metrics import PipelineMetrics
from rwakit.pipeline.partition import ContractPartition
from rwakit.pipeline.precheck import creation_dry_run, precheck
from rwakit.store.batches import BatchStore, SignedBatch
from rwakit.store.nonces import NonceStore
from rwakit.store.operations import OperationStore

EIP_7825_CAP = 16_777_216


@dataclass(frozen=True)
class BatcherConfig:
    gas_cap: int = EIP_7825_CAP
    # A cycle claims about 40 % of a block's gas in ops (at the mix's ~26,000 gas per op):
    # 1,538 on 100M-gas blocks, 4,615 on 300M, never fewer than 1,500. A cycle's waits (a
    # pre-check multicall per group, the database) are fixed, so a fixed 1,500 capped
    # bigger blocks (one worker at 300M gas: 1,615 ops/s of 3,300 offered; 2,403 with the
    # share); a bigger cycle delays its first transaction.
    min_claim: int = 1_500
    claim_block_share: float = 0.4
    gas_per_op: int = 26_000

    def claim_limit(self, block_gas_limit: int) -> int:
        share = int(block_gas_limit * self.claim_block_share) // self.gas_per_op
        return max(self.min_claim, share)


@dataclass(frozen=True)
class PlannedTx:
    contract: str
    group: str
    call: BatchCall | CreationCall
    ops: list[PendingOp]
    gas_limit: int


class SplitHints:
    """After a batch reverts, its ops go back in smaller transactions: bisection."""

    def __init__(self) -> None:
        self._max_items: dict[int, int] = {}

    def halve(self, op_ids: Sequence[int]) -> None:
        size = max(1, (len(op_ids) + 1) // 2)
        for op_id in op_ids:
            self._max_items[op_id] = size

    def limit(self, op_id: int) -> int | None:
        return self._max_items.get(op_id)

    def done(self, op_ids: Sequence[int]) -> None:
        for op_id in op_ids:
            self._max_items.pop(op_id, None)


class OperationBatcher:
    def __init__(
        self,
        engine: Engine,
        chain: ChainClient,
        signer: LocalAccount,
        *,
        chain_id: int,
        multicall: str,
        registry: str,
        fees: FeePolicy,
        authorizer: Authorizer,
        hints: SplitHints,
        metrics: PipelineMetrics,
        config: BatcherConfig = BatcherConfig(),
        partition: ContractPartition | None = None,
    ) -> None:
        self.engine, self.chain, self.signer = engine, chain, signer
        self.chain_id, self.multicall, self.registry = chain_id, multicall, registry
        self.fees, self.authorizer, self.hints, self.metrics = fees, authorizer, hints, metrics
        self.config = config
        self.partition = partition or ContractPartition()
        # fees and claim size follow the newest block the worker saw (see `observe`)
        self.base_fee = 0
        self.block_gas_limit = 0
        self.dry_run = creation_dry_run(chain.call, signer.address)

    def observe(self, block: dict) -> None:
        self.base_fee = int(block["baseFeePerGas"], 16)
        self.block_gas_limit = int(block["gasLimit"], 16)

    def submit_pending(self) -> int:
        """One cycle; returns how many operations went out in transactions."""
        now = time.time()
        with self.engine.begin() as conn:
            contracts = None
            if not self.partition.everything:
                waiting = OperationStore(conn).pending_contracts()
                contracts = [c for c in waiting if self.partition.owns(c)]
                if not contracts:
                    return 0
            rows = OperationStore(conn).claim_pending(
                contracts,
                self.config.claim_limit(self.block_gas_limit),
                self.fees.max_priority(self.base_fee),
            )
            if not rows:
                return 0
            ops = [PendingOp(r.id, r.kind, r.contract, r.params, int(r.priority)) for r in rows]
            plans, failures = self._plan(ops)
            if failures:
                OperationStore(conn).mark_failed(failures, now)
                self.metrics.failed(failures)
            if not plans:
                return 0
            first_nonce = NonceStore(conn).reserve(self.signer.address, len(plans))
            max_fee, tip = self.fees.fees(self.base_fee)
            # recorded in the claim's transaction: the claim stays exclusive until every
            # op is in a recorded transaction, and nothing is sent that isn't recorded
            outgoing = [
                self._sign_and_record(conn, plan, first_nonce + offset, max_fee, tip, now)
                for offset, plan in enumerate(plans)
            ]
        crash_if("after_signing")
        self.send(outgoing)
        crash_if("after_sending")
        for plan in plans:
            self.metrics.batch_sent(plan.group, len(plan.ops))
        return sum(len(plan.ops) for plan in plans)

    def _plan(self, ops: list[PendingOp]) -> tuple[list[PlannedTx], list[tuple[int, str, str]]]:
        groups: dict[tuple[str, str, int | None], list[PendingOp]] = defaultdict(list)
        for op in ops:
            groups[(op.contract, group_of(op), self.hints.limit(op.id))].append(op)
        plans: list[PlannedTx] = []
        failures: list[tuple[int, str, str]] = []
        for (contract, group, limit), members in groups.items():
            checked = precheck(
                self.chain.eth_call, self.multicall, self.registry, members, self.dry_run
            )
            failures += [(op_id, f.code, f.message) for op_id, f in checked.failures.items()]
            good = [op for op in members if op.id not in checked.failures]
            call = batch_call(group)
            chunks = split_by_gas(good, call, self.config.gas_cap, checked.new_holders, limit)
            plans += [PlannedTx(contract, group, call, chunk, gas) for chunk, gas in chunks]
        return plans, failures

    def _sign_and_record(
        self, conn, plan: PlannedTx, nonce: int, max_fee: int, tip: int, now: float
    ) -> tuple[int, bytes]:
        extra: list = []
        if plan.group == "transfer":
            extra = self.authorizer.sign(plan.ops, int(now))
        elif plan.group == "create_asset":
            extra = [self.signer.address]  # the new token's admin: this worker can then mint
        limit = plan.gas_limit
        tx = {
            "type": 2,
            "chainId": self.chain_id,
            "nonce": nonce,
            "to": plan.contract,
            "data": plan.call.calldata(plan.ops, extra),
            "gas": limit,
            "maxFeePerGas": max_fee,
            "maxPriorityFeePerGas": tip,
            "value": 0,
        }
        signed = self.signer.sign_transaction(tx)
        tx_hash = "0x" + signed.hash.hex().removeprefix("0x")
        batch_id = BatchStore(conn).record_signed(
            SignedBatch(
                signer=self.signer.address.lower(),
                nonce=nonce,
                contract=plan.contract,
                kind=plan.group,
                op_count=len(plan.ops),
                tx_hash=tx_hash,
                raw_tx=bytes(signed.raw_transaction),
                gas_limit=limit,
                max_fee_per_gas=max_fee,
                max_priority_fee_per_gas=tip,
            ),
            now,
        )
        OperationStore(conn).mark_submitted([op.id for op in plan.ops], batch_id, tx_hash, now)
        return batch_id, bytes(signed.raw_transaction)

    def send(self, outgoing: Sequence[tuple[int, bytes]]) -> None:
        """Broadcast recorded transactions; ones the node refuses stay `signed` for a resend."""
        if not outgoing:
            return
        answers = self.chain.send_raw([raw for _, raw in outgoing])
        now = time.time()
        store = BatchStore(self.engine)
        for (batch_id, _), answer in zip(outgoing, answers, strict=True):
            if isinstance(answer, str) or _already_known(answer):
                store.mark_sent(batch_id, now)
            else:
                self.metrics.send_error()


def _already_known(answer: object) -> bool:
    text = str(answer).lower()
    return "already known" in text or "known transaction" in text
