"""``ReplicaRouter``: reads go round-robin to replicas whose replication lag is within
bounds, else to the primary. Lag comes from a ``LagProbe`` port: PostgreSQL's own
replay timestamp in production, a controllable double in tests.

Lag is probed lazily (at most once per ``probe_interval_s``) by whichever request needs a
reader, so no background task is needed and an idle instance probes nothing.
"""

import itertools
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import Engine, text

from rwakit.api.metrics import ApiMetrics

# Caught up (replayed everything received) counts as no lag: on a quiet primary the last
# replayed transaction grows old without the replica falling behind.
_POSTGRES_LAG = text("""
    SELECT CASE
        WHEN NOT pg_is_in_recovery() THEN 0
        WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
        ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 1e9)
    END
""")


class LagProbe(Protocol):
    def lag_s(self, name: str, engine: Engine) -> float: ...


class DatabaseLagProbe:
    """PostgreSQL: seconds behind the primary. SQLite has no replication: always 0."""

    def lag_s(self, name: str, engine: Engine) -> float:
        if engine.dialect.name != "postgresql":
            return 0.0
        with engine.connect() as conn:
            return float(conn.execute(_POSTGRES_LAG).scalar_one())


@dataclass(frozen=True)
class Replica:
    name: str  # shown in metrics; the URL without its password
    engine: Engine


class ReplicaRouter:
    def __init__(
        self,
        primary: Engine,
        replicas: Sequence[Replica],
        probe: LagProbe,
        max_lag_s: float,
        metrics: ApiMetrics,
        probe_interval_s: float = 1.0,
    ) -> None:
        self.primary = primary
        self._replicas = list(replicas)
        self._probe = probe
        self.max_lag_s = max_lag_s
        self._metrics = metrics
        self._interval = probe_interval_s
        self._usable: list[Replica] = []
        self._turn = itertools.count()
        self._probed_at = float("-inf")
        self._lock = threading.Lock()

    def reader(self) -> Engine:
        """An engine for a read: the next usable replica, or the primary if none is."""
        if not self._replicas:
            return self.primary
        if time.monotonic() - self._probed_at >= self._interval:
            self.refresh()
        usable = self._usable
        if not usable:
            return self.primary
        return usable[next(self._turn) % len(usable)].engine

    def refresh(self) -> dict[str, float | None]:
        """Probe every replica now; returns lag per replica (None: unreachable)."""
        with self._lock:
            lags: dict[str, float | None] = {}
            usable = []
            for replica in self._replicas:
                try:
                    lag: float | None = self._probe.lag_s(replica.name, replica.engine)
                except Exception:  # an unreachable replica simply gets no reads
                    lag = None
                lags[replica.name] = lag
                self._metrics.replica_lag.labels(replica.name).set(
                    float("inf") if lag is None else lag
                )
                if lag is not None and lag <= self.max_lag_s:
                    usable.append(replica)
            self._usable = usable
            self._probed_at = time.monotonic()
            return lags
