"""What a JSON-RPC node can answer with besides a result, and what the pool makes of it."""

import re
from collections.abc import Mapping
from typing import Any

from rwakit.errors import RwakitError

# Providers phrase throttling many ways; a code alone is ambiguous (Infura's -32005 also
# means "query returned too many results"), so the message decides.
_RATE_LIMIT = re.compile(
    r"rate.?limit|too many requests|request limit|throttl"
    r"|exceeded.*(rate|capacity|quota|compute units)|(capacity|quota).*exceeded",
    re.IGNORECASE,
)


class RpcError(Exception):
    """A JSON-RPC error object: the node's answer (e.g. "execution reverted", "nonce too low").

    Raised by ``RpcPool.call``; returned in its slot by ``RpcPool.batch``.
    """

    def __init__(self, code: int, message: str, data: Any = None) -> None:
        super().__init__(f"{message} (JSON-RPC error {code})")
        self.code = code
        self.message = message
        self.data = data

    @classmethod
    def from_object(cls, error: Any) -> "RpcError":
        if not isinstance(error, Mapping):
            return cls(-32603, f"malformed error object {error!r}")
        return cls(int(error.get("code", -32603)), str(error.get("message", "")), error.get("data"))


class EndpointFailure(Exception):
    """The endpoint gave no usable answer; ``kind`` is the metrics label."""

    def __init__(self, kind: str) -> None:
        super().__init__(kind)
        self.kind = kind


# How each failure kind reads in RpcUnavailable's message, after the endpoint's label.
FAILURE_TEXT = {
    "connect": "refused the connection",
    "timeout": "timed out",
    "transport": "dropped the connection",
    "http_429": "rate limited (HTTP 429)",
    "http_5xx": "server error (HTTP 5xx)",
    "http_4xx": "rejected the request (HTTP 4xx)",
    "http_3xx": "redirected (HTTP 3xx)",
    "bad_response": "answered with something that is not JSON-RPC",
    "rate_limited": "rate limited",
    "batch_incomplete": "left batch items unanswered",
}


class RpcUnavailable(RwakitError):
    """No endpoint of the pool answered (message names each and what to do)."""


def is_rate_limited(error: Any) -> bool:
    """Is this JSON-RPC error object the endpoint refusing work, rather than an answer?"""
    if not isinstance(error, Mapping):
        return False
    return error.get("code") == 429 or bool(_RATE_LIMIT.search(str(error.get("message", ""))))
