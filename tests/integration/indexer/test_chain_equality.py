"""After a randomized run of mints, transfers, burns, freezes and forced transfers, the
read model holds exactly what the token contract holds."""

import contextlib
import random

from sqlalchemy import select

from rwakit.chain.transactor import TransactionFailed
from rwakit.store.read_model import ReadModel
from rwakit.store.read_model_tables import balances, tokens, transfers
from tests.integration.indexer.activity import UNIT, investors

HOLDERS = 12
STEPS = 60

ACTIONS = ("mint", "transfer", "burn", "freeze", "unfreeze", "forced", "flag")


def _random_action(rng: random.Random, s, people) -> None:
    fn, operator = s.token.functions, s.operator
    a, b = rng.sample(people, 2)
    amount = rng.randint(1, 20) * UNIT
    action = rng.choice(ACTIONS)
    if action == "transfer":
        s.investor(a).transact(fn.transfer(b.address, amount))
    elif action == "forced":
        operator.transact(fn.forcedTransfer(a.address, b.address, amount))
    elif action == "flag":
        operator.transact(fn.setAddressFrozen(a.address, rng.random() < 0.3))
    else:
        call = {
            "mint": fn.mint,
            "burn": fn.burn,
            "freeze": fn.freezePartialTokens,
            "unfreeze": fn.unfreezePartialTokens,
        }[action]
        operator.transact(call(a.address, amount))


def test_index_equals_chain_state_after_a_randomized_run(chain) -> None:
    rng = random.Random(5)
    s, fn = chain.scenario, chain.scenario.token.functions
    people = investors("random", HOLDERS)
    s.register_many([p.address for p in people])
    s.operator.transact(fn.batchMint([p.address for p in people[:4]], [50 * UNIT] * 4))
    index = chain.catch_up()  # indexing interleaves with the activity
    for step in range(STEPS):
        with contextlib.suppress(TransactionFailed):  # e.g. more than the balance: refused
            _random_action(rng, s, people)
        if step % 7 == 0:
            chain.catch_up(index)
    chain.catch_up(index)

    with chain.engine.connect() as conn:
        stored = {r.holder: r for r in conn.execute(select(balances))}
        token = conn.execute(select(tokens)).one()
        moves = conn.execute(select(transfers.c.kind)).scalars().all()
    assert len(moves) >= 15 and {"mint", "burn", "transfer"} <= set(moves)  # the run did things
    for person in people:
        row = stored.get(person.address.lower())
        assert row is not None or fn.balanceOf(person.address).call() == 0
        if row is not None:
            assert row.balance == fn.balanceOf(person.address).call()
            assert row.frozen_amount == fn.getFrozenTokens(person.address).call()
            assert row.frozen is fn.isFrozen(person.address).call()
    assert token.total_supply == fn.totalSupply().call()
    assert token.holder_count == fn.holderCount().call()
    assert token.holder_count == sum(1 for r in stored.values() if r.balance > 0)

    # rollups: flows add up to the supply, the last bucket holds the current figures
    model = ReadModel(chain.engine)
    for period in ("hour", "day"):
        buckets = model.rollups(token.address, period, 0, 2**62)
        assert sum(b.minted - b.burned for b in buckets) == token.total_supply
        assert sum(b.transfer_count for b in buckets) == moves.count("transfer")
        assert (buckets[-1].supply, buckets[-1].holder_count) == (
            token.total_supply,
            token.holder_count,
        )
