"""Cache invalidation from the indexer's change feed.

The indexer publishes the cache keys it touched (``asset:<token>``,
``balance:<token>:<wallet>``, … — addresses lower-case) as a JSON array on the Redis
channel ``rwakit:invalidations``; every API instance drops them from the cache, so a
client that saw its operation ``indexed`` reads its own write. Without Redis the feed is
in-process: the indexer in the same process calls ``InProcessChangeFeed.publish``.
"""

import asyncio
import contextlib
import logging
from collections.abc import Iterable
from typing import Protocol

import orjson
from redis.asyncio import Redis

from rwakit.api.response_cache import ResponseCache
from rwakit.domain.cache_keys import INVALIDATION_CHANNEL

log = logging.getLogger(__name__)


def encode_keys(keys: Iterable[str]) -> bytes:
    return orjson.dumps(list(keys))


def decode_keys(payload: bytes | str) -> list[str]:
    """A JSON array of keys, or one bare key; anything else is ignored (logged)."""
    try:
        value = orjson.loads(payload)
    except orjson.JSONDecodeError:
        value = payload.decode() if isinstance(payload, bytes) else payload
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(k, str) for k in value):
        return value
    log.warning("ignoring an invalidation message that is not a list of keys")
    return []


class ChangeFeed(Protocol):
    async def start(self) -> None: ...
    async def stop(self) -> None: ...


class RedisChangeFeed:
    def __init__(
        self, client: Redis, cache: ResponseCache, channel: str = INVALIDATION_CHANNEL
    ) -> None:
        self._client = client
        self._cache = cache
        self._channel = channel
        self._task: asyncio.Task[None] | None = None
        self.subscribed = asyncio.Event()

    async def start(self) -> None:
        self._task = asyncio.create_task(self._listen())
        await asyncio.wait_for(self.subscribed.wait(), 5)

    async def _listen(self) -> None:
        while True:
            try:
                async with self._client.pubsub() as pubsub:
                    await pubsub.subscribe(self._channel)
                    self.subscribed.set()
                    async for message in pubsub.listen():
                        if message["type"] == "message":
                            await self._cache.invalidate(decode_keys(message["data"]))
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # Redis went away: keep serving, resubscribe shortly
                log.warning("change feed lost Redis (%s); resubscribing", type(exc).__name__)
                await asyncio.sleep(1)

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task


class InProcessChangeFeed:
    """For one process without Redis; ``publish`` may be called from any thread."""

    def __init__(self, cache: ResponseCache) -> None:
        self._cache = cache
        self._loop: asyncio.AbstractEventLoop | None = None

    async def start(self) -> None:
        self._loop = asyncio.get_running_loop()

    async def stop(self) -> None:
        self._loop = None

    def publish(self, keys: Iterable[str]) -> None:
        if self._loop is None:
            return  # not serving: nothing cached to drop
        asyncio.run_coroutine_threadsafe(self._cache.invalidate(list(keys)), self._loop)
