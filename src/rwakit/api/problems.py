"""RFC 9457 ``application/problem+json`` errors, each with a stable machine ``code``.

Handlers raise ``Problem``; the app turns it, validation errors and Starlette's own HTTP
errors into one shape, so clients parse a single error format everywhere.
"""

import logging
from typing import Any

import orjson
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException
from starlette.responses import Response

MEDIA_TYPE = "application/problem+json"
log = logging.getLogger(__name__)

_TITLES = {
    400: "Bad request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    413: "Payload too large",
    422: "Unprocessable content",
    429: "Too many requests",
    500: "Internal server error",
    503: "Service unavailable",
}
_CODES = {
    400: "bad_request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    422: "validation_failed",
    429: "rate_limited",
    503: "unavailable",
}


class Problem(Exception):
    """An error answer: HTTP ``status``, stable ``code``, human ``detail``, optional fields."""

    def __init__(
        self,
        status: int,
        code: str,
        detail: str,
        *,
        errors: list[dict[str, str]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.code = code
        self.detail = detail
        self.errors = errors
        self.headers = headers or {}


def problem_response(problem: Problem, instance: str | None = None) -> Response:
    body: dict[str, Any] = {
        "type": f"https://rwakit.dev/problems/{problem.code}",
        "title": _TITLES.get(problem.status, "Error"),
        "status": problem.status,
        "code": problem.code,
        "detail": problem.detail,
    }
    if instance:
        body["instance"] = instance
    if problem.errors:
        body["errors"] = problem.errors
    return Response(
        orjson.dumps(body), problem.status, headers=problem.headers, media_type=MEDIA_TYPE
    )


def field_name(location: tuple[Any, ...]) -> str:
    """``("body", "operations", 3, "amount")`` → ``operations[3].amount``."""
    parts = [p for p in location if p not in ("body", "query", "path", "header")]
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "request"


def internal_error(exc: Exception, path: str) -> Problem:
    """What a client hears of an unexpected failure; the details go to the log, not out."""
    log.error("unhandled %s on %s", type(exc).__name__, path)
    return Problem(500, "internal_error", "the server failed; try again later")


def install_problem_handlers(app: FastAPI) -> None:
    async def on_problem(request: Request, exc: Problem) -> Response:
        return problem_response(exc, request.url.path)

    async def on_validation(request: Request, exc: RequestValidationError) -> Response:
        errors = [{"field": field_name(tuple(e["loc"])), "message": e["msg"]} for e in exc.errors()]
        first = errors[0] if errors else {"field": "request", "message": "invalid"}
        detail = f"{first['field']}: {first['message']}"
        return problem_response(
            Problem(422, "validation_failed", detail, errors=errors), request.url.path
        )

    async def on_http(request: Request, exc: HTTPException) -> Response:
        code = _CODES.get(exc.status_code, f"http_{exc.status_code}")
        problem = Problem(exc.status_code, code, str(exc.detail), headers=exc.headers)
        return problem_response(problem, request.url.path)

    async def on_unexpected(request: Request, exc: Exception) -> Response:
        return problem_response(internal_error(exc, request.url.path), request.url.path)

    app.add_exception_handler(Problem, on_problem)  # type: ignore[arg-type]
    app.add_exception_handler(Exception, on_unexpected)
    app.add_exception_handler(RequestValidationError, on_validation)  # type: ignore[arg-type]
    app.add_exception_handler(HTTPException, on_http)  # type: ignore[arg-type]
