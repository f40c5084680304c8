"""The API (or a bare ASGI endpoint) as ``rwakit bench api`` runs it: one uvicorn worker,
uvloop and httptools, as ``rwakit serve`` does, in its own process.

``python -m rwakit.bench.api_server <plan.json>``: the plan holds the settings overrides,
the Redis key prefix (so a bench never touches a real deployment's keys), and — for the
bare endpoint — the bytes to return.
"""

import json
import sys
from pathlib import Path

import uvicorn

from rwakit.api.app import create_app
from rwakit.api.wiring import attach_deployment, build_dependencies
from rwakit.chain.deploy import load_deployment
from rwakit.chain.handles import SystemContracts
from rwakit.chain.rpc_pool import RpcPool
from rwakit.chain.rpc_provider import web3_for
from rwakit.config import Settings
from rwakit.contracts.build import load_artifacts
from rwakit.process_heap import freeze_startup_heap


def bare_app(body: bytes):  # type: ignore[no-untyped-def]
    headers = [(b"content-type", b"application/json"), (b"content-length", b"%d" % len(body))]

    async def app(scope, receive, send):  # type: ignore[no-untyped-def]
        if scope["type"] != "http":
            return
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    return app


def api_app(plan: dict):  # type: ignore[no-untyped-def]
    settings = Settings(**plan["settings"])
    deps, closers = build_dependencies(settings, redis_prefix=plan["redis_prefix"])
    pool = RpcPool(settings.rpc_urls)
    w3 = web3_for(pool)
    deployment = load_deployment(w3, settings.data_dir)
    attach_deployment(deps, SystemContracts(w3, load_artifacts(), deployment))
    return create_app(deps, on_shutdown=closers)


def main() -> None:
    plan = json.loads(Path(sys.argv[1]).read_text())
    app = bare_app(plan["bare_body"].encode()) if plan.get("bare_body") else api_app(plan)
    freeze_startup_heap()  # as `rwakit serve` does (both servers alike)
    uvicorn.run(
        app,
        host="127.0.0.1",
        port=plan["port"],
        loop="uvloop",
        http="httptools",
        log_level="warning",
        access_log=False,
        lifespan="on" if not plan.get("bare_body") else "off",
    )


if __name__ == "__main__":
    main()
