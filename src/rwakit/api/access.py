"""``Allow``: the dependency every endpoint declares — who may call it, and at what rate.

It authenticates (``Authorization: Bearer <jwt>`` or ``X-API-Key``), applies the rate
limit (per caller per endpoint, or per IP without credentials), then checks the roles.
Tests read ``Allow.roles`` off every route to walk the whole role matrix.
"""

from dataclasses import dataclass

from fastapi import Request, Response
from starlette.concurrency import run_in_threadpool

from rwakit.api.credentials import API_KEY_PREFIX, AccessTokens, digest
from rwakit.api.dependencies import deps_of
from rwakit.api.problems import Problem
from rwakit.api.rate_limits import RateDecision
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


COUNTED_DECISION = "rwakit.rate_decision"  # scope key: the limiter's answer, already counted


def rate_limited(decision: RateDecision, headers: dict[str, str]) -> Problem:
    return Problem(
        429,
        "rate_limited",
        f"rate limit of {decision.limit} requests reached; retry in {decision.reset_after_s} s",
        headers=headers,
    )


def bearer_caller(tokens: AccessTokens, token: str) -> Caller:
    """The caller a verified access token names; ``Problem`` 401 when it does not verify."""
    claims = tokens.verify(token)
    return Caller(f"user:{claims.user_id}", frozenset({claims.role}), claims.user_id, claims.wallet)


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
        # the hot-read fast path counted this request already when it passes one on
        decision: RateDecision | None = request.scope.pop(COUNTED_DECISION, None)
        if decision is None and caller is None:
            peer = request.client.host if request.client else None
            ip = deps.client_ip.resolve(peer, request.headers.get("x-forwarded-for"))
            decision = await deps.rate_limits.hit_ip(ip)
        elif decision is None:
            assert caller is not None
            route = request.scope.get("route")
            template = route_template(route) if route is not None else request.url.path
            endpoint = f"{request.method} {template}"
            decision = await deps.rate_limits.hit_caller(caller.subject, endpoint)
        headers = decision.headers()
        if not decision.allowed:
            raise rate_limited(decision, headers)
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
        return bearer_caller(deps.access_tokens, token.strip())
    key = request.headers.get("x-api-key")
    if key:
        if not key.startswith(API_KEY_PREFIX):
            raise Problem(401, "api_key_invalid", "the API key is not valid")
        row = await run_in_threadpool(deps.api_keys.live_by_hash, digest(key))
        if row is None:
            raise Problem(401, "api_key_invalid", "the API key is not valid or was revoked")
        return Caller(f"key:{row.id}", frozenset(row.roles), None, None)
    return None
