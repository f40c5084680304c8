"""``OperationIntake``: concurrent operation requests share one database transaction.

Each commit waits for the WAL to reach disk; one commit per request caps write throughput
at the disk's flush rate. Requests that arrive while a batch is being stored queue up and
go together in the next one (group commit). A batch that fails validation is retried
request by request, so only the sender of the bad item sees its error.
"""

import asyncio
from collections.abc import Callable, Sequence

from starlette.concurrency import run_in_threadpool

from rwakit.domain.operation_requests import MAX_SUBMIT, OperationInvalid, OperationRequest
from rwakit.store.operations import IdempotencyKeyReused

SubmitMany = Callable[[Sequence[OperationRequest]], list[int]]


class OperationIntake:
    def __init__(self, submit_many: SubmitMany, max_batch: int = MAX_SUBMIT) -> None:
        self._submit_many = submit_many
        self._max_batch = max_batch
        self._pending: list[tuple[list[OperationRequest], asyncio.Future[list[int]]]] = []
        self._draining = False
        self._drainer: asyncio.Task[None] | None = None

    async def submit(self, requests: list[OperationRequest]) -> list[int]:
        future = asyncio.get_running_loop().create_future()
        self._pending.append((requests, future))
        if not self._draining:
            self._draining = True
            self._drainer = asyncio.create_task(self._drain())  # kept: tasks are weakly held
        return await future

    async def _drain(self) -> None:
        try:
            while self._pending:
                await self._store(self._next_batch())
        finally:
            self._draining = False

    def _next_batch(self) -> list[tuple[list[OperationRequest], asyncio.Future[list[int]]]]:
        batch, size = [], 0
        while self._pending and (not batch or size + len(self._pending[0][0]) <= self._max_batch):
            entry = self._pending.pop(0)
            batch.append(entry)
            size += len(entry[0])
        return batch

    async def _store(
        self, batch: list[tuple[list[OperationRequest], asyncio.Future[list[int]]]]
    ) -> None:
        flat = [request for requests, _ in batch for request in requests]
        try:
            ids = await run_in_threadpool(self._submit_many, flat)
        except (OperationInvalid, IdempotencyKeyReused) as exc:
            if len(batch) == 1:
                batch[0][1].set_exception(exc)
                return
            for requests, future in batch:  # find whose item it was
                await self._store([(requests, future)])
            return
        except Exception as exc:  # the database failed: every request in the batch hears it
            for _, future in batch:
                if not future.done():
                    future.set_exception(exc)
            return
        at = 0
        for requests, future in batch:
            if not future.done():
                future.set_result(ids[at : at + len(requests)])
            at += len(requests)
