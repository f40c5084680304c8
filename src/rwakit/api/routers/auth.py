"""Accounts and sessions: register, log in, refresh (rotating), log out."""

import secrets

from fastapi import APIRouter, Depends, Request, status
from pydantic import BaseModel, Field

from rwakit.api.access import Allow
from rwakit.api.credentials import REFRESH_TOKEN_LIFETIME_S, AccessClaims, digest, new_secret
from rwakit.api.dependencies import ApiDependencies, deps_of
from rwakit.api.problems import Problem
from rwakit.api.roles import Role
from rwakit.api.schemas import problems
from rwakit.store.accounts import EmailTaken, UserRow
from rwakit.store.refresh_tokens import Redemption

router = APIRouter(prefix="/auth", tags=["auth"])
EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"


class Registration(BaseModel):
    email: str = Field(pattern=EMAIL_PATTERN, max_length=320)
    password: str = Field(min_length=12, max_length=256)


class Login(BaseModel):
    email: str = Field(max_length=320)
    password: str = Field(max_length=256)


class RefreshRequest(BaseModel):
    refresh_token: str = Field(min_length=1, max_length=200)


class UserOut(BaseModel):
    id: int
    email: str
    role: Role
    wallet: str | None

    @classmethod
    def of(cls, row: UserRow) -> "UserOut":
        return cls(id=row.id, email=row.email, role=Role(row.role), wallet=row.wallet)


class TokenPair(BaseModel):
    access_token: str
    refresh_token: str
    token_type: str = "bearer"
    expires_in: int


def _pair(deps: ApiDependencies, user: UserRow, family: str) -> TokenPair:
    refresh = new_secret()
    deps.refresh_tokens.issue(digest(refresh), user.id, family, REFRESH_TOKEN_LIFETIME_S)
    access = deps.access_tokens.issue(AccessClaims(user.id, user.role, user.wallet))
    return TokenPair(
        access_token=access, refresh_token=refresh, expires_in=deps.access_tokens.lifetime_s
    )


@router.post(
    "/register",
    status_code=status.HTTP_201_CREATED,
    response_model=UserOut,
    dependencies=[Depends(Allow.public_route())],
    responses=problems(409, 422, 429),
)
def register(body: Registration, request: Request) -> UserOut:
    """The first account becomes admin; later ones are investors until an admin says else."""
    deps = deps_of(request)
    try:
        user = deps.users.create(
            body.email,
            deps.passwords.hash(body.password),
            first_role=Role.ADMIN,
            role=Role.INVESTOR,
        )
    except EmailTaken as exc:
        raise Problem(409, "email_taken", str(exc)) from None
    wallet = deps.custody.create_wallet(f"user:{user.id}")
    deps.users.set_wallet(user.id, wallet)
    return UserOut(id=user.id, email=user.email, role=Role(user.role), wallet=wallet)


@router.post(
    "/token",
    response_model=TokenPair,
    dependencies=[Depends(Allow.public_route())],
    responses=problems(401, 422, 429),
)
def token(body: Login, request: Request) -> TokenPair:
    deps = deps_of(request)
    user = deps.users.by_email(body.email)
    ok = deps.passwords.verify(user.password_hash if user else None, body.password)
    if user is None or not ok or user.disabled:
        raise Problem(401, "bad_credentials", "email or password is wrong")
    return _pair(deps, user, secrets.token_hex(16))


@router.post(
    "/refresh",
    response_model=TokenPair,
    dependencies=[Depends(Allow.public_route())],
    responses=problems(401, 422, 429),
)
def refresh(body: RefreshRequest, request: Request) -> TokenPair:
    """Trade a refresh token for a new pair; the old one stops working."""
    deps = deps_of(request)
    redeemed = deps.refresh_tokens.redeem(digest(body.refresh_token))
    if redeemed.outcome is Redemption.REUSED:
        raise Problem(
            401,
            "refresh_token_reused",
            "this refresh token was already used; every session of its login is now revoked",
        )
    if redeemed.outcome is not Redemption.OK:
        raise Problem(
            401, f"refresh_token_{redeemed.outcome.value}", "the refresh token is not valid"
        )
    user = deps.users.get(redeemed.user_id) if redeemed.user_id is not None else None
    if user is None or user.disabled or redeemed.family is None:
        raise Problem(401, "refresh_token_revoked", "the account is no longer active")
    return _pair(deps, user, redeemed.family)


@router.post(
    "/logout",
    status_code=status.HTTP_204_NO_CONTENT,
    dependencies=[Depends(Allow.public_route())],
    responses=problems(401, 422, 429),
)
def logout(body: RefreshRequest, request: Request) -> None:
    """Revoke the refresh token's whole login (access tokens lapse within 15 minutes)."""
    if not deps_of(request).refresh_tokens.revoke_family_of(digest(body.refresh_token)):
        raise Problem(401, "refresh_token_unknown", "the refresh token is not valid")
