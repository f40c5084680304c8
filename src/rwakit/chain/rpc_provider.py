"""A web3.py provider that sends every request through an RpcPool, so web3 code fails over."""

from typing import Any

from web3 import Web3
from web3.providers import JSONBaseProvider
from web3.types import RPCEndpoint, RPCResponse

from rwakit.chain.rpc_errors import RpcUnavailable
from rwakit.chain.rpc_pool import RpcPool


class PoolProvider(JSONBaseProvider):
    """Hands web3 the pool's raw responses; web3 turns error objects into its own exceptions."""

    def __init__(self, pool: RpcPool) -> None:
        super().__init__()
        self.pool = pool
        # web3 asks for the chain id before each eth_call; every endpoint of a pool serves
        # the same chain, so the first answer holds for the pool's lifetime.
        self._chain_id: RPCResponse | None = None

    def make_request(self, method: RPCEndpoint, params: Any) -> RPCResponse:
        if method == "eth_chainId" and self._chain_id is not None:
            return self._chain_id
        response: RPCResponse = self.pool.request(method, params)  # type: ignore[assignment]
        if method == "eth_chainId" and "result" in response:
            self._chain_id = response
        return response

    def make_batch_request(self, requests: list[tuple[RPCEndpoint, Any]]) -> list[RPCResponse]:
        return self.pool.batch_responses(requests)  # type: ignore[return-value]

    def is_connected(self, show_traceback: bool = False) -> bool:
        try:
            self.pool.request("eth_chainId", [])
        except RpcUnavailable:
            if show_traceback:
                raise
            return False
        return True

    def __str__(self) -> str:
        serving = next(status.label for status in self.pool.status() if status.serving)
        return f"RPC pool serving {serving}"


def web3_for(pool: RpcPool) -> Web3:
    """A Web3 whose every request (contract calls, estimate_gas, sends) goes through ``pool``."""
    return Web3(PoolProvider(pool))
