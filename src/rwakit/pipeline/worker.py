"""`rwakit worker`: one process per signer. It holds a lease on its signer (a second
worker takes over within the lease time when the holder dies), recovers what a crash
left in flight, then alternates confirming blocks and sending new batches."""

import os
import socket
import threading
import time
from dataclasses import dataclass, field

import httpx
from eth_account.signers.local import LocalAccount
from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError

from rwakit.chain.fees import FeePolicy
from rwakit.chain.rpc_pool import RpcError, RpcUnavailable
from rwakit.pipeline.authorizer import Authorizer
from rwakit.pipeline.batcher import BatcherConfig, OperationBatcher, SplitHints
from rwakit.pipeline.chain_client import ChainClient
from rwakit.pipeline.confirmations import ConfirmationTracker, TrackerConfig
from rwakit.pipeline.fault_points import crash_if
from rwakit.pipeline.metrics import PipelineMetrics
from rwakit.pipeline.partition import ContractPartition
from rwakit.store.batches import BatchState, BatchStore
from rwakit.store.leases import LeaseStore
from rwakit.store.nonces import NonceStore
from rwakit.store.operations import OperationStore

# errors a cycle may hit and retry; anything else is a bug and stops the worker
TRANSIENT = (OperationalError, RpcError, RpcUnavailable, httpx.HTTPError)
LEASE_TTL = 8.0  # a standby takes over within this long after the holder stops renewing
CRASH_POINT = (
    "RWAKIT_WORKER_CRASH_AT"  # fault drills: after_intake|after_signing|after_sending|after_mining
)


@dataclass
class WorkerConfig:
    window_s: float = 0.2
    idle_sleep_s: float = 0.02
    batcher: BatcherConfig = field(default_factory=BatcherConfig)
    tracker: TrackerConfig = field(default_factory=TrackerConfig)
    partition: ContractPartition = field(default_factory=ContractPartition)


class BatchWorker:
    def __init__(
        self,
        engine: Engine,
        chain: ChainClient,
        signer: LocalAccount,
        *,
        chain_id: int,
        multicall: str,
        registry: str,
        authorizer: Authorizer,
        fees: FeePolicy | None = None,
        metrics: PipelineMetrics | None = None,
        config: WorkerConfig | None = None,
        holder: str | None = None,
    ) -> None:
        self.engine, self.chain, self.signer = engine, chain, signer
        self.config = config or WorkerConfig()
        self.metrics = metrics or PipelineMetrics()
        self.holder = holder or f"{socket.gethostname()}:{os.getpid()}"
        self.lease_name = f"signer:{signer.address.lower()}"
        hints = SplitHints()
        common = dict(
            multicall=multicall,
            registry=registry,
            fees=fees or FeePolicy(),
            authorizer=authorizer,
            hints=hints,
            metrics=self.metrics,
        )
        self.batcher = OperationBatcher(
            engine,
            chain,
            signer,
            chain_id=chain_id,
            config=self.config.batcher,
            partition=self.config.partition,
            **common,
        )
        self.tracker = ConfirmationTracker(
            engine, chain, signer, config=self.config.tracker, **common
        )
        self._stop = False

    def stop(self) -> None:
        self._stop = True

    def acquire(self, wait: bool = True) -> bool:
        leases = LeaseStore(self.engine)
        while not self._stop:
            if leases.acquire(self.lease_name, self.holder, LEASE_TTL, time.time()):
                return True
            if not wait:
                return False
            time.sleep(0.5)
        return False

    def recover(self) -> None:
        """Resume after a crash: nonces from the chain, recorded transactions re-broadcast."""
        nonces = NonceStore(self.engine)
        address = self.signer.address
        chain_next = self.chain.pending_nonce(address)
        recorded = nonces.peek(address)
        if recorded is None or recorded < chain_next:
            nonces.set_next(address, chain_next)
        mined = self.chain.mined_nonce(address)
        unsent = []
        for row in BatchStore(self.engine).unfinished(address):
            if row.state == BatchState.SIGNED or (
                row.nonce >= mined and self.chain.transaction(row.tx_hash) is None
            ):
                unsent.append((row.id, row.raw_tx))
        self.batcher.send(unsent)
        self.batcher.observe(self.chain.block("latest"))
        crash_if("after_recovery")

    def _refresh_gauges(self) -> None:
        self.metrics.pending.set(OperationStore(self.engine).pending_depth())
        address = self.signer.address
        recorded = NonceStore(self.engine).peek(address) or 0
        self.metrics.nonce_gap.set(recorded - self.chain.mined_nonce(address))

    def _track(self, until: float | None) -> None:
        """Confirmation runs beside batching, so signing never delays noticing a block."""
        while not self._stop and (until is None or time.time() < until):
            try:
                if self.tracker.poll():
                    self.batcher.observe(self.tracker.head)
                    continue
            except TRANSIENT as exc:
                self.metrics.cycle_errors.labels(type(exc).__name__).inc()
                time.sleep(0.2)
            time.sleep(self.config.idle_sleep_s)

    def run(self, until: float | None = None) -> None:
        if not self.acquire():
            return
        self.recover()
        tracker = threading.Thread(
            target=self._track, args=(until,), name="confirmations", daemon=True
        )
        tracker.start()
        leases = LeaseStore(self.engine)
        last_batch = last_renew = 0.0
        try:
            while not self._stop and (until is None or time.time() < until):
                now = time.time()
                try:
                    if now - last_renew > LEASE_TTL / 4:
                        if not leases.renew(self.lease_name, self.holder, LEASE_TTL, now):
                            return  # someone else holds the signer now: never send beside them
                        last_renew = now
                        self._refresh_gauges()
                    if now - last_batch >= self.config.window_s:
                        last_batch = now
                        if self.batcher.submit_pending():
                            continue
                except TRANSIENT as exc:
                    # a busy database or a node hiccup: nothing half-done survives a
                    # failed cycle (each step commits or rolls back), so try again
                    self.metrics.cycle_errors.labels(type(exc).__name__).inc()
                    time.sleep(0.2)
                    continue
                time.sleep(self.config.idle_sleep_s)
        finally:
            self._stop = True
            tracker.join(5)
            leases.release(self.lease_name, self.holder)
