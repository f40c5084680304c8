"""The index: cursor, apply a block range in one transaction, roll back reorged blocks.

One ``step`` reads the next range of logs (plus those of tokens created in it), checks that
the range continues the chain the cursor is on, applies every event through its handler
into a ``RangeState`` and commits state rows, event rows, undo records, block hashes, the
cursor and the operations now indexed together. A crash before the commit leaves nothing;
after it, the next step starts at the new cursor: every event is applied exactly once.
"""

import gc
import logging
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import Engine

from rwakit.errors import RwakitError
from rwakit.indexer.cache_keys import keys_for_row
from rwakit.indexer.change_feed import ChangeFeed
from rwakit.indexer.event_stream import EventStream
from rwakit.indexer.events import Event
from rwakit.indexer.fetcher import LogFetcher
from rwakit.indexer.matcher import Matcher, Route
from rwakit.indexer.metrics import IndexerMetrics
from rwakit.indexer.range_reader import FetchedRange, RangeReader
from rwakit.indexer.row_cache import RowCache
from rwakit.indexer.state import RangeState
from rwakit.store.read_model_writer import ReadModelWriter

log = logging.getLogger(__name__)


class CursorMoved(Exception):
    """Another indexer moved the cursor first (this one lost its lease); nothing applied."""


class ReorgTooDeep(RwakitError):
    """No kept block hash is still on the chain: the reorg is deeper than the undo window."""


@dataclass(frozen=True)
class IndexConfig:
    chain_id: int
    confirmations: int = 0
    max_reorg_depth: int = 64  # blocks kept with hashes and undo records
    start_block: int = 0


class ChainIndex:
    def __init__(
        self,
        engine: Engine,
        fetcher: LogFetcher,
        matcher: Matcher,
        feed: ChangeFeed,
        metrics: IndexerMetrics,
        config: IndexConfig,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._engine = engine
        self._reader = RangeReader(fetcher, matcher, config.max_reorg_depth)
        self._matcher = matcher
        self._feed = feed
        self._metrics = metrics
        self._config = config
        self._clock = clock
        self._cache = RowCache()

    @property
    def config(self) -> IndexConfig:
        return self._config

    def load(self) -> None:
        """Follow every token already indexed (call on start and after taking the lease)."""
        self._cache.clear()  # another indexer may have written since
        writer = ReadModelWriter(self._engine)
        self._matcher.tokens = writer.token_addresses()
        self._matcher.contracts = {**self._matcher.configured, **writer.followed_contracts()}

    def cursor(self) -> tuple[int, str] | None:
        return ReadModelWriter(self._engine).cursor(self._config.chain_id)

    def step(self) -> int:
        """Index the next range: the number of events applied, at least 1 when a range was
        applied (0: nothing new, or a reorg was rolled back)."""
        head = self._reader.head()
        self._metrics.head_block.set(head)
        target = head - self._config.confirmations
        cursor = self.cursor()
        start = cursor[0] + 1 if cursor else self._config.start_block
        if start > target:
            self._sweep(cursor)
            self._metrics.caught_up(start - 1, head)
            return 0
        fetched = self._reader.read(start, target, head)
        if cursor and fetched.headers[start].parent_hash != cursor[1]:
            self._roll_back_reorg(cursor)
            return 0
        fetched.check_consistent()
        known = {**self._matcher.followed(), **fetched.new_contracts}
        self._reader.read_ahead(fetched, target, known)
        try:
            with collector_paused():
                state = self._apply(fetched, cursor)
        except BaseException:
            self._cache.clear()  # handlers may have edited cached rows of the failed range
            raise
        self._cache.absorb(state.rows)
        self._matcher.follow(fetched.new_contracts)
        self._publish(state.changed_keys)
        last = fetched.headers[fetched.end]
        self._metrics.applied(len(fetched.events), last.number, last.timestamp, head, self._clock())
        return max(len(fetched.events), 1)

    def close(self) -> None:
        self._reader.close()

    def _apply(self, fetched: FetchedRange, cursor: tuple[int, str] | None) -> RangeState:
        events, last, undo_from = fetched.events, fetched.headers[fetched.end], fetched.undo_from
        chain_id, now = self._config.chain_id, self._clock()
        with self._engine.begin() as conn:
            writer = ReadModelWriter(conn)
            state = RangeState(writer, undo_from, self._matcher.registry, self._cache)
            routes = self._prefetch(state, events)
            stream = None
            streamed = writer.can_stream_events("transfers", fetched.start)
            if streamed:
                stream = EventStream(writer, "transfers")
            try:
                generic = self._handle(events, routes, state, stream)
                if stream is not None:
                    stream.finish(state.transfers)
                    stream = None
            finally:
                if stream is not None:  # the range failed: let chunks in flight end first
                    stream.abandon()
            state.touch_rows()
            for table in state.dirty:
                upserts, deletes = state.changes(table)
                writer.delete_rows(table, deletes)
                writer.upsert_rows(table, upserts)
            if not streamed:
                writer.insert_events("transfers", state.transfers)
            writer.insert_events("chain_events", generic)
            writer.insert_events("asset_payments", state.payments)
            writer.save_undo(chain_id, state.undo)
            writer.save_blocks(chain_id, fetched.kept_headers)
            writer.prune(chain_id, below=undo_from, keep=last.number)
            if not writer.move_cursor(chain_id, cursor, (last.number, last.hash), now):
                raise CursorMoved(f"the cursor of chain {chain_id} moved under this indexer")
            writer.mark_operations_indexed(last.number, now)
        return state

    def _prefetch(self, state: RangeState, events: list[Event]) -> list[Route]:
        """Load the rows the range's events read, one bulk load per table; the route of
        each event."""
        routes = [self._matcher.route(event) for event in events]
        by_route: dict[Route, list[Event]] = defaultdict(list)
        for event, route in zip(events, routes, strict=True):
            if route.prefetch is not None:
                by_route[route].append(event)
        wanted: dict[str, set] = defaultdict(set)
        for route, routed in by_route.items():
            for table, key in route.prefetch(routed):
                wanted[table].add(key)
        for table, keys in wanted.items():
            state.prefetch(table, keys)
        return routes

    def _handle(
        self,
        events: list[Event],
        routes: list[Route],
        state: RangeState,
        stream: EventStream | None,
    ) -> list[dict]:
        """Run each event's handler; the rows for the generic event log."""
        generic = []
        handler = self._matcher.handler
        for at, (event, route) in enumerate(zip(events, routes, strict=True)):
            state.block = event.block_number
            try:
                handler(event)(event, state)
            except Exception:
                if stream is not None and stream.failed:
                    raise  # the transaction is gone, not the handler's fault
                self._handler_failed(event)
                generic.append(_event_row(event))
                continue
            if not route.has_own_table:
                generic.append(_event_row(event))
            if stream is not None and at % 1_024 == 0:
                stream.feed(state.transfers)
        return generic

    def _handler_failed(self, event: Event) -> None:
        # one bad event must not stop the index; it is kept in the event log, and alerts
        # fire on the error counter
        self._metrics.handler_errors.labels(event.contract_kind, event.name).inc()
        log.exception("handler for %s at %s failed", event.name, event.position)

    def _sweep(self, cursor: tuple[int, str] | None) -> None:
        """Operations the worker confirmed after the index passed their block."""
        if cursor:
            with self._engine.begin() as conn:
                ReadModelWriter(conn).mark_operations_indexed(cursor[0], self._clock())

    def _roll_back_reorg(self, cursor: tuple[int, str]) -> None:
        self._reader.discard()
        writer = ReadModelWriter(self._engine)
        stored = writer.stored_blocks(self._config.chain_id)
        if stored:
            live = self._reader.headers(number for number, _ in stored)
            fork = next(((n, h) for n, h in stored if live[n].hash == h), None)
        else:
            fork = None
        if fork is None:
            raise ReorgTooDeep(
                f"none of the {len(stored)} kept blocks is on the chain any more; the reorg is "
                "deeper than RWAKIT_INDEXER_MAX_REORG_DEPTH — re-index into an empty database"
            )
        self._cache.clear()
        with self._engine.begin() as conn:
            restored = ReadModelWriter(conn).roll_back(self._config.chain_id, fork, self._clock())
        depth = cursor[0] - fork[0]
        log.warning("reorg: rolled back %d blocks to %d", depth, fork[0])
        self._metrics.reorg(depth)
        self.load()
        self._publish({k for table, key in restored for k in keys_for_row(table, key)})

    def _publish(self, keys: set[str]) -> None:
        if keys:
            try:
                self._feed.publish(sorted(keys))
            except Exception:
                # the commit stands; caches then expire by their TTL
                log.exception("publishing %d changed keys failed", len(keys))


@contextmanager
def collector_paused() -> Iterator[None]:
    """No cyclic garbage collection while a range is applied (and the next one fetched).

    A range allocates millions of objects that live until it commits — parsed logs, events,
    rows — so the collector ran again and again over all of them, finding nothing: about a
    third of catch-up's CPU. Applying a range makes no reference cycles (refcounting frees
    its garbage), and whatever cycles the process made meanwhile are collected after."""
    if not gc.isenabled():  # the host turned it off: leave it so
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _event_row(event: Event) -> dict:
    return {
        "block_number": event.block_number,
        "log_index": event.log_index,
        "contract": event.address,
        "name": event.name,
        "args": event.args,
        "block_time": event.block_time,
        "tx_hash": event.tx_hash,
    }
