"""Request and response models shared by several routers (OpenAPI schema)."""

from pydantic import BaseModel, Field


class ProblemOut(BaseModel):
    type: str
    title: str
    status: int
    code: str = Field(description="Stable machine-readable error code")
    detail: str
    instance: str | None = None
    errors: list[dict[str, str]] | None = None


def problems(*statuses: int) -> dict[int | str, dict[str, object]]:
    """The ``responses=`` entry documenting problem+json answers."""
    return {s: {"model": ProblemOut, "content": {"application/problem+json": {}}} for s in statuses}


# Database ids are BIGINT: a larger id cannot exist, and SQLite refuses to even compare it.
MAX_ROW_ID = 2**63 - 1
