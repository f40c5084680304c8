"""``ApiDependencies``: everything the routers use, built once by the composition root
and reached through ``request.app.state.deps`` (no module globals)."""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from fastapi import Request
from sqlalchemy import Engine

from rwakit.api.asset_issuance import AssetIssuer
from rwakit.api.asset_reads import AssetReads
from rwakit.api.change_feed import ChangeFeed
from rwakit.api.client_ip import ClientIpResolver
from rwakit.api.credentials import AccessTokens, Passwords
from rwakit.api.metrics import ApiMetrics
from rwakit.api.operation_intake import OperationIntake
from rwakit.api.rate_limits import RateLimits
from rwakit.api.replicas import ReplicaRouter
from rwakit.api.response_cache import ResponseCache
from rwakit.chain.custody import Custody
from rwakit.chain.rpc_pool import EndpointStatus
from rwakit.pipeline.service import OperationService
from rwakit.store.accounts import UserStore
from rwakit.store.api_keys import ApiKeyStore
from rwakit.store.refresh_tokens import RefreshTokenStore


@dataclass
class ApiDependencies:
    engine: Engine
    users: UserStore
    refresh_tokens: RefreshTokenStore
    api_keys: ApiKeyStore
    passwords: Passwords
    access_tokens: AccessTokens
    rate_limits: RateLimits
    cache: ResponseCache
    client_ip: ClientIpResolver
    custody: Custody
    metrics: ApiMetrics
    change_feed: ChangeFeed
    reads: ReplicaRouter  # where read-only queries go (replicas within the lag bound)
    operations: OperationService | None = None  # None: no chain deployment known
    intake: OperationIntake | None = None  # group commit in front of ``operations``
    # A token's decimals; LookupError for an address that is not a token of the deployment.
    decimals_of: Callable[[str], int] | None = None
    chain_probe: Callable[[], Awaitable[int]] | None = None  # latest block, for /readyz
    asset_reads: AssetReads | None = None
    # the RPC pool's endpoint health, for GET /ops/status; None: no pool wired
    rpc_status: Callable[[], list[EndpointStatus]] | None = None
    asset_issuer: AssetIssuer | None = None  # POST /assets: factories; None: no deployment


def deps_of(request: Request) -> ApiDependencies:
    return request.app.state.deps
