import pytest
from sqlalchemy import Engine

from rwakit.domain.operations import OperationState
from rwakit.store.batches import BatchStore
from rwakit.store.operations import OperationStore
from tests.integration.store.helpers import new_op, signed_batch


@pytest.fixture
def store(engine: Engine) -> OperationStore:
    return OperationStore(engine)


@pytest.fixture
def batch_id(engine: Engine) -> int:
    return BatchStore(engine).record_signed(signed_batch(0), now=1.0)


def test_accepted_submitted_confirmed_indexed_with_timestamps(
    store: OperationStore, batch_id: int
) -> None:
    a, b = store.insert([new_op(), new_op()], now=10.0)
    assert store.mark_submitted([a, b], batch_id, "0xabc", now=11.0) == 2
    assert store.mark_confirmed([(a, 7, 21_000), (b, 7, 23_000)], now=12.5) == 2
    assert store.mark_indexed([a], now=13.0) == 1
    first, second = store.get(a), store.get(b)
    assert first is not None and second is not None
    assert first.state is OperationState.INDEXED
    assert (first.accepted_at, first.submitted_at, first.confirmed_at, first.indexed_at) == (
        10.0,
        11.0,
        12.5,
        13.0,
    )
    assert (first.batch_id, first.tx_hash, first.block_number, first.gas_used) == (
        batch_id,
        "0xabc",
        7,
        21_000,
    )
    assert second.state is OperationState.CONFIRMED and second.gas_used == 23_000
    assert second.indexed_at is None and second.failed_at is None


def test_failure_keeps_reason_and_the_first_failure_wins(
    store: OperationStore, batch_id: int
) -> None:
    a, b = store.insert([new_op(), new_op()], now=10.0)
    store.mark_submitted([b], batch_id, "0xabc", now=11.0)
    failures = [(a, "compliance", "receiver lacks claim KYC"), (b, "reverted", "out of gas")]
    assert store.mark_failed(failures, now=12.0) == 2
    assert store.mark_failed([(a, "other", "later")], now=13.0) == 0
    failed = store.get(a)
    assert failed is not None and failed.state is OperationState.FAILED
    assert (failed.reason_code, failed.reason_message, failed.failed_at) == (
        "compliance",
        "receiver lacks claim KYC",
        12.0,
    )
    assert store.get(b).reason_code == "reverted"  # type: ignore[union-attr]


def test_transitions_only_from_the_states_they_follow(store: OperationStore, batch_id: int) -> None:
    (op,) = store.insert([new_op()])
    assert store.mark_indexed([op], now=1.0) == 0  # not confirmed yet
    assert store.requeue([op]) == 0  # not submitted
    store.mark_failed([(op, "cancelled", "withdrawn")], now=2.0)
    assert store.mark_submitted([op], batch_id, "0xabc", now=3.0) == 0
    assert store.mark_confirmed([(op, 1, 1)], now=4.0) == 0
    assert store.get(op).state is OperationState.FAILED  # type: ignore[union-attr]


def test_requeue_returns_ops_of_a_dropped_transaction_to_the_queue(
    store: OperationStore, batch_id: int
) -> None:
    a, b = store.insert([new_op(), new_op()])
    store.mark_submitted([a, b], batch_id, "0xdropped", now=5.0)
    assert store.ids_by_batch([batch_id]) == {batch_id: [a, b]}
    assert store.requeue([a, b]) == 2
    again = store.get(a)
    assert again is not None and again.state is OperationState.ACCEPTED
    assert (again.batch_id, again.tx_hash, again.submitted_at) == (None, None, None)
    assert [o.id for o in store.claim_pending(None, 10, 2)] == [a, b]


def test_counts_by_state_and_pending_depth(store: OperationStore, batch_id: int) -> None:
    a, b, _c, d = store.insert([new_op() for _ in range(4)])
    store.mark_submitted([a, b], batch_id, "0xabc", now=1.0)
    store.mark_confirmed([(a, 3, 100)], now=2.0)
    store.mark_failed([(d, "reverted", "x")], now=2.0)
    assert store.counts_by_state() == {
        OperationState.ACCEPTED: 1,
        OperationState.SUBMITTED: 1,
        OperationState.CONFIRMED: 1,
        OperationState.INDEXED: 0,
        OperationState.FAILED: 1,
    }
    assert store.pending_depth() == 1


def test_get_many_leaves_unknown_ids_out(store: OperationStore) -> None:
    a, b = store.insert([new_op(), new_op()])
    assert set(store.get_many([b, a, 999_999])) == {a, b}
    assert store.get(999_999) is None


def test_bulk_updates_reject_bad_values(store: OperationStore, batch_id: int) -> None:
    (op,) = store.insert([new_op()])
    with pytest.raises(ValueError, match="operation ids are positive integers; got -4"):
        store.mark_submitted([op, -4], batch_id, "0xabc", now=1.0)
    with pytest.raises(ValueError, match="batch ids are positive integers"):
        store.mark_submitted([op], 0, "0xabc", now=1.0)
    with pytest.raises(ValueError, match="gas used must be a non-negative integer"):
        store.mark_confirmed([(op, 1, -5)], now=1.0)
    with pytest.raises(ValueError, match="reason code must be a non-empty string"):
        store.mark_failed([(op, "", "no code")], now=1.0)
    assert store.get(op).state is OperationState.ACCEPTED  # type: ignore[union-attr]
