"""The asset list: every indexed token, searchable by symbol or name and filtered by type,
in keyset pages. The unfiltered first page is cached (key ``assets``, dropped by the change
feed whenever the indexer changes a token)."""

from typing import Annotated

import orjson
from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from rwakit.api.access import Allow
from rwakit.api.dependencies import ApiDependencies, deps_of
from rwakit.api.page_cursors import MAX_CURSOR_LENGTH, bad_cursor, decode_cursor, encode_cursor
from rwakit.api.roles import ALL_ROLES
from rwakit.api.schemas import problems
from rwakit.domain.amounts import to_decimal_string
from rwakit.domain.asset_types import AssetType
from rwakit.domain.cache_keys import ASSET_LIST_KEY
from rwakit.domain.operation_requests import ADDRESS
from rwakit.store.asset_directory import AssetDirectory
from rwakit.store.read_model import TokenRow

router = APIRouter(prefix="/assets", tags=["assets"])
DEFAULT_LIMIT = 50


class AssetListItem(BaseModel):
    address: str
    name: str | None
    symbol: str | None
    decimals: int | None
    asset_type: str | None
    total_supply: str
    holder_count: int
    paused: bool
    created_block: int | None


class AssetListPage(BaseModel):
    items: list[AssetListItem]
    next: str | None


def _item(row: TokenRow) -> dict[str, object]:
    return {
        "address": row.address,
        "name": row.name,
        "symbol": row.symbol,
        "decimals": row.decimals,
        "asset_type": row.asset_type,
        "total_supply": to_decimal_string(row.total_supply, row.decimals or 0),
        "holder_count": row.holder_count,
        "paused": row.paused,
        "created_block": row.created_block,
    }


def _page(
    deps: ApiDependencies, q: str | None, asset_type: str | None, after: str | None, limit: int
) -> bytes:
    page = AssetDirectory(deps.reads.reader()).search(
        text=q, asset_type=asset_type, after=after, limit=limit
    )
    cursor = None if page.next_cursor is None else encode_cursor(page.next_cursor)
    return orjson.dumps({"items": [_item(r) for r in page.items], "next": cursor})


@router.get(
    "",
    response_model=AssetListPage,
    dependencies=[Depends(Allow(*ALL_ROLES))],
    responses=problems(401, 403, 422, 429),
)
async def list_assets(
    request: Request,
    q: Annotated[
        str | None,
        Query(min_length=1, max_length=100, description="Part of the symbol or name"),
    ] = None,
    asset_type: Annotated[AssetType | None, Query(alias="type")] = None,
    after: Annotated[str | None, Query(max_length=MAX_CURSOR_LENGTH)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = DEFAULT_LIMIT,
) -> Response:
    """Indexed assets by address; pass ``next`` back as ``after`` for the next page."""
    deps = deps_of(request)
    decoded = decode_cursor(after, str)
    last = None
    if decoded is not None:
        if not ADDRESS.match(decoded[0]):
            raise bad_cursor()
        last = decoded[0].lower()
    type_name = None if asset_type is None else asset_type.value
    q = q.strip() or None if q is not None else None

    async def compute() -> bytes:
        return await run_in_threadpool(_page, deps, q, type_name, last, limit)

    if q is None and type_name is None and last is None and limit == DEFAULT_LIMIT:
        body = await deps.cache.get_or_compute("asset", ASSET_LIST_KEY, compute)
    else:
        body = await compute()
    return Response(body, media_type="application/json", headers=request.state.rate_headers)
