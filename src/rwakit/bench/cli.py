"""`rwakit bench …`: measurements that print JSON (never timed assertions in tests)."""

import json
from collections.abc import Callable

import typer
from rich.console import Console
from rich.table import Table

from rwakit.bench.api_bench import ApiBenchConfig, run_api_bench
from rwakit.bench.gas import measure_token_gas
from rwakit.bench.gas_snapshot import snapshot_path, write_snapshot
from rwakit.bench.gas_targets import GAS_TARGETS, check_targets
from rwakit.bench.indexer import IndexerBenchConfig, run_indexer_bench
from rwakit.bench.pipeline import PipelineBenchConfig, run_pipeline_bench
from rwakit.chain.anvil import ManagedAnvil
from rwakit.chain.connect import connect
from rwakit.cli_progress import build_with_progress
from rwakit.config import get_settings

app = typer.Typer(help="Benchmarks; each prints its figures (JSON with --json).")
# progress goes to stderr so `--json` leaves stdout as nothing but the JSON document
progress_console = Console(stderr=True)
BENCH_GAS_LIMIT = 1_000_000_000  # the 100-item batches must fit in one block


@app.command()
def gas(
    as_json: bool = typer.Option(False, "--json", help="Print the figures as a JSON object."),
    update_snapshot: bool = typer.Option(
        False, "--update-snapshot", help="Also write them to gas-snapshot.json at the repo root."
    ),
) -> None:
    """Gas per token operation (from receipts) on a fresh managed anvil."""
    settings = get_settings()
    artifacts = build_with_progress(progress_console).artifacts
    # a fresh automining chain: figures must not depend on what ran before them
    node = ManagedAnvil(block_time=0, gas_limit=BENCH_GAS_LIMIT, binary=settings.anvil_path)
    with node, progress_console.status("measuring gas") as status:
        w3 = connect(settings.model_copy(update={"chain_id": None}), urls=[node.url])
        figures = measure_token_gas(
            w3, artifacts, lambda step: status.update(f"measuring gas: {step}")
        )
    if update_snapshot:
        path = snapshot_path()
        write_snapshot(figures, path)
        progress_console.print(f"wrote {path}", highlight=False)
    if as_json:
        typer.echo(json.dumps(figures, indent=2, sort_keys=True))
    else:
        _print_table(figures)


def _print_table(figures: dict[str, int]) -> None:
    table = Table("operation", "gas", "target", "")
    for key in sorted(figures):
        target = GAS_TARGETS.get(key)
        mark = "" if target is None else ("✓" if figures[key] <= target else "✗")
        table.add_row(key, f"{figures[key]:,}", "" if target is None else f"{target:,}", mark)
    for check in check_targets(figures):
        if check.measured is None:
            table.add_row(check.key, "not measured", f"{check.target:,}", "✗")
    Console().print(table)


@app.command()
def pipeline(
    as_json: bool = typer.Option(False, "--json", help="Print the figures as a JSON object."),
    ops: int | None = typer.Option(
        None,
        "--ops",
        min=100,
        help="Operations to submit; by default 70 s worth at --rate (a steady window over 60 s).",
    ),
    rate: float = typer.Option(1_200.0, "--rate", min=1, help="Operations submitted per second."),
    gas_limit: int = typer.Option(
        100_000_000, "--gas-limit", min=1_000_000, help="Block gas limit."
    ),
    gwei: float = typer.Option(2.0, "--gwei", min=0, help="Gas price for the cost figure."),
    eth_usd: float = typer.Option(
        3_000.0, "--eth-usd", min=0, help="ETH price for the cost figure."
    ),
    holders: int = typer.Option(
        2_000, "--holders", min=10, help="Investors with custodial wallets."
    ),
    workers: int = typer.Option(
        1, "--workers", min=1, max=8, help="Workers, each with its own signer and partition."
    ),
) -> None:
    """Confirmed operations per second through the whole write path (1 s blocks).

    Uses PostgreSQL when RWAKIT_DATABASE_URL names a PostgreSQL server (a fresh database
    is created on it and dropped afterwards), else a temporary SQLite file.
    """
    config = PipelineBenchConfig(
        ops=ops,
        rate=rate,
        gas_limit=gas_limit,
        gwei=gwei,
        eth_usd=eth_usd,
        holders=holders,
        database_url=_postgres_server(),
        workers=workers,
    )
    _run("pipeline bench", lambda progress: run_pipeline_bench(config, progress), as_json)


@app.command("indexer")
def indexer_bench(
    as_json: bool = typer.Option(False, "--json", help="Print the figures as a JSON object."),
    events: int = typer.Option(200_000, "--events", min=1_000, help="Events to index."),
    transfers: int = typer.Option(
        1_000_000, "--transfers", min=1_000, help="Transfers seeded for the query timings."
    ),
    lag_seconds: float = typer.Option(
        20.0, "--lag-seconds", min=3, help="How long operations flow for the lag figures."
    ),
    rate: float = typer.Option(
        500.0, "--rate", min=1, help="Operations per second through the write path (lag)."
    ),
) -> None:
    """Indexer catch-up (events/s vs raw eth_getLogs), query P95s and lag while operations flow.

    Uses PostgreSQL when RWAKIT_DATABASE_URL names a PostgreSQL server (a fresh database
    is created on it and dropped afterwards), else a temporary SQLite file.
    """
    config = IndexerBenchConfig(
        events=events,
        seeded_transfers=transfers,
        lag_seconds=lag_seconds,
        rate=rate,
        database_url=_postgres_server(),
    )
    _run("indexer bench", lambda progress: run_indexer_bench(config, progress), as_json)


@app.command()
def api(
    as_json: bool = typer.Option(False, "--json", help="Print the figures as a JSON object."),
    users: int = typer.Option(100, "--users", min=1, help="Users to register and drive."),
    seconds: float = typer.Option(5.0, "--seconds", min=1, help="Length of each phase."),
) -> None:
    """The API under load (1 worker): cached GET, portfolio, POST transfer, 70/30 mix.

    PostgreSQL when RWAKIT_DATABASE_URL names a server (a fresh database, dropped
    afterwards), else SQLite; Redis cache and limits when RWAKIT_REDIS_URL is set.
    """
    config = ApiBenchConfig(
        database_url=_postgres_server(),
        redis_url=get_settings().redis_url,
        users=users,
        phase_s=seconds,
    )
    _run("api bench", lambda progress: run_api_bench(config, progress), as_json)


def _postgres_server() -> str | None:
    """RWAKIT_DATABASE_URL when it names a PostgreSQL server (the bench makes and drops a
    fresh database on it), else None: a temporary SQLite file."""
    url = get_settings().database_url
    return url if url.startswith("postgres") else None


def _run(name: str, bench: Callable[[Callable[[str], None]], dict], as_json: bool) -> None:
    """Build the contracts, run ``bench`` with a progress line, print its figures."""
    build_with_progress(progress_console)
    with progress_console.status(name) as status:
        figures = bench(lambda step: status.update(f"{name}: {step}"))
    if as_json:
        typer.echo(json.dumps(figures, indent=2))
        return
    table = Table("figure", "value")
    for key, value in figures.items():
        table.add_row(key, json.dumps(value))
    Console().print(table)
