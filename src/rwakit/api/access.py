"""``Allow``: the dependency every endpoint declares — who may call it, and at what rate.

It authenticates (``Authorization: Bearer <jwt>`` or ``X-API-Key``), applies the rate
limit (per caller per endpoint, or per IP without credentials), then checks the roles.
Tests read ``Allow.roles`` off every route to walk the whole role matrix.
"""

from dataclasses import dataclass

from fastapi import Request, Response
from starlette.concurrency import run_in_threadpool

from rwakit.api.credentials import API_KEY_PREFIX, digest
from rwakit.api.dependencies import deps_of
from rwakit.api.problems import Problem
from rwakit.api.request_metrics import route_template
from rwakit.api.roles import Role


@dataclass(frozen=True)
class Caller:
    subject: str  # "user:7" or "key:3": the rate-limit and audit identity
    roles: frozenset[str]
    user_id: int | None
    wallet: str | None

    def has(self, role: Role) -> bool:
        return role in self.roles


class Allow:
    """``Depends(Allow(Role.ISSUER, ...))``; ``Allow.public()`` for unauthenticated routes."""

    def __init__(self, *roles: Role, public: bool = False, limited: bool = True) -> None:
        self.roles = frozenset(roles)
        self.public = public
        self.limited = limited

    @classmethod
    def public_route(cls) -> "Allow":
        return cls(public=True)

    @classmethod
    def probe(cls) -> "Allow":
        """Health probes and scrapes: public and never rate limited (orchestrators poll)."""
        return cls(public=True, limited=False)

    async def __call__(self, request: Request, response: Response) -> Caller | None:
        deps = deps_of(request)
        if not self.limited:
            return None
        caller = await _authenticate(request)
        if caller is None:
            peer = request.client.host if request.client else None
            ip = deps.client_ip.resolve(peer, request.headers.get("x-forwarded-for"))
            decision = await deps.rate_limits.hit_ip(ip)
        else:
            route = request.scope.get("route")
            template = route_template(route) if route is not None else request.url.path
            endpoint = f"{request.method} {template}"
            decision = await deps.rate_limits.hit_caller(caller.subject, endpoint)
        headers = decision.headers()
        if not decision.allowed:
            raise Problem(
                429,
                "rate_limited",
                f"rate limit of {decision.limit} requests reached; retry in "
                f"{decision.reset_after_s} s",
                headers=headers,
            )
        response.headers.update(headers)
        request.state.rate_headers = headers
        if self.public:
            return caller
        if caller is None:
            raise Problem(
                401,
                "unauthenticated",
                "send Authorization: Bearer <access token> or X-API-Key",
                headers={"WWW-Authenticate": "Bearer"},
            )
        if not caller.roles & self.roles:
            allowed = ", ".join(sorted(self.roles))
            raise Problem(403, "forbidden", f"this endpoint needs one of the roles: {allowed}")
        return caller


async def _authenticate(request: Request) -> Caller | None:
    deps = deps_of(request)
    authorization = request.headers.get("authorization")
    if authorization:
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise Problem(401, "token_invalid", "use Authorization: Bearer <access token>")
        claims = deps.access_tokens.verify(token.strip())
        return Caller(
            f"user:{claims.user_id}", frozenset({claims.role}), claims.user_id, claims.wallet
        )
    key = request.headers.get("x-api-key")
    if key:
        if not key.startswith(API_KEY_PREFIX):
            raise Problem(401, "api_key_invalid", "the API key is not valid")
        row = await run_in_threadpool(deps.api_keys.live_by_hash, digest(key))
        if row is None:
            raise Problem(401, "api_key_invalid", "the API key is not valid or was revoked")
        return Caller(f"key:{row.id}", frozenset(row.roles), None, None)
    return None
