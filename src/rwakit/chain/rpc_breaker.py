"""A circuit breaker for one RPC endpoint: stop sending to a node that keeps failing.

Pure state with an injected clock, so it is unit-tested without sleeping; the pool
serialises access to it under its own lock.
"""

import time
from collections.abc import Callable
from enum import Enum


class BreakerState(Enum):
    CLOSED = "closed"  # traffic flows
    OPEN = "open"  # traffic skips this endpoint until the cooldown ends
    HALF_OPEN = "half_open"  # one trial request decides between closed and open


class CircuitBreaker:
    """Opens after ``failures`` consecutive failures; one trial request after ``cooldown`` s."""

    def __init__(
        self,
        *,
        failures: int = 3,
        cooldown: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if failures < 1:
            raise ValueError("a breaker needs at least one failure to open")
        self.threshold = failures
        self.cooldown = cooldown
        self._clock = clock
        self.state = BreakerState.CLOSED
        self.consecutive_failures = 0
        self._opened_at = 0.0
        self._trial_in_flight = False

    @property
    def healthy(self) -> bool:
        """Closed and its last outcome was a success (what the endpoint_up gauge shows)."""
        return self.state is BreakerState.CLOSED and self.consecutive_failures == 0

    def allow(self) -> bool:
        """May a request go to this endpoint now? Granting the half-open trial reserves it."""
        if self.state is BreakerState.OPEN:
            if self._clock() - self._opened_at < self.cooldown:
                return False
            self.state = BreakerState.HALF_OPEN
            self._trial_in_flight = False
        if self.state is BreakerState.HALF_OPEN:
            if self._trial_in_flight:
                return False  # only one request probes a recovering node
            self._trial_in_flight = True
        return True

    def record_success(self) -> None:
        self.state = BreakerState.CLOSED
        self.consecutive_failures = 0
        self._trial_in_flight = False

    def record_failure(self) -> None:
        self.consecutive_failures += 1
        if self.state is BreakerState.HALF_OPEN:
            self._open()  # the trial failed: wait a full cooldown again
        elif self.state is BreakerState.CLOSED and self.consecutive_failures >= self.threshold:
            self._open()
        # Already open: keep the original cooldown, so failed health probes cannot extend it.

    def _open(self) -> None:
        self.state = BreakerState.OPEN
        self._opened_at = self._clock()
        self._trial_in_flight = False
