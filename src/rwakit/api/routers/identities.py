"""Identities and their claims, claim topics and trusted issuers, from the read model.

Writes (register an identity, write or revoke a claim) are operations: ``POST
/api/v1/operations``. An identity is cached under ``identity:<wallet>``, which the change
feed drops when the indexer changes the identity or its claims. An investor reads only
their own wallet's identity (another's is ``404``, so wallets reveal nothing)."""

from typing import Annotated

import orjson
from fastapi import APIRouter, Depends, Path, Query, Request
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from rwakit.api.access import Allow, Caller
from rwakit.api.dependencies import deps_of
from rwakit.api.page_cursors import MAX_CURSOR_LENGTH, decode_cursor, encode_cursor
from rwakit.api.problems import Problem
from rwakit.api.roles import ALL_ROLES, Role
from rwakit.api.schemas import problems
from rwakit.domain.cache_keys import identity_key
from rwakit.domain.operation_requests import ADDRESS
from rwakit.store.identity_directory import IdentityDirectory

router = APIRouter(tags=["identities"])
STATUSES = {0: "none", 1: "active", 2: "suspended", 3: "bypass"}
After = Annotated[str | None, Query(max_length=MAX_CURSOR_LENGTH)]
Limit = Annotated[int, Query(ge=1, le=500)]


class ClaimOut(BaseModel):
    topic: str
    issuer: str
    expiry: str  # uint256 epoch seconds, as a string like every uint256


class IdentityOut(BaseModel):
    wallet: str
    identity_id: str
    country: int
    status: str
    claims: list[ClaimOut]


class TopicOut(BaseModel):
    topic: str
    name: str


class TopicPage(BaseModel):
    items: list[TopicOut]
    next: str | None


class TrustedIssuerOut(BaseModel):
    issuer: str
    topic: str
    position: int


class TrustedIssuerPage(BaseModel):
    items: list[TrustedIssuerOut]
    next: str | None


def _json(request: Request, body: bytes) -> Response:
    return Response(body, media_type="application/json", headers=request.state.rate_headers)


@router.get(
    "/identities/{wallet}", response_model=IdentityOut, responses=problems(401, 403, 404, 422, 429)
)
async def identity(
    request: Request,
    wallet: Annotated[str, Path(pattern=ADDRESS.pattern)],
    caller: Annotated[Caller, Depends(Allow(*ALL_ROLES))],
) -> Response:
    """A wallet's identity (country, status) and the claims it holds."""
    deps = deps_of(request)
    wallet = wallet.lower()
    only_own = caller.roles == {Role.INVESTOR}
    if only_own and (caller.wallet or "").lower() != wallet:
        raise Problem(404, "identity_not_found", f"{wallet} has no identity you may read")

    def read() -> bytes:
        row = IdentityDirectory(deps.reads.reader()).identity(wallet)
        if row is None:
            raise Problem(404, "identity_not_found", f"{wallet} has no registered identity")
        return orjson.dumps(
            {
                "wallet": row.wallet,
                # identity ids are uint256: a string, as JSON numbers stop at 2**53
                "identity_id": str(row.identity_id),
                "country": row.country,
                "status": STATUSES.get(row.status, str(row.status)),
                "claims": [
                    {"topic": c.topic, "issuer": c.issuer, "expiry": str(c.expiry)}
                    for c in row.claims
                ],
            }
        )

    async def compute() -> bytes:
        return await run_in_threadpool(read)

    body = await deps.cache.get_or_compute("identity", identity_key(wallet), compute)
    return _json(request, body)


@router.get(
    "/topics",
    response_model=TopicPage,
    dependencies=[Depends(Allow(*ALL_ROLES))],
    responses=problems(401, 403, 422, 429),
)
async def topics(request: Request, after: After = None, limit: Limit = 100) -> Response:
    """The claim topics the identity registry knows, by topic id."""
    deps = deps_of(request)
    cursor = decode_cursor(after, str)
    last = None if cursor is None else cursor[0]
    rows = await run_in_threadpool(
        lambda: IdentityDirectory(deps.reads.reader()).topics(after=last, limit=limit)
    )
    items = rows[:limit]
    following = encode_cursor(items[-1].topic) if len(rows) > limit else None
    return _json(request, orjson.dumps({"items": [r.__dict__ for r in items], "next": following}))


@router.get(
    "/trusted-issuers",
    response_model=TrustedIssuerPage,
    dependencies=[Depends(Allow(*ALL_ROLES))],
    responses=problems(401, 403, 422, 429),
)
async def trusted_issuers(
    request: Request,
    topic: Annotated[str | None, Query(min_length=1, max_length=100)] = None,
    after: After = None,
    limit: Limit = 100,
) -> Response:
    """Issuers trusted for each claim topic, by (issuer, topic); ``topic`` picks one."""
    deps = deps_of(request)
    cursor = decode_cursor(after, str, str)
    rows = await run_in_threadpool(
        lambda: IdentityDirectory(deps.reads.reader()).trusted_issuers(
            topic=topic,
            after=cursor,
            limit=limit,  # type: ignore[arg-type]
        )
    )
    items = rows[:limit]
    following = encode_cursor(items[-1].issuer, items[-1].topic) if len(rows) > limit else None
    return _json(request, orjson.dumps({"items": [r.__dict__ for r in items], "next": following}))
