import pytest
from eth_utils import to_checksum_address
from sqlalchemy import Engine, func, select

from rwakit.domain.operations import OperationState, Priority
from rwakit.store.operation_rows import NewOperation
from rwakit.store.operations import IdempotencyKeyReused, OperationStore
from rwakit.store.tables import operations
from tests.integration.store.helpers import TOKEN_A, new_op


def row_count(engine: Engine) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(operations)).scalar_one()


def test_insert_stores_accepted_operations_in_input_order(engine: Engine) -> None:
    store = OperationStore(engine)
    params = {"to": "0x" + "22" * 20, "amount": str(10**30)}
    ids = store.insert([new_op(), new_op(kind="burn", params=params)], now=100.0)
    assert len(ids) == 2 and ids[0] < ids[1]
    burn = store.get(ids[1])
    assert burn is not None
    assert (burn.kind, burn.params, burn.requester) == ("burn", params, "issuer-1")
    assert burn.state is OperationState.ACCEPTED and burn.priority is Priority.NORMAL
    assert burn.accepted_at == 100.0 and burn.submitted_at is None
    assert burn.contract == to_checksum_address(TOKEN_A)  # one spelling per contract


def test_a_large_insert_keeps_every_row_with_its_own_id_in_input_order(engine: Engine) -> None:
    store = OperationStore(engine)
    ops = [
        new_op(params={"to": "0x" + f"{n + 1:040x}", "amount": str(n + 1), "note": ["a", n]})
        for n in range(257)
    ]
    ids = store.insert(ops, now=5.0)
    assert ids == sorted(set(ids)) and len(ids) == 257
    for n, op_id in enumerate(ids):
        stored = store.get(op_id)
        assert stored is not None and stored.params == ops[n].params
        assert stored.accepted_at == 5.0 and stored.idempotency_key is None


def test_same_idempotency_key_twice_is_one_operation(engine: Engine) -> None:
    store = OperationStore(engine)
    (first,) = store.insert([new_op("order-7")])
    (again,) = store.insert([new_op("order-7")])
    assert again == first
    assert row_count(engine) == 1


@pytest.mark.parametrize(
    "changed",
    [
        {"kind": "burn"},
        {"params": {"to": "0x" + "22" * 20, "amount": "2"}},
        {"requester": "someone-else"},
    ],
)
def test_a_key_reused_for_a_different_request_is_refused_and_stores_nothing(
    engine: Engine, changed: dict
) -> None:
    store = OperationStore(engine)
    (first,) = store.insert([new_op("order-7")])
    with pytest.raises(IdempotencyKeyReused, match="order-7"):
        store.insert([new_op(None), new_op("order-7", **changed)])
    with pytest.raises(IdempotencyKeyReused, match="order-8"):
        store.insert([new_op("order-8"), new_op("order-8", **changed)])
    assert row_count(engine) == 1  # neither call stored anything
    stored = store.get(first)
    assert stored is not None and stored.kind == "mint"


def test_mixed_new_and_repeated_keys_keep_input_order(engine: Engine) -> None:
    store = OperationStore(engine)
    a, b = store.insert([new_op("a"), new_op("b")])
    ids = store.insert([new_op("c"), new_op("b"), new_op(None), new_op("a"), new_op("c")])
    c, unkeyed = ids[0], ids[2]
    assert ids == [c, b, unkeyed, a, c]
    assert len({a, b, c, unkeyed}) == 4
    assert row_count(engine) == 4
    assert store.get(c).idempotency_key == "c"  # type: ignore[union-attr]


def test_insert_of_nothing_stores_nothing(engine: Engine) -> None:
    assert OperationStore(engine).insert([]) == []
    assert row_count(engine) == 0


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (new_op(priority="asap"), "unknown priority 'asap'"),
        (new_op(priority=7), "unknown priority 7"),
        (new_op(contract="0x1234"), "contract '0x1234' is not a 0x-prefixed 20-byte address"),
        (new_op(kind=""), "operation kind must be a non-empty string"),
        (new_op(key=""), "idempotency key must be a non-empty string"),
        (NewOperation("mint", TOKEN_A, [1], "issuer-1"), "params must be a dict"),  # type: ignore[arg-type]
    ],
)
def test_bad_input_is_a_clear_error_and_stores_nothing(
    engine: Engine, bad: NewOperation, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        OperationStore(engine).insert([new_op("fine"), bad])
    assert row_count(engine) == 0


def test_priorities_by_name_or_number(engine: Engine) -> None:
    store = OperationStore(engine)
    ids = store.insert([new_op(priority="URGENT"), new_op(priority=2), new_op(priority="1")])
    assert [store.get(i).priority for i in ids] == [  # type: ignore[union-attr]
        Priority.URGENT,
        Priority.DEFERRABLE,
        Priority.NORMAL,
    ]


@pytest.mark.parametrize("bad_id", [-1, 0, 1.5, True, "3"])
def test_lookups_reject_ids_that_are_not_positive_integers(engine: Engine, bad_id: object) -> None:
    with pytest.raises(ValueError, match="operation ids are positive integers"):
        OperationStore(engine).get_many([1, bad_id])  # type: ignore[list-item]
