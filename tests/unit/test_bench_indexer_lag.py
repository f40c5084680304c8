"""The lag bench's arithmetic: which blocks count and what each one's lag is."""

import pytest

from rwakit.bench.indexer_lag import TimedIndex, block_lags, percentile


def test_a_block_lags_until_the_first_commit_that_covers_it() -> None:
    seen = {10: 100.0, 11: 101.0, 12: 102.0, 13: 103.0}
    # one commit covers 11 and 12 at once; 13 is committed later
    commits = [(10, 100.2, 5), (12, 102.5, 900), (13, 103.4, 400)]
    assert block_lags(seen, commits, {11, 12, 13}) == pytest.approx([1.5, 0.5, 0.4])


def test_unseen_blocks_the_first_seen_and_blocks_without_operations_are_left_out() -> None:
    seen = {10: 100.0, 12: 102.0, 13: 103.0}  # 11 came and went between two polls
    commits = [(13, 103.5, 10)]
    # 10: first seen (it may predate the watch); 11: never seen; 13: no operations in it
    assert block_lags(seen, commits, {10, 11, 12}) == [1.5]


def test_a_block_never_committed_has_no_lag() -> None:
    assert block_lags({1: 0.0, 2: 1.0}, [(1, 0.5, 1)], {2}) == []


def test_percentile_is_a_measured_value() -> None:
    values = [float(v) for v in range(1, 21)]
    assert percentile(values, 0.95) == 20.0
    assert percentile(values, 0.5) == 11.0
    assert percentile([], 0.95) == 0.0


class FakeIndex:
    def __init__(self, steps: list[int]) -> None:
        self.steps, self.block, self.loaded = steps, 0, 0

    def load(self) -> None:
        self.loaded += 1

    def step(self) -> int:
        applied = self.steps.pop(0)
        if applied:
            self.block += 1
        return applied

    def cursor(self) -> tuple[int, str]:
        return self.block, "0x"


def test_timed_index_notes_only_applied_ranges() -> None:
    fake = FakeIndex([3, 0, 7])
    timed = TimedIndex(fake)  # type: ignore[arg-type]
    timed.load()
    assert [timed.step() for _ in range(3)] == [3, 0, 7]
    assert fake.loaded == 1
    assert [(block, events) for block, _, events in timed.commits] == [(1, 3), (2, 7)]
