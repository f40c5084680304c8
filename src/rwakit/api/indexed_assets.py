"""The read model's row for an asset named in a path, or ``404 asset_not_found``."""

from starlette.concurrency import run_in_threadpool

from rwakit.api.dependencies import ApiDependencies
from rwakit.api.problems import Problem
from rwakit.store.read_model import ReadModel, TokenRow


async def indexed_token(deps: ApiDependencies, address: str) -> TokenRow:
    row = await run_in_threadpool(lambda: ReadModel(deps.reads.reader()).token(address))
    if row is None:
        raise Problem(404, "asset_not_found", f"{address} is not an indexed asset")
    return row
