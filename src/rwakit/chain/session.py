"""The chain a command works on: an anvil rwakit manages itself, or the configured nodes."""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from web3 import Web3

from rwakit.chain.anvil import ManagedAnvil
from rwakit.chain.connect import connect
from rwakit.chain.errors import ChainError
from rwakit.config import Settings


@dataclass(frozen=True)
class ChainSession:
    w3: Web3
    url: str
    anvil: ManagedAnvil | None  # None when RWAKIT_RPC_URLS points at external nodes


@contextmanager
def open_chain(settings: Settings) -> Iterator[ChainSession]:
    """A managed anvil (stopped on exit) when no RPC URL is set, else the first answering node."""
    if settings.managed_chain:
        with ManagedAnvil.from_settings(settings) as anvil:
            yield ChainSession(connect(settings, urls=[anvil.url]), anvil.url, anvil)
    else:
        w3 = connect(settings)
        yield ChainSession(w3, w3.provider.endpoint_uri, None)


def require_external_chain(settings: Settings, command: str) -> None:
    """Commands that act on a chain which outlives them cannot use a managed anvil: it would
    vanish, with whatever they did to it, as soon as they return."""
    if settings.managed_chain:
        raise ChainError(
            f"`rwakit {command}` needs RWAKIT_RPC_URLS — `rwakit up` runs a local chain with "
            "everything deployed, or start one with `rwakit chain` and set RWAKIT_RPC_URLS "
            "to the URL it prints"
        )
