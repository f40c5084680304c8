"""``EventStream``: a range's event rows COPYed into their table while the range is still
being applied, so PostgreSQL inserts them (and maintains the table's indexes) while the
handlers run, instead of after them. Rows go in chunks from a writer thread on the range's
own transaction (the driver connection's lock serializes the chunks with the handlers'
reads), so they commit or roll back with the rest of the range.
"""

from concurrent.futures import Future, ThreadPoolExecutor

from rwakit.store.read_model_writer import ReadModelWriter, Row

CHUNK_ROWS = 4_096


class EventStream:
    def __init__(self, writer: ReadModelWriter, table: str, chunk_rows: int = CHUNK_ROWS) -> None:
        self._writer = writer
        self._table = table
        self._chunk = chunk_rows
        self._sent = 0
        self._sending: list[Future[None]] = []
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="indexer-copy")

    @property
    def failed(self) -> bool:
        """A chunk failed: the transaction is aborted, and the range will fail."""
        return any(f.done() and f.exception() is not None for f in self._sending)

    def feed(self, rows: list[Row]) -> None:
        """Send the rows appended to ``rows`` since the last call, once a chunk is there."""
        if len(rows) - self._sent >= self._chunk:
            self._send(rows)

    def finish(self, rows: list[Row]) -> None:
        """Send the rest and wait for every chunk; raises the first chunk's error."""
        try:
            if len(rows) > self._sent:
                self._send(rows)
            for sending in self._sending:
                sending.result()
        finally:
            self._executor.shutdown(wait=True)

    def abandon(self) -> None:
        """Wait for the chunks in flight (the range failed; its transaction rolls back)."""
        self._executor.shutdown(wait=True, cancel_futures=True)

    def _send(self, rows: list[Row]) -> None:
        chunk, self._sent = rows[self._sent :], len(rows)
        self._sending.append(self._executor.submit(self._writer.stream_events, self._table, chunk))
