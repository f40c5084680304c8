"""`rwakit bench pipeline`: confirmed business operations per second through the real
write path — operation service, database, batch worker in its own process, a managed
anvil with 1 s blocks — and, in the same run, the chain's raw capacity for plain
transfers, so the figure can be read against what the node itself can do."""

import math
import statistics
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from eth_account import Account
from sqlalchemy import func, select

from rwakit.bench.bench_database import BenchDatabase
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
from rwakit.chain.dev_wallets import wallet
from rwakit.chain.rpc_pool import RpcPool
from rwakit.config import ANVIL_DEV_KEY, Settings
from rwakit.contracts.build import load_artifacts
from rwakit.domain.operations import OperationState
from rwakit.pipeline.partition import ContractPartition
from rwakit.store.batches import BatchState
from rwakit.store.engine import make_engine
from rwakit.store.migrate import upgrade
from rwakit.store.tables import batches, operations

Progress = Callable[[str], None]
UNIT = 10**18
TRANSFER_TOPIC = "0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef"
WARMUP_S = 5.0
# submitting this long leaves a steady window (after the warm-up) of over 60 s
SUBMIT_S = 70.0


@dataclass(frozen=True)
class PipelineBenchConfig:
    ops: int | None = None  # None: SUBMIT_S worth at `rate`
    rate: float = 1_200.0
    gas_limit: int = 100_000_000
    gwei: float = 2.0
    eth_usd: float = 3_000.0
    holders: int = 2_000
    database_url: str | None = None
    seed: int = 7
    workers: int = 1  # > 1: one signer each, contracts split by partition

    @property
    def total_ops(self) -> int:
        return self.ops if self.ops is not None else math.ceil(self.rate * SUBMIT_S)


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    return (
        statistics.quantiles(values, n=100, method="inclusive")[q - 1]
        if len(values) > 1
        else values[0]
    )


def run_pipeline_bench(cfg: PipelineBenchConfig, progress: Progress = lambda _: None) -> dict:
    with (
        BenchDatabase(cfg.database_url) as db,
        ManagedAnvil(block_time=0, gas_limit=cfg.gas_limit) as node,
    ):
        upgrade(db.url)
        engine = make_engine(db.url)
        w3 = connect(Settings(rpc_urls=[node.url]))
        progress("deploying")
        s = Scenario.deploy(w3, load_artifacts())
        fleet, tokens = _fleet(s, cfg.workers, progress)
        investors = prepare_investors(
            s,
            engine,
            tokens,
            holders=cfg.holders,
            mints=OpMix.mints_in(cfg.total_ops),
            progress=progress,
        )
        # built before the workers' time starts: it takes a while for 200,000 requests
        progress(f"building {cfg.total_ops} operation requests")
        mix = OpMix(s, tokens, investors.holders, investors.custodian, cfg.seed)
        requests = [mix.request(i) for i in range(cfg.total_ops)]
        node_rpc = w3.provider
        node_rpc.make_request("evm_setAutomine", [False])
        node_rpc.make_request("evm_setIntervalMining", [1])

        duration = cfg.total_ops / cfg.rate
        stop_at = time.time() + duration + 90
        processes = start_workers(db.url, node.url, s, fleet, investors.kek, stop_at)
        progress(f"waiting for {len(fleet)} worker(s) to take their signers")
        wait_for_workers(engine, fleet, processes)
        service = operation_service(engine, s)
        progress(f"submitting {cfg.total_ops} operations at {cfg.rate:.0f}/s")
        t0, submit_end = submit_paced(service, requests, cfg.rate)
        progress("draining")
        drain(engine, 90)
        stop_processes(processes)
        result = _results(engine, w3, cfg, t0, submit_end, db.kind)
        progress("measuring raw chain capacity")
        raw = _raw_capacity(w3, cfg.gas_limit)
        result["raw_chain_tx_per_s"] = round(raw, 1)
        result["ratio_to_raw"] = round(result["confirmed_ops_per_s"] / raw, 3) if raw else None
        engine.dispose()
        return result


def _fleet(s: Scenario, workers: int, progress: Progress) -> tuple[list[BenchWorker], list[str]]:
    """One signer per partition and, for each partition, one token it owns (tokens are
    created until every partition has one), so the workers share the load evenly."""
    if workers == 1:
        return [BenchWorker(ContractPartition(), ANVIL_DEV_KEY)], [s.token_address]
    progress(f"creating tokens for {workers} partitions")
    owned: dict[int, str] = {}
    candidates, made = [s.token_address], 0
    while len(owned) < workers:
        if made > 20 * workers:
            raise RuntimeError(f"no token landed in some of {workers} partitions")
        made += 1
        token = candidates.pop() if candidates else s.create_token(f"Note {made}", f"BN{made}")
        index = next(i for i in range(workers) if ContractPartition(i, workers).owns(token))
        owned.setdefault(index, token)
    fleet = [BenchWorker(ContractPartition(0, workers), ANVIL_DEV_KEY)]
    for index in range(1, workers):
        key = "0x" + wallet("bench-signer", index).key.hex().removeprefix("0x")
        fleet.append(BenchWorker(ContractPartition(index, workers), key))
    tokens = [owned[i] for i in range(workers)]
    for member in fleet[1:]:
        s.grant_operator_roles(Account.from_key(member.signer_key).address, tokens)
    return fleet, tokens


def _results(
    engine, w3, cfg: PipelineBenchConfig, t0: float, submit_end: float, database: str
) -> dict:
    o = operations.c
    with engine.connect() as conn:
        rows = conn.execute(
            select(
                o.id,
                o.kind,
                o.state,
                o.reason_code,
                o.accepted_at,
                o.submitted_at,
                o.confirmed_at,
                o.batch_id,
                o.tx_hash,
            )
        ).all()
        gas_total = conn.execute(
            select(func.coalesce(func.sum(batches.c.gas_used), 0)).where(batches.c.state == 3)
        ).scalar_one()
        mined = conn.execute(
            select(batches.c.tx_hash, batches.c.block_number).where(batches.c.state == 3)
        ).all()
        batch_times = conn.execute(
            select(batches.c.created_at, batches.c.sent_at, batches.c.mined_at, batches.c.op_count)
        ).all()
        batch_states = {
            state: count
            for state, count in conn.execute(
                select(batches.c.state, func.count()).group_by(batches.c.state)
            )
        }
    confirmed = [r for r in rows if r.state in (OperationState.CONFIRMED, OperationState.INDEXED)]
    window_start = t0 + WARMUP_S
    in_window = [r for r in confirmed if window_start <= r.confirmed_at <= submit_end]
    window = submit_end - window_start
    # steady state: operations accepted after the warm-up, as for the throughput window
    steady = [r for r in confirmed if window_start <= r.accepted_at <= submit_end]
    latencies = [r.confirmed_at - r.accepted_at for r in steady]
    all_latencies = [r.confirmed_at - r.accepted_at for r in confirmed]
    to_submit = [r.submitted_at - r.accepted_at for r in steady]
    to_confirm = [r.confirmed_at - r.submitted_at for r in steady]
    failed = Counter(r.reason_code for r in rows if r.state == OperationState.FAILED)
    lost = sum(1 for r in rows if r.state in (OperationState.ACCEPTED, OperationState.SUBMITTED))
    gas_per_op = int(gas_total) / len(confirmed) if confirmed else 0
    return {
        "database": database,
        "workers": cfg.workers,
        "gas_limit": cfg.gas_limit,
        "ops_submitted": len(rows),
        "ops_confirmed": len(confirmed),
        "window_s": round(window, 1),
        "submitted_ops_per_s": round(len(rows) / (submit_end - t0), 1),
        "confirmed_ops_per_s": round(len(in_window) / window, 1) if window > 0 else 0,
        "latency_p50_s": round(_percentile(latencies, 50), 3),
        "latency_p95_s": round(_percentile(latencies, 95), 3),
        "latency_p99_s": round(_percentile(latencies, 99), 3),
        "latency_p95_all_ops_s": round(_percentile(all_latencies, 95), 3),
        # where the time goes: waiting to be batched, then waiting for the block
        "accept_to_submit_p95_s": round(_percentile(to_submit, 95), 3),
        "submit_to_confirm_p95_s": round(_percentile(to_confirm, 95), 3),
        "gas_per_op": round(gas_per_op),
        "usd_per_op": round(gas_per_op * cfg.gwei * 1e-9 * cfg.eth_usd, 6),
        "failed_by_reason": dict(failed),
        "lost_ops": lost,
        "duplicated_ops": _duplicates(w3, confirmed, mined),
        "batch_ops_mean": round(statistics.mean(b.op_count for b in batch_times), 1)
        if batch_times
        else 0,
        "batch_sign_to_send_p95_s": round(
            _percentile([b.sent_at - b.created_at for b in batch_times if b.sent_at], 95), 3
        ),
        "batch_send_to_mined_p95_s": round(
            _percentile(
                [b.mined_at - b.sent_at for b in batch_times if b.sent_at and b.mined_at], 95
            ),
            3,
        ),
        "batches_never_marked_sent": sum(1 for b in batch_times if b.sent_at is None),
        "batches_by_state": {
            BatchState(k).name.lower(): v for k, v in sorted(batch_states.items())
        },
    }


def _duplicates(w3, confirmed, mined) -> int:
    """Transfer events in our transactions beyond one per confirmed token movement."""
    expected: Counter[str] = Counter()
    for r in confirmed:
        if r.kind in ("transfer", "mint", "forced_transfer"):
            expected[r.tx_hash.lower()] += 1
    ours = {tx.lower() for tx, _ in mined}
    seen: Counter[str] = Counter()
    for block in sorted({b for _, b in mined}):
        for receipt in w3.provider.make_request("eth_getBlockReceipts", [hex(block)])["result"]:
            tx = receipt["transactionHash"].lower()
            if tx in ours:
                seen[tx] += sum(
                    1
                    for log in receipt["logs"]
                    if log["topics"] and log["topics"][0] == TRANSFER_TOPIC
                )
    return sum(max(0, seen[tx] - expected[tx]) for tx in seen)


def _raw_capacity(w3, gas_limit: int, blocks: int = 4) -> float:
    """Plain 21,000-gas transfers, pre-signed and sent as fast as possible: mined per second."""
    per_block = gas_limit // 21_000
    count = per_block * blocks
    senders = [Account.create() for _ in range(max(1, count // 2000 + 1))]
    for a in senders:
        w3.provider.make_request("anvil_setBalance", [a.address, hex(10**24)])
    base = w3.eth.get_block("latest")["baseFeePerGas"]
    signed = []
    for i in range(count):
        sender = senders[i % len(senders)]
        nonce = i // len(senders)
        tx = {
            "type": 2,
            "chainId": w3.eth.chain_id,
            "nonce": nonce,
            "to": senders[0].address,
            "value": 1,
            "gas": 21_000,
            "maxFeePerGas": base * 4 + 10**9,
            "maxPriorityFeePerGas": 10**9,
        }
        signed.append("0x" + bytes(sender.sign_transaction(tx).raw_transaction).hex())
    start_block = w3.eth.block_number
    pool = RpcPool([w3.provider.endpoint_uri])
    try:
        for i in range(0, len(signed), 500):
            pool.batch([("eth_sendRawTransaction", [raw]) for raw in signed[i : i + 500]])
    finally:
        pool.close()
    deadline = time.time() + blocks * 3 + 30
    mined = 0
    timestamps = []
    number = start_block + 1
    while mined < count and time.time() < deadline:
        if w3.eth.block_number < number:
            time.sleep(0.1)
            continue
        block = w3.eth.get_block(number)
        n = len(block["transactions"])
        if n:
            mined += n
            timestamps.append((block["timestamp"], n))
        number += 1
    if len(timestamps) < 2:
        return float(mined)
    # full blocks only: the last block may be partly filled
    full = timestamps[:-1]
    span = timestamps[-1][0] - timestamps[0][0]
    return sum(n for _, n in full) / span if span else float(mined)
