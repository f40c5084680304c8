"""Liveness, readiness (database, cache, chain) and Prometheus metrics."""

import asyncio

from fastapi import APIRouter, Depends, Request
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from pydantic import BaseModel
from sqlalchemy import text
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from rwakit.api.access import Allow
from rwakit.api.dependencies import deps_of

router = APIRouter(tags=["health"])
PROBE_TIMEOUT_S = 2.0


class Health(BaseModel):
    status: str


class Readiness(BaseModel):
    status: str
    checks: dict[str, str]


@router.get("/healthz", response_model=Health, dependencies=[Depends(Allow.probe())])
async def healthz() -> Health:
    return Health(status="ok")


@router.get(
    "/readyz",
    response_model=Readiness,
    responses={503: {"model": Readiness}},
    dependencies=[Depends(Allow.probe())],
)
async def readyz(request: Request) -> Response:
    deps = deps_of(request)

    def database() -> None:
        with deps.engine.connect() as conn:
            conn.execute(text("SELECT 1"))

    async def chain() -> None:
        if deps.chain_probe is None:
            raise RuntimeError("no chain configured")
        await deps.chain_probe()

    probes = {
        "database": run_in_threadpool(database),
        "cache": deps.cache.backend.ping(),
        "rate_limits": deps.rate_limits.ping(),
        "chain": chain(),
    }
    checks: dict[str, str] = {}
    for name, probe in probes.items():
        try:
            await asyncio.wait_for(probe, PROBE_TIMEOUT_S)
            checks[name] = "ok"
        except Exception as exc:  # a readiness probe reports every failure, whatever it is
            checks[name] = f"failed: {type(exc).__name__}"
    ready = all(v == "ok" for v in checks.values())
    body = Readiness(status="ready" if ready else "not ready", checks=checks)
    return Response(body.model_dump_json(), 200 if ready else 503, media_type="application/json")


@router.get("/metrics", dependencies=[Depends(Allow.probe())], include_in_schema=False)
async def metrics(request: Request) -> Response:
    deps = deps_of(request)
    deps.rate_limits.top_consumers()  # refresh the top-consumer gauge at scrape time
    return Response(generate_latest(deps.metrics.registry), media_type=CONTENT_TYPE_LATEST)
