"""``POST /operations/bulk/csv``: the bulk intake fed by a CSV file (e.g. a subscription
list), for staff. Same rules as the JSON bulk: up to 10,000 operations, all stored or none,
``202`` with their ids in row order."""

from typing import Annotated

from fastapi import APIRouter, Depends, Request, status
from pydantic import ValidationError

from rwakit.api.access import Allow, Caller
from rwakit.api.dependencies import deps_of
from rwakit.api.operations_csv import parse_operations_csv
from rwakit.api.problems import Problem, field_name
from rwakit.api.roles import STAFF
from rwakit.api.routers.operations import Accepted, OperationIn, submit_items
from rwakit.api.schemas import problems
from rwakit.domain.operation_requests import MAX_SUBMIT

router = APIRouter(prefix="/operations", tags=["operations"])
MAX_CSV_BYTES = 4 * 1024 * 1024  # 10,000 rows of ~150 bytes, with room to spare
CSV_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "text/csv": {
                "schema": {"type": "string"},
                "example": "kind,contract,to,amount\nmint,0x…token,0x…investor,12.5\n",
            }
        },
    }
}


async def _read_capped(request: Request) -> bytes:
    declared = request.headers.get("content-length")
    if declared and declared.isdecimal() and int(declared) > MAX_CSV_BYTES:
        raise Problem(413, "payload_too_large", f"uploads are at most {MAX_CSV_BYTES} bytes")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_CSV_BYTES:
            raise Problem(413, "payload_too_large", f"uploads are at most {MAX_CSV_BYTES} bytes")
    return bytes(body)


@router.post(
    "/bulk/csv",
    status_code=status.HTTP_202_ACCEPTED,
    response_model=Accepted,
    openapi_extra=CSV_BODY,
    responses=problems(401, 403, 404, 409, 413, 415, 422, 429, 503),
)
async def submit_csv(
    request: Request, caller: Annotated[Caller, Depends(Allow(*STAFF))]
) -> Accepted:
    """A header row (``kind,contract,to,amount`` …) and one operation per row; errors
    name the line for the file's shape and ``operations[i]`` (i = data row, from 0) for
    an operation's content."""
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type != "text/csv":
        raise Problem(415, "unsupported_media_type", "send the file as Content-Type: text/csv")
    raw = await _read_capped(request)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise Problem(422, "validation_failed", "request: the file is not UTF-8") from None
    rows = parse_operations_csv(text, MAX_SUBMIT)
    items = []
    for index, row in enumerate(rows):
        try:
            items.append(OperationIn(**row))
        except ValidationError as exc:
            first = exc.errors()[0]
            field = f"operations[{index}]." + field_name(tuple(first["loc"]))
            raise Problem(
                422,
                "validation_failed",
                f"{field}: {first['msg']}",
                errors=[{"field": field, "message": first["msg"]}],
            ) from None
    return Accepted(ids=await submit_items(deps_of(request), items, caller))
