"""Batches are sized by estimated gas under the per-transaction cap; fees obey the ceiling."""

from rwakit.chain.fees import GWEI, FeePolicy
from rwakit.domain.operations import Priority
from rwakit.pipeline.batch_calls import (
    NEW_HOLDER_GAS,
    TX_BASE_GAS,
    PendingOp,
    batch_call,
    group_of,
    split_by_gas,
)


def ops(n, kind="mint"):
    return [
        PendingOp(i, kind, "0x" + "ab" * 20, {"to": "0x" + "11" * 20, "amount": 1}, 1)
        for i in range(n)
    ]


def test_chunks_respect_the_gas_cap_and_the_item_bound():
    call = batch_call("mint")
    cap = TX_BASE_GAS + 10 * call.gas_per_item
    chunks = split_by_gas(ops(25), call, cap, new_holders=set())
    assert [len(c) for c, _ in chunks] == [10, 10, 5]
    assert all(gas <= cap for _, gas in chunks)
    big = split_by_gas(ops(600), call, 10**9, new_holders=set())
    assert [len(c) for c, _ in big] == [256, 256, 88]


def test_new_holders_cost_more_gas():
    call = batch_call("mint")
    (plain,) = split_by_gas(ops(4), call, 10**9, new_holders=set())
    (fresh,) = split_by_gas(ops(4), call, 10**9, new_holders={0, 1})
    assert fresh[1] - plain[1] == 2 * NEW_HOLDER_GAS


def test_freeze_and_unfreeze_share_a_batch_and_registrations_split_by_claims():
    freeze = PendingOp(1, "freeze", "0x" + "ab" * 20, {"account": "0x" + "11" * 20}, 1)
    unfreeze = PendingOp(2, "unfreeze", "0x" + "ab" * 20, {"account": "0x" + "11" * 20}, 1)
    assert group_of(freeze) == group_of(unfreeze) == "set_frozen"
    bare = PendingOp(3, "register_identity", "0x" + "cd" * 20, {"wallet": "0x" + "11" * 20}, 1)
    claimed = PendingOp(
        4, "register_identity", "0x" + "cd" * 20, {"wallet": "0x" + "11" * 20, "claims": {}}, 1
    )
    assert group_of(bare) != group_of(claimed)


def test_fee_ceiling_holds_back_deferrable_work_only():
    policy = FeePolicy(ceiling_base_fee=20 * GWEI, priority_fee=GWEI // 20)
    assert policy.may_send(Priority.DEFERRABLE, 10 * GWEI)
    assert not policy.may_send(Priority.DEFERRABLE, 21 * GWEI)
    assert policy.may_send(Priority.URGENT, 500 * GWEI)
    max_fee, tip = policy.fees(10 * GWEI)
    assert max_fee == 20 * GWEI + tip


def test_replacement_raises_both_fees_enough_for_the_node():
    policy = FeePolicy()
    max_fee, tip = policy.replacement(100, 10, base_fee=40)
    assert max_fee >= 112 and tip >= 12


def test_bisection_caps_items_per_transaction():
    call = batch_call("mint")
    chunks = split_by_gas(ops(10), call, 10**9, new_holders=set(), max_items=3)
    assert [len(c) for c, _ in chunks] == [3, 3, 3, 1]
