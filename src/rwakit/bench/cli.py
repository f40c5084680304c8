"""`rwakit bench …`: measurements that print JSON (never timed assertions in tests)."""

import json

import typer
from rich.console import Console
from rich.table import Table

from rwakit.bench.gas import measure_token_gas
from rwakit.bench.gas_snapshot import snapshot_path, write_snapshot
from rwakit.bench.gas_targets import GAS_TARGETS, check_targets
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
    ops: int = typer.Option(84_000, "--ops", min=100, help="Operations to submit."),
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
) -> None:
    """Confirmed operations per second through the whole write path (1 s blocks).

    Uses PostgreSQL when RWAKIT_DATABASE_URL names a PostgreSQL server (a fresh database
    is created on it and dropped afterwards), else a temporary SQLite file.
    """
    settings = get_settings()
    build_with_progress(progress_console)
    server = settings.database_url if settings.database_url.startswith("postgres") else None
    config = PipelineBenchConfig(
        ops=ops,
        rate=rate,
        gas_limit=gas_limit,
        gwei=gwei,
        eth_usd=eth_usd,
        holders=holders,
        database_url=server,
    )
    with progress_console.status("pipeline bench") as status:
        figures = run_pipeline_bench(config, lambda step: status.update(f"pipeline bench: {step}"))
    if as_json:
        typer.echo(json.dumps(figures, indent=2))
    else:
        table = Table("figure", "value")
        for key, value in figures.items():
            table.add_row(key, json.dumps(value))
        Console().print(table)
