"""Reorgs (anvil snapshot/revert, then different blocks) leave the read model equal to a
fresh index of the surviving chain."""

import pytest
from sqlalchemy import select

from rwakit.indexer.index import ReorgTooDeep
from rwakit.store.read_model_tables import indexer_undo
from tests.integration.indexer.activity import UNIT, investors
from tests.integration.indexer.conftest import empty_read_model, read_model


def _activity(chain, label: str, blocks: int) -> None:
    """``blocks`` blocks, each a mint to a fresh investor, a freeze and a transfer."""
    token = chain.scenario.token.functions
    people = investors(label, blocks)
    chain.scenario.register_many([p.address for p in people])  # one block
    for person in people[: blocks - 1]:
        chain.scenario.operator.transact(token.mint(person.address, 5 * UNIT))


@pytest.mark.parametrize("depth", [1, 5])
def test_reorg_is_rolled_back_and_reapplied(chain, depth: int) -> None:
    token = chain.scenario.token.functions
    seed = investors("reorg-seed", 2)
    chain.scenario.register_many([p.address for p in seed])
    chain.scenario.operator.transact(token.batchMint([p.address for p in seed], [UNIT, UNIT]))
    fork_point = chain.w3.eth.block_number
    snapshot = chain.rpc("evm_snapshot", [])
    _activity(chain, f"orphaned-{depth}", depth)  # blocks fork_point+1 .. +depth
    assert chain.w3.eth.block_number == fork_point + depth
    index = chain.catch_up()
    with chain.engine.connect() as conn:
        assert conn.execute(select(indexer_undo.c.id)).first() is not None
    changed: list[list[str]] = []
    chain.feed.subscribe(changed.append)

    assert chain.rpc("evm_revert", [snapshot])
    _activity(chain, f"surviving-{depth}", depth + 1)  # a longer, different branch
    chain.catch_up(index)
    assert index._metrics.reorgs._value.get() == 1
    orphan = investors(f"orphaned-{depth}", 1)[0].address.lower()
    assert any(f"identity:{orphan}" in keys for keys in changed)
    after_reorg = read_model(chain.engine)
    assert not any(orphan in repr(row) for row in after_reorg["identities"])

    empty_read_model(chain.engine)
    chain.catch_up()
    assert read_model(chain.engine) == after_reorg


def test_a_reorg_deeper_than_the_window_stops_with_a_clear_error(chain) -> None:
    snapshot = chain.rpc("evm_snapshot", [])
    _activity(chain, "deep-orphaned", 5)
    index = chain.catch_up(max_reorg_depth=2)
    before = read_model(chain.engine)
    assert chain.rpc("evm_revert", [snapshot])
    _activity(chain, "deep-surviving", 6)
    with pytest.raises(ReorgTooDeep, match="RWAKIT_INDEXER_MAX_REORG_DEPTH"):
        for _ in range(10):
            index.step()
    assert read_model(chain.engine) == before  # nothing half rolled back
