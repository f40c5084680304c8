"""Pure ASGI middleware counting requests and timing them per route template.

Plain ASGI rather than ``@app.middleware("http")``: Starlette's BaseHTTPMiddleware wraps
every response in a stream and costs a large share of a cached request.
"""

import time
from typing import Any

from rwakit.api.metrics import ApiMetrics

Scope = dict[str, Any]
ROUTE_TEMPLATE = "rwakit_template"  # attribute set on each route by app.declare_roles


def route_template(route: Any) -> str:
    """``/api/v1/operations/{op_id}``: the full template noted by ``declare_roles``."""
    return getattr(route, ROUTE_TEMPLATE, None) or getattr(route, "path", "unmatched")


class RequestMetrics:
    def __init__(self, app: Any, metrics: ApiMetrics) -> None:
        self.app = app
        self.metrics = metrics
        self._by_label: dict[tuple[str, int], tuple[Any, Any]] = {}

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = [500]

        async def send_and_note(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                status[0] = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_and_note)
        finally:
            route = scope.get("route")
            name = route_template(route) if route is not None else "unmatched"
            count, latency = self._children(name, status[0])
            count.inc()
            latency.observe(time.perf_counter() - started)

    def _children(self, name: str, status: int) -> tuple[Any, Any]:
        # prometheus' labels() takes a lock and builds a key on every call; remember them
        key = (name, status)
        found = self._by_label.get(key)
        if found is None:
            found = self._by_label[key] = (
                self.metrics.requests.labels(name, str(status)),
                self.metrics.latency.labels(name),
            )
        return found
