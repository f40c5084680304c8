"""Items whose gas differs most from the average still confirm: batches are sized by
per-item estimates, and bisection ends with one item per transaction, so an estimate
below what a lone item needs fails a valid operation with REVERTED (out of gas)."""

from sqlalchemy import Engine

from rwakit.domain.operation_requests import OperationRequest
from rwakit.pipeline.service import OperationService
from tests.integration.pipeline.conftest import PipelineChain
from tests.integration.pipeline.helpers import (
    DONE,
    HOLDER_BALANCE,
    UNIT,
    ThreadWorker,
    add_custodial,
    wait_final,
)


def run_alone(engine, service, chain, kek, request: OperationRequest) -> None:
    (op_id,) = service.submit_many([request])
    with ThreadWorker(engine, chain.spec(kek)) as worker:
        row = wait_final(service, [op_id], 30, worker)[op_id]
    assert row.state in DONE, (row.reason_code, row.reason_message)


def test_whole_balance_moves_and_other_edges_confirm(
    engine: Engine, service: OperationService, pipeline_chain: PipelineChain, kek: bytes
) -> None:
    chain = pipeline_chain
    accounts = chain.take_holders(8)
    add_custodial(engine, kek, accounts)
    h = [a.address.lower() for a in accounts]
    fresh = chain.take_verified(2)

    def op(kind: str, **params: object) -> OperationRequest:
        return OperationRequest(kind, chain.token, params, "t")

    ids = service.submit_many(
        [
            op("forced_transfer", **{"from": h[0], "to": fresh[0], "amount": HOLDER_BALANCE}),
            op("transfer", **{"from": h[1], "to": fresh[1], "amount": HOLDER_BALANCE}),
            op("burn", **{"from": h[2], "amount": HOLDER_BALANCE}),
            op("mint", to=h[3], amount=UNIT),
            op("freeze", account=h[4]),
            op("freeze_partial", account=h[5], amount=HOLDER_BALANCE),
        ]
    )
    with ThreadWorker(engine, chain.spec(kek)) as worker:
        rows = wait_final(service, ids, 30, worker)
    assert all(r.state in DONE for r in rows.values()), [
        (r.kind, r.reason_code) for r in rows.values()
    ]
    assert chain.balance(fresh[0]) == chain.balance(fresh[1]) == HOLDER_BALANCE
    assert chain.balance(h[0]) == chain.balance(h[1]) == chain.balance(h[2]) == 0
    assert chain.balance(h[3]) == HOLDER_BALANCE + UNIT


def test_a_forced_transfer_to_a_wallet_holding_nothing_confirms(
    engine: Engine, service: OperationService, pipeline_chain: PipelineChain, kek: bytes
) -> None:
    chain = pipeline_chain
    (holder,) = chain.take_holders(1)
    (fresh,) = chain.take_verified(1)
    params = {"from": holder.address.lower(), "to": fresh, "amount": UNIT}
    run_alone(
        engine, service, chain, kek, OperationRequest("forced_transfer", chain.token, params, "t")
    )
    assert chain.balance(fresh) == UNIT


def test_a_relayed_transfer_of_a_whole_balance_to_a_holder_confirms(
    engine: Engine, service: OperationService, pipeline_chain: PipelineChain, kek: bytes
) -> None:
    chain = pipeline_chain
    seller, buyer = chain.take_holders(2)
    add_custodial(engine, kek, [seller])
    params = {"from": seller.address.lower(), "to": buyer.address.lower(), "amount": HOLDER_BALANCE}
    run_alone(engine, service, chain, kek, OperationRequest("transfer", chain.token, params, "t"))
    assert chain.balance(buyer.address) == 2 * HOLDER_BALANCE
