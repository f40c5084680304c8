"""Assets: the detail page with live values, served as cached JSON bytes.

The hot path is one cache lookup (shared asset part + the caller's part, one round trip)
and a byte concatenation: no response model re-validation. A miss reads everything in one
multicall and fills both parts; concurrent misses share one read (single flight).
Hits by a bearer-token caller are answered before routing, by ``api.hot_reads.HotReads``,
with the same checks and keys; this endpoint serves the rest.
"""

from typing import Annotated

import orjson
from fastapi import APIRouter, Depends, Path, Request
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from rwakit.api.access import Allow, Caller
from rwakit.api.asset_reads import AssetFigures, HolderFigures
from rwakit.api.dependencies import ApiDependencies, deps_of
from rwakit.api.problems import Problem
from rwakit.api.roles import ALL_ROLES
from rwakit.api.schemas import problems
from rwakit.domain.amounts import to_decimal_string
from rwakit.domain.cache_keys import asset_key, balance_key
from rwakit.domain.operation_requests import ADDRESS

router = APIRouter(prefix="/assets", tags=["assets"])


class AssetOut(BaseModel):
    address: str
    name: str
    symbol: str
    decimals: int
    asset_type: str
    total_supply: str
    paused: bool
    block_number: int


class HolderOut(BaseModel):
    wallet: str
    balance: str
    verified: bool
    frozen: bool


class AssetDetail(BaseModel):
    asset: AssetOut
    caller: HolderOut | None


def _asset_bytes(a: AssetFigures) -> bytes:
    body = {**a.__dict__, "total_supply": to_decimal_string(a.total_supply, a.decimals)}
    return orjson.dumps(body)


def _holder_bytes(h: HolderFigures, decimals: int) -> bytes:
    return orjson.dumps({**h.__dict__, "balance": to_decimal_string(h.balance, decimals)})


async def _read(
    deps: ApiDependencies, address: str, wallet: str | None, *, with_asset: bool
) -> tuple[bytes | None, bytes | None]:
    if deps.asset_reads is None or deps.decimals_of is None:
        raise Problem(503, "chain_unavailable", "no deployment is configured for reads")
    try:
        decimals = await run_in_threadpool(deps.decimals_of, address)
    except LookupError:
        raise Problem(
            404, "asset_not_found", f"{address} is not an asset of this deployment"
        ) from None
    asset, holder = await run_in_threadpool(
        deps.asset_reads.read, address, wallet, with_asset=with_asset
    )
    return (
        None if asset is None else _asset_bytes(asset),
        None if holder is None else _holder_bytes(holder, decimals),
    )


@router.get(
    "/{address}",
    response_model=AssetDetail,
    responses=problems(401, 403, 404, 422, 429, 503),
)
async def asset_detail(
    request: Request,
    address: Annotated[str, Path(pattern=ADDRESS.pattern)],
    caller: Annotated[Caller, Depends(Allow(*ALL_ROLES))],
) -> Response:
    """Metadata, supply and pause state, plus the caller's balance and compliance state."""
    deps = deps_of(request)
    address = address.lower()
    wallet = caller.wallet.lower() if caller.wallet else None
    entries = [("asset", asset_key(address))]
    if wallet:
        entries.append(("balance", balance_key(address, wallet)))
    cached = await deps.cache.lookup(entries)
    asset_part = cached[0]
    holder_part = cached[1] if wallet else b"null"
    if asset_part is None:
        fresh_holder: list[bytes | None] = [None]

        async def compute_asset() -> bytes:
            # one multicall for both parts; the caller's part is stored on the side
            asset_bytes, holder_bytes = await _read(deps, address, wallet, with_asset=True)
            if holder_bytes is not None and wallet:
                await deps.cache.store("balance", balance_key(address, wallet), holder_bytes)
                fresh_holder[0] = holder_bytes
            assert asset_bytes is not None
            return asset_bytes

        asset_part = await deps.cache.fill("asset", asset_key(address), compute_asset)
        holder_part = fresh_holder[0] or holder_part
    if holder_part is None and wallet:

        async def compute_holder() -> bytes:
            _, holder_bytes = await _read(deps, address, wallet, with_asset=False)
            assert holder_bytes is not None
            return holder_bytes

        key = balance_key(address, wallet)
        holder_part = await deps.cache.fill("balance", key, compute_holder)
    body = b'{"asset":' + asset_part + b',"caller":' + (holder_part or b"null") + b"}"
    return Response(body, media_type="application/json", headers=request.state.rate_headers)
