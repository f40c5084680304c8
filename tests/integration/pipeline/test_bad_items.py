"""One bad item never sinks a batch: the pre-check fails it with its compliance reason
before sending, and an item that only fails on chain is isolated by bisection."""

from sqlalchemy import Engine

from rwakit.domain.operation_requests import OperationRequest
from rwakit.domain.operations import OperationState
from rwakit.pipeline.service import OperationService
from rwakit.store.batches import BatchState
from tests.integration.pipeline.conftest import PipelineChain
from tests.integration.pipeline.helpers import (
    HOLDER_BALANCE,
    UNIT,
    Plan,
    ThreadWorker,
    add_custodial,
    all_batches,
    assert_applied_exactly_once,
    assert_final_with_reasons,
    wait_final,
)


def test_non_compliant_items_fail_with_their_reason_and_the_rest_confirm(
    engine: Engine, service: OperationService, pipeline_chain: PipelineChain, kek: bytes
) -> None:
    chain = pipeline_chain
    good = Plan()
    for i, to in enumerate(chain.take_verified(20)):
        good.mint(chain.token, to, (i + 1) * UNIT + 1)
    senders = chain.take_holders(11)
    add_custodial(engine, kek, senders)
    for i, (s, to) in enumerate(zip(senders[:10], chain.take_verified(10), strict=True)):
        good.transfer(chain.token, s.address.lower(), to, (i + 1) * UNIT + 2)
    # a mint and a relayed transfer to wallets with no identity in the registry
    unregistered = ["0x" + f"{0xBAD00000 + i:040x}" for i in range(2)]
    bad = Plan()
    bad.mint(chain.token, unregistered[0], 7 * UNIT)
    bad.transfer(chain.token, senders[10].address.lower(), unregistered[1], 3 * UNIT)

    # submitted together, the bad items between the good ones, so they share a cycle
    requests = [*good.requests[:10], bad.requests[0], *good.requests[10:25]]
    requests += [bad.requests[1], *good.requests[25:]]
    ids = service.submit_many(requests)
    with ThreadWorker(engine, chain.spec(kek)) as worker:
        rows = wait_final(service, ids, 30, worker)

    assert_final_with_reasons(rows)
    bad_ids = [ids[10], ids[26]]
    good_ids = [i for i in ids if i not in bad_ids]
    for op_id in bad_ids:
        row = rows[op_id]
        assert row.state == OperationState.FAILED
        assert row.reason_code == "RECEIVER_NOT_VERIFIED"
        assert row.reason_message == "receiver has no registered identity"
        assert row.tx_hash is None, "a pre-check failure must not be sent"
    assert_applied_exactly_once(chain, good, good_ids, rows)
    assert chain.balance(unregistered[0]) == chain.balance(unregistered[1]) == 0
    assert chain.balance(senders[10].address) == HOLDER_BALANCE
    # the good mints went out together: the bad neighbour did not split or sink them
    assert len({rows[i].tx_hash for i in good_ids[:20]}) == 1
    assert worker.metrics.registry.get_sample_value("rwakit_batch_reverts_total") == 0
    failed = worker.metrics.registry.get_sample_value(
        "rwakit_ops_failed_total", {"reason": "RECEIVER_NOT_VERIFIED"}
    )
    assert failed == 2


def test_an_item_that_reverts_on_chain_is_isolated_by_bisection(
    engine: Engine, service: OperationService, pipeline_chain: PipelineChain, kek: bytes
) -> None:
    """Two transfers of one investor each pass the pre-check alone, but together exceed the
    balance: the batch reverts, the worker bisects, one of the two and all the others
    confirm, and the other fails with a reason."""
    chain = pipeline_chain
    senders = chain.take_holders(13)
    add_custodial(engine, kek, senders)
    good = Plan()
    for i, (s, to) in enumerate(zip(senders[:12], chain.take_verified(12), strict=True)):
        good.transfer(chain.token, s.address.lower(), to, (i + 1) * UNIT + 5)
    spender = senders[12].address.lower()
    first, second = chain.take_verified(2)
    overdraw = Plan()
    overdraw.transfer(chain.token, spender, first, 600 * UNIT)
    overdraw.transfer(chain.token, spender, second, 500 * UNIT)  # 1,100 of 1,000 in total

    requests = [*good.requests[:6], *overdraw.requests, *good.requests[6:]]
    ids = service.submit_many(requests)
    with ThreadWorker(engine, chain.spec(kek)) as worker:
        rows = wait_final(service, ids, 60, worker)

    assert_final_with_reasons(rows)
    pair = [rows[ids[6]], rows[ids[7]]]
    good_ids = ids[:6] + ids[8:]
    assert_applied_exactly_once(chain, good, good_ids, rows)
    assert sorted(r.state for r in pair) == [OperationState.CONFIRMED, OperationState.FAILED]
    (won,) = [r for r in pair if r.state == OperationState.CONFIRMED]
    (lost,) = [r for r in pair if r.state == OperationState.FAILED]
    assert lost.reason_code == "INSUFFICIENT_UNFROZEN_BALANCE", lost.reason_code
    assert lost.reason_message
    assert chain.balance(spender) == HOLDER_BALANCE - won.params["amount"]
    assert chain.balance(won.params["to"]) == won.params["amount"]
    assert chain.balance(lost.params["to"]) == 0
    assert chain.authorization_nonce(spender) == 1
    assert worker.metrics.registry.get_sample_value("rwakit_batch_reverts_total") >= 1
    assert any(b.state == BatchState.FAILED for b in all_batches(engine))


def test_custodian_and_registry_items_fail_with_their_pre_check_reason(
    engine: Engine, service: OperationService, pipeline_chain: PipelineChain, kek: bytes
) -> None:
    chain = pipeline_chain
    token, registry = chain.token, chain.registry
    h = [a.address.lower() for a in chain.take_holders(7)]
    receiver = h[6]  # a holder: a forced transfer to an empty wallet is test_gas_edges' case
    (already,) = chain.take_verified(1)
    newcomer = "0x" + f"{0xC0FFEE00 + chain.block_number():040x}"
    nobody = "0x" + f"{0xBAD10000 + chain.block_number():040x}"

    def op(kind: str, contract: str = token, **params: object) -> OperationRequest:
        return OperationRequest(kind, contract, params, "custodian")

    good = [
        op("burn", **{"from": h[0], "amount": 4 * UNIT}),
        op("forced_transfer", **{"from": h[1], "to": receiver, "amount": 6 * UNIT}),
        op("freeze_partial", account=h[2], amount=8 * UNIT),
        op("register_identity", registry, wallet=newcomer, identity_id=777_001, country=840),
    ]
    bad = {
        "INSUFFICIENT_BALANCE": op("burn", **{"from": h[3], "amount": HOLDER_BALANCE + 1}),
        "RECEIVER_NOT_VERIFIED": op(
            "forced_transfer", **{"from": h[4], "to": nobody, "amount": UNIT}
        ),
        "INSUFFICIENT_FROZEN": op("unfreeze_partial", account=h[5], amount=1),
        "ALREADY_REGISTERED": op(
            "register_identity", registry, wallet=already, identity_id=777_002, country=840
        ),
    }
    ids = service.submit_many([*good, *bad.values()])
    with ThreadWorker(engine, chain.spec(kek)) as worker:
        rows = wait_final(service, ids, 30, worker)

    assert_final_with_reasons(rows)
    good_rows = [rows[i] for i in ids[: len(good)]]
    assert all(r.state in (OperationState.CONFIRMED, OperationState.INDEXED) for r in good_rows), [
        (r.kind, r.reason_code) for r in good_rows
    ]
    for code, op_id in zip(bad, ids[len(good) :], strict=True):
        assert (rows[op_id].state, rows[op_id].reason_code) == (OperationState.FAILED, code)
        assert rows[op_id].tx_hash is None

    w3, functions = chain.w3, chain.scenario.token.functions
    assert chain.balance(h[0]) == HOLDER_BALANCE - 4 * UNIT
    assert chain.balance(h[1]) == HOLDER_BALANCE - 6 * UNIT
    assert chain.balance(receiver) == HOLDER_BALANCE + 6 * UNIT
    assert functions.getFrozenTokens(w3.to_checksum_address(h[2])).call() == 8 * UNIT
    assert chain.scenario.contracts.registry.functions.contains(
        w3.to_checksum_address(newcomer)
    ).call()
    assert chain.balance(h[3]) == chain.balance(h[4]) == HOLDER_BALANCE
    assert chain.balance(nobody) == 0
    assert worker.metrics.registry.get_sample_value("rwakit_batch_reverts_total") == 0
