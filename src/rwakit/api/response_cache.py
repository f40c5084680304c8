"""``ResponseCache``: serialized JSON bytes per key, with per-key-class TTLs and
stampede protection, so hot GETs return stored bytes without re-validation.

A miss runs the computation once per key in this process (single flight); across
instances a short lock in Redis lets one compute while the others wait briefly for its
result. TTLs per class change at run time (the degradation stages lengthen them).
"""

import asyncio
import time
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

from rwakit.api.cache_backends import CacheBackend
from rwakit.api.metrics import ApiMetrics

KEY_CLASSES = ("asset", "identity", "balance", "portfolio", "stats")
DEFAULT_TTL_S = 300.0
LOCK_TTL_S = 5.0
WAIT_FOR_OTHER_S = 1.0
WAIT_STEP_S = 0.02


def parse_ttls(text: str) -> dict[str, float]:
    """``asset=300,balance=30`` → per-class TTLs; every class not named gets the default."""
    ttls = dict.fromkeys(KEY_CLASSES, DEFAULT_TTL_S)
    for part in (p.strip() for p in text.split(",") if p.strip()):
        name, _, value = part.partition("=")
        name = name.strip()
        if name not in ttls:
            raise ValueError(f"RWAKIT_CACHE_TTLS: unknown class {name!r}; one of {KEY_CLASSES}")
        try:
            ttls[name] = float(value)
        except ValueError:
            raise ValueError(f"RWAKIT_CACHE_TTLS: {part!r} needs seconds, e.g. {name}=60") from None
        if ttls[name] <= 0:
            raise ValueError(f"RWAKIT_CACHE_TTLS: {name} must be more than 0 seconds")
    return ttls


class ResponseCache:
    def __init__(self, backend: CacheBackend, ttls: dict[str, float], metrics: ApiMetrics) -> None:
        self.backend = backend
        self.ttls = dict(ttls)
        self._metrics = metrics
        self._flights: dict[str, asyncio.Future[bytes]] = {}
        self.hits = 0
        self.misses = 0
        self._hit_counters: dict[str, Any] = {}

    def set_ttl(self, key_class: str, seconds: float) -> None:
        if key_class not in self.ttls or seconds <= 0:
            raise ValueError(f"cache class {key_class!r} / ttl {seconds} is not valid")
        self.ttls[key_class] = seconds

    async def lookup(self, entries: list[tuple[str, str]]) -> list[bytes | None]:
        """Cached values for (key class, key) pairs, in one backend round trip."""
        values = await self.backend.get_many([key for _, key in entries])
        for (key_class, _), value in zip(entries, values, strict=True):
            self._count(key_class, hit=value is not None)
        return values

    async def lookup_all(self, entries: list[tuple[str, str]]) -> list[bytes] | None:
        """All the values, counted as hits; ``None``, counting nothing, when any is missing.

        For the fast path, which hands a miss on to the routed endpoint: that one's
        ``lookup`` counts it, so no request is counted twice.
        """
        values = await self.backend.get_many([key for _, key in entries])
        if None in values:
            return None
        for key_class, _ in entries:
            self._count(key_class, hit=True)
        return values  # type: ignore[return-value]  # no None left

    async def store(self, key_class: str, key: str, value: bytes) -> None:
        await self.backend.set(key, value, self.ttls[key_class])

    async def get_or_compute(
        self, key_class: str, key: str, compute: Callable[[], Awaitable[bytes]]
    ) -> bytes:
        [cached] = await self.lookup([(key_class, key)])
        if cached is not None:
            return cached
        return await self.fill(key_class, key, compute)

    async def fill(
        self, key_class: str, key: str, compute: Callable[[], Awaitable[bytes]]
    ) -> bytes:
        """After a miss: compute and store the value, once per key however many ask."""
        flight = self._flights.get(key)
        if flight is not None:
            return await asyncio.shield(flight)
        flight = self._flights[key] = asyncio.get_running_loop().create_future()
        try:
            value = await self._compute_once(key_class, key, compute)
            flight.set_result(value)
            return value
        except BaseException as exc:
            flight.set_exception(exc)
            flight.exception()  # retrieved, so no "never retrieved" warning without waiters
            raise
        finally:
            del self._flights[key]

    async def _compute_once(
        self, key_class: str, key: str, compute: Callable[[], Awaitable[bytes]]
    ) -> bytes:
        if not await self.backend.try_lock(key, LOCK_TTL_S):
            deadline = time.monotonic() + WAIT_FOR_OTHER_S
            while time.monotonic() < deadline:  # another instance is computing it
                await asyncio.sleep(WAIT_STEP_S)
                value = await self.backend.get(key)
                if value is not None:
                    return value
        try:
            value = await compute()
            await self.backend.set(key, value, self.ttls[key_class])
            return value
        finally:
            await self.backend.unlock(key)

    async def invalidate(self, keys: Iterable[str]) -> int:
        dropped = await self.backend.delete(list(keys))
        self._metrics.cache_invalidations.inc(dropped)
        return dropped

    def _count(self, key_class: str, *, hit: bool) -> None:
        if hit:
            self.hits += 1
            counter = self._hit_counters.get(key_class)
            if counter is None:  # labels() locks and builds a key: look each class up once
                counter = self._hit_counters[key_class] = self._metrics.cache_hits.labels(key_class)
            counter.inc()
        else:
            self.misses += 1
            self._metrics.cache_misses.labels(key_class).inc()
        self._metrics.cache_hit_rate.set(self.hits / (self.hits + self.misses))
