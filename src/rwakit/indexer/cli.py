"""``rwakit indexer``: follow the chain into the read model until SIGTERM."""

from prometheus_client import REGISTRY, start_http_server
from rich.console import Console

from rwakit.chain.connect import connect
from rwakit.chain.deploy import load_deployment
from rwakit.chain.node_failures import node_failures_as_chain_errors
from rwakit.chain.session import require_external_chain
from rwakit.cli_progress import build_with_progress
from rwakit.cli_signals import stop_on_signals
from rwakit.config import get_settings
from rwakit.indexer.change_feed import change_feed
from rwakit.indexer.followed_contracts import parse_followed
from rwakit.indexer.wiring import build_indexer
from rwakit.process_heap import freeze_startup_heap
from rwakit.store.engine import make_engine
from rwakit.store.migrate import upgrade

console = Console()


def indexer_command() -> None:
    """Index the deployment's events into the read model, until stopped.

    Takes a lease on the chain: start a second one as a standby; it takes over within
    about 7 s when the first stops.
    """
    settings = get_settings()
    require_external_chain(settings, "indexer")
    stop_on_signals()
    w3 = connect(settings)
    with node_failures_as_chain_errors(w3.provider.endpoint_uri):
        deployment = load_deployment(w3, settings.data_dir)
        artifacts = build_with_progress(console).artifacts
        upgrade(settings.database_url)
        engine = make_engine(
            settings.database_url,
            pool_size=settings.database_pool_size,
            statement_timeout_ms=settings.database_statement_timeout_ms,
        )
        feed = change_feed(settings.redis_url)
        # the process-wide registry: the RPC pool's metrics live there too
        parts = build_indexer(
            engine,
            list(settings.rpc_urls),
            deployment,
            artifacts,
            feed,
            confirmations=settings.indexer_confirmations,
            max_reorg_depth=settings.indexer_max_reorg_depth,
            registry=REGISTRY,
            followed=parse_followed(settings.indexer_contracts),
        )
        if settings.indexer_metrics_port:
            start_http_server(settings.indexer_metrics_port, addr=settings.host)
            console.print(
                f"metrics at http://{settings.host}:{settings.indexer_metrics_port}/metrics",
                highlight=False,
            )
        console.print(
            f"indexer for chain {deployment.chain_id} · waiting for its lease", highlight=False
        )
        freeze_startup_heap()
        try:
            parts.runner.run()
        except KeyboardInterrupt:
            console.print("stopping")
        finally:
            parts.close()
            close = getattr(feed, "close", None)
            if close:
                close()
            engine.dispose()
