"""The cheapest question that proves a JSON-RPC node is there: its chain id."""

from urllib.parse import urlparse

import httpx

LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1"}


def rpc_chain_id(url: str, timeout: float = 2.0) -> int:
    """``eth_chainId`` of the node at ``url``.

    Raises httpx.HTTPError when nothing answers, and ValueError/KeyError/TypeError when
    something answers but not as an Ethereum node.
    """
    payload = {"jsonrpc": "2.0", "id": 1, "method": "eth_chainId", "params": []}
    # A loopback node never sits behind a proxy, whatever HTTP(S)_PROXY says.
    trust_env = urlparse(url).hostname not in LOOPBACK_HOSTS
    response = httpx.post(url, json=payload, timeout=timeout, trust_env=trust_env)
    response.raise_for_status()
    return int(response.json()["result"], 16)
