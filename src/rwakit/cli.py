"""The ``rwakit`` command line."""

import signal
from types import FrameType

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn

from rwakit.chain.anvil import ManagedAnvil
from rwakit.chain.connect import connect
from rwakit.chain.errors import ChainError
from rwakit.cli_errors import OperatorErrorGroup
from rwakit.config import get_settings
from rwakit.contracts.build import build_contracts

app = typer.Typer(
    cls=OperatorErrorGroup,
    help="rwakit: issue and operate tokenized real-world assets on EVM chains.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,  # locals may hold keys; never print them
)
console = Console()


@app.callback()
def main() -> None:
    """Configuration comes from RWAKIT_* environment variables (see README)."""


def stop_on_sigterm() -> None:
    """Turn SIGTERM/SIGHUP into SystemExit so ``with`` blocks (and anvil) shut down cleanly.

    Call it at the start of long-running commands (``chain``, ``up``); by default SIGTERM kills
    Python without running cleanup, which would orphan the anvil child.
    """

    def _exit(signum: int, _frame: FrameType | None) -> None:
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, _exit)
    signal.signal(signal.SIGHUP, _exit)


@app.command()
def chain() -> None:
    """Start a managed anvil (RWAKIT_BLOCK_TIME, RWAKIT_GAS_LIMIT) and run until Ctrl-C."""
    settings = get_settings()
    stop_on_sigterm()
    with ManagedAnvil.from_settings(settings) as anvil:
        mining = f"block time {settings.block_time:g}s" if settings.block_time else "automine"
        console.print(f"anvil at [bold]{anvil.url}[/] · chain id {anvil.chain_id} · {mining}")
        console.print(f"use it elsewhere: export RWAKIT_RPC_URLS={anvil.url}", highlight=False)
        console.print("Ctrl-C stops it.")
        try:
            code = anvil.process.wait() if anvil.process else 0
        except KeyboardInterrupt:
            console.print("stopping anvil")
            return
        raise ChainError(f"anvil exited on its own (code {code}) — run `rwakit chain` again")


@app.command("chain-info")
def chain_info() -> None:
    """Connect to RWAKIT_RPC_URLS and print the chain id and latest block."""
    w3 = connect(get_settings())
    console.print(
        f"{w3.provider.endpoint_uri} · chain id {w3.eth.chain_id} · block {w3.eth.block_number}",
        highlight=False,
    )


class _RichBuildProgress:
    """A progress bar that only appears once compiling actually starts (not on a cache hit)."""

    def __init__(self) -> None:
        columns = (SpinnerColumn(), TextColumn("{task.description}"), BarColumn())
        self.progress = Progress(*columns, MofNCompleteColumn(), console=console, transient=True)
        self.task = self.progress.add_task("compiling")

    def started(self, total: int) -> None:
        self.progress.update(self.task, total=total)
        self.progress.start()

    def compiling(self, name: str) -> None:
        self.progress.update(self.task, description=f"compiling {name}")

    def compiled(self, name: str) -> None:
        self.progress.advance(self.task)

    def close(self) -> None:
        if self.progress.live.is_started:
            self.progress.stop()


@app.command()
def build(
    force: bool = typer.Option(False, "--force", help="Compile even if the cache is current."),
) -> None:
    """Compile the Vyper contracts (cached by a hash of the sources)."""
    progress = _RichBuildProgress()
    try:
        report = build_contracts(progress=progress, force=force)
    finally:
        progress.close()
    where = report.cache_file or "not cached: no writable cache directory"
    if report.compiled:
        state = f"compiled {len(report.compiled)} contracts"
    else:
        state = f"up to date, {len(report.artifacts)} contracts"
    console.print(f"{state} · {where}", highlight=False, soft_wrap=True)
    for name in sorted(report.artifacts):
        console.print(f"  {name}", highlight=False)


# --- Commands the lead engineer adds ---------------------------------------------------------
# Register them here so they inherit OperatorErrorGroup's one-line error handling:
#   deploy: @app.command() def deploy() -> None: ...        (uses rwakit.chain.deploy)
#   up:     @app.command() def up() -> None: ...            (chain + deploy + demo + status page)
#   bench:  from rwakit.bench.cli import app as bench_app
#           app.add_typer(bench_app, name="bench")
# ---------------------------------------------------------------------------------------------
