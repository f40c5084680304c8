"""An asset's indexed history: holders by balance, transfers, its generic event log, and
stats by range from the rollups. Lists are keyset pages (``next`` → ``after``); stats are
cached under ``stats:<token>``, which the indexer's change feed drops with every rollup
it changes."""

import time
from typing import Annotated, Any, Literal

import orjson
from fastapi import APIRouter, Depends, Path, Query, Request
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from rwakit.api.access import Allow
from rwakit.api.dependencies import deps_of
from rwakit.api.indexed_assets import indexed_token
from rwakit.api.page_cursors import MAX_CURSOR_LENGTH, bad_cursor, decode_cursor, encode_cursor
from rwakit.api.problems import Problem
from rwakit.api.roles import ALL_ROLES, STAFF
from rwakit.api.schemas import problems
from rwakit.domain.amounts import to_decimal_string
from rwakit.domain.cache_keys import stats_key
from rwakit.domain.operation_requests import ADDRESS
from rwakit.store.event_log_query import ChainEventLog
from rwakit.store.read_model import ReadModel
from rwakit.store.transfers_query import TransferHistory

router = APIRouter(prefix="/assets/{address}", tags=["assets"])

AddressPath = Annotated[str, Path(pattern=ADDRESS.pattern)]
After = Annotated[str | None, Query(max_length=MAX_CURSOR_LENGTH)]
Limit = Annotated[int, Query(ge=1, le=500)]
RANGES_S = {"1d": 86_400, "7d": 7 * 86_400, "30d": 30 * 86_400, "90d": 90 * 86_400}
RANGES_S["365d"] = 365 * 86_400
BUCKETS_S = {"hour": 3_600, "day": 86_400}
MAX_HOURLY_RANGE_S = RANGES_S["30d"]


class HolderItem(BaseModel):
    holder: str
    balance: str
    frozen: bool
    frozen_amount: str


class HolderPageOut(BaseModel):
    items: list[HolderItem]
    next: str | None


class TransferItem(BaseModel):
    block_number: int
    log_index: int
    kind: str
    sender: str
    receiver: str
    amount: str
    block_time: int
    tx_hash: str


class TransferPageOut(BaseModel):
    items: list[TransferItem]
    next: str | None


class EventItem(BaseModel):
    block_number: int
    log_index: int
    name: str
    args: dict[str, Any]
    block_time: int
    tx_hash: str


class EventPageOut(BaseModel):
    items: list[EventItem]
    next: str | None


class StatsBucket(BaseModel):
    bucket_start: int
    supply: str
    holder_count: int
    minted: str
    burned: str
    volume: str
    transfer_count: int


class StatsOut(BaseModel):
    token: str
    range: str
    bucket: str
    since: int
    until: int
    buckets: list[StatsBucket]


def _json(request: Request, body: bytes) -> Response:
    return Response(body, media_type="application/json", headers=request.state.rate_headers)


def _position(after: str | None) -> tuple[int, int] | None:
    return decode_cursor(after, int, int)  # type: ignore[return-value]


@router.get(
    "/holders",
    response_model=HolderPageOut,
    dependencies=[Depends(Allow(*STAFF))],
    responses=problems(401, 403, 404, 422, 429),
)
async def holders(request: Request, address: AddressPath, after: After = None, limit: Limit = 50):
    """Holders with a balance, largest first (ties by address); staff only."""
    deps = deps_of(request)
    token = await indexed_token(deps, address.lower())
    # the balance travels as a string: uint256 exceeds JSON's (and orjson's) 64-bit ints
    cursor = decode_cursor(after, str, str)
    if cursor is not None and not (cursor[0].isdecimal() and ADDRESS.match(cursor[1])):
        raise bad_cursor()
    position = None if cursor is None else (int(cursor[0]), cursor[1].lower())
    page = await run_in_threadpool(
        lambda: ReadModel(deps.reads.reader()).holders(token.address, after=position, limit=limit)
    )
    decimals = token.decimals or 0
    items = [
        {
            "holder": r.holder,
            "balance": to_decimal_string(r.balance, decimals),
            "frozen": r.frozen,
            "frozen_amount": to_decimal_string(r.frozen_amount, decimals),
        }
        for r in page.items
    ]
    following = None
    if page.next_cursor is not None:
        following = encode_cursor(str(page.next_cursor[0]), page.next_cursor[1])
    return _json(request, orjson.dumps({"items": items, "next": following}))


@router.get(
    "/transfers",
    response_model=TransferPageOut,
    dependencies=[Depends(Allow(*STAFF))],
    responses=problems(401, 403, 404, 422, 429),
)
async def transfers(
    request: Request,
    address: AddressPath,
    since: Annotated[int | None, Query(ge=0, le=2**53, description="epoch s, inclusive")] = None,
    until: Annotated[int | None, Query(ge=0, le=2**53, description="epoch s, exclusive")] = None,
    after: After = None,
    limit: Limit = 50,
):
    """Transfers, mints and burns, newest first, optionally within a time window."""
    if since is not None and until is not None and since > until:
        message = f"must not be after until ({until})"
        raise Problem(
            422,
            "validation_failed",
            f"since: {message}",
            errors=[{"field": "since", "message": message}],
        )
    deps = deps_of(request)
    token = await indexed_token(deps, address.lower())
    position = _position(after)
    page = await run_in_threadpool(
        lambda: TransferHistory(deps.reads.reader()).page(
            token.address, since=since, until=until, after=position, limit=limit
        )
    )
    decimals = token.decimals or 0
    items = [{**r.__dict__, "amount": to_decimal_string(r.amount, decimals)} for r in page.items]
    for item in items:
        del item["token"]
    following = None if page.next_cursor is None else encode_cursor(*page.next_cursor)
    return _json(request, orjson.dumps({"items": items, "next": following}))


@router.get(
    "/events",
    response_model=EventPageOut,
    dependencies=[Depends(Allow(*STAFF))],
    responses=problems(401, 403, 404, 422, 429),
)
async def events(
    request: Request,
    address: AddressPath,
    name: Annotated[str | None, Query(min_length=1, max_length=100)] = None,
    after: After = None,
    limit: Limit = 50,
):
    """The asset's other events (roles, rules, pauses, …) as the indexer logged them,
    newest first; ``name`` picks one event."""
    deps = deps_of(request)
    token = await indexed_token(deps, address.lower())
    position = _position(after)
    page = await run_in_threadpool(
        lambda: ChainEventLog(deps.reads.reader()).page(
            token.address, name=name, after=position, limit=limit
        )
    )
    items = [{k: v for k, v in r.__dict__.items() if k != "contract"} for r in page.items]
    following = None if page.next_cursor is None else encode_cursor(*page.next_cursor)
    return _json(request, orjson.dumps({"items": items, "next": following}))


def _window(range_s: int, bucket_s: int, now: float) -> tuple[int, int]:
    """Whole buckets ending with the current one (so a page stays valid for a bucket)."""
    until = (int(now) // bucket_s + 1) * bucket_s
    return until - range_s, until


@router.get(
    "/stats",
    response_model=StatsOut,
    dependencies=[Depends(Allow(*ALL_ROLES))],
    responses=problems(401, 403, 404, 422, 429),
)
async def stats(
    request: Request,
    address: AddressPath,
    range: Annotated[Literal["1d", "7d", "30d", "90d", "365d"], Query()] = "30d",
    bucket: Annotated[Literal["hour", "day"], Query()] = "day",
):
    """Supply, holders, minted, burned and volume per hour or day bucket over the range;
    buckets without activity are absent (supply and holders carry over from the last)."""
    range_s, bucket_s = RANGES_S[range], BUCKETS_S[bucket]
    if bucket == "hour" and range_s > MAX_HOURLY_RANGE_S:
        message = "hour buckets cover at most 30d; use bucket=day"
        raise Problem(
            422,
            "validation_failed",
            f"range: {message}",
            errors=[{"field": "range", "message": message}],
        )
    deps = deps_of(request)
    address = address.lower()
    now = time.time()
    since, until = _window(range_s, bucket_s, now)
    variant = f"{range}:{bucket}:{until}"
    key = stats_key(address)
    # One cache key per token (the one the change feed names) holding every variant asked
    # for; a lost race only drops a variant, which the next request recomputes.
    [cached] = await deps.cache.lookup([("stats", key)])
    variants: dict[str, Any] = orjson.loads(cached) if cached is not None else {}
    if variant in variants:
        return _json(request, orjson.dumps(variants[variant]))
    token = await indexed_token(deps, address)
    rows = await run_in_threadpool(
        lambda: ReadModel(deps.reads.reader()).rollups(token.address, bucket, since, until)
    )
    decimals = token.decimals or 0
    body = {
        "token": token.address,
        "range": range,
        "bucket": bucket,
        "since": since,
        "until": until,
        "buckets": [
            {
                "bucket_start": r.bucket_start,
                "supply": to_decimal_string(r.supply, decimals),
                "holder_count": r.holder_count,
                "minted": to_decimal_string(r.minted, decimals),
                "burned": to_decimal_string(r.burned, decimals),
                "volume": to_decimal_string(r.volume, decimals),
                "transfer_count": r.transfer_count,
            }
            for r in rows
        ],
    }
    # keep only windows that are still current: a past one is never asked for again
    fresh = {k: v for k, v in variants.items() if v["until"] > now}
    fresh[variant] = body
    await deps.cache.store("stats", key, orjson.dumps(fresh))
    return _json(request, orjson.dumps(body))
