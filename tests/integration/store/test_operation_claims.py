import threading

from sqlalchemy import Connection, Engine

from rwakit.domain.operations import Priority
from rwakit.store.batches import BatchStore
from rwakit.store.operations import OperationStore
from tests.integration.store.conftest import on_postgres_only
from tests.integration.store.helpers import TOKEN_A, TOKEN_B, new_op, signed_batch


def test_claims_urgent_first_then_oldest(engine: Engine) -> None:
    store = OperationStore(engine)
    normal_1, deferrable, urgent_1, normal_2, urgent_2 = store.insert(
        [
            new_op(priority="normal"),
            new_op(priority="deferrable"),
            new_op(priority="urgent"),
            new_op(priority="normal"),
            new_op(priority="urgent"),
        ]
    )
    claimed = store.claim_pending(None, limit=10, max_priority=Priority.DEFERRABLE)
    assert [op.id for op in claimed] == [urgent_1, urgent_2, normal_1, normal_2, deferrable]


def test_max_priority_holds_back_lower_priorities(engine: Engine) -> None:
    # Above the fee ceiling the batcher asks for urgent operations only.
    store = OperationStore(engine)
    urgent, _normal = store.insert([new_op(priority="urgent"), new_op(priority="normal")])
    claimed = store.claim_pending(None, limit=10, max_priority="urgent")
    assert [op.id for op in claimed] == [urgent]


def test_claims_only_the_given_contracts_and_up_to_the_limit(engine: Engine) -> None:
    store = OperationStore(engine)
    ids = store.insert([new_op(contract=TOKEN_A), new_op(contract=TOKEN_B)] * 3)
    on_b = [op.id for op in store.claim_pending([TOKEN_B.upper().replace("0X", "0x")], 2, 2)]
    assert on_b == [ids[1], ids[3]]
    assert store.claim_pending([], 10, 2) == []


def test_claims_only_accepted_operations(engine: Engine) -> None:
    store = OperationStore(engine)
    failed, waiting = store.insert([new_op(), new_op()])
    store.mark_failed([(failed, "compliance", "receiver lacks claim KYC")], now=1.0)
    assert [op.id for op in store.claim_pending(None, 10, 2)] == [waiting]


@on_postgres_only
def test_concurrent_workers_claim_disjoint_sets(engine: Engine) -> None:
    ids = OperationStore(engine).insert([new_op() for _ in range(6)])
    with engine.connect() as first, engine.connect() as second, first.begin():
        mine = OperationStore(first).claim_pending(None, limit=4, max_priority=2)
        with second.begin():
            theirs = OperationStore(second).claim_pending(None, limit=4, max_priority=2)
    assert [op.id for op in mine] == ids[:4]
    assert [op.id for op in theirs] == ids[4:]


def test_a_claim_never_returns_operations_another_open_claim_holds(engine: Engine) -> None:
    # PostgreSQL skips the locked rows; SQLite makes the second claim wait for the first
    # transaction, which by then has moved its operations on. Either way: disjoint.
    ids = OperationStore(engine).insert([new_op() for _ in range(6)])
    batch_id = BatchStore(engine).record_signed(signed_batch(0))
    second_claim: list[int] = []

    def claim_and_submit(conn: Connection) -> list[int]:
        store = OperationStore(conn)
        claimed = [op.id for op in store.claim_pending(None, limit=4, max_priority=2)]
        store.mark_submitted(claimed, batch_id, "0xfeed", now=2.0)
        return claimed

    def second_worker() -> None:
        with engine.begin() as conn:
            second_claim.extend(claim_and_submit(conn))

    with engine.begin() as conn:
        first_claim = claim_and_submit(conn)
        worker = threading.Thread(target=second_worker)
        worker.start()
        worker.join(timeout=0.2)  # on SQLite it is still waiting for our write lock
    worker.join(timeout=10)
    assert first_claim == ids[:4]
    assert second_claim == ids[4:]
