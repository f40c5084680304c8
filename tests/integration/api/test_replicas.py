"""Reads go to a replica within the lag bound and move to the primary when it lags.

A second scratch database stands in for the replica (it holds different rows, so where a
read went is visible); its lag comes from a probe double the test controls. The real
probe is checked against the real databases too.
"""

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from rwakit.api.replicas import DatabaseLagProbe, Replica, ReplicaRouter
from rwakit.store.engine import make_engine
from rwakit.store.migrate import upgrade
from tests.integration.api.conftest import ApiStack, bearer, login, register
from tests.integration.store.conftest import scratch_database


class ControlledLag:
    def __init__(self) -> None:
        self.lags: dict[str, float] = {}
        self.down: set[str] = set()

    def lag_s(self, name: str, engine: Engine) -> float:
        if name in self.down:
            raise ConnectionError(name)
        return self.lags.get(name, 0.0)


@pytest.fixture
def replica_engine(stack: tuple[str, str], tmp_path: Path) -> Iterator[Engine]:
    with scratch_database(stack[0].split("+")[0], tmp_path) as url:
        upgrade(url)
        engine = make_engine(url, pool_size=2)
        yield engine
        engine.dispose()


def test_reads_follow_the_lag_bound(api_stack: ApiStack, replica_engine: Engine) -> None:
    deps = api_stack.deps()
    lag = ControlledLag()
    deps.reads = ReplicaRouter(
        deps.engine,
        [Replica("replica-1", replica_engine)],
        lag,
        max_lag_s=1.0,
        metrics=deps.metrics,
        probe_interval_s=0,  # probe on every read, so the test sees each change at once
    )
    with TestClient(api_stack.app(deps)) as client:
        register(client, "primary-admin@example.com")  # written to the primary only
        admin = bearer(login(client, "primary-admin@example.com"))
        assert client.get("/api/v1/users", headers=admin).json() == []  # the replica's rows
        lag.lags["replica-1"] = 5.0
        on_primary = client.get("/api/v1/users", headers=admin).json()
        assert [u["email"] for u in on_primary] == ["primary-admin@example.com"]
        lag.lags["replica-1"] = 0.5
        assert client.get("/api/v1/users", headers=admin).json() == []
        lag.down.add("replica-1")
        assert len(client.get("/api/v1/users", headers=admin).json()) == 1
        metrics = client.get("/metrics").text
    assert 'rwakit_api_replica_lag_seconds{replica="replica-1"} +Inf' in metrics


def test_round_robin_over_usable_replicas(api_stack: ApiStack, replica_engine: Engine) -> None:
    deps = api_stack.deps()
    lag = ControlledLag()
    replicas = [Replica("a", replica_engine), Replica("b", deps.engine), Replica("c", deps.engine)]
    router = ReplicaRouter(deps.engine, replicas, lag, 1.0, deps.metrics, probe_interval_s=0)
    lag.lags["c"] = 3.0
    picks = [router.reader() for _ in range(4)]
    assert picks == [replica_engine, deps.engine, replica_engine, deps.engine]
    assert router.refresh() == {"a": 0.0, "b": 0.0, "c": 3.0}


def test_the_database_probe_reads_real_lag(replica_engine: Engine) -> None:
    # a database that is not in recovery is its own primary: no lag
    assert DatabaseLagProbe().lag_s("r", replica_engine) == 0.0
