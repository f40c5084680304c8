"""The ``rwakit`` command line."""

import typer
from prometheus_client import REGISTRY, start_http_server
from rich.console import Console

from rwakit.api.cli import serve
from rwakit.bench.cli import app as bench_app
from rwakit.chain.anvil import ManagedAnvil
from rwakit.chain.connect import connect
from rwakit.chain.deploy import Deployment, deployment_file, ensure_deployed, load_deployment
from rwakit.chain.deployer import deployer, worker_signer
from rwakit.chain.errors import ChainError
from rwakit.chain.handles import SystemContracts
from rwakit.chain.node_failures import node_failures_as_chain_errors
from rwakit.chain.session import open_chain, require_external_chain
from rwakit.chain.system_status_reader import SystemStatusReader
from rwakit.cli_errors import OperatorErrorGroup
from rwakit.cli_progress import build_with_progress
from rwakit.cli_signals import stop_on_signals
from rwakit.config import get_settings
from rwakit.demo import seed_demo, watched_investors
from rwakit.embedded_platform import EmbeddedPlatform, bind_api_socket
from rwakit.indexer.cli import indexer_command
from rwakit.pipeline.metrics import PipelineMetrics
from rwakit.pipeline.wiring import WorkerSpec, build_worker, fee_policy, worker_config
from rwakit.process_heap import freeze_startup_heap
from rwakit.store.engine import make_engine
from rwakit.store.migrate import upgrade
from rwakit.web.status_page import StatusPage

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


@app.command()
def chain() -> None:
    """Start a managed anvil (RWAKIT_BLOCK_TIME, RWAKIT_GAS_LIMIT) and run until Ctrl-C."""
    settings = get_settings()
    stop_on_signals()
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


@app.command()
def build(
    force: bool = typer.Option(False, "--force", help="Compile even if the cache is current."),
) -> None:
    """Compile the Vyper contracts (cached by a hash of the sources)."""
    report = build_with_progress(console, force=force)
    where = report.cache_file or "not cached: no writable cache directory"
    if report.compiled:
        state = f"compiled {len(report.compiled)} contracts"
    else:
        state = f"up to date, {len(report.artifacts)} contracts"
    console.print(f"{state} · {where}", highlight=False, soft_wrap=True)
    for name in sorted(report.artifacts):
        console.print(f"  {name}", highlight=False)


# --- Deployment, the local demo and benchmarks -------------------------------------------------
# Registered on `app`, so OperatorErrorGroup turns their RwakitErrors into one line.


def _print_contracts(deployment: Deployment) -> None:
    width = max(len(name) for name in deployment.contracts)
    for name, address in deployment.contracts.items():
        console.print(f"  {name:<{width}}  {address}", highlight=False)


@app.command()
def deploy() -> None:
    """Deploy the contracts to RWAKIT_RPC_URLS once; a recorded, live deployment is reused."""
    settings = get_settings()
    require_external_chain(settings, "deploy")
    w3 = connect(settings)
    url = w3.provider.endpoint_uri
    with node_failures_as_chain_errors(url):
        operator = deployer(settings, w3)
        build = build_with_progress(console)
        deployment, fresh = ensure_deployed(operator, settings.data_dir, build.artifacts, build.key)
    record = deployment_file(settings.data_dir, deployment.chain_id)
    if fresh:
        console.print(f"deployed rwakit on chain {deployment.chain_id} at {url}", highlight=False)
    else:
        console.print(
            f"already deployed on chain {deployment.chain_id} at {url}; nothing to do",
            highlight=False,
        )
    _print_contracts(deployment)
    console.print(f"recorded in {record}", highlight=False, soft_wrap=True)


@app.command()
def status() -> None:
    """Print the recorded deployment on RWAKIT_RPC_URLS and its tokens, read live."""
    settings = get_settings()
    require_external_chain(settings, "status")
    w3 = connect(settings)
    url = w3.provider.endpoint_uri
    with node_failures_as_chain_errors(url):
        deployment = load_deployment(w3, settings.data_dir)
        contracts = SystemContracts(w3, build_with_progress(console).artifacts, deployment)
        snapshot = SystemStatusReader(contracts, url).read()
    console.print(
        f"{url} · chain id {snapshot.chain_id} · block {snapshot.block_number}", highlight=False
    )
    _print_contracts(deployment)
    # plain lines rather than a table: a table squeezed into a terminal truncates addresses
    for token in snapshot.tokens:
        meta = token.meta
        supply = token.amount(token.total_supply, grouped=True)
        state = "paused" if token.paused else "active"
        for line in (
            f"{meta.symbol}  {meta.name} ({meta.asset_type}) · {meta.address}",
            f"  total supply {supply} · {token.holder_count} holders · {state}",
        ):
            console.print(line, highlight=False, soft_wrap=True)
    if not snapshot.tokens:
        console.print("no tokens yet")


@app.command()
def up() -> None:
    """The whole platform on the embedded defaults, until Ctrl-C: chain (managed unless
    RWAKIT_RPC_URLS), contracts, demo, batch worker, indexer, HTTP API and status page.

    The API listens on RWAKIT_HOST:RWAKIT_API_PORT (default http://127.0.0.1:8080, docs at
    /docs), the status page on RWAKIT_HOST:RWAKIT_PORT (default http://127.0.0.1:8000/).
    """
    settings = get_settings()
    stop_on_signals()
    page = StatusPage(settings.host, settings.port)  # a taken port fails before slow set-up
    api_socket = bind_api_socket(settings.host, settings.api_port)
    with page, open_chain(settings) as chain, node_failures_as_chain_errors(chain.url):
        kind = "managed anvil" if chain.anvil else "node"
        console.print(f"{kind} at {chain.url} · chain id {chain.w3.eth.chain_id}", highlight=False)
        build = build_with_progress(console)
        operator = deployer(settings, chain.w3)
        deployment, fresh = ensure_deployed(operator, settings.data_dir, build.artifacts, build.key)
        console.print(
            "deployed the contracts" if fresh else "contracts already deployed", highlight=False
        )
        contracts = SystemContracts(chain.w3, build.artifacts, deployment)
        with console.status("seeding the demo") as spinner:
            seeded = seed_demo(operator, contracts, lambda step: spinner.update(f"demo: {step}"))
        done = f"{seeded.transactions} transactions" if seeded.transactions else "already there"
        console.print(f"demo: {', '.join(seeded.tokens)} ({done})", highlight=False)
        # after the demo: the worker signs with the deployer's key, and nonces must not race
        platform = EmbeddedPlatform(
            settings, chain.url, chain.w3, deployment, build.artifacts, api_socket
        )
        platform.start()
        reader = SystemStatusReader(contracts, chain.url, watched_investors())
        console.print(
            f"API at [bold]{platform.api_url}/api/v1[/] · docs {platform.api_url}/docs · "
            "worker and indexer running",
            highlight=False,
        )
        console.print(f"rwakit is up at [bold]{page.url}[/] · Ctrl-C stops it", highlight=False)
        try:
            page.serve_forever(reader)
        except KeyboardInterrupt:
            console.print("stopping")
        finally:
            platform.stop()


@app.command()
def worker() -> None:
    """Batch operations into transactions for one signer (the deployer key), until stopped.

    Takes a lease on its signer: start a second one as a standby; it takes over within
    seconds when the first stops.
    """
    settings = get_settings()
    require_external_chain(settings, "worker")
    stop_on_signals()
    w3 = connect(settings)
    with node_failures_as_chain_errors(w3.provider.endpoint_uri):
        deployment = load_deployment(w3, settings.data_dir)
        signer = worker_signer(settings, w3)
        upgrade(settings.database_url)
        engine = make_engine(
            settings.database_url,
            pool_size=settings.database_pool_size,
            statement_timeout_ms=settings.database_statement_timeout_ms,
        )
        spec = WorkerSpec(
            tuple(settings.rpc_urls),
            deployment.chain_id,
            deployment.multicall,
            deployment.registry,
            signer.account.key.hex(),
            settings.wallet_kek(),
        )
        # the process-wide registry: the RPC pool's metrics live there too
        metrics = PipelineMetrics(REGISTRY)
        config = worker_config(settings)
        batch_worker, pool = build_worker(
            engine, spec, metrics=metrics, config=config, fees=fee_policy(settings)
        )
        if settings.worker_metrics_port:
            start_http_server(settings.worker_metrics_port, addr=settings.host)
            console.print(
                f"metrics at http://{settings.host}:{settings.worker_metrics_port}/metrics",
                highlight=False,
            )
        console.print(
            f"worker for signer {signer.address} · contracts of partition {config.partition} "
            "· waiting for its lease",
            highlight=False,
        )
        freeze_startup_heap()
        try:
            batch_worker.run()
        except KeyboardInterrupt:
            console.print("stopping")
        finally:
            batch_worker.stop()
            pool.close()


app.command("indexer")(indexer_command)
app.add_typer(bench_app, name="bench")
app.command()(serve)
