"""Portfolios from the indexer's read model: the caller's own, or anyone's for staff.

Served as cached JSON bytes (key ``portfolio:<holder>``, dropped by the change feed when
the indexer applies a change to the holder), read from a replica within the lag bound.
Hits on the caller's own portfolio are answered before routing by ``api.hot_reads``.
"""

from typing import Annotated

import orjson
from fastapi import APIRouter, Depends, Path, Request
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from rwakit.api.access import Allow, Caller
from rwakit.api.dependencies import ApiDependencies, deps_of
from rwakit.api.problems import Problem
from rwakit.api.roles import ALL_ROLES, STAFF
from rwakit.api.schemas import problems
from rwakit.domain.amounts import to_decimal_string
from rwakit.domain.cache_keys import portfolio_key
from rwakit.domain.operation_requests import ADDRESS
from rwakit.store.read_model import ReadModel

router = APIRouter(prefix="/portfolio", tags=["portfolio"])


class HoldingOut(BaseModel):
    token: str
    symbol: str | None
    name: str | None
    balance: str
    frozen: bool
    frozen_amount: str


class PortfolioOut(BaseModel):
    holder: str
    holdings: list[HoldingOut]


async def _portfolio(request: Request, deps: ApiDependencies, holder: str) -> Response:
    holder = holder.lower()

    def read() -> bytes:
        rows = ReadModel(deps.reads.reader()).portfolio(holder)
        holdings = [
            {
                "token": r.token,
                "symbol": r.symbol,
                "name": r.name,
                "balance": to_decimal_string(r.balance, r.decimals or 0),
                "frozen": r.frozen,
                "frozen_amount": to_decimal_string(r.frozen_amount, r.decimals or 0),
            }
            for r in rows
        ]
        return orjson.dumps({"holder": holder, "holdings": holdings})

    async def compute() -> bytes:
        return await run_in_threadpool(read)

    body = await deps.cache.get_or_compute("portfolio", portfolio_key(holder), compute)
    return Response(body, media_type="application/json", headers=request.state.rate_headers)


@router.get("", response_model=PortfolioOut, responses=problems(401, 403, 404, 429))
async def my_portfolio(
    request: Request, caller: Annotated[Caller, Depends(Allow(*ALL_ROLES))]
) -> Response:
    """What the caller's custodial wallet holds, per token."""
    if caller.wallet is None:
        raise Problem(404, "no_wallet", "this caller has no custodial wallet")
    return await _portfolio(request, deps_of(request), caller.wallet)


@router.get(
    "/{holder}",
    response_model=PortfolioOut,
    dependencies=[Depends(Allow(*STAFF))],
    responses=problems(401, 403, 422, 429),
)
async def holder_portfolio(
    request: Request, holder: Annotated[str, Path(pattern=ADDRESS.pattern)]
) -> Response:
    """Any holder's portfolio; staff only (an investor reads their own at /portfolio)."""
    return await _portfolio(request, deps_of(request), holder)
