"""``RangeReader``: one block range as the index needs it — decoded events in chain order
(with those of tokens the range creates) and the headers to check and time them.

While the index applies one range during catch-up, the reader already fetches the next
one in a background thread, so the node's time and the database's overlap.
"""

from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field

from rwakit.indexer.events import Event
from rwakit.indexer.fetcher import ChainMoved, Header, LogFetcher
from rwakit.indexer.matcher import Matcher


@dataclass
class FetchedRange:
    start: int
    end: int
    head: int
    undo_from: int  # blocks from here on get undo records and kept hashes
    events: list[Event]
    headers: dict[int, Header]
    # contracts the range created (tokens, bonds, …): address → kind
    new_contracts: dict[str, str] = field(default_factory=dict)

    def check_consistent(self) -> None:
        """Every log's block is the header's, and the reorg window's headers chain up; the
        events get their block time and are put in chain order (a node answers one
        eth_getLogs in that order, so only the logs of tokens the range created, fetched
        after, are usually out of it)."""
        headers = self.headers
        last_block = last_index = -1
        ordered = True
        for event in self.events:
            number, index = event.block_number, event.log_index
            header = headers[number]
            if header.hash != event.block_hash:
                raise ChainMoved(f"block {number} changed while it was read")
            event.block_time = header.timestamp
            if number < last_block or (number == last_block and index < last_index):
                ordered = False
            last_block, last_index = number, index
        if not ordered:
            self.events.sort(key=_chain_order)
        for number in range(max(self.start + 1, self.undo_from + 1), self.end + 1):
            if headers[number].parent_hash != headers[number - 1].hash:
                raise ChainMoved(f"block {number} changed while it was read")

    @property
    def kept_headers(self) -> list[Header]:
        return [h for n, h in self.headers.items() if n >= self.undo_from or n == self.end]


class RangeReader:
    def __init__(self, fetcher: LogFetcher, matcher: Matcher, max_reorg_depth: int) -> None:
        self._fetcher = fetcher
        self._matcher = matcher
        self._depth = max_reorg_depth
        self._ahead: Future[FetchedRange] | None = None
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="indexer-read")

    def head(self) -> int:
        return self._fetcher.head()

    def headers(self, numbers) -> dict[int, Header]:
        return self._fetcher.headers(numbers)

    def read(self, start: int, target: int, head: int) -> FetchedRange:
        """The range from ``start`` (to at most ``target``), read ahead if it was."""
        ahead, self._ahead = self._ahead, None
        if ahead is not None:
            try:
                fetched = ahead.result()
            except Exception:  # a failed read-ahead is simply read again, below
                fetched = None
            if fetched is not None and fetched.start == start:
                return fetched
        return self._fetch(start, target, head, self._matcher.followed())

    def read_ahead(self, after: FetchedRange, target: int, known: dict[str, str]) -> None:
        """Start fetching the range after ``after`` (``known``: followed contracts by then)."""
        if after.end < target:
            self._ahead = self._executor.submit(
                self._fetch, after.end + 1, target, after.head, known
            )

    def discard(self) -> None:
        self._ahead = None

    def close(self) -> None:
        self._ahead = None
        self._executor.shutdown(wait=True, cancel_futures=True)

    def _fetch(self, start: int, target: int, head: int, known: dict[str, str]) -> FetchedRange:
        registry, factory = self._matcher.registry, self._matcher.factory
        end, raw = self._fetcher.logs(start, target, [registry, factory, *sorted(known)])
        events = self._decode(raw, known)
        created: dict[str, str] = {}
        fresh = self._created(events, known)
        while fresh:
            # the fetch that found them did not ask for their logs (a token's constructor
            # logs before the factory's TokenCreated); what they log may create more
            first = min(block for _, block in fresh.values())
            created.update({address: kind for address, (kind, _) in fresh.items()})
            raw = self._fetcher.logs_between(first, end, sorted(fresh))
            found = self._decode(raw, {**known, **created})
            events += found
            fresh = self._created(found, {**known, **created})
        undo_from = head - self._depth
        numbers = {start, end, *(e.block_number for e in events)}
        numbers.update(range(max(start, undo_from), end + 1))
        headers = self._fetcher.headers(numbers)
        return FetchedRange(start, end, head, undo_from, events, headers, created)

    def _created(self, events: list[Event], known: dict[str, str]) -> dict[str, tuple[str, int]]:
        found: dict[str, tuple[str, int]] = {}
        for event in events:
            for address, kind in self._matcher.discovered(event).items():
                if address not in known and address not in found:
                    found[address] = (kind, event.block_number)
        return found

    def _decode(self, raw: list[dict], known: dict[str, str]) -> list[Event]:
        return self._matcher.decode_many(raw, known)


def _chain_order(event: Event) -> tuple[int, int]:
    return event.block_number, event.log_index
