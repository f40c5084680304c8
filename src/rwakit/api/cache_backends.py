"""Where cached response bytes live: Redis (shared by every instance) or a bounded
in-process LRU. Both offer the same small async port, plus a short lock for stampedes."""

import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from typing import Protocol

from redis.asyncio import Redis

from rwakit.api.coalescer import Coalescer


class CacheBackend(Protocol):
    async def get(self, key: str) -> bytes | None: ...
    async def get_many(self, keys: list[str]) -> list[bytes | None]: ...
    async def set(self, key: str, value: bytes, ttl_s: float) -> None: ...
    async def delete(self, keys: Iterable[str]) -> int: ...
    async def try_lock(self, key: str, ttl_s: float) -> bool: ...
    async def unlock(self, key: str) -> None: ...
    async def ping(self) -> bool: ...


class InProcessBackend:
    def __init__(self, max_entries: int, on_evict: Callable[[], None] = lambda: None) -> None:
        if max_entries < 1:
            raise ValueError("cache size must be at least 1")
        self._max = max_entries
        self._entries: OrderedDict[str, tuple[float, bytes]] = OrderedDict()
        self._on_evict = on_evict

    async def get(self, key: str) -> bytes | None:
        entry = self._entries.get(key)
        if entry is None:
            return None
        if entry[0] <= time.monotonic():
            del self._entries[key]
            return None
        self._entries.move_to_end(key)
        return entry[1]

    async def get_many(self, keys: list[str]) -> list[bytes | None]:
        return [await self.get(k) for k in keys]

    async def set(self, key: str, value: bytes, ttl_s: float) -> None:
        self._entries[key] = (time.monotonic() + ttl_s, value)
        self._entries.move_to_end(key)
        while len(self._entries) > self._max:
            self._entries.popitem(last=False)
            self._on_evict()

    async def delete(self, keys: Iterable[str]) -> int:
        return sum(self._entries.pop(k, None) is not None for k in keys)

    async def try_lock(self, key: str, ttl_s: float) -> bool:
        return True  # one process: the in-process single flight is the whole protection

    async def unlock(self, key: str) -> None:
        return None

    async def ping(self) -> bool:
        return True


class RedisBackend:
    """Reads made while an ``MGET`` is in flight go together in the next one, each key
    once (``Coalescer``): a key many requests want at the same moment costs one fetch."""

    def __init__(self, client: Redis, prefix: str = "rwakit:cache:") -> None:
        self._redis = client
        self._prefix = prefix
        self._reads = Coalescer(self._mget)

    async def get(self, key: str) -> bytes | None:
        return (await self.get_many([key]))[0]

    async def get_many(self, keys: list[str]) -> list[bytes | None]:
        return await self._reads.submit(keys)

    async def _mget(self, requests: list[list[str]]) -> list[list[bytes | None]]:
        wanted = list(dict.fromkeys(key for keys in requests for key in keys))
        found = await self._redis.mget([self._prefix + k for k in wanted])
        values = dict(zip(wanted, found, strict=True))
        return [[values[key] for key in keys] for keys in requests]

    async def set(self, key: str, value: bytes, ttl_s: float) -> None:
        await self._redis.set(self._prefix + key, value, px=max(1, int(ttl_s * 1000)))

    async def delete(self, keys: Iterable[str]) -> int:
        names = [self._prefix + k for k in keys]
        return int(await self._redis.delete(*names)) if names else 0

    async def try_lock(self, key: str, ttl_s: float) -> bool:
        name = f"{self._prefix}lock:{key}"
        return bool(await self._redis.set(name, b"1", nx=True, px=int(ttl_s * 1000)))

    async def unlock(self, key: str) -> None:
        await self._redis.delete(f"{self._prefix}lock:{key}")

    async def ping(self) -> bool:
        return bool(await self._redis.ping())


class TwoLevelBackend:
    """Redis behind a small in-process near cache with a short TTL (default 1 s).

    A hot key is served from process memory for at most ``near_ttl_s`` before Redis is
    asked again, saving a round trip per read; the change feed drops keys from both levels
    on every instance, so invalidation stays immediate and staleness stays bounded.
    """

    def __init__(self, near: InProcessBackend, far: RedisBackend, near_ttl_s: float = 1.0) -> None:
        self._near = near
        self._far = far
        self._near_ttl = near_ttl_s

    async def get(self, key: str) -> bytes | None:
        return (await self.get_many([key]))[0]

    async def get_many(self, keys: list[str]) -> list[bytes | None]:
        values = await self._near.get_many(keys)
        missing = [i for i, value in enumerate(values) if value is None]
        if missing:
            found = await self._far.get_many([keys[i] for i in missing])
            for i, value in zip(missing, found, strict=True):
                if value is not None:
                    values[i] = value
                    await self._near.set(keys[i], value, self._near_ttl)
        return values

    async def set(self, key: str, value: bytes, ttl_s: float) -> None:
        await self._far.set(key, value, ttl_s)
        await self._near.set(key, value, min(ttl_s, self._near_ttl))

    async def delete(self, keys: Iterable[str]) -> int:
        wanted = list(keys)
        await self._near.delete(wanted)
        return await self._far.delete(wanted)

    async def try_lock(self, key: str, ttl_s: float) -> bool:
        return await self._far.try_lock(key, ttl_s)

    async def unlock(self, key: str) -> None:
        await self._far.unlock(key)

    async def ping(self) -> bool:
        return await self._far.ping()
