"""A repeated idempotency key yields one operation and one effect; above the fee ceiling
deferrable operations wait while urgent and normal ones go."""

from sqlalchemy import Engine

from rwakit.chain.fees import FeePolicy
from rwakit.domain.operation_requests import OperationRequest
from rwakit.domain.operations import OperationState, Priority
from rwakit.pipeline.service import OperationService
from tests.integration.pipeline.conftest import PipelineChain
from tests.integration.pipeline.helpers import (
    DONE,
    UNIT,
    ThreadWorker,
    operation_count,
    priority_requests,
    wait_final,
)


def test_the_same_key_twice_yields_one_operation_and_one_mint(
    engine: Engine, service: OperationService, pipeline_chain: PipelineChain, kek: bytes
) -> None:
    chain = pipeline_chain
    across, within = chain.take_verified(2)

    def mint(to: str, key: str) -> OperationRequest:
        return OperationRequest("mint", chain.token, {"to": to, "amount": 3 * UNIT}, "t", 1, key)

    first = service.submit(mint(across, "order-1"))
    assert service.submit(mint(across, "order-1")) == first  # a second call
    same = service.submit_many([mint(within, "order-2"), mint(within, "order-2")])  # one call
    assert same[0] == same[1] != first
    # both keys again in one call, beside their first ops' ids
    assert service.submit_many([mint(across, "order-1"), mint(within, "order-2")]) == [
        first,
        same[0],
    ]
    assert operation_count(engine) == 2

    with ThreadWorker(engine, chain.spec(kek)) as worker:
        rows = wait_final(service, [first, same[0]], 30, worker)
    assert {r.state for r in rows.values()} <= set(DONE)
    assert chain.balance(across) == 3 * UNIT
    assert chain.balance(within) == 3 * UNIT
    # a retry after confirmation still answers with the op, and sends nothing new
    assert service.submit(mint(across, "order-1")) == first
    assert operation_count(engine) == 2


def test_above_the_fee_ceiling_deferrable_ops_wait(
    engine: Engine, service: OperationService, pipeline_chain: PipelineChain, kek: bytes
) -> None:
    chain = pipeline_chain
    ceiling = 1  # wei: anvil's base fee is far above it
    assert chain.base_fee() > ceiling
    targets = chain.take_verified(12)
    urgent = service.submit_many(priority_requests(chain.token, targets[:4], Priority.URGENT))
    normal = service.submit_many(priority_requests(chain.token, targets[4:8], Priority.NORMAL))
    deferrable = service.submit_many(
        priority_requests(chain.token, targets[8:], Priority.DEFERRABLE)
    )

    with ThreadWorker(engine, chain.spec(kek), fees=FeePolicy(ceiling_base_fee=ceiling)) as worker:
        rows = wait_final(service, urgent + normal, 30, worker)
        assert {r.state for r in rows.values()} <= set(DONE)
        # several more blocks and batching cycles: the deferrable ones are still waiting
        last = chain.wait_blocks(3)
        assert chain.block_number() >= last
        waiting = service.store.get_many(deferrable)
        assert {r.state for r in waiting.values()} == {OperationState.ACCEPTED}
        assert all(r.tx_hash is None for r in waiting.values())
    assert all(chain.balance(t) == 0 for t in targets[8:])

    # the base fee is under the (default, 20 gwei) ceiling now: they go
    with ThreadWorker(engine, chain.spec(kek)) as worker:
        rows = wait_final(service, deferrable, 30, worker)
    assert {r.state for r in rows.values()} <= set(DONE)
    for i, target in enumerate(targets):
        assert chain.balance(target) == UNIT + i % 4
