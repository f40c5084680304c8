"""`rwakit up`'s three processes as threads of one process: the batch worker, the indexer
and the HTTP API, beside the chain and on the embedded defaults (SQLite, in-process cache
and change feed), so one command runs the whole platform."""

import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

import uvicorn
from prometheus_client import REGISTRY
from web3 import Web3

from rwakit.api.app import create_app
from rwakit.api.wiring import attach_deployment, build_dependencies
from rwakit.chain.deploy import Deployment
from rwakit.chain.handles import SystemContracts
from rwakit.chain.rpc_pool import RpcPool
from rwakit.chain.rpc_provider import web3_for
from rwakit.config import Settings
from rwakit.contracts.artifacts import ContractArtifact
from rwakit.errors import RwakitError
from rwakit.indexer.change_feed import change_feed
from rwakit.indexer.wiring import IndexerParts, build_indexer
from rwakit.pipeline.metrics import PipelineMetrics
from rwakit.pipeline.wiring import WorkerSpec, build_worker, fee_policy, worker_config
from rwakit.process_heap import freeze_startup_heap
from rwakit.store.engine import make_engine
from rwakit.store.migrate import upgrade

STOP_TIMEOUT_S = 15.0


class ApiPortError(RwakitError):
    """The API's port is taken or not ours to bind."""


def bind_api_socket(host: str, port: int) -> socket.socket:
    """The API's listening socket, bound now: a taken port fails before any slow set-up."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise ApiPortError(
            f"cannot serve the API on {host}:{port} ({exc.strerror}) — stop what uses it or "
            "set RWAKIT_API_PORT"
        ) from None
    return sock


@dataclass
class EmbeddedPlatform:
    settings: Settings
    chain_url: str
    w3: Web3
    deployment: Deployment
    artifacts: dict[str, ContractArtifact]
    api_socket: socket.socket
    _threads: list[threading.Thread] = field(default_factory=list)
    _signals: list[Callable[[], None]] = field(default_factory=list)  # ask a part to stop
    _closers: list[Callable[[], None]] = field(default_factory=list)  # once all stopped

    @property
    def api_url(self) -> str:
        return f"http://{self.settings.host}:{self.settings.api_port}"

    def start(self) -> None:
        s = self.settings
        upgrade(s.database_url)
        engine = make_engine(
            s.database_url,
            pool_size=s.database_pool_size,
            statement_timeout_ms=s.database_statement_timeout_ms,
        )

        deps, closers = build_dependencies(s)
        # the API's own RPC pool, as under `rwakit serve`: its health shows in GET /ops/status
        api_pool = RpcPool([self.chain_url])
        api_w3 = web3_for(api_pool)
        # asset creation too: POST /assets stores an operation the worker below sends
        attach_deployment(deps, SystemContracts(api_w3, self.artifacts, self.deployment))
        server = uvicorn.Server(
            uvicorn.Config(
                create_app(deps, on_shutdown=closers),
                loop="uvloop",
                http="httptools",
                log_level="warning",
                access_log=False,
            )
        )

        def stop_api() -> None:
            server.should_exit = True

        # without Redis the indexer drops cached answers straight from the API's cache
        feed = deps.change_feed if s.redis_url is None else change_feed(s.redis_url)
        indexer: IndexerParts = build_indexer(
            engine,
            [self.chain_url],
            self.deployment,
            self.artifacts,
            feed,
            confirmations=s.indexer_confirmations,
            max_reorg_depth=s.indexer_max_reorg_depth,
            registry=REGISTRY,
        )
        worker, worker_pool = build_worker(
            engine,
            WorkerSpec(
                (self.chain_url,),
                self.deployment.chain_id,
                self.deployment.multicall,
                self.deployment.registry,
                (s.worker_signer_key or s.deployer_key).get_secret_value(),
                s.wallet_kek(),
            ),
            metrics=PipelineMetrics(REGISTRY),
            config=worker_config(s),
            fees=fee_policy(s),
        )
        self._signals = [stop_api, indexer.runner.stop, worker.stop]
        self._closers = [
            indexer.close,
            worker_pool.close,
            api_pool.close,
            engine.dispose,
            self.api_socket.close,
        ]
        freeze_startup_heap()
        for name, target in (
            ("rwakit-api", lambda: server.run(sockets=[self.api_socket])),
            ("rwakit-indexer", indexer.runner.run),
            ("rwakit-worker", worker.run),
        ):
            thread = threading.Thread(target=target, name=name, daemon=True)
            thread.start()
            self._threads.append(thread)

    def stop(self) -> None:
        """Signal every part, wait for the threads, then close pools and engines."""
        for signal_stop in self._signals:
            signal_stop()
        for thread in self._threads:
            thread.join(STOP_TIMEOUT_S)
        for close in self._closers:
            close()
        self._signals, self._closers, self._threads = [], [], []
