"""The per-endpoint circuit breaker, driven by a fake clock (no sleeps)."""

import pytest

from rwakit.chain.rpc_breaker import BreakerState, CircuitBreaker


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def breaker(clock: FakeClock) -> CircuitBreaker:
    return CircuitBreaker(failures=3, cooldown=5.0, clock=clock)


def fail(breaker: CircuitBreaker, times: int) -> None:
    for _ in range(times):
        breaker.record_failure()


def test_stays_closed_below_the_threshold(breaker: CircuitBreaker) -> None:
    fail(breaker, 2)
    assert breaker.state is BreakerState.CLOSED
    assert breaker.allow()
    assert not breaker.healthy  # the last outcome was a failure


def test_a_success_resets_the_consecutive_count(breaker: CircuitBreaker) -> None:
    fail(breaker, 2)
    breaker.record_success()
    fail(breaker, 2)
    assert breaker.state is BreakerState.CLOSED
    assert breaker.healthy is False


def test_opens_after_n_consecutive_failures_and_refuses_traffic(breaker: CircuitBreaker) -> None:
    fail(breaker, 3)
    assert breaker.state is BreakerState.OPEN
    assert not breaker.allow()


def test_half_open_after_cooldown_allows_exactly_one_trial(
    breaker: CircuitBreaker, clock: FakeClock
) -> None:
    fail(breaker, 3)
    clock.now += 4.99
    assert not breaker.allow()
    clock.now += 0.01
    assert breaker.allow()
    assert breaker.state is BreakerState.HALF_OPEN
    assert not breaker.allow()  # the trial is in flight: everyone else goes elsewhere


def test_successful_trial_closes(breaker: CircuitBreaker, clock: FakeClock) -> None:
    fail(breaker, 3)
    clock.now += 5
    assert breaker.allow()
    breaker.record_success()
    assert breaker.state is BreakerState.CLOSED
    assert breaker.healthy
    assert breaker.allow() and breaker.allow()


def test_failed_trial_reopens_for_a_full_cooldown(
    breaker: CircuitBreaker, clock: FakeClock
) -> None:
    fail(breaker, 3)
    clock.now += 5
    assert breaker.allow()
    breaker.record_failure()  # one failure is enough in half-open
    assert breaker.state is BreakerState.OPEN
    clock.now += 4.9
    assert not breaker.allow()
    clock.now += 0.1
    assert breaker.allow()


def test_failures_while_open_do_not_extend_the_cooldown(
    breaker: CircuitBreaker, clock: FakeClock
) -> None:
    fail(breaker, 3)
    clock.now += 3
    breaker.record_failure()  # e.g. a failed health probe
    clock.now += 2
    assert breaker.allow()


def test_a_probe_success_closes_an_open_breaker_without_waiting(breaker: CircuitBreaker) -> None:
    fail(breaker, 3)
    breaker.record_success()
    assert breaker.state is BreakerState.CLOSED
    assert breaker.allow()


def test_rejects_a_threshold_below_one(clock: FakeClock) -> None:
    with pytest.raises(ValueError):
        CircuitBreaker(failures=0, clock=clock)
