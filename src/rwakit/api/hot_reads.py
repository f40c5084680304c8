"""``HotReads``: the cached GETs (asset detail, the caller's own portfolio) answered in plain
ASGI, in front of FastAPI's routing and dependency solving, which cost more than the rest
of a cached read.

It makes the same checks as the routed endpoint — bearer access token, role, the
per-caller-per-endpoint limit (shared through Redis), metrics under the route's template —
and answers with the cached bytes. Whatever it does not answer itself (no or bad
credentials, an API key, another role, a malformed path, a cache miss) goes on to the
routed endpoint, which gives the same answer or error. A request it already counted carries
the limiter's decision along (``COUNTED_DECISION``) so it is counted once.
"""

from collections.abc import Callable
from typing import Any

from fastapi.routing import APIRoute

from rwakit.api.access import COUNTED_DECISION, Caller, rate_limited
from rwakit.api.dependencies import ApiDependencies
from rwakit.api.problems import problem_response
from rwakit.api.request_metrics import route_template
from rwakit.api.scope_caller import scope_caller
from rwakit.domain.cache_keys import asset_key, balance_key, portfolio_key
from rwakit.domain.operation_requests import ADDRESS

Scope = dict[str, Any]
Entries = list[tuple[str, str]]
_JSON = (b"content-type", b"application/json")


def asset_entries(address: str, wallet: str | None) -> Entries:
    entries = [("asset", asset_key(address))]
    if wallet:
        entries.append(("balance", balance_key(address, wallet)))
    return entries


def asset_body(parts: list[bytes]) -> bytes:
    holder = parts[1] if len(parts) > 1 else b"null"
    return b'{"asset":' + parts[0] + b',"caller":' + holder + b"}"


class HotReads:
    def __init__(
        self,
        app: Any,
        deps: ApiDependencies,
        asset: APIRoute,
        portfolio: APIRoute,
        roles_of: Callable[[APIRoute], frozenset[str]],
    ) -> None:
        self.app = app
        self.deps = deps
        self._asset = asset
        self._portfolio = portfolio
        self._roles = {id(asset): roles_of(asset), id(portfolio): roles_of(portfolio)}
        self._asset_prefix = route_template(asset).removesuffix("{address}")
        self._portfolio_path = route_template(portfolio)
        self._asset_endpoint = f"GET {route_template(asset)}"
        self._portfolio_endpoint = f"GET {route_template(portfolio)}"

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] == "http" and scope["method"] == "GET":
            path: str = scope["path"]
            if path == self._portfolio_path:
                served = await self._portfolio_read(scope, receive, send)
            elif path.startswith(self._asset_prefix):
                address = path[len(self._asset_prefix) :]
                served = await self._asset_read(scope, receive, send, address)
            else:
                served = False
            if served:
                return
        await self.app(scope, receive, send)

    async def _asset_read(self, scope: Scope, receive: Any, send: Any, address: str) -> bool:
        if not ADDRESS.match(address):
            return False  # the routed endpoint answers 422
        caller = self._caller(scope, self._asset)
        if caller is None:
            return False
        wallet = caller.wallet.lower() if caller.wallet else None
        entries = asset_entries(address.lower(), wallet)
        return await self._serve(
            scope, receive, send, caller, self._asset, self._asset_endpoint, entries, asset_body
        )

    async def _portfolio_read(self, scope: Scope, receive: Any, send: Any) -> bool:
        caller = self._caller(scope, self._portfolio)
        if caller is None or caller.wallet is None:
            return False  # no wallet: the routed endpoint answers 404
        entries = [("portfolio", portfolio_key(caller.wallet))]
        return await self._serve(
            scope, receive, send, caller, self._portfolio, self._portfolio_endpoint, entries,
            lambda parts: parts[0],
        )  # fmt: skip

    def _caller(self, scope: Scope, route: APIRoute) -> Caller | None:
        return scope_caller(scope, self.deps.access_tokens, self._roles[id(route)])

    async def _serve(
        self,
        scope: Scope,
        receive: Any,
        send: Any,
        caller: Caller,
        route: APIRoute,
        endpoint: str,
        entries: Entries,
        body_of: Callable[[list[bytes]], bytes],
    ) -> bool:
        scope["route"] = route  # the metrics label, and what the routed endpoint matches
        decision = await self.deps.rate_limits.hit_caller(caller.subject, endpoint)
        headers = decision.headers()
        if not decision.allowed:
            response = problem_response(rate_limited(decision, headers), scope["path"])
            await response(scope, receive, send)
            return True
        parts = await self.deps.cache.lookup_all(entries)
        if parts is None:
            scope[COUNTED_DECISION] = decision
            return False
        body = body_of(parts)
        raw = [_JSON, (b"content-length", b"%d" % len(body))]
        raw += [(name.lower().encode(), value.encode()) for name, value in headers.items()]
        await send({"type": "http.response.start", "status": 200, "headers": raw})
        await send({"type": "http.response.body", "body": body})
        return True
