"""Workers, op plans and checks the write-path drills share.

Child processes (multiprocessing spawn, like `rwakit bench pipeline`) import this module
for their entry points, so it imports nothing from pytest.
"""

import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import Engine, func, select

from rwakit.chain.custody import encrypt_key
from rwakit.chain.fees import FeePolicy
from rwakit.domain.operation_requests import OperationRequest
from rwakit.domain.operations import OperationState, Priority
from rwakit.pipeline.fault_points import CRASH_POINT
from rwakit.pipeline.metrics import PipelineMetrics
from rwakit.pipeline.service import OperationService
from rwakit.pipeline.wiring import WorkerSpec, build_worker
from rwakit.pipeline.worker import WorkerConfig
from rwakit.store.batches import BatchRow, BatchStore
from rwakit.store.engine import make_engine
from rwakit.store.operation_rows import OperationRow
from rwakit.store.tables import batches, operations
from rwakit.store.wallets import WalletStore

SPAWN = multiprocessing.get_context("spawn")
UNIT = 10**18
HOLDER_BALANCE = 1_000 * UNIT  # every pooled holder starts with exactly this much
CRASH_EXIT = 9  # fault_points.crash_if ends the process with os._exit(9)
FINAL = (OperationState.CONFIRMED, OperationState.INDEXED, OperationState.FAILED)
DONE = (OperationState.CONFIRMED, OperationState.INDEXED)


def wait_until(
    condition: Callable[[], object],
    timeout: float,
    what: str | Callable[[], str],
    interval: float = 0.05,
) -> None:
    """Poll ``condition``; ``what`` may be a callable that describes the state at the end."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {timeout:g}s: {what() if callable(what) else what}")
        time.sleep(interval)


# -- child process entry points (spawn) --


def worker_main(url: str, spec: WorkerSpec, stop_at: float, crash_at: str | None) -> None:
    """A worker process as `rwakit worker` runs it; `crash_at` arms a fault point."""
    if crash_at is None:
        os.environ.pop(CRASH_POINT, None)
    else:
        os.environ[CRASH_POINT] = crash_at
    engine = make_engine(url)
    worker, pool = build_worker(engine, spec)
    try:
        worker.run(until=stop_at)
    finally:
        pool.close()
        engine.dispose()


def submit_main(
    url: str, registry: str, requests: list[OperationRequest], crash_at: str | None
) -> None:
    """An API process submitting `requests`; with `crash_at="after_intake"` it dies after the
    commit, before the caller gets the ids back."""
    if crash_at is not None:
        os.environ[CRASH_POINT] = crash_at
    engine = make_engine(url)
    OperationService(engine, registry=registry, is_token=lambda _: True).submit_many(requests)
    engine.dispose()


# -- workers --


class ProcessWorker:
    """A worker in its own (spawned) process, which a test can kill -9."""

    def __init__(
        self, url: str, spec: WorkerSpec, crash_at: str | None = None, seconds: float = 90
    ) -> None:
        self.process = SPAWN.Process(
            target=worker_main, args=(url, spec, time.time() + seconds, crash_at), daemon=True
        )

    def start(self) -> "ProcessWorker":
        self.process.start()
        return self

    def exit_code(self, timeout: float) -> int | None:
        self.process.join(timeout)
        return self.process.exitcode

    def kill(self) -> None:
        """kill -9."""
        if self.process.pid is not None and self.process.exitcode is None:
            os.kill(self.process.pid, signal.SIGKILL)
        self.process.join(10)

    def __enter__(self) -> "ProcessWorker":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.kill()


class ThreadWorker:
    """A worker in a thread of the test process: its pool and metrics stay readable."""

    def __init__(
        self,
        engine: Engine,
        spec: WorkerSpec,
        *,
        fees: FeePolicy | None = None,
        config: WorkerConfig | None = None,
        seconds: float = 90,
    ) -> None:
        self.metrics = PipelineMetrics()
        self.worker, self.pool = build_worker(
            engine, spec, metrics=self.metrics, config=config, fees=fees
        )
        self.worker_error: BaseException | None = None
        self._until = time.time() + seconds
        self.thread = threading.Thread(target=self._run, name="pipeline-worker", daemon=True)

    def _run(self) -> None:
        try:
            self.worker.run(until=self._until)
        except BaseException as exc:  # surfaced by check(): a bug, not a transient error
            self.worker_error = exc

    def check(self) -> None:
        if self.worker_error is not None:
            raise AssertionError(f"worker thread died: {self.worker_error!r}") from (
                self.worker_error
            )

    def start(self) -> "ThreadWorker":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.worker.stop()
        self.thread.join(30)
        assert not self.thread.is_alive(), "worker thread did not stop"
        self.pool.close()

    def __enter__(self) -> "ThreadWorker":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def wait_final(
    service: OperationService,
    op_ids: Sequence[int],
    timeout: float,
    worker: ThreadWorker | None = None,
    states: Sequence[OperationState] = FINAL,
) -> dict[int, OperationRow]:
    """Rows once every op is in `states`; fails early if the worker thread died."""
    deadline = time.monotonic() + timeout
    while True:
        if worker is not None:
            worker.check()
        rows = service.store.get_many(op_ids)
        waiting = [i for i in op_ids if i not in rows or rows[i].state not in states]
        if not waiting:
            return rows
        if time.monotonic() > deadline:
            shown = {i: rows[i].state.name if i in rows else "missing" for i in waiting[:8]}
            raise AssertionError(f"{len(waiting)} ops not final after {timeout:g}s: {shown}")
        time.sleep(0.05)


# -- database views --


def operation_count(engine: Engine) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(operations)).scalar_one()


def all_op_ids(engine: Engine) -> list[int]:
    with engine.connect() as conn:
        return list(conn.execute(select(operations.c.id).order_by(operations.c.id)).scalars())


def all_batches(engine: Engine) -> list[BatchRow]:
    with engine.connect() as conn:
        ids = list(conn.execute(select(batches.c.id).order_by(batches.c.id)).scalars())
    store = BatchStore(engine)
    return [row for row in (store.get(i) for i in ids) if row is not None]


def add_custodial(engine: Engine, kek: bytes, accounts: Iterable) -> None:
    """Store investors' keys encrypted, as Custody.create_wallet would have."""
    wallets = WalletStore(engine)
    for account in accounts:
        sealed = encrypt_key(kek, bytes(account.key), account.address)
        wallets.create(f"investor-{account.address.lower()}", account.address, sealed)


# -- op plans and their on-chain effects --


@dataclass
class Plan:
    """Requests whose on-chain effects are known exactly, to prove none applied twice."""

    requests: list[OperationRequest] = field(default_factory=list)
    mints: list[tuple[int, str, int]] = field(default_factory=list)  # (index, to, amount)
    # (index, from, to, amount): every sender and receiver appears once
    transfers: list[tuple[int, str, str, int]] = field(default_factory=list)

    def mint(self, token: str, to: str, amount: int, **kwargs: object) -> int:
        self.mints.append((len(self.requests), to, amount))
        return self._add(
            OperationRequest("mint", token, {"to": to, "amount": amount}, "t", **kwargs)
        )

    def transfer(self, token: str, sender: str, to: str, amount: int, **kwargs: object) -> int:
        self.transfers.append((len(self.requests), sender, to, amount))
        params = {"from": sender, "to": to, "amount": amount}
        return self._add(OperationRequest("transfer", token, params, "t", **kwargs))

    def _add(self, request: OperationRequest) -> int:
        self.requests.append(request)
        return len(self.requests) - 1


def assert_final_with_reasons(rows: dict[int, OperationRow]) -> None:
    for row in rows.values():
        assert row.state in FINAL, f"op {row.id} is {row.state.name}"
        if row.state == OperationState.FAILED:
            assert row.reason_code and row.reason_message, f"op {row.id} failed without reason"


def assert_applied_exactly_once(chain, plan: Plan, ids: Sequence[int], rows) -> None:
    """Every op confirmed, and the chain shows each one's effect once."""
    not_done = {
        ids[i]: (rows[ids[i]].state.name, rows[ids[i]].reason_code)
        for i in range(len(plan.requests))
        if rows[ids[i]].state not in DONE
    }
    assert not not_done, f"valid ops did not confirm: {not_done}"
    for _, to, amount in plan.mints:
        assert chain.balance(to) == amount, f"mint to {to}"
    for _, sender, to, amount in plan.transfers:
        assert chain.balance(sender) == HOLDER_BALANCE - amount, f"transfer from {sender}"
        assert chain.balance(to) == amount, f"transfer to {to}"
        assert chain.authorization_nonce(sender) == 1, f"authorizations used by {sender}"


def standard_plan(chain, engine: Engine, kek: bytes, mints: int = 8, transfers: int = 6) -> Plan:
    """Mints of distinct amounts to fresh verified wallets and relayed transfers of distinct
    amounts between custodial holders and fresh verified wallets."""
    plan = Plan()
    for i, to in enumerate(chain.take_verified(mints)):
        plan.mint(chain.token, to, (i + 1) * UNIT + 17)
    senders = chain.take_holders(transfers)
    add_custodial(engine, kek, senders)
    for i, (sender, to) in enumerate(zip(senders, chain.take_verified(transfers), strict=True)):
        plan.transfer(chain.token, sender.address.lower(), to, (i + 1) * UNIT // 10 + 3)
    return plan


def priority_requests(token: str, targets: Sequence[str], priority: Priority) -> list:
    return [
        OperationRequest("mint", token, {"to": t, "amount": UNIT + i}, "t", priority)
        for i, t in enumerate(targets)
    ]
