"""``HotIntake``: a single ``POST /operations`` answered in plain ASGI, in front of
FastAPI's routing and dependency solving, which cost several times the intake itself.

It makes the same checks as the routed endpoint — bearer access token and role, the
per-caller-per-endpoint limit, the body validated by the same ``OperationIn`` model, the
same intake and its errors — and answers ``202`` with the op ids. Whatever it does not take
itself (no or other credentials, another role, a body that is not JSON or fails the model)
goes on to the routed endpoint with the body replayed, which gives the same answer or
error. It counts the limit only for requests it answers, so nothing is counted twice. An
unexpected failure (the database going away) is ``ProblemGuard``'s, in front of it.
"""

from typing import Any

from fastapi.routing import APIRoute
from pydantic import ValidationError

from rwakit.api.access import Caller, rate_limited
from rwakit.api.dependencies import ApiDependencies
from rwakit.api.problems import Problem, problem_response
from rwakit.api.request_metrics import route_template
from rwakit.api.routers.operations import Accepted, OperationIn, submit_one
from rwakit.api.scope_caller import scope_caller

Scope = dict[str, Any]
MAX_BODY = 64 * 1024  # a single operation; anything longer is the routed endpoint's concern


class HotIntake:
    def __init__(self, app: Any, deps: ApiDependencies, route: APIRoute, roles: frozenset[str]):
        self.app = app
        self.deps = deps
        self._route = route
        self._roles = roles
        self._path = route_template(route)
        self._endpoint = f"POST {self._path}"

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if (
            scope["type"] == "http"
            and scope["method"] == "POST"
            and scope["path"] == self._path
            and _small_json(scope)
        ):
            caller = scope_caller(scope, self.deps.access_tokens, self._roles)
            if caller is not None:
                body = await _read_body(receive)
                if body is None:
                    return  # the client went away
                if await self._take(scope, send, caller, body):
                    return
                receive = _replaying(body, receive)
        await self.app(scope, receive, send)

    async def _take(self, scope: Scope, send: Any, caller: Caller, body: bytes) -> bool:
        try:
            item = OperationIn.model_validate_json(body)
        except ValidationError:
            return False  # the routed endpoint words the field-level 422
        scope["route"] = self._route  # the metrics label
        decision = await self.deps.rate_limits.hit_caller(caller.subject, self._endpoint)
        headers = decision.headers()
        if not decision.allowed:
            await problem_response(rate_limited(decision, headers), scope["path"])(
                scope, _no_body, send
            )
            return True
        try:
            ids = await submit_one(self.deps, item, caller)
        except Problem as problem:
            await problem_response(problem, scope["path"])(scope, _no_body, send)
            return True
        answer = Accepted(ids=ids).model_dump_json().encode()
        raw = [(b"content-type", b"application/json"), (b"content-length", b"%d" % len(answer))]
        raw += [(name.lower().encode(), value.encode()) for name, value in headers.items()]
        await send({"type": "http.response.start", "status": 202, "headers": raw})
        await send({"type": "http.response.body", "body": answer})
        return True


def _small_json(scope: Scope) -> bool:
    """Declared JSON of a declared length up to ``MAX_BODY``."""
    json = small = False
    for name, value in scope["headers"]:
        if name == b"content-type":
            json = value.split(b";", 1)[0].strip().lower() == b"application/json"
        elif name == b"content-length":
            small = value.isdigit() and int(value) <= MAX_BODY
    return json and small


async def _read_body(receive: Any) -> bytes | None:
    chunks = []
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return None
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            return b"".join(chunks)


def _replaying(body: bytes, receive: Any) -> Any:
    sent = False

    async def replay() -> dict[str, Any]:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()  # then wait for the disconnect as the original would

    return replay


async def _no_body() -> dict[str, Any]:
    return {"type": "http.request", "body": b"", "more_body": False}
