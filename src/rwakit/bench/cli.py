"""`rwakit bench …`: measurements that print JSON (never timed assertions in tests)."""

import json

import typer
from rich.console import Console
from rich.table import Table

from rwakit.bench.gas import measure_token_gas
from rwakit.bench.gas_snapshot import snapshot_path, write_snapshot
from rwakit.bench.gas_targets import GAS_TARGETS, check_targets
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
