"""Rate limits with the ``limits`` library: per caller per endpoint, and per IP without
credentials. Counters live in Redis when configured (shared by every instance), else in
process. ``RateLimits`` is also the run-time controller: ``set_limits`` changes quotas
without a restart (the degradation stages call it).

``limits`` parses the rates, names the window keys and keeps the in-process counters. On
Redis the same fixed-window step (increment, start the expiry on the first hit) runs as one
script that also returns the window's remaining time, for many keys at once: at most one
round trip per request, where ``limits``' own hit plus window stats take three.
"""

import hashlib
import math
import time
from collections import Counter
from dataclasses import dataclass
from typing import Protocol

from limits import RateLimitItem, parse
from limits.aio.storage import MemoryStorage
from redis.asyncio import Redis
from redis.exceptions import NoScriptError

from rwakit.api.coalescer import Coalescer
from rwakit.api.metrics import ApiMetrics

TOP_CONSUMERS = 10


@dataclass(frozen=True)
class RateDecision:
    allowed: bool
    limit: int
    remaining: int
    reset_after_s: int

    def headers(self) -> dict[str, str]:
        out = {
            "RateLimit-Limit": str(self.limit),
            "RateLimit-Remaining": str(self.remaining),
            "RateLimit-Reset": str(self.reset_after_s),
        }
        if not self.allowed:
            out["Retry-After"] = str(self.reset_after_s)
        return out


def parse_limit(text: str, setting: str) -> RateLimitItem:
    try:
        return parse(text)
    except ValueError:
        raise ValueError(f"{setting}={text!r} is not a rate like 100/minute") from None


class WindowCounter(Protocol):
    async def hit(self, item: RateLimitItem, *identity: str) -> tuple[int, float]:
        """Count one hit; returns (hits in the window so far, seconds until it resets)."""
        ...

    async def ping(self) -> bool: ...
    async def reset(self) -> None: ...


class InProcessCounter:
    """``limits``' fixed window on its in-memory storage (one instance only)."""

    def __init__(self) -> None:
        self._storage = MemoryStorage()

    async def hit(self, item: RateLimitItem, *identity: str) -> tuple[int, float]:
        # the fixed-window step of limits' FixedWindowRateLimiter.hit, keeping the count
        key = item.key_for(*identity)
        hits = await self._storage.incr(key, item.get_expiry())
        return hits, await self._storage.get_expiry(key) - time.time()

    async def ping(self) -> bool:
        return True

    async def reset(self) -> None:
        await self._storage.reset()


_HIT_MANY = """
local out = {}
for i, key in ipairs(KEYS) do
  local hits = redis.call('INCRBY', key, 1)
  if hits == 1 then redis.call('EXPIRE', key, ARGV[i]) end
  out[2 * i - 1] = hits
  out[2 * i] = redis.call('PTTL', key)
end
return out
"""


class RedisCounter:
    """The fixed window on Redis, keys named as ``limits`` names them; hits made while a
    script call is in flight go together in the next one (``Coalescer``)."""

    def __init__(self, client: Redis, key_prefix: str) -> None:
        self._client = client
        self._prefix = key_prefix
        self._sha = hashlib.sha1(_HIT_MANY.encode()).hexdigest()
        self._hits = Coalescer(self._run)

    async def hit(self, item: RateLimitItem, *identity: str) -> tuple[int, float]:
        return await self._hits.submit(
            (f"{self._prefix}:{item.key_for(*identity)}", item.get_expiry())
        )

    async def _run(self, hits: list[tuple[str, int]]) -> list[tuple[int, float]]:
        keys = [key for key, _ in hits]
        expiries = [expiry for _, expiry in hits]
        # EVALSHA straight on the client: redis-py's Script wrapper doubles the client CPU
        try:
            counts = await self._client.evalsha(self._sha, len(keys), *keys, *expiries)
        except NoScriptError:  # a restarted or flushed Redis: load it, then run it once
            counts = await self._client.eval(_HIT_MANY, len(keys), *keys, *expiries)
        return [
            (int(counts[2 * n]), max(0, int(counts[2 * n + 1])) / 1000) for n in range(len(keys))
        ]

    async def ping(self) -> bool:
        return bool(await self._client.ping())

    async def reset(self) -> None:
        keys = [k async for k in self._client.scan_iter(match=f"{self._prefix}:*", count=1000)]
        if keys:
            await self._client.delete(*keys)


class RateLimits:
    def __init__(
        self, counter: WindowCounter, user_limit: str, ip_limit: str, metrics: ApiMetrics
    ) -> None:
        self._counter = counter
        self._metrics = metrics
        self._consumers: Counter[str] = Counter()
        self.set_limits(user_limit, ip_limit)

    def set_limits(self, user: str | None = None, ip: str | None = None) -> None:
        """Change the quotas at run time; ``None`` keeps a quota as it is."""
        if user is not None:
            self.user_limit = parse_limit(user, "RWAKIT_RATE_LIMIT_USER")
        if ip is not None:
            self.ip_limit = parse_limit(ip, "RWAKIT_RATE_LIMIT_IP")

    async def hit_caller(self, subject: str, endpoint: str) -> RateDecision:
        self._consumers[subject] += 1
        return await self._hit(self.user_limit, "caller", subject, endpoint)

    async def hit_ip(self, ip: str) -> RateDecision:
        self._consumers[f"ip:{ip}"] += 1
        return await self._hit(self.ip_limit, "ip", ip)

    async def _hit(self, item: RateLimitItem, scope: str, *identity: str) -> RateDecision:
        hits, reset_after = await self._counter.hit(item, scope, *identity)
        allowed = hits <= item.amount
        if not allowed:
            self._metrics.rate_limited.labels(scope).inc()
        reset = max(1, math.ceil(reset_after))
        return RateDecision(allowed, item.amount, max(0, item.amount - hits), reset)

    def top_consumers(self, n: int = TOP_CONSUMERS) -> list[tuple[str, int]]:
        """Heaviest callers of this instance since it started (for metrics and operators)."""
        top = self._consumers.most_common(n)
        self._metrics.top_consumers.clear()
        for caller, count in top:
            self._metrics.top_consumers.labels(caller).set(count)
        if len(self._consumers) > 10_000:  # bound memory: keep the heavy ones only
            self._consumers = Counter(dict(self._consumers.most_common(1_000)))
        return top

    async def ping(self) -> bool:
        return await self._counter.ping()

    async def reset(self) -> None:
        await self._counter.reset()
