"""Build ``ApiDependencies`` from ``Settings``: engine, stores, credentials, cache and
limits on Redis or in process, and — when a deployment is recorded — the write path."""

from collections.abc import Awaitable, Callable
from functools import lru_cache

from redis.asyncio import ConnectionPool, Redis
from sqlalchemy.engine import make_url
from starlette.concurrency import run_in_threadpool

from rwakit.api.asset_issuance import DeploymentFactories
from rwakit.api.asset_reads import AssetReads, ChainAssetReads
from rwakit.api.cache_backends import (
    CacheBackend,
    InProcessBackend,
    RedisBackend,
    TwoLevelBackend,
)
from rwakit.api.change_feed import ChangeFeed, InProcessChangeFeed, RedisChangeFeed
from rwakit.api.client_ip import ClientIpResolver
from rwakit.api.credentials import AccessTokens, Passwords
from rwakit.api.dependencies import ApiDependencies
from rwakit.api.metrics import ApiMetrics
from rwakit.api.operation_intake import OperationIntake
from rwakit.api.rate_limits import InProcessCounter, RateLimits, RedisCounter
from rwakit.api.replicas import DatabaseLagProbe, Replica, ReplicaRouter
from rwakit.api.response_cache import ResponseCache, parse_ttls
from rwakit.api.rpc_health import pool_status
from rwakit.api.signing_secret import jwt_secret
from rwakit.chain.custody import Custody
from rwakit.chain.handles import SystemContracts
from rwakit.config import Settings
from rwakit.pipeline.service import OperationService
from rwakit.store.accounts import UserStore
from rwakit.store.api_keys import ApiKeyStore
from rwakit.store.engine import make_engine
from rwakit.store.refresh_tokens import RefreshTokenStore
from rwakit.store.wallets import WalletStore

Closer = Callable[[], Awaitable[None]]
REDIS_CONNECTIONS = 2048  # per process; a request holds one for one round trip at a time


def build_dependencies(
    settings: Settings, *, redis_prefix: str = "rwakit:"
) -> tuple[ApiDependencies, list[Closer]]:
    """The dependencies and what closes them; ``redis_prefix`` namespaces every Redis key
    and the change-feed channel (``<prefix>invalidations``, so ``rwakit:invalidations``)."""
    engine = make_engine(
        settings.database_url,
        pool_size=settings.database_pool_size,
        statement_timeout_ms=settings.database_statement_timeout_ms,
    )
    metrics = ApiMetrics()
    closers: list[Closer] = []
    backend: CacheBackend
    client: Redis | None = None
    if settings.redis_url:
        # redis-py's default pool refuses a 101st concurrent command; a blocking pool costs
        # a fifth more CPU per command. A wide plain pool: one socket per command in flight.
        pool = ConnectionPool.from_url(settings.redis_url, max_connections=REDIS_CONNECTIONS)
        client = Redis(connection_pool=pool)
        backend = TwoLevelBackend(
            InProcessBackend(settings.cache_max_entries, metrics.cache_evictions.inc),
            RedisBackend(client, f"{redis_prefix}cache:"),
        )
        closers.append(client.aclose)
    else:
        backend = InProcessBackend(settings.cache_max_entries, metrics.cache_evictions.inc)
    cache = ResponseCache(backend, parse_ttls(settings.cache_ttls), metrics)
    feed: ChangeFeed = (
        InProcessChangeFeed(cache)
        if client is None
        else RedisChangeFeed(client, cache, f"{redis_prefix}invalidations")
    )

    replicas = [
        Replica(
            make_url(url).render_as_string(hide_password=True),
            make_engine(
                url,
                pool_size=settings.database_pool_size,
                statement_timeout_ms=settings.database_statement_timeout_ms,
            ),
        )
        for url in settings.database_replica_urls
    ]
    engines = [engine, *(r.engine for r in replicas)]

    async def dispose_engines() -> None:
        for each in engines:
            await run_in_threadpool(each.dispose)

    closers.append(dispose_engines)
    reads = ReplicaRouter(engine, replicas, DatabaseLagProbe(), settings.replica_max_lag_s, metrics)
    deps = ApiDependencies(
        engine=engine,
        users=UserStore(engine),
        refresh_tokens=RefreshTokenStore(engine),
        api_keys=ApiKeyStore(engine),
        passwords=Passwords(),
        access_tokens=AccessTokens(jwt_secret(settings)),
        rate_limits=RateLimits(
            InProcessCounter() if client is None else RedisCounter(client, f"{redis_prefix}limits"),
            settings.rate_limit_user,
            settings.rate_limit_ip,
            metrics,
        ),
        cache=cache,
        client_ip=ClientIpResolver(settings.trusted_proxies),
        custody=Custody(WalletStore(engine), settings.wallet_kek()),
        metrics=metrics,
        change_feed=feed,
        reads=reads,
    )
    return deps, closers


def attach_write_path(
    deps: ApiDependencies,
    *,
    registry: str,
    is_token: Callable[[str], bool],
    decimals_of: Callable[[str], int],
    chain_probe: Callable[[], Awaitable[int]] | None = None,
    asset_reads: AssetReads | None = None,
) -> None:
    """Enable the operations and asset endpoints against one deployment."""
    deps.operations = OperationService(deps.engine, registry=registry, is_token=is_token)
    deps.intake = OperationIntake(deps.operations.submit_many)

    @lru_cache(maxsize=4096)
    def known_decimals(address: str) -> int:
        if not is_token(address):
            raise LookupError(address)
        return decimals_of(address)

    deps.decimals_of = known_decimals
    deps.chain_probe = chain_probe
    deps.asset_reads = asset_reads


def attach_deployment(deps: ApiDependencies, contracts: SystemContracts) -> None:
    """Wire the chain-backed endpoints to a deployment's contracts (one multicall per read),
    asset creation included: it goes through the write path like any operation."""
    reads = ChainAssetReads(contracts)
    deployment = contracts.deployment

    async def latest_block() -> int:
        return await run_in_threadpool(lambda: contracts.w3.eth.block_number)

    attach_write_path(
        deps,
        registry=contracts.deployment.registry,
        is_token=reads.is_token,
        decimals_of=reads.decimals,
        chain_probe=latest_block,
        asset_reads=reads,
    )
    deps.rpc_status = pool_status(contracts.w3)  # GET /ops/status: the endpoints' health
    attach_asset_issuer(deps, contracts, deployment.asset_factory or None)


def attach_asset_issuer(
    deps: ApiDependencies, contracts: SystemContracts, asset_factory: str | None
) -> None:
    """Enable ``POST /assets`` (`create_asset` operations the batch worker sends): deposit
    tokens through the deployment's TokenFactory; bonds, equity, funds and stablecoins
    through ``asset_factory``, without which they answer 503."""
    token_factory = contracts.deployment.factory
    deps.asset_issuer = DeploymentFactories(contracts.w3, token_factory, asset_factory)
    if deps.operations is not None:  # it checks each creation's target against them
        deps.operations.set_factories(token_factory, asset_factory)
