"""``rwakit bench api``: the API under load, as the issue measures it.

Starts a managed anvil with a deployment, a fresh database (PostgreSQL when
RWAKIT_DATABASE_URL names a server) and the API in its own process (one uvicorn worker,
Redis cache and limits when RWAKIT_REDIS_URL is set, under a private key prefix), seeds
users and a portfolio per user, then drives it over loopback from a separate load-generator
process: cached asset detail, portfolio, POST transfer, a 70/30 read/write mix, and a bare
ASGI endpoint returning the same bytes for the ratio.

Rate limiting stays on — every request goes through the limiter — with quotas raised so
the few seeded users are not refused (the bench measures cost, not the quota).

The mix's cache hit rate is honest about writes: every user reads, one in ten also writes,
and as no indexer runs here the bench plays its part while the mix runs, publishing on the
change feed once a second the keys a block of those transfers touches (each writer's
``balance`` and ``portfolio`` keys, and the receiver's), which every API instance then
drops, so the writers' next reads miss and are read again from the chain and database.
``cache_hit_rate`` is the server's own hit and miss counters over the mix (the c=200 run):
hits / (hits + misses), each cache key looked up counted once.
"""

import json
import os
import secrets
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import httpx
import redis
from sqlalchemy import insert

from rwakit.bench.bench_database import BenchDatabase
from rwakit.bench.http_load import encode_request
from rwakit.bench.scenario import Scenario
from rwakit.chain.anvil import ManagedAnvil, free_loopback_port
from rwakit.chain.connect import connect
from rwakit.chain.deploy import save_deployment
from rwakit.config import Settings
from rwakit.contracts.build import load_artifacts
from rwakit.domain.cache_keys import balance_key, portfolio_key
from rwakit.store.engine import make_engine
from rwakit.store.migrate import upgrade
from rwakit.store.read_model_tables import balances, tokens

Progress = Callable[[str], None]
BENCH_RATE_LIMIT = "10000000/minute"
RECEIVER = "0x" + "be" * 20
PORTFOLIO_TOKEN = "0x" + "f0" * 20
MIX_WRITER_SHARE = 10  # in the mix, one user in ten writes; every user reads


@dataclass(frozen=True)
class ApiBenchConfig:
    database_url: str | None
    redis_url: str | None
    users: int = 100
    phase_s: float = 5.0
    concurrency: int = 50
    mix_concurrency: int = 200


class _Process:
    def __init__(self, plan: dict, directory: Path, name: str) -> None:
        path = directory / f"{name}.json"
        path.write_text(json.dumps(plan))
        self.url = f"http://127.0.0.1:{plan['port']}"
        self.port = plan["port"]
        self.process = subprocess.Popen(
            [sys.executable, "-m", "rwakit.bench.api_server", str(path)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        self.pid = self.process.pid

    def wait_ready(self, path: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"bench server exited: {self.process.stderr.read().decode()}")
            try:
                httpx.get(self.url + path, timeout=1)
                return
            except httpx.TransportError:
                time.sleep(0.1)
        raise RuntimeError(f"bench server on {self.url} did not answer in {timeout}s")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(15)
        except subprocess.TimeoutExpired:
            self.process.kill()


def _load(
    port: int,
    concurrency: int,
    duration: float,
    requests: list[tuple[str, str]],
    server_pid: int | None = None,
) -> dict:
    """One load phase; with ``server_pid``, also the server's CPU per answered request — a
    figure a busy machine disturbs far less than requests per second."""
    cpu_before = _cpu_seconds(server_pid) if server_pid else 0.0
    plan = {
        "host": "127.0.0.1",
        "port": port,
        "concurrency": concurrency,
        "duration_s": duration,
        "requests": requests,
    }
    done = subprocess.run(
        [sys.executable, "-m", "rwakit.bench.http_load"],
        input=json.dumps(plan),
        capture_output=True,
        text=True,
        timeout=duration + 120,
        check=True,
    )
    report = json.loads(done.stdout)
    if server_pid and report["requests"]:
        used = _cpu_seconds(server_pid) - cpu_before
        report["server_cpu_us"] = round(used / report["requests"] * 1e6)
    return report


def _cpu_seconds(pid: int) -> float:
    """User + system CPU the process has used so far (Linux ``/proc``)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _cache_counts(url: str) -> tuple[float, float]:
    hits = misses = 0.0
    for line in httpx.get(url + "/metrics").text.splitlines():
        if line.startswith("rwakit_api_cache_hits_total{"):
            hits += float(line.rsplit(" ", 1)[1])
        elif line.startswith("rwakit_api_cache_misses_total{"):
            misses += float(line.rsplit(" ", 1)[1])
    return hits, misses


def run_api_bench(cfg: ApiBenchConfig, progress: Progress = lambda _: None) -> dict:
    prefix = f"rwakit-bench-{os.getpid()}:"
    with (
        BenchDatabase(cfg.database_url) as db,
        ManagedAnvil(block_time=0, gas_limit=1_000_000_000) as node,
        tempfile.TemporaryDirectory(prefix="rwakit-api-bench-") as tmp,
    ):
        directory = Path(tmp)
        upgrade(db.url)
        progress("deploying")
        w3 = connect(Settings(rpc_urls=[node.url]))
        scenario = Scenario.deploy(w3, load_artifacts())
        save_deployment(directory, scenario.contracts.deployment)
        token = scenario.token_address.lower()
        settings = {
            "data_dir": str(directory),
            "database_url": db.url,
            "redis_url": cfg.redis_url,
            "rpc_urls": [node.url],
            "jwt_secret": secrets.token_hex(32),
            "wallet_key": secrets.token_hex(32),
            "rate_limit_user": BENCH_RATE_LIMIT,
            "rate_limit_ip": BENCH_RATE_LIMIT,
        }
        api = _Process(
            {"port": free_loopback_port(), "settings": settings, "redis_prefix": prefix},
            directory,
            "api",
        )
        bare: _Process | None = None
        try:
            api.wait_ready("/healthz")
            progress(f"registering {cfg.users} users")
            auth, wallets = _seed_users(api.url, cfg.users, db.url)
            body = httpx.get(f"{api.url}/api/v1/assets/{token}", headers=auth[0]).content
            progress("warming the cache")
            for headers in auth:
                httpx.get(f"{api.url}/api/v1/assets/{token}", headers=headers)
                httpx.get(f"{api.url}/api/v1/portfolio", headers=headers)
            bare = _Process(
                {"port": free_loopback_port(), "bare_body": body.decode()}, directory, "bare"
            )
            bare.wait_ready("/")

            def requests(kind: str, callers: list[dict[str, str]] = auth) -> list[tuple[str, str]]:
                out = []
                for headers in callers:
                    if kind == "asset":
                        out.append(
                            ("asset", encode_request("GET", f"/api/v1/assets/{token}", headers))
                        )
                    elif kind == "portfolio":
                        out.append(
                            ("portfolio", encode_request("GET", "/api/v1/portfolio", headers))
                        )
                    else:
                        transfer = {
                            "kind": "transfer",
                            "contract": token,
                            "params": {"to": RECEIVER, "amount": "0.000001"},
                        }
                        raw = json.dumps(transfer).encode()
                        heads = {**headers, "Content-Type": "application/json"}
                        out.append(
                            ("transfer", encode_request("POST", "/api/v1/operations", heads, raw))
                        )
                return out

            c, secs = cfg.concurrency, cfg.phase_s
            progress("bare ASGI")
            bare_run = _load(
                bare.port, c, secs, [("bare", encode_request("GET", "/", {}))], bare.pid
            )
            progress("cached GET asset detail")
            cached = _load(api.port, c, secs, requests("asset"), api.pid)
            progress("GET portfolio")
            portfolio = _load(api.port, c, secs, requests("portfolio"), api.pid)
            progress("POST transfer")
            post = _load(api.port, c, secs, requests("transfer"), api.pid)
            progress(f"70/30 mix at concurrency {cfg.mix_concurrency}")
            reads = requests("asset") + requests("portfolio")
            writers = max(1, len(auth) // MIX_WRITER_SHARE)
            writes = requests("transfer", auth[:writers])
            mix_requests = _interleave(reads, writes)
            touched = [RECEIVER, *wallets[:writers]]
            keys = [portfolio_key(w) for w in touched] + [balance_key(token, w) for w in touched]
            before = _cache_counts(api.url)
            with _BlockInvalidations(cfg.redis_url, f"{prefix}invalidations", keys):
                mix = _load(api.port, cfg.mix_concurrency, secs, mix_requests, api.pid)
            after = _cache_counts(api.url)
            with _BlockInvalidations(cfg.redis_url, f"{prefix}invalidations", keys):
                mix50 = _load(api.port, c, secs, mix_requests)
        finally:
            api.stop()
            if bare is not None:
                bare.stop()
            if cfg.redis_url:
                _drop_keys(cfg.redis_url, prefix)
    hits, misses = after[0] - before[0], after[1] - before[1]
    ratio = cached["rps"] / bare_run["rps"] if bare_run["rps"] else None
    return {
        "database": db.kind,
        "cache": "redis" if cfg.redis_url else "in-process",
        "workers": 1,
        "rate_limit_user": BENCH_RATE_LIMIT,
        "phase_s": secs,
        "concurrency": c,
        "cached_get_rps": cached["rps"],
        "cached_get_p50_ms": cached["p50_ms"],
        "cached_get_p95_ms": cached["p95_ms"],
        "cached_get_p99_ms": cached["p99_ms"],
        "cached_get_errors": cached["errors"],
        "cached_get_server_cpu_us": cached.get("server_cpu_us"),
        "bare_asgi_rps": bare_run["rps"],
        "bare_asgi_p95_ms": bare_run["p95_ms"],
        "bare_asgi_server_cpu_us": bare_run.get("server_cpu_us"),
        "ratio_to_bare": round(ratio, 3) if ratio else None,
        "portfolio_rps": portfolio["rps"],
        "portfolio_p95_ms": portfolio["p95_ms"],
        "portfolio_server_cpu_us": portfolio.get("server_cpu_us"),
        "post_transfer_rps": post["rps"],
        "post_transfer_p95_ms": post["p95_ms"],
        "post_transfer_errors": post["errors"],
        "post_transfer_server_cpu_us": post.get("server_cpu_us"),
        "mix_concurrency": cfg.mix_concurrency,
        "mix_rps": mix["rps"],
        "mix_p50_ms": mix["p50_ms"],
        "mix_p95_ms": mix["p95_ms"],
        "mix_p99_ms": mix["p99_ms"],
        "mix_errors": mix["errors"],
        "mix_server_cpu_us": mix.get("server_cpu_us"),
        "mix_p95_ms_by_kind": {kind: k["p95_ms"] for kind, k in mix["kinds"].items()},
        "mix_write_share": round(
            mix["kinds"].get("transfer", {}).get("requests", 0) / max(1, mix["requests"]), 3
        ),
        "mix_c50_rps": mix50["rps"],
        "mix_c50_p95_ms": mix50["p95_ms"],
        "mix_c50_errors": mix50["errors"],
        "cache_hit_rate": round(hits / (hits + misses), 4) if hits + misses else None,
        "mix_writers": writers,
        "mix_invalidation": "writers' balance and portfolio keys, once a second"
        if cfg.redis_url
        else "none (in-process cache: no change feed to reach the API process)",
    }


class _BlockInvalidations:
    """Stands in for the indexer during the mix: once a second, publishes the keys a block
    of the mix's transfers touches on the change feed (Redis only)."""

    def __init__(self, redis_url: str | None, channel: str, keys: list[str]) -> None:
        self._redis_url = redis_url
        self._channel = channel
        self._payload = json.dumps(keys)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> "_BlockInvalidations":
        if self._redis_url:
            self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()

    def _run(self) -> None:
        client = redis.Redis.from_url(self._redis_url or "")
        try:
            while not self._stop.wait(1.0):  # one block a second
                client.publish(self._channel, self._payload)
        finally:
            client.close()


def _interleave(reads: list, writes: list) -> list:
    """7 reads, 3 writes, repeated: the 70/30 mix by request count."""
    out, r, w = [], 0, 0
    for n in range(10 * max(len(reads) // 7, len(writes) // 3, 1)):
        if n % 10 < 7:
            out.append(reads[r % len(reads)])
            r += 1
        else:
            out.append(writes[w % len(writes)])
            w += 1
    return out


def _seed_users(url: str, count: int, database_url: str) -> tuple[list[dict[str, str]], list[str]]:
    auth, wallets = [], []
    with httpx.Client(base_url=url) as client:
        for n in range(count):
            account = {"email": f"bench-{n}@example.com", "password": "bench password 123"}
            user = client.post("/api/v1/auth/register", json=account).json()
            wallets.append(user["wallet"].lower())
            tokens_ = client.post("/api/v1/auth/token", json=account).json()
            auth.append({"Authorization": f"Bearer {tokens_['access_token']}"})
    engine = make_engine(database_url, pool_size=1)
    with engine.begin() as conn:
        conn.execute(
            insert(tokens).values(
                address=PORTFOLIO_TOKEN,
                name="Bench Fund",
                symbol="BFND",
                decimals=6,
                asset_type="fund",
                total_supply=count * 10**9,
                holder_count=count,
                paused=False,
                updated_block=1,
            )
        )
        conn.execute(
            insert(balances),
            [
                {
                    "token": PORTFOLIO_TOKEN,
                    "holder": w,
                    "balance": 10**9,
                    "frozen": False,
                    "frozen_amount": 0,
                    "updated_block": 1,
                }
                for w in wallets
            ],
        )
    engine.dispose()
    return auth, wallets


def _drop_keys(redis_url: str, prefix: str) -> None:
    client = redis.Redis.from_url(redis_url)
    try:
        keys = list(client.scan_iter(match=f"{prefix}*", count=1000))
        for at in range(0, len(keys), 1000):
            client.delete(*keys[at : at + 1000])
    finally:
        client.close()
