"""Turn a node failing mid-command into one operator line instead of a traceback."""

from collections.abc import Iterator
from contextlib import contextmanager

from requests import ConnectionError, Timeout
from web3.exceptions import Web3RPCError

from rwakit.chain.errors import ChainError
from rwakit.chain.rpc_endpoint import endpoint_label


@contextmanager
def node_failures_as_chain_errors(url: str) -> Iterator[None]:
    url = endpoint_label(url)  # a path or query may carry an API key
    try:
        yield
    except (ConnectionError, Timeout):
        raise ChainError(
            f"the node at {url} stopped answering — check it is running and run the command again"
        ) from None
    except Web3RPCError as exc:
        detail = str(exc.message or exc)
        advice = (
            "fund the RWAKIT_DEPLOYER_KEY account"
            if "insufficient funds" in detail
            else "check the node's logs"
        )
        raise ChainError(f"the node at {url} refused a request: {detail} — {advice}") from None
