"""The change feed's Redis adapter delivers each commit's keys on rwakit:invalidations."""

import json
import os
import uuid

import pytest
import redis

from rwakit.indexer.change_feed import (
    MESSAGE_KEYS,
    InProcessChangeFeed,
    RedisChangeFeed,
    change_feed,
)

REDIS_URL = os.environ.get("RWAKIT_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


@pytest.fixture
def subscriber():
    client = redis.Redis.from_url(REDIS_URL)
    channel = f"rwakit-test:{uuid.uuid4().hex}:invalidations"  # private to this test
    pubsub = client.pubsub()
    pubsub.subscribe(channel)
    assert pubsub.get_message(timeout=5)["type"] == "subscribe"
    yield channel, pubsub
    pubsub.close()
    client.close()


def _messages(pubsub, n: int) -> list:
    found = []
    for _ in range(n):
        message = pubsub.get_message(ignore_subscribe_messages=True, timeout=5)
        assert message is not None, "no message within 5 s"
        found.append(json.loads(message["data"]))
    return found


def test_redis_feed_publishes_json_arrays_in_bounded_messages(subscriber) -> None:
    channel, pubsub = subscriber
    feed = RedisChangeFeed(REDIS_URL, channel)
    keys = [f"balance:0xt:0x{i:040x}" for i in range(MESSAGE_KEYS + 5)]
    try:
        feed.publish(["asset:0xt", "identity:0xw"])
        feed.publish(keys)
    finally:
        feed.close()
    first, second, third = _messages(pubsub, 3)
    assert first == ["asset:0xt", "identity:0xw"]
    assert second + third == keys and len(second) == MESSAGE_KEYS


def test_without_redis_subscribers_in_the_process_get_the_keys() -> None:
    feed = change_feed(None)
    assert isinstance(feed, InProcessChangeFeed)
    got: list[list[str]] = []
    unsubscribe = feed.subscribe(got.append)
    feed.publish(["asset:0xt"])
    unsubscribe()
    feed.publish(["asset:0xu"])
    assert got == [["asset:0xt"]]
