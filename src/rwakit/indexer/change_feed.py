"""``ChangeFeed``: after each commit, the cache keys the index changed, for API caches.

Keys (addresses lower-case) are the API cache's: ``asset:<token>``,
``balance:<token>:<holder>``, ``portfolio:<holder>``, ``identity:<wallet>``, and
``assets`` for the token list. Two adapters: Redis pub/sub on ``rwakit:invalidations``
(each message a JSON array of keys, as ``rwakit.api.change_feed`` reads it) when
``RWAKIT_REDIS_URL`` is set, and in-process subscribers otherwise.
"""

import json
import threading
from collections.abc import Callable, Sequence
from typing import Protocol

from rwakit.domain.cache_keys import INVALIDATION_CHANNEL

# keep each message small: a range can touch hundreds of thousands of holders
MESSAGE_KEYS = 1_000

Subscriber = Callable[[list[str]], None]


class ChangeFeed(Protocol):
    """Where the index publishes changed keys (``rwakit.api.change_feed.InProcessChangeFeed``
    fits too, when the API runs in the indexer's process)."""

    def publish(self, keys: Sequence[str]) -> None: ...


class InProcessChangeFeed:
    def __init__(self) -> None:
        self._subscribers: list[Subscriber] = []
        self._lock = threading.Lock()

    def subscribe(self, subscriber: Subscriber) -> Callable[[], None]:
        """Call ``subscriber`` with each published key list; returns the unsubscribe."""
        with self._lock:
            self._subscribers.append(subscriber)
        return lambda: self._unsubscribe(subscriber)

    def _unsubscribe(self, subscriber: Subscriber) -> None:
        with self._lock:
            self._subscribers.remove(subscriber)

    def publish(self, keys: Sequence[str]) -> None:
        with self._lock:
            subscribers = list(self._subscribers)
        for subscriber in subscribers:
            subscriber(list(keys))

    def close(self) -> None:
        pass


class RedisChangeFeed:
    def __init__(self, url: str, channel: str = INVALIDATION_CHANNEL) -> None:
        import redis  # only processes configured with Redis need the client

        self._client = redis.Redis.from_url(url)
        self.channel = channel

    def publish(self, keys: Sequence[str]) -> None:
        keys = list(keys)
        with self._client.pipeline(transaction=False) as pipe:
            for at in range(0, len(keys), MESSAGE_KEYS):
                pipe.publish(self.channel, json.dumps(keys[at : at + MESSAGE_KEYS]))
            pipe.execute()

    def close(self) -> None:
        self._client.close()


def change_feed(redis_url: str | None) -> ChangeFeed:
    return RedisChangeFeed(redis_url) if redis_url else InProcessChangeFeed()
