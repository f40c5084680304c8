"""A sent batch the chain will not include at its fee is re-priced and replaced (same
nonce, higher fees), and its operations confirm once."""

from sqlalchemy import Engine

from rwakit.domain.operations import OperationState
from rwakit.pipeline.confirmations import TrackerConfig
from rwakit.pipeline.service import OperationService
from rwakit.pipeline.worker import WorkerConfig
from rwakit.store.batches import BatchState
from tests.integration.pipeline.conftest import PipelineChain
from tests.integration.pipeline.helpers import (
    DONE,
    ThreadWorker,
    all_batches,
    assert_applied_exactly_once,
    standard_plan,
    wait_final,
    wait_until,
)

GWEI = 10**9


def test_a_stuck_batch_is_repriced_and_its_ops_confirm_once(
    engine: Engine, service: OperationService, pipeline_chain: PipelineChain, kek: bytes
) -> None:
    chain = pipeline_chain
    plan = standard_plan(chain, engine, kek, mints=3, transfers=2)
    config = WorkerConfig(tracker=TrackerConfig(stuck_after_s=2.0))
    with ThreadWorker(engine, chain.spec(kek), config=config) as worker:
        with chain.mining_paused():
            ids = service.submit_many(plan.requests)
            wait_final(service, ids, 20, worker, [OperationState.SUBMITTED])
            sent = all_batches(engine)
            ceiling = max(b.max_fee_per_gas for b in sent)
            # the next block's base fee is far above what our batches offer
            chain.rpc("anvil_setNextBlockBaseFeePerGas", [hex(max(10 * GWEI, 50 * ceiling))])
        rows = wait_final(service, ids, 40, worker)

    assert {r.state for r in rows.values()} <= set(DONE)
    assert_applied_exactly_once(chain, plan, ids, rows)
    batches = all_batches(engine)
    assert any(b.state == BatchState.REPLACED for b in batches)
    replaced_nonces = {b.nonce for b in batches if b.state == BatchState.REPLACED}
    confirmed = [b for b in batches if b.state == BatchState.CONFIRMED]
    assert {b.nonce for b in confirmed} >= replaced_nonces
    assert all(b.max_fee_per_gas > ceiling for b in confirmed)
    assert worker.metrics.registry.get_sample_value("rwakit_batch_replacements_total") >= 1


def test_ops_confirm_when_the_original_of_a_replaced_batch_is_mined_after_a_restart(
    engine: Engine, service: OperationService, pipeline_chain: PipelineChain, kek: bytes
) -> None:
    chain = pipeline_chain
    plan = standard_plan(chain, engine, kek, mints=2, transfers=0)
    config = WorkerConfig(tracker=TrackerConfig(stuck_after_s=1.0))
    with chain.mining_paused():
        with ThreadWorker(engine, chain.spec(kek), config=config) as worker:
            ids = service.submit_many(plan.requests)
            wait_final(service, ids, 20, worker, [OperationState.SUBMITTED])
            (original,) = all_batches(engine)

            def replaced() -> bool:
                rows = all_batches(engine)
                if any(b.state == BatchState.REPLACED for b in rows) and any(
                    b.state == BatchState.SENT for b in rows
                ):
                    return True
                # blocks nobody's batch can pay for: ours stays stuck and gets re-priced
                chain.rpc("anvil_setNextBlockBaseFeePerGas", [hex(10_000 * GWEI)])
                chain.rpc("evm_mine", [])
                return False

            wait_until(replaced, 20, "the stuck batch re-priced and re-sent", interval=0.3)
        # the worker is gone; the original, not the replacement, is the one mined
        for row in all_batches(engine):
            if row.id != original.id:
                chain.rpc("anvil_dropTransaction", [row.tx_hash])
        chain.rpc("anvil_setNextBlockBaseFeePerGas", [hex(1)])
        chain.rpc("evm_mine", [])  # the base fee falls back below what the original offers
        chain.rpc("eth_sendRawTransaction", ["0x" + original.raw_tx.hex()])
        chain.rpc("evm_mine", [])
        assert int(chain.receipt(original.tx_hash)["status"], 16) == 1
        assert all(chain.balance(to) == amount for _, to, amount in plan.mints)  # applied
        chain.rpc("anvil_setNextBlockBaseFeePerGas", [hex(GWEI // 10)])

    with ThreadWorker(engine, chain.spec(kek)) as worker:
        rows = wait_final(service, ids, 15, worker)
    assert_applied_exactly_once(chain, plan, ids, rows)
