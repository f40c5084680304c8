"""ResponseCache without I/O: single flight, LRU bound, TTL classes, run-time TTLs."""

import asyncio

import pytest

from rwakit.api.cache_backends import InProcessBackend
from rwakit.api.metrics import ApiMetrics
from rwakit.api.response_cache import DEFAULT_TTL_S, ResponseCache, parse_ttls


def make_cache(max_entries: int = 100) -> tuple[ResponseCache, ApiMetrics]:
    metrics = ApiMetrics()
    backend = InProcessBackend(max_entries, metrics.cache_evictions.inc)
    return ResponseCache(backend, parse_ttls(""), metrics), metrics


def test_concurrent_misses_compute_once() -> None:
    cache, _ = make_cache()
    calls = 0

    async def compute() -> bytes:
        nonlocal calls
        calls += 1
        await asyncio.sleep(0.01)  # keeps the flight open while the others arrive
        return b'{"x":1}'

    async def main() -> list[bytes]:
        return await asyncio.gather(
            *(cache.get_or_compute("asset", "asset:0x1", compute) for _ in range(20))
        )

    assert asyncio.run(main()) == [b'{"x":1}'] * 20
    assert calls == 1
    assert (cache.hits, cache.misses) == (0, 20)


def test_a_failed_computation_reaches_every_waiter_and_is_not_cached() -> None:
    cache, _ = make_cache()

    async def broken() -> bytes:
        await asyncio.sleep(0.01)
        raise RuntimeError("node down")

    async def main() -> list[object]:
        return await asyncio.gather(
            *(cache.get_or_compute("asset", "k", broken) for _ in range(3)),
            return_exceptions=True,
        )

    assert all(isinstance(r, RuntimeError) for r in asyncio.run(main()))
    assert asyncio.run(cache.backend.get("k")) is None


def test_lru_evicts_the_least_recently_used_and_counts_it() -> None:
    cache, metrics = make_cache(max_entries=2)

    async def main() -> list[bytes | None]:
        backend = cache.backend
        await backend.set("a", b"1", 60)
        await backend.set("b", b"2", 60)
        await backend.get("a")  # "b" is now the oldest
        await backend.set("c", b"3", 60)
        return [await backend.get(k) for k in ("a", "b", "c")]

    assert asyncio.run(main()) == [b"1", None, b"3"]
    assert metrics.registry.get_sample_value("rwakit_api_cache_evictions_total") == 1


def test_expired_entries_are_misses() -> None:
    cache, _ = make_cache()

    async def main() -> bytes | None:
        await cache.backend.set("k", b"v", 0.000001)
        await asyncio.sleep(0.001)
        return await cache.backend.get("k")

    assert asyncio.run(main()) is None


def test_ttls_parse_per_class_and_change_at_run_time() -> None:
    ttls = parse_ttls("asset=60, balance=5")
    assert ttls["asset"] == 60 and ttls["balance"] == 5 and ttls["stats"] == DEFAULT_TTL_S
    for bad, message in (
        ("rocket=1", "unknown class"),
        ("asset=x", "seconds"),
        ("asset=0", "more"),
    ):
        with pytest.raises(ValueError, match=message):
            parse_ttls(bad)
    cache, _ = make_cache()
    cache.set_ttl("portfolio", 900)
    assert cache.ttls["portfolio"] == 900
    with pytest.raises(ValueError):
        cache.set_ttl("portfolio", -1)


def test_two_levels_serve_near_copies_and_drop_both_on_invalidation() -> None:
    from rwakit.api.cache_backends import TwoLevelBackend

    far = InProcessBackend(100)  # stands in for Redis: same port
    near = InProcessBackend(100)
    backend = TwoLevelBackend(near, far, near_ttl_s=60)  # type: ignore[arg-type]

    async def main() -> list[object]:
        await far.set("k", b"far", 60)
        first = await backend.get("k")  # fetched from far, kept near
        await far.set("k", b"changed elsewhere", 60)
        second = await backend.get("k")  # the near copy, within its short TTL
        await backend.delete(["k"])
        return [first, second, await near.get("k"), await far.get("k")]

    assert asyncio.run(main()) == [b"far", b"far", None, None]
