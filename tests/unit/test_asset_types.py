"""The payout arithmetic the contracts use, repeated in the domain, and airdrop trees."""

import pytest
from eth_utils import keccak

from rwakit.domain.airdrop_tree import AirdropTree, leaf
from rwakit.domain.asset_types import (
    coupon_for,
    distribution_id,
    face_value_of,
    pro_rata_share,
    push_order,
)


def test_coupon_is_the_annual_rate_on_face_value_accrued_actual_365():
    # 10 bonds, face 1,000 (6 decimals), 5 %, a 90-day quarter: 123.287671...
    assert coupon_for(10 * 10**18, 1000 * 10**6, 500, 90 * 86_400, 18) == 123_287_671
    assert coupon_for(0, 1000 * 10**6, 500, 90 * 86_400, 18) == 0


def test_shares_and_face_value_round_down():
    assert pro_rata_share(100, 1, 3) == 33
    assert pro_rata_share(100, 5, 0) == 0
    assert face_value_of(15 * 10**17, 1000, 18) == 1500


def test_push_order_is_ascending_and_deduplicated():
    a, b = "0x" + "0" * 39 + "2", "0x" + "f" * 40
    ordered = push_order([b, a, "0x" + "F" * 40])
    assert [x.lower() for x in ordered] == [a, b]


def test_distribution_id_packs_record_time_and_asset():
    asset = "0x" + "ab" * 20
    assert distribution_id(asset, 7) == (7 << 160) | int(asset, 16)


def _root_from(proof: list[bytes], node: bytes) -> bytes:
    for sibling in proof:
        node = keccak(node + sibling) if node < sibling else keccak(sibling + node)
    return node


@pytest.mark.parametrize("n", [1, 2, 3, 5, 8, 13])
def test_every_proof_leads_to_the_root(n):
    entries = tuple((f"0x{i + 1:040x}", i * 7 + 1) for i in range(n))
    tree = AirdropTree(entries)
    assert tree.total == sum(amount for _, amount in entries)
    for i, (account, amount) in enumerate(entries):
        assert _root_from(tree.proof(i), leaf(account, amount)) == tree.root
    assert _root_from(tree.proof(0), leaf(entries[0][0], entries[0][1] + 1)) != tree.root


def test_an_empty_tree_is_refused():
    with pytest.raises(ValueError, match="at least one entitlement"):
        _ = AirdropTree(()).root
