"""``ApiApp``: FastAPI with the hot paths and request metrics in front of Starlette's own
middleware stack.

The cached reads and the single intake answer in microseconds; passing each through
FastAPI's entry, its telemetry hook and Starlette's error middleware first cost a tenth of
a cached read's CPU. In front of that stack, ``ProblemGuard`` gives their failures the
same problem+json 500 Starlette's error middleware gives the routed endpoints'.
"""

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI

from rwakit.api.problems import internal_error, problem_response

Asgi = Callable[..., Any]


class ApiApp(FastAPI):
    front: Asgi | None = None  # set by create_app: the chain that ends in FastAPI itself

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if self.front is not None and scope["type"] == "http":
            await self.front(scope, receive, send)
        else:
            await self.fastapi(scope, receive, send)

    async def fastapi(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        """The end of the front chain: FastAPI's own entry."""
        await super().__call__(scope, receive, send)


class ProblemGuard:
    """An unexpected failure before the answer started: problem+json 500, as the routed
    endpoints' failures get (and the details to the log, not out)."""

    def __init__(self, app: Asgi) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        started = False

        async def noting_start(message: dict[str, Any]) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, noting_start)
        except Exception as exc:
            if started:
                raise
            problem = internal_error(exc, scope["path"])
            await problem_response(problem, scope["path"])(scope, receive, send)
