"""Business operations through the real write path, for the benches that need them flowing
(`bench pipeline`, and `bench indexer`'s lag): the issue's operation mix, the investors it
acts on, the batch worker in its own process, and paced submission through the operation
service."""

import multiprocessing
import os
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from multiprocessing.process import BaseProcess

from eth_account import Account
from sqlalchemy import Engine

from rwakit.bench.scenario import Scenario
from rwakit.chain.custody import Custody
from rwakit.domain.operation_requests import MAX_SUBMIT, OperationRequest
from rwakit.domain.operations import OperationState
from rwakit.pipeline.partition import ContractPartition
from rwakit.pipeline.service import OperationService
from rwakit.pipeline.wiring import WorkerSpec, build_worker
from rwakit.pipeline.worker import WorkerConfig
from rwakit.process_heap import freeze_startup_heap
from rwakit.store.engine import make_engine
from rwakit.store.leases import LeaseStore
from rwakit.store.operations import OperationStore
from rwakit.store.wallets import WalletStore

Progress = Callable[[str], None]
UNIT = 10**18
CUSTODIAN_ACCOUNTS = 20


@dataclass(frozen=True)
class BenchWorker:
    partition: ContractPartition
    signer_key: str


@dataclass(frozen=True)
class Investors:
    holders: list[str]  # custodial wallets: the relayed transfers move between them
    custodian: list[str]  # accounts the custodian operations force, freeze and unfreeze
    kek: bytes  # seals the custodial keys; the worker needs it to sign relayed transfers


def worker_main(url: str, spec: WorkerSpec, partition: ContractPartition, stop_at: float) -> None:
    """A spawned process's entry point: one batch worker until ``stop_at`` (epoch s)."""
    engine = make_engine(url)
    worker, pool = build_worker(engine, spec, config=WorkerConfig(partition=partition))
    freeze_startup_heap()  # as `rwakit worker` does
    try:
        worker.run(until=stop_at)
    finally:
        pool.close()


def prepare_investors(
    s: Scenario,
    engine: Engine,
    tokens: Sequence[str],
    *,
    holders: int,
    mints: int,
    progress: Progress,
) -> Investors:
    """Custodial holders and custodian accounts, registered and funded in every token, and
    ``mints`` registered mint targets (``mint_target(1..mints)``)."""
    kek = os.urandom(32)
    custody = Custody(WalletStore(engine), kek)
    progress(f"creating {holders} custodial wallets")
    wallets = [custody.create_wallet(f"holder-{i}").lower() for i in range(holders)]
    custodian = [Account.create().address.lower() for _ in range(CUSTODIAN_ACCOUNTS)]
    progress(f"registering {len(wallets) + len(custodian) + mints} investors")
    checksum = s.w3.to_checksum_address
    s.register_many(
        [
            checksum(a)
            for a in (*wallets, *custodian, *(mint_target(n) for n in range(1, mints + 1)))
        ]
    )
    for token in tokens:
        s.mint_many([checksum(a) for a in (*wallets, *custodian)], 10**6 * UNIT, token)
    return Investors(wallets, custodian, kek)


def start_workers(
    database_url: str,
    node_url: str,
    s: Scenario,
    fleet: Sequence[BenchWorker],
    kek: bytes,
    stop_at: float,
) -> list[BaseProcess]:
    """One spawned process per worker of ``fleet``, each running until ``stop_at``."""
    deployment = s.contracts.deployment
    processes = []
    for member in fleet:
        spec = WorkerSpec(
            (node_url,),
            s.w3.eth.chain_id,
            deployment.multicall,
            deployment.registry,
            member.signer_key,
            kek,
        )
        process = multiprocessing.get_context("spawn").Process(
            target=worker_main,
            args=(database_url, spec, member.partition, stop_at),
            daemon=True,
        )
        process.start()
        processes.append(process)
    return processes


def wait_for_workers(
    engine: Engine, fleet: Sequence[BenchWorker], processes: Sequence[BaseProcess]
) -> None:
    for member, process in zip(fleet, processes, strict=True):
        wait_for_worker(engine, member.signer_key, process)


def wait_for_worker(engine: Engine, signer_key: str, worker, timeout: float = 120.0) -> None:
    """Until the worker holds its signer's lease: a running platform has its worker up
    before traffic arrives, so start-up time is not charged to the first operations."""
    lease = f"signer:{Account.from_key(signer_key).address.lower()}"
    leases = LeaseStore(engine)
    deadline = time.time() + timeout
    while leases.holder(lease, time.time()) is None:
        if not worker.is_alive():
            raise RuntimeError(f"the bench worker exited with code {worker.exitcode}")
        if time.time() > deadline:
            raise TimeoutError(f"the bench worker did not take its signer in {timeout:.0f}s")
        time.sleep(0.1)


def stop_processes(processes: Sequence[BaseProcess]) -> None:
    for process in processes:
        process.terminate()
    for process in processes:
        process.join(10)


def operation_service(engine: Engine, s: Scenario) -> OperationService:
    """The service the API submits through, on the bench's deployment."""
    factory = s.contracts.factory.functions
    return OperationService(
        engine,
        registry=s.contracts.deployment.registry,
        is_token=lambda a: factory.is_token(s.w3.to_checksum_address(a)).call(),
    )


def submit_paced(
    service: OperationService, requests: Sequence[OperationRequest], rate: float
) -> tuple[float, float]:
    """Submit ``requests`` at ``rate`` per second (a group every 20 ms, as API intake
    commits them); the epoch seconds of the first submission and of the last."""
    t0 = time.time()
    sent = 0
    while sent < len(requests):
        due = min(len(requests), int((time.time() - t0) * rate))
        if due > sent:  # behind after a stall: catch up in chunks the service accepts
            due = min(due, sent + MAX_SUBMIT)
            service.submit_many(requests[sent:due])
            sent = due
        time.sleep(0.02)
    return t0, time.time()


def drain(engine: Engine, timeout: float) -> bool:
    """Wait until no operation waits for a batch or a block; False if ``timeout`` ran out."""
    store = OperationStore(engine)
    deadline = time.time() + timeout
    # a read per poll (the store's read-only connection): one long transaction would
    # hold SQLite's write lock against the worker for the whole drain
    while time.time() < deadline:
        counts = store.counts_by_state()
        if counts[OperationState.ACCEPTED] + counts[OperationState.SUBMITTED] == 0:
            return True
        time.sleep(0.5)
    return False


class OpMix:
    """The issue's mix: 50 % relayed transfers, 30 % mints to new holders,
    10 % identity registrations with claims, 10 % custodian operations."""

    def __init__(
        self,
        s: Scenario,
        tokens: list[str],
        holders: list[str],
        custodian: list[str],
        seed: int,
    ) -> None:
        self.s, self.holders, self.custodian = s, holders, custodian
        self.tokens = [t.lower() for t in tokens]
        self.token = self.tokens[0]
        self.registry = s.contracts.deployment.registry.lower()
        self.rng = random.Random(seed)
        self.minted = 0
        self.registered = 0
        self.custodian_step = 0
        # the chain's time once: claims valid for CLAIM_LIFETIME from here (one node call
        # per registration made building 200,000 requests take minutes)
        self.claims_from = s.now

    def request(self, i: int) -> OperationRequest:
        # whole rounds of the mix per token, so every token (and worker) gets the same mix
        self.token = self.tokens[(i // 10) % len(self.tokens)]
        slot = i % 10
        if slot < 5:
            a, b = self.rng.sample(range(len(self.holders)), 2)
            params = {
                "from": self.holders[a],
                "to": self.holders[b],
                "amount": self.rng.randint(1, 1000) * UNIT,
            }
            return OperationRequest("transfer", self.token, params, "bench")
        if slot < 8:
            self.minted += 1
            return OperationRequest(
                "mint", self.token, {"to": mint_target(self.minted), "amount": UNIT}, "bench"
            )
        if slot == 8:
            self.registered += 1
            wallet = registration_target(self.registered)
            return self.s.registration_request(
                wallet, 1_000_000 + self.registered, now=self.claims_from
            )
        self.custodian_step += 1
        k = self.custodian_step
        accounts = self.custodian
        if k % 2:
            return OperationRequest(
                "forced_transfer",
                self.token,
                {
                    "from": accounts[k % len(accounts)],
                    "to": accounts[(k + 1) % len(accounts)],
                    "amount": UNIT,
                },
                "bench",
            )
        kind = "freeze" if k % 4 == 0 else "unfreeze"
        return OperationRequest(
            kind, self.token, {"account": accounts[(k // 2) % len(accounts)]}, "bench"
        )

    @staticmethod
    def mints_in(ops: int) -> int:
        """Mint targets ``ops`` operations of the mix need registered (with a margin)."""
        return ops * 3 // 10 + 10


def mint_target(n: int) -> str:
    return "0x" + (0x1000000000000000000000000000000000000000 + n).to_bytes(20, "big").hex()


def registration_target(n: int) -> str:
    return "0x" + (0x2000000000000000000000000000000000000000 + n).to_bytes(20, "big").hex()
