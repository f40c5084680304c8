"""kill -9 at each step of the write path, then restart: nothing lost, nothing applied twice.

The worker runs in its own process with `RWAKIT_WORKER_CRASH_AT` set, dies at that step
with `os._exit(9)` (no cleanup, no lease release: like `kill -9`), and a fresh worker
without the variable takes over once the dead one's lease runs out. On-chain balances
prove every operation took effect exactly once: each mint goes to a fresh wallet with a
distinct amount, each relayed transfer moves a distinct amount between parties used once.
"""

from dataclasses import replace

from eth_account import Account
from sqlalchemy import Engine

from rwakit.domain.operation_requests import OperationRequest
from rwakit.domain.operations import OperationState
from rwakit.pipeline.service import OperationService
from rwakit.store.batches import BatchState
from rwakit.store.leases import LeaseStore
from rwakit.store.operations import OperationStore
from tests.integration.pipeline.conftest import BOTH_DATABASES, PipelineChain
from tests.integration.pipeline.helpers import (
    CRASH_EXIT,
    FINAL,
    HOLDER_BALANCE,
    SPAWN,
    ProcessWorker,
    ThreadWorker,
    all_batches,
    all_op_ids,
    assert_applied_exactly_once,
    assert_final_with_reasons,
    operation_count,
    standard_plan,
    submit_main,
    wait_final,
    wait_until,
)

RESTART_TIMEOUT = 40.0  # lease expiry (8 s) plus a few blocks


def crash_worker(url: str, spec, point: str) -> None:
    """A worker process armed at `point`; returns once it died there."""
    dead = ProcessWorker(url, spec, crash_at=point).start()
    code = dead.exit_code(timeout=60)
    assert code == CRASH_EXIT, f"worker armed at {point} ended with {code}, not {CRASH_EXIT}"


def restart_and_settle(service, engine, spec, ids, chain, plan) -> None:
    with ThreadWorker(engine, spec) as worker:
        rows = wait_final(service, ids, RESTART_TIMEOUT, worker)
    assert_final_with_reasons(rows)
    assert_applied_exactly_once(chain, plan, ids, rows)
    assert worker.metrics.registry.get_sample_value("rwakit_batch_send_errors_total") == 0


@BOTH_DATABASES
def test_crash_after_intake(
    database_url: str,
    engine: Engine,
    service: OperationService,
    pipeline_chain: PipelineChain,
    kek: bytes,
) -> None:
    """The API process dies after committing the ops, before answering: they are kept, a
    client retry with the same idempotency keys gets the same ops, and all confirm once."""
    chain = pipeline_chain
    plan = standard_plan(chain, engine, kek)
    keyed = [replace(r, idempotency_key=f"intake-{i}") for i, r in enumerate(plan.requests)]
    plan.requests = keyed
    api = SPAWN.Process(
        target=submit_main, args=(database_url, chain.registry, keyed, "after_intake")
    )
    api.start()
    api.join(60)
    assert api.exitcode == CRASH_EXIT

    stored = all_op_ids(engine)
    assert len(stored) == len(keyed)
    assert OperationStore(engine).counts_by_state()[OperationState.ACCEPTED] == len(keyed)
    retried = service.submit_many(keyed)  # the client never saw an answer: it retries
    assert retried == stored
    assert operation_count(engine) == len(keyed)

    restart_and_settle(service, engine, chain.spec(kek), retried, chain, plan)


@BOTH_DATABASES
def test_crash_after_signing(
    database_url: str,
    engine: Engine,
    service: OperationService,
    pipeline_chain: PipelineChain,
    kek: bytes,
) -> None:
    """Signed and recorded, never sent: the restart re-broadcasts the recorded bytes."""
    chain = pipeline_chain
    plan = standard_plan(chain, engine, kek)
    ids = service.submit_many(plan.requests)
    spec = chain.spec(kek)

    crash_worker(database_url, spec, "after_signing")
    recorded = all_batches(engine)
    assert recorded and all(b.state == BatchState.SIGNED for b in recorded)
    assert all(chain.transaction(b.tx_hash) is None for b in recorded), "sent before the crash"
    rows = service.store.get_many(ids)
    assert all(r.state == OperationState.SUBMITTED for r in rows.values())

    restart_and_settle(service, engine, spec, ids, chain, plan)
    # the ops went out in the transactions recorded before the crash, not in new ones
    assert {r.tx_hash for r in service.store.get_many(ids).values()} <= {
        b.tx_hash for b in recorded
    }


@BOTH_DATABASES
def test_crash_after_sending(
    database_url: str,
    engine: Engine,
    service: OperationService,
    pipeline_chain: PipelineChain,
    kek: bytes,
) -> None:
    """Sent, then dead; the transactions mine while no worker runs (mined, not confirmed):
    the restart confirms them from the chain and sends nothing again."""
    chain = pipeline_chain
    plan = standard_plan(chain, engine, kek)
    ids = service.submit_many(plan.requests)
    spec = chain.spec(kek)

    with chain.mining_paused():  # nothing can be mined, let alone confirmed, before the crash
        crash_worker(database_url, spec, "after_sending")
    recorded = all_batches(engine)
    assert recorded and all(b.state == BatchState.SENT for b in recorded)
    wait_until(lambda: all(chain.receipt(b.tx_hash) for b in recorded), 15, "batches mined")
    rows = service.store.get_many(ids)
    assert all(r.state == OperationState.SUBMITTED for r in rows.values())

    restart_and_settle(service, engine, spec, ids, chain, plan)
    assert len(all_batches(engine)) == len(recorded), "something was signed again"


@BOTH_DATABASES
def test_crash_after_mining(
    database_url: str,
    engine: Engine,
    service: OperationService,
    pipeline_chain: PipelineChain,
    kek: bytes,
) -> None:
    chain = pipeline_chain
    plan = standard_plan(chain, engine, kek)
    ids = service.submit_many(plan.requests)
    spec = chain.spec(kek)

    crash_worker(database_url, spec, "after_mining")
    restart_and_settle(service, engine, spec, ids, chain, plan)


def test_after_mining_point_fires_between_mining_and_confirmation(
    database_url: str,
    engine: Engine,
    service: OperationService,
    pipeline_chain: PipelineChain,
    kek: bytes,
) -> None:
    """With no block mined until our batches are out, the worker must not die at
    after_mining; once the block with them is mined it dies with the ops unconfirmed."""
    chain = pipeline_chain
    plan = standard_plan(chain, engine, kek, mints=4, transfers=0)
    ids = service.submit_many(plan.requests)
    spec = chain.spec(kek)
    armed = ProcessWorker(database_url, spec, crash_at="after_mining")
    try:
        with chain.mining_paused():
            armed.start()
            wait_until(
                lambda: (
                    armed.process.exitcode is not None
                    or any(b.state == BatchState.SENT for b in all_batches(engine))
                ),
                30,
                "the worker sent its batches or died",
            )
            assert armed.process.exitcode is None, "died at after_mining while no block was mined"
        assert armed.exit_code(timeout=30) == CRASH_EXIT
        recorded = all_batches(engine)
        assert all(chain.receipt(b.tx_hash) for b in recorded)
        states = {r.state for r in service.store.get_many(ids).values()}
        assert states == {OperationState.SUBMITTED}, "confirmed before the after_mining point"
    finally:
        armed.kill()
        with ThreadWorker(engine, spec) as worker:  # leave nothing in flight on this chain
            wait_final(service, ids, RESTART_TIMEOUT, worker)


def test_crash_during_recovery(
    database_url: str,
    engine: Engine,
    service: OperationService,
    pipeline_chain: PipelineChain,
    kek: bytes,
) -> None:
    """Dead after signing, then dead again right after recovery re-broadcast: the third
    worker finds the transactions in flight and confirms them once."""
    chain = pipeline_chain
    plan = standard_plan(chain, engine, kek)
    ids = service.submit_many(plan.requests)
    spec = chain.spec(kek)

    crash_worker(database_url, spec, "after_signing")
    recorded = all_batches(engine)
    crash_worker(database_url, spec, "after_recovery")
    assert all(chain.transaction(b.tx_hash) is not None for b in recorded), "not re-broadcast"

    restart_and_settle(service, engine, spec, ids, chain, plan)
    assert len(all_batches(engine)) == len(recorded)
    assert (
        LeaseStore(engine).holder(f"signer:{Account.from_key(spec.signer_key).address.lower()}")
        is None
    )  # released on stop


def test_new_transfer_of_a_sender_whose_transfer_is_recovered(
    database_url: str,
    engine: Engine,
    service: OperationService,
    pipeline_chain: PipelineChain,
    kek: bytes,
) -> None:
    """A transfer signed before the crash is re-broadcast by recovery; a second transfer of
    the same investor, accepted meanwhile, must use the next authorization nonce."""
    chain = pipeline_chain
    plan = standard_plan(chain, engine, kek, mints=0, transfers=2)
    ids = service.submit_many(plan.requests)
    spec = chain.spec(kek)
    crash_worker(database_url, spec, "after_signing")

    _, sender, _, first_amount = plan.transfers[0]
    (receiver,) = chain.take_verified(1)
    params = {"from": sender, "to": receiver, "amount": 5}
    later = service.submit(OperationRequest("transfer", chain.token, params, "t"))
    with ThreadWorker(engine, spec) as worker:
        # no block until the later transfer is signed: the recovered one is still in flight
        with chain.mining_paused():
            wait_final(
                service, [later], RESTART_TIMEOUT, worker, [OperationState.SUBMITTED, *FINAL]
            )
        rows = wait_final(service, [*ids, later], RESTART_TIMEOUT, worker)
    assert_final_with_reasons(rows)
    assert rows[later].state == OperationState.CONFIRMED, (
        rows[later].reason_code,
        rows[later].reason_message,
    )
    assert chain.balance(receiver) == 5
    assert chain.balance(sender) == HOLDER_BALANCE - first_amount - 5
