"""`bench indexer`'s lag figures, taken while business operations flow through the real
write path at ``rate`` per second: the operation service on the bench database, a batch
worker in its own process, a managed anvil with 1 s blocks, and the indexer in its own
process with its production loop (``IndexerRunner``: lease, 0.2 s poll) following the head.

- per block: first seen at the node (``eth_blockNumber`` polled every 10 ms here) → the
  index's commit that covers it, for every block that carries operations of the flow;
- per operation: ``confirmed_at`` (the worker saw its receipt) → ``indexed_at`` (the index
  committed its block, or swept it up after passing the block first).
"""

import math
import multiprocessing
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.process import BaseProcess

from sqlalchemy import Engine, select

from rwakit.bench.op_flow import (
    BenchWorker,
    OpMix,
    drain,
    operation_service,
    prepare_investors,
    start_workers,
    stop_processes,
    submit_paced,
    wait_for_workers,
)
from rwakit.bench.scenario import Scenario
from rwakit.chain.anvil import ManagedAnvil
from rwakit.chain.connect import connect
from rwakit.chain.deploy import Deployment
from rwakit.chain.rpc_pool import RpcError, RpcPool, RpcUnavailable
from rwakit.config import ANVIL_DEV_KEY, Settings
from rwakit.contracts.build import load_artifacts
from rwakit.domain.operations import OperationState
from rwakit.indexer.change_feed import InProcessChangeFeed
from rwakit.indexer.index import ChainIndex
from rwakit.indexer.runner import IndexerRunner
from rwakit.indexer.wiring import build_indexer
from rwakit.pipeline.partition import ContractPartition
from rwakit.process_heap import freeze_startup_heap
from rwakit.store.engine import make_engine
from rwakit.store.operations import OperationStore
from rwakit.store.tables import operations

Progress = Callable[[str], None]
Commit = tuple[int, float, int]  # (cursor block, epoch s of the commit, events applied)
WARMUP_S = 5.0  # the flow's first seconds, before batches reach their steady size
HEAD_POLL_S = 0.01
SETTLE_S = 60.0  # at most this long for the last operations to be mined, then indexed
START_TIMEOUT_S = 120.0


@dataclass(frozen=True)
class LagConfig:
    seconds: float = 20.0
    rate: float = 500.0  # operations per second
    holders: int = 1_000
    gas_limit: int = 100_000_000  # the pipeline bench's block gas limit
    seed: int = 11


def percentile(values: list[float], q: float) -> float:
    """Nearest rank (the figure is one of the measured values)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else 0.0


class TimedIndex:
    """The index as the runner drives it, noting when each applied range committed."""

    def __init__(self, index: ChainIndex) -> None:
        self._index = index
        self.commits: list[Commit] = []

    def load(self) -> None:
        self._index.load()

    def rest(self) -> None:
        self._index.rest()

    def step(self) -> int:
        applied = self._index.step()
        if applied > 0:
            cursor = self._index.cursor()
            if cursor is not None:
                self.commits.append((cursor[0], time.time(), applied))
        return applied


def indexer_main(
    database_url: str, node_url: str, deployment: Deployment, ready, stop, results
) -> None:
    """A spawned process: catch up, say ``ready``, then follow the head until ``stop``;
    its commits go back on ``results``."""
    engine = make_engine(database_url, pool_size=4)
    parts = build_indexer(engine, [node_url], deployment, load_artifacts(), InProcessChangeFeed())
    timed = TimedIndex(parts.index)
    try:
        while parts.index.step():
            pass  # the set-up's blocks: not part of the measurement
        freeze_startup_heap()  # as `rwakit indexer` does
        ready.set()
        runner = IndexerRunner(engine, timed, deployment.chain_id)  # type: ignore[arg-type]
        threading.Thread(target=lambda: (stop.wait(), runner.stop()), daemon=True).start()
        runner.run()
    finally:
        results.put(timed.commits)
        parts.close()
        engine.dispose()


class HeadWatcher:
    """When each block number was first returned by the node."""

    def __init__(self, url: str) -> None:
        self.seen: dict[int, float] = {}
        self._url = url
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="bench-head-watch", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        with RpcPool([self._url], probe_interval=None) as pool:
            while not self._stop.is_set():
                try:
                    head = int(pool.call("eth_blockNumber"), 16)
                except (RpcError, RpcUnavailable):
                    pass  # a busy node's slow answer: keep watching (unseen blocks count)
                else:
                    self.seen.setdefault(head, time.time())
                self._stop.wait(HEAD_POLL_S)


def measure_lag(cfg: LagConfig, database_url: str, progress: Progress) -> dict:
    with ManagedAnvil(block_time=0, gas_limit=cfg.gas_limit) as node:
        engine = make_engine(database_url, pool_size=4)
        try:
            return _measure(cfg, database_url, node.url, engine, progress)
        finally:
            engine.dispose()


def _measure(
    cfg: LagConfig, database_url: str, node_url: str, engine: Engine, progress: Progress
) -> dict:
    w3 = connect(Settings(rpc_urls=[node_url]))
    progress("lag: deploying")
    s = Scenario.deploy(w3, load_artifacts())
    ops = math.ceil(cfg.rate * cfg.seconds)
    investors = prepare_investors(
        s,
        engine,
        [s.token_address],
        holders=cfg.holders,
        mints=OpMix.mints_in(ops),
        progress=lambda step: progress(f"lag: {step}"),
    )
    mix = OpMix(s, [s.token_address], investors.holders, investors.custodian, cfg.seed)
    requests = [mix.request(i) for i in range(ops)]
    w3.provider.make_request("evm_setAutomine", [False])
    w3.provider.make_request("evm_setIntervalMining", [1])

    context = multiprocessing.get_context("spawn")
    ready, stop, results = context.Event(), context.Event(), context.Queue()
    indexer = context.Process(
        target=indexer_main,
        args=(database_url, node_url, s.contracts.deployment, ready, stop, results),
        daemon=True,
    )
    indexer.start()
    fleet = [BenchWorker(ContractPartition(), ANVIL_DEV_KEY)]
    stop_at = time.time() + START_TIMEOUT_S + cfg.seconds + 2 * SETTLE_S  # bounded anyway
    workers = start_workers(database_url, node_url, s, fleet, investors.kek, stop_at)
    watcher = HeadWatcher(node_url)
    try:
        progress("lag: starting the worker and the indexer")
        wait_for_workers(engine, fleet, workers)
        _wait_ready(ready, indexer)
        service = operation_service(engine, s)
        watcher.start()
        progress(f"lag: {ops} operations at {cfg.rate:g}/s")
        t0, submit_end = submit_paced(service, requests, cfg.rate)
        progress("lag: draining")
        drain(engine, SETTLE_S)
        _wait_indexed(engine, SETTLE_S)
        watcher.stop()
        stop.set()
        commits: list[Commit] = results.get(timeout=30)
        indexer.join(10)
    finally:
        stop.set()
        stop_processes([*workers, indexer])
    return _figures(engine, cfg, watcher.seen, commits, t0, submit_end)


def _wait_ready(ready, indexer: BaseProcess) -> None:
    deadline = time.time() + START_TIMEOUT_S
    while not ready.wait(0.5):
        if not indexer.is_alive():
            raise RuntimeError(f"the bench indexer exited with code {indexer.exitcode}")
        if time.time() > deadline:
            raise TimeoutError(f"the bench indexer did not catch up in {START_TIMEOUT_S:.0f}s")


def _wait_indexed(engine: Engine, timeout: float) -> None:
    """Until no confirmed operation waits for the index (or ``timeout``)."""
    store = OperationStore(engine)
    deadline = time.time() + timeout
    while time.time() < deadline and store.counts_by_state()[OperationState.CONFIRMED]:
        time.sleep(0.2)


def block_lags(seen: dict[int, float], commits: list[Commit], blocks: set[int]) -> list[float]:
    """Seconds from each of ``blocks`` first being seen to the first commit covering it
    (cursor at or past it). Blocks never seen are left out, and so is the first one seen:
    it may have been there before the watch began."""
    first = min(seen, default=None)
    lags = []
    for block in sorted(blocks):
        if block not in seen or block == first:
            continue
        committed = next((t for cursor, t, _ in commits if cursor >= block), None)
        if committed is not None:
            lags.append(max(0.0, committed - seen[block]))
    return lags


def _figures(
    engine: Engine,
    cfg: LagConfig,
    seen: dict[int, float],
    commits: list[Commit],
    t0: float,
    submit_end: float,
) -> dict:
    o = operations.c
    with engine.connect() as conn:
        rows = conn.execute(select(o.state, o.block_number, o.confirmed_at, o.indexed_at)).all()
    done = (OperationState.CONFIRMED, OperationState.INDEXED)
    confirmed = [r for r in rows if r.state in done]
    indexed = [r for r in rows if r.state == OperationState.INDEXED]
    flow_blocks = {r.block_number for r in confirmed}
    lags = block_lags(seen, commits, flow_blocks)
    op_lags = [r.indexed_at - r.confirmed_at for r in indexed]
    warmup = min(WARMUP_S, (submit_end - t0) / 2)
    window = submit_end - (t0 + warmup)
    in_window = sum(1 for r in confirmed if t0 + warmup <= r.confirmed_at <= submit_end)
    events = sum(n for _, t, n in commits if t0 + warmup <= t <= submit_end)
    return {
        "lag_p50_s": round(percentile(lags, 0.5), 3) if lags else None,
        "lag_p95_s": round(percentile(lags, 0.95), 3) if lags else None,
        "lag_blocks_measured": len(lags),
        # a loaded machine can stall the 10 ms watch past a whole block
        "lag_blocks_unseen": len(flow_blocks - set(seen)),
        "lag_event_rate": cfg.rate,
        "lag_ops": len(rows),
        "lag_ops_per_s": round(in_window / window, 1) if window > 0 else 0.0,
        "lag_events_per_s": round(events / window, 1) if window > 0 else 0.0,
        "lag_ops_failed": sum(1 for r in rows if r.state == OperationState.FAILED),
        "lag_ops_not_indexed": len(confirmed) - len(indexed),
        "op_confirmed_to_indexed_p50_s": round(percentile(op_lags, 0.5), 3) if op_lags else None,
        "op_confirmed_to_indexed_p95_s": round(percentile(op_lags, 0.95), 3) if op_lags else None,
    }
