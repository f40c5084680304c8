"""``GET /ops/status`` (admin): what an operator checks first — RPC endpoint health, the
indexer's cursor and its lag behind the chain head, and the operations waiting for a batch."""

import asyncio
import time

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from rwakit.api.access import Allow
from rwakit.api.dependencies import deps_of
from rwakit.api.roles import Role
from rwakit.api.schemas import problems
from rwakit.chain.rpc_pool import EndpointStatus
from rwakit.store.indexer_cursor_query import IndexerCursors
from rwakit.store.operations import OperationStore

router = APIRouter(prefix="/ops", tags=["ops"])
CHAIN_PROBE_TIMEOUT_S = 2.0


class RpcEndpointOut(BaseModel):
    label: str
    state: str
    up: bool
    serving: bool
    head_block: int | None


class IndexerOut(BaseModel):
    chain_id: int
    block_number: int
    lag_blocks: int | None  # None: the chain head is unknown
    seconds_since_update: float


class OpsStatusOut(BaseModel):
    chain_head: int | None
    rpc_endpoints: list[RpcEndpointOut] | None  # None: no RPC pool wired into this API
    indexers: list[IndexerOut]
    pending_operations: int


@router.get(
    "/status",
    response_model=OpsStatusOut,
    dependencies=[Depends(Allow(Role.ADMIN))],
    responses=problems(401, 403, 429),
)
async def ops_status(request: Request) -> OpsStatusOut:
    deps = deps_of(request)
    head: int | None = None
    if deps.chain_probe is not None:
        try:
            head = await asyncio.wait_for(deps.chain_probe(), CHAIN_PROBE_TIMEOUT_S)
        except Exception:  # an unreachable chain is a status, not an error
            head = None
    endpoints = None
    if deps.rpc_status is not None:
        endpoints = [_endpoint_out(e, head) for e in deps.rpc_status()]
    cursors = await run_in_threadpool(lambda: IndexerCursors(deps.reads.reader()).all())
    pending = await run_in_threadpool(lambda: OperationStore(deps.engine).pending_depth())
    now = time.time()
    indexers = [
        IndexerOut(
            chain_id=c.chain_id,
            block_number=c.block_number,
            lag_blocks=None if head is None else max(head - c.block_number, 0),
            seconds_since_update=round(max(now - c.updated_at, 0.0), 3),
        )
        for c in cursors
    ]
    return OpsStatusOut(
        chain_head=head, rpc_endpoints=endpoints, indexers=indexers, pending_operations=pending
    )


def _endpoint_out(status: EndpointStatus, head: int | None) -> RpcEndpointOut:
    """The pool's prober leaves a healthy serving endpoint alone (its traffic tells), so its
    head is the one the chain probe just read through the pool — from that endpoint."""
    head_block = status.head_block
    if status.serving and status.up and head is not None:
        head_block = head
    return RpcEndpointOut(
        label=status.label,
        state=status.state,
        up=status.up,
        serving=status.serving,
        head_block=head_block,
    )
