"""``Coalescer``: concurrent submissions share calls, each waiter gets its own result, a
failed call fails only its own waiters, and a lone item is not held back."""

import asyncio

import pytest

from rwakit.api.coalescer import Coalescer


def test_items_queued_during_a_call_go_together_in_order() -> None:
    calls: list[list[int]] = []

    async def double(items: list[int]) -> list[int]:
        calls.append(items)
        await asyncio.sleep(0.01)
        return [2 * n for n in items]

    async def run() -> list[int]:
        coalescer = Coalescer(double, max_items=40)
        return await asyncio.gather(*(coalescer.submit(n) for n in range(100)))

    assert asyncio.run(run()) == [2 * n for n in range(100)]
    assert [len(c) for c in calls] == [40, 40, 20]  # those of one loop turn go together
    assert [n for c in calls for n in c] == list(range(100))


def test_a_failed_call_fails_its_waiters_only() -> None:
    async def picky(items: list[int]) -> list[int]:
        await asyncio.sleep(0.01)
        if 3 in items:
            raise ConnectionError("redis went away")
        return items

    async def run() -> list[object]:
        coalescer = Coalescer(picky)
        first = asyncio.create_task(coalescer.submit(0))
        await asyncio.sleep(0.001)  # the first call is in flight, alone; these queue behind it
        rest = [coalescer.submit(n) for n in range(1, 6)]
        answers = await asyncio.gather(first, *rest, return_exceptions=True)
        later = await coalescer.submit(9)  # the coalescer still works afterwards
        return [*answers, later]

    answers = asyncio.run(run())
    assert answers[0] == 0 and answers[-1] == 9
    assert all(isinstance(a, ConnectionError) for a in answers[1:6])


def test_a_result_count_mismatch_is_an_error_not_a_hang() -> None:
    async def short(items: list[int]) -> list[int]:
        return items[:-1]

    async def run() -> None:
        await asyncio.wait_for(Coalescer(short).submit(1), 1)

    with pytest.raises(ValueError):
        asyncio.run(run())


def test_a_cancelled_sender_leaves_no_waiter_hanging() -> None:
    started = asyncio.Event()

    async def slow(items: list[int]) -> list[int]:
        started.set()
        await asyncio.sleep(10)
        return items

    async def run() -> list[object]:
        coalescer = Coalescer(slow)
        first = asyncio.create_task(coalescer.submit(1))
        await started.wait()
        queued = asyncio.create_task(coalescer.submit(2))  # waits behind the call in flight
        await asyncio.sleep(0)
        assert coalescer._sender is not None
        coalescer._sender.cancel()
        return await asyncio.wait_for(
            asyncio.gather(first, queued, return_exceptions=True), timeout=1
        )

    answers = asyncio.run(run())
    assert all(isinstance(a, asyncio.CancelledError) for a in answers)
