"""Users: the caller's own account; admins list users and assign roles."""

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request
from pydantic import BaseModel

from rwakit.api.access import Allow, Caller
from rwakit.api.dependencies import deps_of
from rwakit.api.problems import Problem
from rwakit.api.roles import ALL_ROLES, Role
from rwakit.api.routers.auth import UserOut
from rwakit.api.schemas import MAX_ROW_ID, problems
from rwakit.store.accounts import UserStore

router = APIRouter(prefix="/users", tags=["users"])


class RoleChange(BaseModel):
    role: Role


@router.get("/me", response_model=UserOut, responses=problems(401, 403, 429))
def me(request: Request, caller: Annotated[Caller, Depends(Allow(*ALL_ROLES))]) -> UserOut:
    if caller.user_id is None:
        raise Problem(404, "not_a_user", "an API key has no user account")
    user = deps_of(request).users.get(caller.user_id)
    if user is None:
        raise Problem(404, "user_not_found", "the account no longer exists")
    return UserOut.of(user)


@router.get(
    "",
    response_model=list[UserOut],
    dependencies=[Depends(Allow(Role.ADMIN))],
    responses=problems(401, 403, 422, 429),
)
def list_users(
    request: Request,
    after: Annotated[
        int, Query(ge=0, le=MAX_ROW_ID, description="Keyset cursor: the last id seen")
    ] = 0,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[UserOut]:
    """Served from a replica within the lag bound (a just-registered user may lag by ≤ 1 s)."""
    reader = UserStore(deps_of(request).reads.reader())
    return [UserOut.of(u) for u in reader.page(after, limit)]


@router.put(
    "/{user_id}/role",
    response_model=UserOut,
    dependencies=[Depends(Allow(Role.ADMIN))],
    responses=problems(401, 403, 404, 422, 429),
)
def set_role(
    body: RoleChange, request: Request, user_id: Annotated[int, Path(ge=1, le=MAX_ROW_ID)]
) -> UserOut:
    """Takes effect at the user's next token refresh (access tokens carry the role)."""
    user = deps_of(request).users.set_role(user_id, body.role)
    if user is None:
        raise Problem(404, "user_not_found", f"no user with id {user_id}")
    return UserOut.of(user)
