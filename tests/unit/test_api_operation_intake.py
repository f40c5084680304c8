"""OperationIntake without I/O: concurrent requests share a batch; a bad item fails only
its own request."""

import asyncio
import threading
from collections.abc import Sequence

import pytest

from rwakit.api.operation_intake import OperationIntake
from rwakit.domain.operation_requests import OperationInvalid, OperationRequest


class FakeService:
    def __init__(self) -> None:
        self.batches: list[list[str]] = []
        self.next_id = 1
        self.first_call = threading.Event()
        self.release = threading.Event()

    def submit_many(self, requests: Sequence[OperationRequest]) -> list[int]:
        if not self.first_call.is_set():
            self.first_call.set()
            self.release.wait(5)  # hold the first batch so the others queue behind it
        if any(r.kind == "bad" for r in requests):
            raise OperationInvalid("operations[0].kind", "bad kind")
        self.batches.append([r.requester for r in requests])
        ids = list(range(self.next_id, self.next_id + len(requests)))
        self.next_id += len(requests)
        return ids


def request(who: str, kind: str = "mint") -> OperationRequest:
    return OperationRequest(kind, "0x" + "11" * 20, {}, who)


def test_requests_arriving_during_a_commit_share_the_next_one() -> None:
    service = FakeService()
    intake = OperationIntake(service.submit_many)

    async def main() -> list[object]:
        first = asyncio.create_task(intake.submit([request("a")]))
        await asyncio.to_thread(service.first_call.wait, 5)
        others = [asyncio.create_task(intake.submit([request(who)])) for who in ("b", "c", "d")]
        bad = asyncio.create_task(intake.submit([request("e", "bad")]))
        await asyncio.sleep(0)  # let them queue
        service.release.set()
        return await asyncio.gather(first, *others, bad, return_exceptions=True)

    results = asyncio.run(main())
    assert results[:4] == [[1], [2], [3], [4]]
    assert isinstance(results[4], OperationInvalid)
    # a, then b+c+d+e failed together, then b, c, d one by one to find the bad one
    assert service.batches == [["a"], ["b"], ["c"], ["d"]]


def test_batches_respect_the_size_cap() -> None:
    service = FakeService()
    service.first_call.set()
    intake = OperationIntake(service.submit_many, max_batch=3)

    async def main() -> list[list[int]]:
        return await asyncio.gather(
            *(intake.submit([request(str(n)), request(str(n))]) for n in range(3))
        )

    ids = asyncio.run(main())
    assert sorted(i for chunk in ids for i in chunk) == list(range(1, 7))
    assert all(len(batch) <= 3 for batch in service.batches)


def test_a_database_failure_reaches_every_waiter() -> None:
    def broken(_requests: Sequence[OperationRequest]) -> list[int]:
        raise ConnectionError("database down")

    intake = OperationIntake(broken)

    async def main() -> list[object]:
        return await asyncio.gather(
            *(intake.submit([request("x")]) for _ in range(3)), return_exceptions=True
        )

    assert all(isinstance(r, ConnectionError) for r in asyncio.run(main()))
    with pytest.raises(ConnectionError):
        asyncio.run(intake.submit([request("y")]))
