"""Operations: single and bulk intake (``202`` with op ids), status by id, and an event
stream of state changes.

Intake goes through ``OperationIntake``: concurrent requests share one transaction of the
synchronous ``OperationService`` (run in the threadpool). Rows are committed before the
answer, and all of a bulk request or none of it is stored.
"""

import asyncio
import re
import time
from collections.abc import AsyncIterator
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Request, status
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool
from starlette.responses import StreamingResponse

from rwakit.api.access import Allow, Caller
from rwakit.api.dependencies import ApiDependencies, deps_of
from rwakit.api.operation_input import to_request
from rwakit.api.problems import Problem
from rwakit.api.roles import ALL_ROLES, STAFF
from rwakit.api.schemas import MAX_ROW_ID, problems
from rwakit.domain.operation_requests import ADDRESS, MAX_SUBMIT, OperationInvalid
from rwakit.domain.operations import OperationState
from rwakit.store.operation_rows import OperationRow
from rwakit.store.operations import IdempotencyKeyReused

router = APIRouter(prefix="/operations", tags=["operations"])
_INDEXED_FIELD = re.compile(r"^operations\[(\d+)\]\.(.*)$")
# An event stream ends at a final state or after this long (the client reconnects).
STREAM_POLL_S = 0.25
STREAM_MAX_S = 300.0
_FINAL = (OperationState.INDEXED, OperationState.FAILED)


class OperationIn(BaseModel):
    kind: str = Field(max_length=64, examples=["mint"])
    contract: str = Field(pattern=ADDRESS.pattern, description="Token or registry address")
    params: dict[str, Any] = Field(
        examples=[{"to": "0x" + "11" * 20, "amount": "12.5"}],
        description="Per kind; amounts are decimal strings in whole token units",
    )
    priority: Literal["urgent", "normal", "deferrable"] = "normal"
    idempotency_key: str | None = Field(default=None, min_length=1, max_length=200)


class BulkIn(BaseModel):
    operations: list[OperationIn] = Field(min_length=1, max_length=MAX_SUBMIT)


class Accepted(BaseModel):
    ids: list[int]


class OperationOut(BaseModel):
    id: int
    kind: str
    contract: str
    params: dict[str, Any]
    state: Literal["accepted", "submitted", "confirmed", "indexed", "failed"]
    priority: Literal["urgent", "normal", "deferrable"]
    reason_code: str | None
    reason_message: str | None
    accepted_at: float
    submitted_at: float | None
    confirmed_at: float | None
    indexed_at: float | None
    failed_at: float | None
    tx_hash: str | None
    block_number: int | None
    result: dict[str, Any] | None = Field(
        default=None,
        description="What the confirmed operation made: for create_asset the token, its "
        "admin and its companion contracts by role",
    )

    @classmethod
    def of(cls, row: OperationRow) -> "OperationOut":
        params = {k: str(v) if isinstance(v, int) else v for k, v in row.params.items()}
        return cls(
            id=row.id,
            kind=row.kind,
            contract=row.contract,
            params=params,
            state=row.state.name.lower(),  # type: ignore[arg-type]
            priority=row.priority.name.lower(),  # type: ignore[arg-type]
            reason_code=row.reason_code,
            reason_message=row.reason_message,
            accepted_at=row.accepted_at,
            submitted_at=row.submitted_at,
            confirmed_at=row.confirmed_at,
            indexed_at=row.indexed_at,
            failed_at=row.failed_at,
            tx_hash=row.tx_hash,
            block_number=row.block_number,
            result=row.result,
        )


def _service(deps: ApiDependencies) -> Any:
    if deps.operations is None or deps.decimals_of is None:
        raise Problem(503, "operations_unavailable", "no deployment is configured for writes")
    return deps.operations


def key_reused(exc: IdempotencyKeyReused) -> Problem:
    return Problem(
        409,
        "idempotency_key_reused",
        f"{exc} — resend the original request, or use a new key for a new one",
    )


async def _submit(
    deps: ApiDependencies, items: list[OperationIn], caller: Caller, bulk: bool
) -> list[int]:
    _service(deps)
    assert deps.intake is not None and deps.decimals_of is not None
    try:
        # inline: decimals are cached after a token's first read (one eth_call per process)
        requests = [
            to_request(
                f"operations[{i}]." if bulk else "", item.model_dump(), caller, deps.decimals_of
            )
            for i, item in enumerate(items)
        ]
        return await deps.intake.submit(requests)
    except IdempotencyKeyReused as exc:
        raise key_reused(exc) from None
    except OperationInvalid as exc:
        field = exc.field
        match = _INDEXED_FIELD.match(field)
        if match and not bulk:
            field = match.group(2)  # a single op: no list index in the field name
        status_code = 404 if exc.code == "unknown_token" else 422
        raise Problem(
            status_code,
            exc.code,
            f"{field}: {exc.message}",
            errors=[{"field": field, "message": exc.message}],
        ) from None


async def submit_items(
    deps: ApiDependencies, items: list[OperationIn], caller: Caller
) -> list[int]:
    """The bulk intake for another front end (the CSV upload): all stored or none."""
    return await _submit(deps, items, caller, True)


async def submit_one(deps: ApiDependencies, item: OperationIn, caller: Caller) -> list[int]:
    """The single intake for another front end (the hot intake path)."""
    return await _submit(deps, [item], caller, False)


@router.post(
    "",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=Accepted,
    responses=problems(401, 403, 404, 409, 422, 429, 503),
)
async def submit_operation(
    body: OperationIn, request: Request, caller: Annotated[Caller, Depends(Allow(*ALL_ROLES))]
) -> Accepted:
    return Accepted(ids=await submit_one(deps_of(request), body, caller))


@router.post(
    "/bulk",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=Accepted,
    responses=problems(401, 403, 404, 409, 422, 429, 503),
)
async def submit_bulk(
    body: BulkIn, request: Request, caller: Annotated[Caller, Depends(Allow(*STAFF))]
) -> Accepted:
    """Up to 10,000 operations in one call; all are stored or none."""
    return Accepted(ids=await _submit(deps_of(request), body.operations, caller, True))


@router.get(
    "/{op_id}", response_model=OperationOut, responses=problems(401, 403, 404, 422, 429, 503)
)
def get_operation(
    request: Request,
    op_id: Annotated[int, Path(ge=1, le=MAX_ROW_ID)],
    caller: Annotated[Caller, Depends(Allow(*ALL_ROLES))],
) -> OperationOut:
    """Staff see every operation; an investor sees only their own."""
    return OperationOut.of(_visible(deps_of(request), op_id, caller))


def _visible(deps: ApiDependencies, op_id: int, caller: Caller) -> OperationRow:
    row = _service(deps).get(op_id)
    if row is None or (not caller.roles & STAFF and row.requester != caller.subject):
        raise Problem(404, "operation_not_found", f"no operation {op_id} of yours")
    return row


@router.get(
    "/{op_id}/events",
    response_class=StreamingResponse,
    responses={
        200: {"content": {"text/event-stream": {}}, "description": "One event per state"},
        **problems(401, 403, 404, 422, 429, 503),
    },
)
async def operation_events(
    request: Request,
    op_id: Annotated[int, Path(ge=1, le=MAX_ROW_ID)],
    caller: Annotated[Caller, Depends(Allow(*ALL_ROLES))],
) -> StreamingResponse:
    """Server-sent events: one ``state`` event per change (accepted → submitted → confirmed
    → indexed, or failed); the stream ends at indexed or failed."""
    deps = deps_of(request)
    first = await run_in_threadpool(_visible, deps, op_id, caller)
    service = _service(deps)

    async def events() -> AsyncIterator[bytes]:
        row, sent = first, None
        deadline = time.monotonic() + STREAM_MAX_S
        while True:
            if row is not None and row.state != sent:
                sent = row.state
                data = OperationOut.of(row).model_dump_json()
                yield f"id: {row.id}-{int(sent)}\nevent: state\ndata: {data}\n\n".encode()
                if sent in _FINAL:
                    return
            if time.monotonic() > deadline or await request.is_disconnected():
                return
            await asyncio.sleep(STREAM_POLL_S)
            row = await run_in_threadpool(service.get, op_id)

    headers = {**request.state.rate_headers, "Cache-Control": "no-cache"}
    return StreamingResponse(events(), media_type="text/event-stream", headers=headers)
