"""Open a Web3 connection to the configured node, checking it is there and on the right chain.

For now this takes the first URL that answers; a later issue replaces it with a failover pool.
"""

from collections.abc import Sequence

import httpx
from web3 import HTTPProvider, Web3
from web3.types import RPCEndpoint

from rwakit.chain.errors import ChainError
from rwakit.chain.probe import rpc_chain_id
from rwakit.config import Settings

PROBE_TIMEOUT = 3.0  # seconds to wait for eth_chainId before trying the next URL
REQUEST_TIMEOUT = 60.0  # later requests (large batches) may legitimately take longer


def http_provider(url: str, provider_class: type[HTTPProvider] = HTTPProvider) -> HTTPProvider:
    """The provider every rwakit connection uses (``provider_class`` lets tests observe it).

    web3 asks the node for its chain id before every ``eth_call`` to validate the call;
    one URL never changes chain (``connect`` refuses the wrong one), so the answer is cached
    and a multicall page read stays one request.
    """
    return provider_class(
        url,
        request_kwargs={"timeout": REQUEST_TIMEOUT},
        cache_allowed_requests=True,
        cacheable_requests={RPCEndpoint("eth_chainId")},
    )


def connect(settings: Settings, *, urls: Sequence[str] | None = None) -> Web3:
    """A Web3 for the first answering URL of ``urls`` (default: ``settings.rpc_urls``).

    Raises ChainError when none answers or the chain id differs from ``settings.chain_id``.
    """
    candidates = list(urls if urls is not None else settings.rpc_urls)
    if not candidates:
        raise ChainError(
            "RWAKIT_RPC_URLS is not set — start a node with `rwakit chain` "
            "and set RWAKIT_RPC_URLS to the URL it prints"
        )
    for url in candidates:
        try:
            chain_id = rpc_chain_id(url, timeout=PROBE_TIMEOUT)
        except (httpx.HTTPError, ValueError, KeyError, TypeError):
            continue  # not answering, or not a JSON-RPC node: try the next one
        if settings.chain_id is not None and chain_id != settings.chain_id:
            raise ChainError(
                f"chain id is {chain_id} at {url} but RWAKIT_CHAIN_ID says {settings.chain_id} "
                "— point RWAKIT_RPC_URLS at the right network"
            )
        return Web3(http_provider(url))
    raise ChainError(
        f"no node answers at {', '.join(candidates)} — start one with `rwakit chain` "
        "or fix RWAKIT_RPC_URLS"
    )
