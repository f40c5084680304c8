"""The index: cursor, apply a block range in one transaction, roll back reorged blocks.

One ``step`` reads the next range of logs (plus those of tokens created in it), checks that
the range continues the chain the cursor is on, applies every event through its handler
into a ``RangeState`` and commits state rows, event rows, undo records, block hashes, the
cursor and the operations now indexed together. A crash before the commit leaves nothing;
after it, the next step starts at the new cursor: every event is applied exactly once.

While catching up on PostgreSQL, a range's writes and commit run in a background thread
while the next range's handlers run, so the database's time and Python's overlap (the
apply loop waited for the writes ~40 % of the time; on two shared cores, where Python's
GIL is the limit, the gain measured within noise — it pays where the database is across
a network). The next range reads the rows the committing one
changed from the row cache, never from the database, so it sees them as committed; it
opens its own transaction, and commits only after the one before did: if that one fails,
so does the next, and the cursor stays where the last commit left it. The range that
reaches the target commits before ``step`` returns, so a caught-up index is committed.
"""

import logging
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, RootTransaction

from rwakit.errors import RwakitError
from rwakit.indexer.cache_keys import keys_for_row
from rwakit.indexer.change_feed import ChangeFeed
from rwakit.indexer.collector import CollectorPause
from rwakit.indexer.event_stream import EventStream
from rwakit.indexer.events import Event
from rwakit.indexer.fetcher import LogFetcher
from rwakit.indexer.matcher import Matcher, Route
from rwakit.indexer.metrics import IndexerMetrics
from rwakit.indexer.range_reader import FetchedRange, RangeReader
from rwakit.indexer.row_cache import RowCache
from rwakit.indexer.state import Key, RangeState, Row
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


@dataclass
class AppliedRange:
    """A range applied in memory, its transaction open: what its commit writes."""

    fetched: FetchedRange
    cursor: tuple[int, str] | None  # the cursor the range continues from
    conn: Connection
    transaction: RootTransaction
    writer: ReadModelWriter
    state: RangeState
    stream: EventStream | None  # its transfer rows already on their way in
    generic: list[dict]  # rows for the generic event log
    # (rows to upsert, keys to delete) per state table, copied: the next range edits the
    # cached rows in place while this one's are written
    changes: dict[str, tuple[list[Row], list[Key]]]


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
        # a range may commit in the background while the next one applies (PostgreSQL only:
        # SQLite lets one transaction write at a time)
        self._overlap = engine.dialect.name == "postgresql"
        self._committer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="indexer-commit")
        self._committing: Future[None] | None = None
        self._committing_cursor: tuple[int, str] | None = None
        self._collector = CollectorPause()  # held while ranges follow each other
        self._behind = False  # the last range applied ended short of the target

    @property
    def config(self) -> IndexConfig:
        return self._config

    def load(self) -> None:
        """Follow every token already indexed (call on start and after taking the lease)."""
        self._settle(quietly=True)
        self._cache.clear()  # another indexer may have written since
        writer = ReadModelWriter(self._engine)
        self._matcher.tokens = writer.token_addresses()
        self._matcher.contracts = {**self._matcher.configured, **writer.followed_contracts()}

    def cursor(self) -> tuple[int, str] | None:
        """The committed cursor (after the range committing in the background, if any)."""
        self._settle()
        return ReadModelWriter(self._engine).cursor(self._config.chain_id)

    def step(self) -> int:
        """Index the next range: the number of events applied, at least 1 when a range was
        applied (0: nothing new, or a reorg was rolled back)."""
        try:
            applied = self._step()
        except BaseException:
            # a failed step leaves whole ranges committed and nothing in flight
            self._cache.clear()
            self._reader.discard()
            self._settle(quietly=True)
            self._collector.resume()
            raise
        if not self._behind:  # caught up: the collector runs as usual again
            self._collector.resume()
        return applied

    def rest(self) -> None:
        """Stop stepping for now (a standby): the range in flight commits (or fails, which
        is logged), and the collector runs as usual."""
        self._settle(quietly=True)
        self._collector.resume()

    def close(self) -> None:
        try:
            self._settle()
        finally:
            self._collector.resume()
            self._committer.shutdown(wait=True)
            self._reader.close()

    def _step(self) -> int:
        self._behind = False
        head = self._reader.head()
        self._metrics.head_block.set(head)
        target = head - self._config.confirmations
        cursor = self._committing_cursor if self._committing else self.cursor()
        start = cursor[0] + 1 if cursor else self._config.start_block
        if start > target:
            self._settle()
            self._sweep(cursor)
            self._metrics.caught_up(start - 1, head)
            return 0
        fetched = self._reader.read(start, target, head)
        if cursor and fetched.headers[start].parent_hash != cursor[1]:
            self._settle()
            self._roll_back_reorg(cursor)
            return 0
        fetched.check_consistent()
        known = {**self._matcher.followed(), **fetched.new_contracts}
        self._reader.read_ahead(fetched, target, known)
        self._collector.pause()
        applied = self._apply(fetched, cursor)
        try:
            self._settle()  # the range before commits first
        except BaseException:
            _roll_back(applied)
            raise
        self._cache.absorb(applied.state.rows)
        self._matcher.follow(fetched.new_contracts)
        last = fetched.headers[fetched.end]
        self._behind = fetched.end < target
        if self._overlap and self._behind:
            self._committing = self._committer.submit(self._commit, applied)
            self._committing_cursor = (last.number, last.hash)
        else:
            self._commit(applied)
        self._collector.applied()
        return max(len(fetched.events), 1)

    def _settle(self, quietly: bool = False) -> None:
        """Wait for the range committing in the background; raise what failed it."""
        committing, self._committing = self._committing, None
        self._committing_cursor = None
        if committing is None:
            return
        try:
            committing.result()
        except BaseException:
            self._cache.clear()  # it holds rows that never committed
            self._reader.discard()
            if not quietly:
                raise
            log.exception("the range committing in the background failed")

    def _apply(self, fetched: FetchedRange, cursor: tuple[int, str] | None) -> AppliedRange:
        """Run the range's handlers in a new transaction, its transfer rows streaming in."""
        conn = self._engine.connect()
        stream = None
        try:
            transaction = conn.begin()
            writer = ReadModelWriter(conn)
            source = _ScansAfterCommit(writer, self._settle)
            state = RangeState(source, fetched.undo_from, self._matcher.registry, self._cache)
            routes = self._prefetch(state, fetched.events)
            if writer.can_stream_events("transfers", fetched.start):
                stream = EventStream(writer, "transfers")
            generic = self._handle(fetched.events, routes, state, stream)
            state.touch_rows()
            changes = {}
            for table in state.dirty:
                upserts, deletes = state.changes(table)
                changes[table] = ([dict(row) for row in upserts], deletes)
        except BaseException:
            if stream is not None:  # let the chunks in flight end first
                stream.abandon()
            conn.close()  # rolls back
            raise
        return AppliedRange(
            fetched, cursor, conn, transaction, writer, state, stream, generic, changes
        )

    def _commit(self, applied: AppliedRange) -> None:
        """Write the applied range and commit it with the cursor; then tell the caches."""
        fetched, writer, state = applied.fetched, applied.writer, applied.state
        last, chain_id = fetched.headers[fetched.end], self._config.chain_id
        with applied.conn:  # closing it without the commit rolls back
            if applied.stream is not None:
                applied.stream.finish(state.transfers)
            for table, (upserts, deletes) in applied.changes.items():
                writer.delete_rows(table, deletes)
                writer.upsert_rows(table, upserts)
            if applied.stream is None:
                writer.insert_events("transfers", state.transfers)
            writer.insert_events("chain_events", applied.generic)
            writer.insert_events("asset_payments", state.payments)
            writer.save_undo(chain_id, state.undo)
            writer.save_blocks(chain_id, fetched.kept_headers)
            writer.prune(chain_id, below=fetched.undo_from, keep=last.number)
            moved = (last.number, last.hash)
            if not writer.move_cursor(chain_id, applied.cursor, moved, self._clock()):
                raise CursorMoved(f"the cursor of chain {chain_id} moved under this indexer")
            writer.mark_operations_indexed(last.number, self._clock())
            applied.transaction.commit()
        self._publish(state.changed_keys)
        now, events = self._clock(), len(fetched.events)
        self._metrics.applied(events, last.number, last.timestamp, fetched.head, now)

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


class _ScansAfterCommit:
    """The rows a range reads: by key straight away (a row the range committing before it
    changed comes from the row cache), by column only once that range has committed (a
    scan would find its rows as they were)."""

    def __init__(self, writer: ReadModelWriter, settle: Callable[[], None]) -> None:
        self._writer = writer
        self._settle = settle

    def load_rows(self, table: str, keys: Iterable[Key]) -> dict[Key, Row]:
        return self._writer.load_rows(table, keys)

    def load_rows_where(self, table: str, column: str, value: Any) -> dict[Key, Row]:
        self._settle()
        return self._writer.load_rows_where(table, column, value)


def _roll_back(applied: AppliedRange) -> None:
    if applied.stream is not None:
        applied.stream.abandon()
    applied.conn.close()


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
