"""`rwakit bench indexer`: how fast the read model fills and answers.

1. Catch-up: generates events on a managed anvil (registrations, mints, then batches of
   forced transfers), indexes them from block 0 into a fresh database, and in the same
   run fetches the same logs with ``eth_getLogs`` alone (the ceiling the index is read
   against).
2. Queries: seeds 1,000,000 transfers of one token over 60 days (direct inserts) and
   holdings spread over many tokens, then times "transfers of the token in the last 30
   days, newest first, page of 50 (keyset)" and "portfolio of one holder".
3. Lag: while business operations flow through the real write path at ``rate`` per
   second on 1 s blocks, the time from a block first being visible at the node to the
   index committing it, and from an operation's confirmation to its indexing
   (``indexer_lag``).
"""

import random
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import insert

from rwakit.bench.bench_database import BenchDatabase
from rwakit.bench.indexer_lag import LagConfig, measure_lag, percentile
from rwakit.bench.scenario import Scenario, wallet
from rwakit.chain.anvil import ManagedAnvil
from rwakit.chain.connect import connect
from rwakit.chain.rpc_pool import RpcPool
from rwakit.config import Settings
from rwakit.contracts.build import load_artifacts
from rwakit.indexer.change_feed import InProcessChangeFeed
from rwakit.indexer.fetcher import LogFetcher
from rwakit.indexer.index import ChainIndex, IndexConfig
from rwakit.indexer.matcher import Matcher
from rwakit.indexer.metrics import IndexerMetrics
from rwakit.store.engine import make_engine
from rwakit.store.migrate import upgrade
from rwakit.store.read_model import ReadModel
from rwakit.store.read_model_tables import balances, tokens
from rwakit.store.read_model_writer import ReadModelWriter
from rwakit.store.transfers_query import TransferHistory

Progress = Callable[[str], None]
UNIT = 10**18
BATCH = 256  # the token's MAX_BATCH
DAY = 86_400
SEED_FIRST_BLOCK = 100_000_000


@dataclass(frozen=True)
class IndexerBenchConfig:
    events: int = 200_000
    holders: int = 2_048
    seeded_transfers: int = 1_000_000
    queries: int = 300
    lag_seconds: float = 20.0
    rate: float = 500.0
    database_url: str | None = None


def _index(engine, url: str, s: Scenario, metrics: IndexerMetrics | None = None) -> ChainIndex:
    deployment = s.contracts.deployment
    matcher = Matcher(deployment.registry, deployment.factory, s.contracts.artifacts)
    pool = RpcPool([url], probe_interval=None)
    index = ChainIndex(
        engine,
        LogFetcher(pool),
        matcher,
        InProcessChangeFeed(),
        metrics or IndexerMetrics(),
        IndexConfig(s.w3.eth.chain_id),
    )
    index.load()
    return index


def _generate(s: Scenario, cfg: IndexerBenchConfig, progress: Progress) -> None:
    holders = [wallet("bench-indexer", i).address for i in range(cfg.holders)]
    progress("registering holders")
    s.register_many(holders)
    progress("minting")
    fn = s.token.functions
    for at in range(0, len(holders), BATCH):
        chunk = holders[at : at + BATCH]
        s.operator.transact(fn.batchMint(chunk, [10**6 * UNIT] * len(chunk)))
    made = cfg.holders * 4  # an identity, two claims and a mint per holder
    gas = None
    pending = []
    rng = random.Random(3)
    while made < cfg.events:
        picks = rng.sample(range(len(holders)), BATCH)
        senders = [holders[i] for i in picks]
        receivers = [holders[(i + 1) % len(holders)] for i in picks]
        call = fn.batchForcedTransfer(senders, receivers, [UNIT] * BATCH)
        if gas is None:
            gas = int(call.estimate_gas({"from": s.operator.address}) * 1.5)
        pending.append(s.operator.submit(call, gas=gas))
        made += BATCH
        if len(pending) % 50 == 0:
            progress(f"generating events: {made:,}")
    for item in pending[-3:]:
        s.operator.wait(item)


def _catch_up(engine, url: str, s: Scenario) -> tuple[int, float]:
    metrics = IndexerMetrics()
    index = _index(engine, url, s, metrics)
    started = time.perf_counter()
    while index.step():
        pass
    elapsed = time.perf_counter() - started
    return int(metrics.events._value.get()), elapsed


def _raw_getlogs(url: str, s: Scenario) -> tuple[int, float]:
    deployment = s.contracts.deployment
    addresses = [deployment.registry, deployment.factory, s.token_address]
    head = s.w3.eth.block_number
    with RpcPool([url], probe_interval=None) as pool:
        fetcher = LogFetcher(pool)
        count, start, started = 0, 0, time.perf_counter()
        while start <= head:
            end, found = fetcher.logs(start, head, addresses)
            count += len(found)
            start = end + 1
        return count, time.perf_counter() - started


def _seed_queries(engine, cfg: IndexerBenchConfig) -> tuple[str, list[str], int]:
    token = "0x" + "ee" * 20
    now = int(time.time())
    per_block = 2
    blocks = cfg.seeded_transfers // per_block
    seconds_per_block = max(1, 60 * DAY // blocks)
    rng = random.Random(5)
    people = [f"0x{i:040x}" for i in range(1, 5_001)]
    chunk: list[dict] = []
    with engine.begin() as conn:
        for block in range(1, blocks + 1):
            for log_index in range(per_block):
                chunk.append(
                    {
                        # above the indexed chain's blocks: (block, log index) is the key
                        "block_number": SEED_FIRST_BLOCK + block,
                        "log_index": log_index,
                        "token": token,
                        "kind": "transfer",
                        "sender": rng.choice(people),
                        "receiver": rng.choice(people),
                        "amount": rng.randrange(1, 10**24),
                        "block_time": now - 60 * DAY + block * seconds_per_block,
                        "tx_hash": f"0x{block:064x}",
                    }
                )
            if len(chunk) >= 20_000:
                ReadModelWriter(conn).insert_events("transfers", chunk)  # COPY on PostgreSQL
                chunk = []
        if chunk:
            ReadModelWriter(conn).insert_events("transfers", chunk)
        token_rows, holding_rows = [], []
        for t in range(500):  # 500 tokens, 200 holders each; every holder in ~20 tokens
            address = f"0x{t + 1:040x}".replace("0x0", "0xf", 1)
            token_rows.append(
                {
                    "address": address,
                    "name": f"Token {t}",
                    "symbol": f"T{t}",
                    "decimals": 18,
                    "asset_type": "bond",
                    "total_supply": 10**30,
                    "holder_count": 200,
                    "paused": False,
                    "updated_block": 1,
                }
            )
            for holder in rng.sample(people, 200):
                holding_rows.append(
                    {
                        "token": address,
                        "holder": holder,
                        "balance": rng.randrange(1, 10**24),
                        "frozen": False,
                        "frozen_amount": 0,
                        "updated_block": 1,
                    }
                )
        conn.execute(insert(tokens), token_rows)
        conn.execute(insert(balances), holding_rows)
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:  # committed: ANALYZE's statistics are transactional
            conn.exec_driver_sql("ANALYZE")
    return token, people, now


def _time_queries(engine, cfg: IndexerBenchConfig, token: str, people: list[str], now: int):
    history, model = TransferHistory(engine), ReadModel(engine)
    rng = random.Random(9)
    pages, portfolios = [], []
    after = None
    for i in range(cfg.queries):
        if i % 20 == 0:
            after = None  # start again from the newest page now and then
        started = time.perf_counter()
        page = history.page(token, since=now - 30 * DAY, until=now + 1, after=after)
        pages.append((time.perf_counter() - started) * 1000)
        after = page.next_cursor
        holder = rng.choice(people)
        started = time.perf_counter()
        model.portfolio(holder)
        portfolios.append((time.perf_counter() - started) * 1000)
    return pages, portfolios


def run_indexer_bench(cfg: IndexerBenchConfig, progress: Progress = lambda _: None) -> dict:
    figures: dict = {}
    with BenchDatabase(cfg.database_url) as database:
        figures["database"] = database.kind
        upgrade(database.url)
        engine = make_engine(database.url, pool_size=4)
        with ManagedAnvil(block_time=0, gas_limit=1_000_000_000) as node:
            w3 = connect(Settings(rpc_urls=[node.url]))
            s = Scenario.deploy(w3, load_artifacts())
            _generate(s, cfg, progress)
            progress("raw eth_getLogs")
            raw_events, raw_s = _raw_getlogs(node.url, s)
            progress(f"indexing {raw_events:,} events from block 0")
            events, index_s = _catch_up(engine, node.url, s)
            blocks = w3.eth.block_number
        figures.update(
            events=events,
            blocks=blocks,
            catchup_events_per_s=round(events / index_s),
            raw_getlogs_events_per_s=round(raw_events / raw_s),
            catchup_vs_raw=round((events / index_s) / (raw_events / raw_s), 3),
        )
        progress(f"seeding {cfg.seeded_transfers:,} transfers")
        token, people, now = _seed_queries(engine, cfg)
        pages, portfolios = _time_queries(engine, cfg, token, people, now)
        figures.update(
            transfers_30d_page_p50_ms=round(statistics.median(pages), 2),
            transfers_30d_page_p95_ms=round(percentile(pages, 0.95), 2),
            portfolio_p50_ms=round(statistics.median(portfolios), 2),
            portfolio_p95_ms=round(percentile(portfolios, 0.95), 2),
        )
        engine.dispose()
    with BenchDatabase(cfg.database_url) as database:
        upgrade(database.url)
        lag = LagConfig(seconds=cfg.lag_seconds, rate=cfg.rate)
        figures.update(measure_lag(lag, database.url, progress))
    return figures
