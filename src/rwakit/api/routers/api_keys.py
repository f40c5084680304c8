"""API keys for services: created by admins, scoped to roles, shown once, revocable."""

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request, status
from pydantic import BaseModel, Field

from rwakit.api.access import Allow, Caller
from rwakit.api.credentials import API_KEY_PREFIX, digest, new_secret
from rwakit.api.dependencies import deps_of
from rwakit.api.problems import Problem
from rwakit.api.roles import Role
from rwakit.api.schemas import MAX_ROW_ID, problems
from rwakit.store.api_keys import ApiKeyRow

router = APIRouter(prefix="/api-keys", tags=["api keys"])


class NewApiKey(BaseModel):
    name: str = Field(min_length=1, max_length=100)
    roles: list[Role] = Field(min_length=1, max_length=4)


class ApiKeyOut(BaseModel):
    id: int
    name: str
    roles: list[Role]
    revoked: bool

    @classmethod
    def of(cls, row: ApiKeyRow) -> "ApiKeyOut":
        roles = [Role(r) for r in row.roles]
        return cls(id=row.id, name=row.name, roles=roles, revoked=row.revoked_at is not None)


class CreatedApiKey(ApiKeyOut):
    key: str = Field(description="The secret; shown only in this answer")


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    response_model=CreatedApiKey,
    responses=problems(401, 403, 422, 429),
)
def create_api_key(
    body: NewApiKey, request: Request, caller: Annotated[Caller, Depends(Allow(Role.ADMIN))]
) -> CreatedApiKey:
    if caller.user_id is None:
        raise Problem(403, "forbidden", "API keys are created by an admin user, not by a key")
    key = new_secret(API_KEY_PREFIX)
    row = deps_of(request).api_keys.create(
        digest(key), body.name, [r.value for r in body.roles], caller.user_id
    )
    return CreatedApiKey(**ApiKeyOut.of(row).model_dump(), key=key)


@router.get(
    "",
    response_model=list[ApiKeyOut],
    dependencies=[Depends(Allow(Role.ADMIN))],
    responses=problems(401, 403, 429),
)
def list_api_keys(request: Request) -> list[ApiKeyOut]:
    return [ApiKeyOut.of(r) for r in deps_of(request).api_keys.all()]


@router.delete(
    "/{key_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    dependencies=[Depends(Allow(Role.ADMIN))],
    responses=problems(401, 403, 404, 422, 429),
)
def revoke_api_key(request: Request, key_id: Annotated[int, Path(ge=1, le=MAX_ROW_ID)]) -> None:
    if not deps_of(request).api_keys.revoke(key_id):
        raise Problem(404, "api_key_not_found", f"no live API key with id {key_id}")
