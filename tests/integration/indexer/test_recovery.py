"""Crashes between and inside ranges, a standby taking over, and operations moving to
indexed."""

import gc
import threading
import time

import pytest
from sqlalchemy import func, insert, select

from rwakit.domain.operations import OperationState
from rwakit.indexer.matcher import Matcher
from rwakit.indexer.runner import IndexerRunner
from rwakit.store.leases import LeaseStore
from rwakit.store.read_model_tables import transfers
from rwakit.store.read_model_writer import ReadModelWriter
from rwakit.store.tables import operations
from tests.integration.indexer.activity import every_event, investors
from tests.integration.indexer.conftest import empty_read_model, read_model
from tests.integration.pipeline.helpers import wait_until


class Crash(BaseException):
    """Stands in for the process dying: nothing below it catches it."""


def _transfer_logs(chain) -> int:
    token = chain.scenario.token
    logs = token.events.Transfer().get_logs(from_block=0)
    return len(logs)


def _assert_equal_to_a_fresh_index(chain) -> None:
    """Every transfer indexed once, and the read model as a re-index from block 0 makes it."""
    with chain.engine.connect() as conn:
        count = conn.execute(select(func.count()).select_from(transfers)).scalar_one()
    assert count == _transfer_logs(chain)
    indexed = read_model(chain.engine)
    empty_read_model(chain.engine)
    chain.catch_up()
    assert read_model(chain.engine) == indexed


def test_crash_inside_and_between_ranges_resumes_without_gaps_or_duplicates(chain) -> None:
    every_event(chain.scenario)
    # small ranges: many commits, so crashes land between them too
    first = chain.index(initial_range=3, max_range=3)
    for _ in range(4):
        first.step()
    stopped_at = first.cursor()[0]

    crashing = chain.index(initial_range=3, max_range=3)
    handler = Matcher.handler
    calls = {"n": 0}

    def crash_on_fifth(event):
        calls["n"] += 1
        if calls["n"] == 5:
            raise Crash
        return handler(event)

    crashing._matcher.handler = crash_on_fifth  # a test double for one instance only
    with pytest.raises(Crash):
        for _ in range(1_000):
            crashing.step()
    assert crashing.cursor()[0] >= stopped_at  # committed ranges stay; the crashed one left nothing

    resumed = chain.catch_up()  # a new process: it starts from the stored cursor
    _assert_equal_to_a_fresh_index(chain)
    assert resumed.cursor() == chain.index().cursor()


def test_a_failed_commit_fails_the_next_step_and_leaves_only_whole_ranges(
    chain, monkeypatch
) -> None:
    every_event(chain.scenario)
    index = chain.index(initial_range=3, max_range=3)
    move_cursor, threads = ReadModelWriter.move_cursor, []

    def failing_third(writer, *args):
        threads.append(threading.current_thread().name)
        if len(threads) == 3:
            raise RuntimeError("the disk is full")
        return move_cursor(writer, *args)

    monkeypatch.setattr(ReadModelWriter, "move_cursor", failing_third)
    with pytest.raises(RuntimeError, match="disk is full"):
        for _ in range(1_000):
            index.step()
    assert index.cursor()[0] == 5  # blocks 0-2 and 3-5 committed, 6-8 not
    if chain.engine.dialect.name == "postgresql":
        # catching up, each range commits while the next one applies
        assert threads[0].startswith("indexer-commit")
    else:  # SQLite lets one transaction write at a time
        assert set(threads) == {threading.current_thread().name}
    monkeypatch.setattr(ReadModelWriter, "move_cursor", move_cursor)
    chain.catch_up(index)  # the same index goes on from the last commit
    _assert_equal_to_a_fresh_index(chain)


def test_the_collector_rests_while_catching_up_and_runs_again_once_caught_up(chain) -> None:
    every_event(chain.scenario)
    index = chain.index(initial_range=3, max_range=3)
    assert gc.isenabled()
    index.step()
    assert not gc.isenabled()  # more ranges to come: no collection in between
    chain.catch_up(index)
    assert gc.isenabled()
    index.step()
    index.rest()
    assert gc.isenabled()


def _add_operation(engine, state: OperationState, block_number: int | None) -> int:
    row = {
        "kind": "mint",
        "contract": "0x" + "1" * 40,
        "params": {},
        "requester": "test",
        "priority": 1,
        "state": int(state),
        "accepted_at": time.time(),
        "block_number": block_number,
    }
    with engine.begin() as conn:
        return conn.execute(insert(operations).values(row).returning(operations.c.id)).scalar_one()


def _state(engine, op_id: int) -> tuple[int, float | None]:
    with engine.connect() as conn:
        row = conn.execute(
            select(operations.c.state, operations.c.indexed_at).where(operations.c.id == op_id)
        ).one()
    return row.state, row.indexed_at


def test_confirmed_operations_move_to_indexed_also_when_confirmed_late(chain) -> None:
    index = chain.catch_up()
    head = chain.w3.eth.block_number
    early = _add_operation(chain.engine, OperationState.CONFIRMED, head)
    ahead = _add_operation(chain.engine, OperationState.CONFIRMED, head + 1)
    submitted = _add_operation(chain.engine, OperationState.SUBMITTED, None)
    index.step()  # nothing new on chain: the sweep alone
    assert _state(chain.engine, early)[0] == OperationState.INDEXED
    assert _state(chain.engine, early)[1] is not None
    assert _state(chain.engine, ahead) == (OperationState.CONFIRMED, None)
    assert _state(chain.engine, submitted)[0] == OperationState.SUBMITTED
    chain.scenario.register_many([investors("late", 1)[0].address])
    index.step()
    assert _state(chain.engine, ahead)[0] == OperationState.INDEXED


def test_a_standby_takes_over_when_the_holder_stops_renewing(chain) -> None:
    index = chain.index()
    chain_id = chain.w3.eth.chain_id
    leases = LeaseStore(chain.engine)
    # a holder that died: its lease runs out and is never renewed
    assert leases.acquire(f"indexer:{chain_id}", "dead-holder", 1.5, time.time())
    standby = IndexerRunner(chain.engine, index, chain_id, holder="standby", poll_interval=0.05)
    thread = threading.Thread(target=standby.run, daemon=True)
    thread.start()
    try:
        assert index.cursor() is None  # waits while the lease is held
        wait_until(lambda: standby.leading, 10, "the standby took the lease")
        head = chain.w3.eth.block_number
        wait_until(lambda: (index.cursor() or (-1,))[0] >= head, 10, "the standby indexed")
    finally:
        standby.stop()
        thread.join(10)
    assert leases.holder(f"indexer:{chain_id}") is None  # released on a clean stop


def test_a_failing_handler_is_counted_and_kept_and_indexing_goes_on(chain) -> None:
    from rwakit.store.read_model_tables import chain_events

    index = chain.index()
    handler = Matcher.handler

    def failing_transfers(event):
        if event.name == "Transfer":
            raise ValueError("bad data")
        return handler(event)

    index._matcher.handler = failing_transfers  # a test double for one instance only
    fn = chain.scenario.token.functions
    holder = investors("handler-error", 1)[0].address
    chain.scenario.register_many([holder])
    chain.scenario.operator.transact(fn.mint(holder, 5))
    chain.catch_up(index)
    errors = index._metrics.handler_errors.labels("SecurityToken", "Transfer")._value.get()
    assert errors == 1
    with chain.engine.connect() as conn:
        kept = conn.execute(select(chain_events.c.name).where(chain_events.c.name == "Transfer"))
        assert kept.scalars().all() == ["Transfer"]
    assert index.cursor()[0] == chain.w3.eth.block_number
