"""Compliance rules from the read model: a token's own, and the identity registry's
global ones. Changed through operations on chain; read here as the indexer applied them."""

from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Depends, Path, Query, Request
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from rwakit.api.access import Allow
from rwakit.api.dependencies import ApiDependencies, deps_of
from rwakit.api.indexed_assets import indexed_token
from rwakit.api.page_cursors import MAX_CURSOR_LENGTH, decode_cursor, encode_cursor
from rwakit.api.problems import Problem
from rwakit.api.roles import ALL_ROLES
from rwakit.api.schemas import problems
from rwakit.domain.operation_requests import ADDRESS
from rwakit.store.compliance_rule_book import ComplianceRuleBook

router = APIRouter(tags=["compliance"])
After = Annotated[str | None, Query(max_length=MAX_CURSOR_LENGTH)]
Limit = Annotated[int, Query(ge=1, le=500)]


class RuleOut(BaseModel):
    kind: str
    subject: str
    value: Any
    updated_block: int


class RulePage(BaseModel):
    contract: str
    items: list[RuleOut]
    next: str | None


async def _rules(
    request: Request, deps: ApiDependencies, contract: str, after: str | None, limit: int
) -> Response:
    cursor = decode_cursor(after, str, str)
    rows = await run_in_threadpool(
        lambda: ComplianceRuleBook(deps.reads.reader()).rules(
            contract,
            after=cursor,
            limit=limit,  # type: ignore[arg-type]
        )
    )
    items = rows[:limit]
    following = encode_cursor(items[-1].kind, items[-1].subject) if len(rows) > limit else None
    body = {"contract": contract, "items": [r.__dict__ for r in items], "next": following}
    return Response(
        orjson.dumps(body), media_type="application/json", headers=request.state.rate_headers
    )


@router.get(
    "/assets/{address}/rules",
    response_model=RulePage,
    dependencies=[Depends(Allow(*ALL_ROLES))],
    responses=problems(401, 403, 404, 422, 429),
)
async def asset_rules(
    request: Request,
    address: Annotated[str, Path(pattern=ADDRESS.pattern)],
    after: After = None,
    limit: Limit = 100,
) -> Response:
    """The token's rules: rule expressions, identity expression, country rules and holder
    caps, blocked addresses (kind, subject, value)."""
    deps = deps_of(request)
    token = await indexed_token(deps, address.lower())
    return await _rules(request, deps, token.address, after, limit)


@router.get(
    "/compliance/rules",
    response_model=RulePage,
    dependencies=[Depends(Allow(*ALL_ROLES))],
    responses=problems(401, 403, 422, 429, 503),
)
async def global_rules(request: Request, after: After = None, limit: Limit = 100) -> Response:
    """Registry-wide rules (global expression, blocked countries) for every token."""
    deps = deps_of(request)
    if deps.operations is None:
        raise Problem(503, "chain_unavailable", "no deployment is configured")
    return await _rules(request, deps, deps.operations.registry, after, limit)
