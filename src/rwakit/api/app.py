"""``create_app``: the API's composition root. Every dependency is built here (or handed
in by a test) and hung on ``app.state.deps``; nothing lives in module globals."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import APIRouter, FastAPI
from fastapi.routing import APIRoute

from rwakit.api.access import Allow
from rwakit.api.dependencies import ApiDependencies
from rwakit.api.front import ApiApp, ProblemGuard
from rwakit.api.hot_intake import HotIntake
from rwakit.api.hot_reads import HotReads
from rwakit.api.problems import install_problem_handlers
from rwakit.api.request_metrics import ROUTE_TEMPLATE, RequestMetrics
from rwakit.api.routers import (
    api_keys,
    asset_creation,
    asset_directory,
    asset_history,
    assets,
    auth,
    compliance,
    health,
    identities,
    operation_uploads,
    operations,
    ops_status,
    portfolio,
    users,
)
from rwakit.api.wiring import Closer

API_PREFIX = "/api/v1"


def create_app(deps: ApiDependencies, *, on_shutdown: list[Closer] | None = None) -> FastAPI:
    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        await deps.change_feed.start()
        try:
            yield
        finally:
            await deps.change_feed.stop()
            for close in on_shutdown or []:
                await close()

    app = ApiApp(
        title="rwakit API",
        version="1",
        description="Issue and operate tokenized real-world assets. Errors are "
        "application/problem+json with a stable `code`.",
        lifespan=lifespan,
        # FastAPI's own OpenTelemetry hooks look the providers up on every request (a few
        # per cent of a cached read); our metrics are Prometheus, through RequestMetrics.
        telemetry={"tracing": False, "metrics": False, "logs": False, "operation_spans": False},
    )
    app.state.deps = deps
    install_problem_handlers(app)
    app.include_router(declare_roles(health.router, ""))
    v1 = APIRouter(prefix=API_PREFIX)
    routers = (auth, users, api_keys, operations, operation_uploads, asset_directory)
    routers += (
        asset_creation,
        asset_history,
        assets,
        compliance,
        identities,
        portfolio,
        ops_status,
    )
    for module in routers:
        v1.include_router(declare_roles(module.router, API_PREFIX))
    app.include_router(v1)

    intake = route_of(operations.router, operations.submit_operation)
    hot_paths = HotReads(
        HotIntake(app.fastapi, deps=deps, route=intake, roles=guard_of(intake).roles),
        deps=deps,
        asset=route_of(assets.router, assets.asset_detail),
        portfolio=route_of(portfolio.router, portfolio.my_portfolio),
        roles_of=lambda route: guard_of(route).roles,
    )
    app.front = RequestMetrics(ProblemGuard(hot_paths), metrics=deps.metrics)  # times all
    return app


def route_of(router: APIRouter, endpoint: object) -> APIRoute:
    return next(r for r in router.routes if isinstance(r, APIRoute) and r.endpoint is endpoint)


def guard_of(route: APIRoute) -> Allow:
    """The route's one ``Allow``; a route without one (or with two) fails at start-up."""
    found = [d.call for d in route.dependant.dependencies if isinstance(d.call, Allow)]
    if len(found) != 1:
        raise RuntimeError(f"{route.methods} {route.path} must declare Allow exactly once")
    return found[0]


def declare_roles(router: APIRouter, mounted_at: str) -> APIRouter:
    """Check every route's guard and publish its roles in the OpenAPI schema (``x-roles``).

    Also notes the route's full template (``ROUTE_TEMPLATE``) for metrics and rate-limit
    keys: an included route only knows its path below the prefix it is mounted at.
    """
    for route in router.routes:
        if isinstance(route, APIRoute):
            setattr(route, ROUTE_TEMPLATE, mounted_at + route.path)
            guard = guard_of(route)
            roles = ["public"] if guard.public else sorted(guard.roles)
            route.openapi_extra = {**(route.openapi_extra or {}), "x-roles": roles}
    return router
