"""`rwakit indexer` as the real CLI: indexes a recorded deployment into the database,
serves /metrics, and on SIGTERM stops cleanly, giving its lease up."""

import os
import shutil
import signal
import socket
import subprocess
import sys
from pathlib import Path

import httpx
from sqlalchemy import select

from rwakit.bench.scenario import Scenario
from rwakit.chain.deploy import save_deployment
from rwakit.contracts.build import CONTRACTS_DIR, build_contracts, load_artifacts
from rwakit.store.engine import make_engine
from rwakit.store.leases import LeaseStore
from rwakit.store.read_model_tables import indexer_cursors, tokens
from tests.integration.pipeline.helpers import wait_until


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _cursor(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(select(indexer_cursors.c.block_number)).scalar_one_or_none() or -1


def test_indexer_command_indexes_serves_metrics_and_stops_on_sigterm(
    anvil, chain_snapshot, tmp_path: Path
) -> None:
    scenario = Scenario.deploy(chain_snapshot, load_artifacts())
    save_deployment(tmp_path, scenario.contracts.deployment)
    cache = build_contracts(CONTRACTS_DIR).cache_file  # reuse the compiled contracts
    (tmp_path / "build").mkdir()
    shutil.copy(cache, tmp_path / "build" / cache.name)
    database = f"sqlite:///{tmp_path / 'read.db'}"
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("RWAKIT_")}
    env.update(
        RWAKIT_RPC_URLS=anvil.url,
        RWAKIT_DATA_DIR=str(tmp_path),
        RWAKIT_DATABASE_URL=database,
        RWAKIT_INDEXER_METRICS_PORT=str(port),
    )
    head = chain_snapshot.eth.block_number
    process = subprocess.Popen(
        [sys.executable, "-m", "rwakit", "indexer"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    engine = None
    try:
        wait_until(lambda: (tmp_path / "read.db").exists(), 30, "the database was created")
        engine = make_engine(database, pool_size=1)
        wait_until(lambda: _cursor(engine) >= head, 30, f"indexed up to block {head}")
        with engine.connect() as conn:
            symbols = conn.execute(select(tokens.c.symbol)).scalars().all()
        assert symbols == ["BBND"]
        metrics = httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=5).text
        assert f"rwakit_indexer_indexed_block {float(head)}" in metrics
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=20)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    out, err = process.communicate()
    assert "Traceback" not in err, err
    assert "indexer for chain 31337" in out
    assert LeaseStore(engine).holder("indexer:31337") is None  # given up on SIGTERM
    engine.dispose()
