import pytest
from sqlalchemy import Engine

from rwakit.store.leases import LeaseStore

LEASE = "signer:0xC3c3"


@pytest.fixture
def leases(engine: Engine) -> LeaseStore:
    return LeaseStore(engine)


def test_a_free_lease_is_taken_and_then_held(leases: LeaseStore) -> None:
    assert leases.acquire(LEASE, "worker-a", ttl=10, now=100.0)
    assert not leases.acquire(LEASE, "worker-b", ttl=10, now=105.0)
    assert leases.acquire(LEASE, "worker-a", ttl=10, now=105.0)  # ours already: extended
    assert leases.holder(LEASE) == "worker-a"


def test_an_expired_lease_is_taken_over(leases: LeaseStore) -> None:
    leases.acquire(LEASE, "worker-a", ttl=10, now=100.0)
    assert leases.holder(LEASE, now=109.9) == "worker-a"
    assert leases.holder(LEASE, now=110.0) is None  # holder died: no heartbeat
    assert leases.acquire(LEASE, "worker-b", ttl=10, now=110.0)
    assert leases.holder(LEASE) == "worker-b"
    assert not leases.renew(LEASE, "worker-a", ttl=10, now=111.0)  # the old holder lost it


def test_heartbeat_keeps_the_lease(leases: LeaseStore) -> None:
    leases.acquire(LEASE, "worker-a", ttl=10, now=100.0)
    assert leases.renew(LEASE, "worker-a", ttl=10, now=108.0)
    assert not leases.acquire(LEASE, "worker-b", ttl=10, now=115.0)  # expires at 118 now


def test_release_frees_the_lease_for_the_next_worker(leases: LeaseStore) -> None:
    leases.acquire(LEASE, "worker-a", ttl=10, now=100.0)
    assert not leases.release(LEASE, "worker-b")
    assert leases.release(LEASE, "worker-a")
    assert leases.holder(LEASE) is None
    assert leases.acquire(LEASE, "worker-b", ttl=10, now=101.0)


def test_leases_are_independent_by_name(leases: LeaseStore) -> None:
    assert leases.acquire("signer:1", "worker-a", ttl=10, now=100.0)
    assert leases.acquire("signer:2", "worker-b", ttl=10, now=100.0)


@pytest.mark.parametrize("ttl", [0, -1, True])
def test_ttl_must_be_positive(leases: LeaseStore, ttl: float) -> None:
    with pytest.raises(ValueError, match="lease ttl must be a positive number"):
        leases.acquire(LEASE, "worker-a", ttl=ttl, now=100.0)
