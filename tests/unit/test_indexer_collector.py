import gc

import pytest

from rwakit.indexer.collector import CollectorPause


@pytest.fixture(autouse=True)
def collector_on():
    gc.enable()
    yield
    gc.enable()


def test_paused_from_range_to_range_with_a_full_collection_every_few(monkeypatch) -> None:
    collections = []
    monkeypatch.setattr(gc, "collect", lambda *a: collections.append(gc.isenabled()))
    pause = CollectorPause(every=3)
    for _ in range(7):
        pause.pause()  # each step pauses again: no effect while paused
        pause.applied()
        assert not gc.isenabled()
    assert collections == [False, False]  # after the 3rd and 6th range, still paused
    pause.resume()
    assert gc.isenabled()
    pause.resume()  # twice is harmless
    assert gc.isenabled()


def test_a_collector_the_host_turned_off_stays_off() -> None:
    gc.disable()
    pause = CollectorPause()
    pause.pause()
    pause.resume()
    assert not gc.isenabled()
    assert not pause.paused
