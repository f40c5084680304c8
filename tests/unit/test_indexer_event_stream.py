"""The event stream sends a range's rows in whole chunks while it is applied, the rest at
the end, each row once and in order, and a failed chunk fails the range."""

import threading

import pytest

from rwakit.indexer.event_stream import EventStream


class RecordingWriter:
    def __init__(self, fail_on: int | None = None) -> None:
        self.chunks: list[list[dict]] = []
        self.threads: set[str] = set()
        self.fail_on = fail_on

    def stream_events(self, table: str, rows: list[dict]) -> None:
        assert table == "transfers"
        self.threads.add(threading.current_thread().name)
        if self.fail_on is not None and len(self.chunks) == self.fail_on:
            raise RuntimeError("duplicate key")
        self.chunks.append(list(rows))


def test_rows_go_in_chunks_then_the_rest_each_once() -> None:
    writer = RecordingWriter()
    stream = EventStream(writer, "transfers", chunk_rows=3)
    rows: list[dict] = []
    for n in range(8):
        rows.append({"n": n})
        stream.feed(rows)
    stream.finish(rows)
    assert [[row["n"] for row in chunk] for chunk in writer.chunks] == [
        [0, 1, 2],
        [3, 4, 5],
        [6, 7],
    ]
    assert writer.threads == {"indexer-copy_0"}  # off the applying thread


def test_a_failed_chunk_fails_the_range() -> None:
    writer = RecordingWriter(fail_on=0)
    stream = EventStream(writer, "transfers", chunk_rows=2)
    rows = [{"n": 0}, {"n": 1}]
    stream.feed(rows)
    with pytest.raises(RuntimeError, match="duplicate key"):
        stream.finish(rows)
    assert stream.failed


def test_nothing_to_send_sends_nothing() -> None:
    writer = RecordingWriter()
    stream = EventStream(writer, "transfers")
    stream.finish([])
    assert writer.chunks == [] and not stream.failed
