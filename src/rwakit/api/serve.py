"""The app ``rwakit serve`` runs: built from the environment in each uvicorn worker.

With ``RWAKIT_RPC_URLS`` and a recorded deployment the chain-backed endpoints
(operations, assets, asset creation — stored as operations for ``rwakit worker`` to
send) work; otherwise they answer 503 and the rest of the API serves on.
"""

import logging

from fastapi import FastAPI

from rwakit.api.app import create_app
from rwakit.api.wiring import attach_deployment, build_dependencies
from rwakit.chain.deploy import load_deployment
from rwakit.chain.errors import ChainError
from rwakit.chain.handles import SystemContracts
from rwakit.chain.rpc_pool import RpcPool
from rwakit.chain.rpc_provider import web3_for
from rwakit.config import Settings, get_settings
from rwakit.contracts.build import load_artifacts
from rwakit.errors import RwakitError
from rwakit.process_heap import freeze_startup_heap
from rwakit.store.migrate import upgrade

log = logging.getLogger(__name__)


def app_from_settings(settings: Settings) -> FastAPI:
    deps, closers = build_dependencies(settings)
    if settings.rpc_urls:
        pool = RpcPool(settings.rpc_urls)
        try:
            w3 = web3_for(pool)
            deployment = load_deployment(w3, settings.data_dir)
            attach_deployment(deps, SystemContracts(w3, load_artifacts(), deployment))
        except (ChainError, RwakitError) as exc:
            log.warning("serving without chain-backed endpoints: %s", exc)

        async def close_pool() -> None:
            pool.close()

        closers.append(close_pool)
    return create_app(deps, on_shutdown=closers)


def app_from_environment() -> FastAPI:
    """uvicorn's factory (``--factory``): each worker process builds its own app."""
    app = app_from_settings(get_settings())
    freeze_startup_heap()
    return app


def prepare(settings: Settings) -> None:
    """Once, before the workers start: the schema is current."""
    upgrade(settings.database_url)
