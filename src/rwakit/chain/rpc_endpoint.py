"""One JSON-RPC endpoint: its persistent HTTP session, its breaker, and a name safe to show."""

import functools
import json
import ssl
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlsplit

import httpx

from rwakit.chain.errors import ChainError
from rwakit.chain.rpc_breaker import CircuitBreaker
from rwakit.chain.rpc_errors import EndpointFailure


def endpoint_label(url: str) -> str:
    """``host[:port]`` only: userinfo, path and query can all carry API keys (Infura, Alchemy)."""
    parts = urlsplit(url)
    host = parts.hostname
    if not host:
        return "endpoint"
    if ":" in host:
        host = f"[{host}]"  # IPv6 literal
    return f"{host}:{parts.port}" if parts.port else host


def endpoint_labels(urls: Sequence[str]) -> list[str]:
    """Labels for a pool, numbered where two URLs share a host (two keys on one provider)."""
    labels: list[str] = []
    for url in urls:
        label = endpoint_label(url)
        seen = sum(1 for existing in labels if existing.split("#")[0] == label)
        labels.append(f"{label}#{seen + 1}" if seen else label)
    return labels


def checked_urls(urls: Sequence[str]) -> list[str]:
    """Configuration mistakes surface here, in words, not as a failing first request."""
    urls = [url.strip() for url in urls if url.strip()]
    if not urls:
        raise ChainError(
            "no RPC endpoint configured — set RWAKIT_RPC_URLS to one or more "
            "comma-separated http:// URLs"
        )
    for number, url in enumerate(urls, start=1):
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            # Named by position: the text itself may hold credentials.
            raise ChainError(
                f"RPC URL number {number} is not an http:// or https:// URL "
                "(like http://127.0.0.1:8545) — fix RWAKIT_RPC_URLS"
            )
    return urls


def encode_payload(payload: Any) -> bytes:
    """JSON bytes of a request or batch; encoded before routing, so a bad param fails at once."""
    return json.dumps(payload, default=_jsonable, separators=(",", ":")).encode()


def _jsonable(value: Any) -> Any:
    # Callers hand in raw transactions as bytes/HexBytes and web3 AttributeDicts.
    if isinstance(value, bytes | bytearray):
        return "0x" + bytes(value).hex()
    if isinstance(value, Mapping):
        return dict(value)
    raise TypeError(f"cannot send {type(value).__name__} in a JSON-RPC request")


@functools.cache
def _tls_context() -> ssl.SSLContext:
    # Loading the CA bundle costs ~0.1 s; one context serves every endpoint of every pool.
    return httpx.create_ssl_context()


class RpcEndpoint:
    """A keep-alive HTTP/1.1 session to one node; ``post`` returns parsed JSON or raises."""

    def __init__(
        self,
        url: str,
        label: str,
        *,
        timeout: float,
        breaker: CircuitBreaker,
        transport: httpx.BaseTransport | None = None,  # a test double instead of the network
    ) -> None:
        self.url = url
        self.label = label
        self.breaker = breaker
        self.head_block: int | None = None  # last eth_blockNumber seen by the health prober
        self._client = httpx.Client(
            timeout=timeout,
            http1=True,
            http2=False,
            headers={"content-type": "application/json"},
            transport=transport,
            verify=_tls_context(),
        )

    def post(self, body: bytes) -> Any:
        # Exception texts may quote the URL (and its credentials): only the kind leaves here.
        try:
            response = self._client.post(self.url, content=body)
        except httpx.TimeoutException as exc:
            raise EndpointFailure("timeout") from exc
        except httpx.ConnectError as exc:
            raise EndpointFailure("connect") from exc
        except httpx.TransportError as exc:
            raise EndpointFailure("transport") from exc
        status = response.status_code
        if status == 429:
            raise EndpointFailure("http_429")
        if status >= 500:
            raise EndpointFailure("http_5xx")
        if status >= 300 and status != 400:  # 400 may carry a JSON-RPC error: an answer
            raise EndpointFailure("http_4xx" if status >= 400 else "http_3xx")
        try:
            return response.json()
        except ValueError as exc:
            raise EndpointFailure("bad_response") from exc

    def close(self) -> None:
        self._client.close()
