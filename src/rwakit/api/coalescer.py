"""``Coalescer``: many concurrent awaits of one kind of round trip become one call.

Items that arrive while a call is in flight queue and go together in the next one; a lone
item goes out at once. On this hot path a client-side Redis command costs more CPU than
the rest of a cached read, so under load sharing round trips is what keeps a core free.
"""

import asyncio
from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")


class Coalescer(Generic[Item, Result]):
    def __init__(
        self, call: Callable[[list[Item]], Awaitable[list[Result]]], max_items: int = 512
    ) -> None:
        self._call = call
        self._max = max_items
        self._pending: list[tuple[Item, asyncio.Future[Result]]] = []
        self._sender: asyncio.Task[None] | None = None

    async def submit(self, item: Item) -> Result:
        future: asyncio.Future[Result] = asyncio.get_running_loop().create_future()
        self._pending.append((item, future))
        if self._sender is None or self._sender.done():  # done: its event loop was closed
            self._sender = asyncio.create_task(self._send_pending())
        return await future

    async def _send_pending(self) -> None:
        try:
            while self._pending:
                batch = self._pending[: self._max]
                del self._pending[: self._max]
                try:
                    results = await self._call([item for item, _ in batch])
                    if len(results) != len(batch):
                        raise ValueError(f"{len(results)} results for {len(batch)} items")
                except Exception as exc:  # every waiter of this batch hears it
                    for _, future in batch:
                        if not future.done():
                            future.set_exception(exc)
                    continue
                except BaseException:  # cancelled (shutdown): no waiter is left hanging
                    for _, future in batch + self._pending:
                        future.cancel()
                    self._pending.clear()
                    raise
                for (_, future), result in zip(batch, results, strict=True):
                    if not future.done():
                        future.set_result(result)
        finally:
            self._sender = None
