"""The worker's gauges describe what is happening, not their defaults."""

from sqlalchemy import Engine

from rwakit.chain.fees import GWEI
from rwakit.domain.operation_requests import OperationRequest
from rwakit.pipeline.service import OperationService
from rwakit.store.batches import BatchState
from tests.integration.pipeline.conftest import PipelineChain
from tests.integration.pipeline.helpers import (
    UNIT,
    ThreadWorker,
    all_batches,
    wait_final,
    wait_until,
)


def test_nonce_gap_counts_sent_but_unmined_transactions(
    engine: Engine, service: OperationService, pipeline_chain: PipelineChain, kek: bytes
) -> None:
    chain = pipeline_chain
    # two kinds on two contracts: at least two batch transactions in one cycle
    mints = [
        OperationRequest("mint", chain.token, {"to": to, "amount": UNIT}, "t")
        for to in chain.take_verified(3)
    ]
    registrations = [
        OperationRequest(
            "register_identity",
            chain.registry,
            {
                "wallet": "0x" + f"{0xBEEF0000 + i:040x}",
                "identity_id": 9_000_000 + i,
                "country": 840,
            },
            "t",
        )
        for i in range(2)
    ]
    ids = service.submit_many(mints + registrations)
    worker = ThreadWorker(engine, chain.spec(kek))
    # an earlier test may have left a high next-block base fee, which blocks that never come
    # (mining is paused below) would never lower again: the node would refuse our batches
    chain.rpc("anvil_setNextBlockBaseFeePerGas", [hex(GWEI // 10)])
    chain.rpc("evm_mine", [])
    try:
        # mining paused before the worker starts: no batch can be mined before it is counted
        with chain.mining_paused():
            worker.start()
            wait_until(
                lambda: (
                    len(all_batches(engine)) >= 2
                    and all(b.state == BatchState.SENT for b in all_batches(engine))
                ),
                20,
                lambda: (
                    "batches sent: "
                    + repr([(b.kind, b.nonce, b.state.name) for b in all_batches(engine)])
                    + f", ops {[r.state.name for r in service.store.get_many(ids).values()]}"
                ),
            )
            worker.worker._refresh_gauges()
            assert worker.metrics.nonce_gap._value.get() == len(all_batches(engine))
        wait_final(service, ids, 30, worker)
        worker.worker._refresh_gauges()
        assert worker.metrics.nonce_gap._value.get() == 0
        assert worker.metrics.pending._value.get() == 0
    finally:
        worker.stop()
