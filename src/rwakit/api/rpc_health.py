"""The health of the RPC endpoints the API's own chain connection sends through."""

from collections.abc import Callable

from web3 import Web3

from rwakit.chain.rpc_pool import EndpointStatus
from rwakit.chain.rpc_provider import PoolProvider


def pool_status(w3: Web3) -> Callable[[], list[EndpointStatus]] | None:
    """The status of ``w3``'s RpcPool (labels, breakers, the serving one); None when ``w3``
    talks to one node directly and there is no pool to report on."""
    provider = w3.provider
    return provider.pool.status if isinstance(provider, PoolProvider) else None
