"""The caller of a raw ASGI request, for the fast paths that answer before FastAPI's
dependency solving: a valid bearer access token with a role the route allows, or ``None``
— in which case the fast path steps aside and the routed endpoint gives the answer."""

from typing import Any

from rwakit.api.access import Caller, bearer_caller
from rwakit.api.credentials import AccessTokens
from rwakit.api.problems import Problem


def scope_caller(
    scope: dict[str, Any], tokens: AccessTokens, roles: frozenset[str]
) -> Caller | None:
    authorization = None
    for name, value in scope["headers"]:
        if name == b"authorization":
            authorization = value
            break
    if authorization is None or authorization[:7].lower() != b"bearer ":
        return None
    try:
        caller = bearer_caller(tokens, authorization[7:].decode().strip())
    except (Problem, UnicodeDecodeError):
        return None
    return caller if caller.roles & roles else None
