"""Credentials: argon2 password hashes, signed access tokens, and opaque secrets
(refresh tokens, API keys) that are stored only as SHA-256 digests."""

import hashlib
import secrets
import time
from collections import OrderedDict
from dataclasses import dataclass

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from rwakit.api.problems import Problem

ACCESS_TOKEN_LIFETIME_S = 15 * 60
REFRESH_TOKEN_LIFETIME_S = 30 * 24 * 3600
API_KEY_PREFIX = "rwk_"
_ALGORITHM = "HS256"


class Passwords:
    """argon2id with the library's defaults; a fixed dummy hash evens out unknown-user timing."""

    def __init__(self, hasher: PasswordHasher | None = None) -> None:
        self._hasher = hasher or PasswordHasher()
        self._dummy = self._hasher.hash(secrets.token_hex(16))

    def hash(self, password: str) -> str:
        return self._hasher.hash(password)

    def verify(self, stored_hash: str | None, password: str) -> bool:
        try:
            return self._hasher.verify(stored_hash or self._dummy, password) and bool(stored_hash)
        except (VerificationError, InvalidHashError):
            return False


@dataclass(frozen=True)
class AccessClaims:
    user_id: int
    role: str
    wallet: str | None


class AccessTokens:
    """Issues and verifies access tokens. Verified tokens are remembered (bounded LRU, until
    they expire): a client sends the same token on every request, and checking a signature
    costs more than the rest of a cached read. Any instance can verify any token; the memo
    only saves work."""

    def __init__(
        self, secret: bytes, lifetime_s: int = ACCESS_TOKEN_LIFETIME_S, memo_size: int = 10_000
    ) -> None:
        self._secret = secret
        self.lifetime_s = lifetime_s
        self._memo: OrderedDict[str, tuple[float, AccessClaims]] = OrderedDict()
        self._memo_size = memo_size

    def __repr__(self) -> str:
        return f"AccessTokens(lifetime_s={self.lifetime_s})"  # never the secret

    def issue(self, claims: AccessClaims, now: float | None = None) -> str:
        issued = int(time.time() if now is None else now)
        payload = {
            "sub": str(claims.user_id),
            "role": claims.role,
            "wallet": claims.wallet,
            "iat": issued,
            "exp": issued + self.lifetime_s,
        }
        return jwt.encode(payload, self._secret, algorithm=_ALGORITHM)

    def verify(self, token: str) -> AccessClaims:
        known = self._memo.get(token)
        if known is not None and known[0] > time.time():
            return known[1]
        claims, expires = self._decode(token)
        self._memo[token] = (expires, claims)
        if len(self._memo) > self._memo_size:
            self._memo.popitem(last=False)
        return claims

    def _decode(self, token: str) -> tuple[AccessClaims, float]:
        try:
            payload = jwt.decode(
                token, self._secret, algorithms=[_ALGORITHM], options={"require": ["exp", "sub"]}
            )
            claims = AccessClaims(int(payload["sub"]), str(payload["role"]), payload.get("wallet"))
            return claims, float(payload["exp"])
        except jwt.ExpiredSignatureError:
            raise Problem(
                401, "token_expired", "the access token has expired; refresh it"
            ) from None
        except (jwt.InvalidTokenError, KeyError, ValueError):
            raise Problem(401, "token_invalid", "the access token is not valid") from None


def new_secret(prefix: str = "") -> str:
    return prefix + secrets.token_urlsafe(32)


def digest(secret: str) -> str:
    # The secrets are 256-bit random strings: a plain SHA-256 cannot be brute-forced.
    return hashlib.sha256(secret.encode()).hexdigest()
