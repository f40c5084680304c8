"""``POST /assets``: create an asset of a type (bond, equity, fund, stablecoin, deposit)
with its parameters. Like every state-changing request it becomes an operation (kind
``create_asset``, on the factory that makes the type), committed before the answer:
``202`` with its id. The batch worker sends it; the confirmed operation's ``result``
names the token and its companion contracts (``GET /operations/{id}``).

Amounts arrive as decimal strings in whole units and are converted here: a bond's cap
with its own decimals, its face value with its denomination's (one ``eth_call``)."""

import re
import time
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Depends, Request, Response
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from rwakit.api.access import Allow, Caller
from rwakit.api.asset_issuance import AssetFactoryMissing, AssetIssuer
from rwakit.api.dependencies import deps_of
from rwakit.api.operation_input import smallest_units
from rwakit.api.problems import Problem
from rwakit.api.roles import Role
from rwakit.api.routers.operations import Accepted, key_reused
from rwakit.api.schemas import problems
from rwakit.domain.asset_types import AssetType
from rwakit.domain.operation_requests import ADDRESS, OperationInvalid, OperationRequest
from rwakit.store.operations import IdempotencyKeyReused

router = APIRouter(prefix="/assets", tags=["assets"])

Amount = Annotated[str, Field(max_length=100, examples=["1000000"])]
Address = Annotated[str, Field(pattern=ADDRESS.pattern)]
Seconds = Annotated[int, Field(ge=0, le=2**40)]
BasisPoints = Annotated[int, Field(ge=0, le=10_000)]
_FIELD_OF_ONE = re.compile(r"^operations\[0\]\.")  # intake names fields as in a bulk request


class AssetBase(BaseModel):
    # a misspelt term must not quietly become its default (a bond without its coupon)
    model_config = ConfigDict(extra="forbid")

    name: Annotated[str, Field(min_length=1, max_length=64)]
    symbol: Annotated[str, Field(pattern=r"^[A-Za-z0-9]{1,16}$")]
    decimals: Annotated[int, Field(ge=0, le=18)] = 18
    idempotency_key: str | None = Field(
        default=None,
        min_length=1,
        max_length=200,
        description="A retry with the same key and body answers the first operation's id",
    )


class BondIn(AssetBase):
    asset_type: Literal["bond"]
    cap: Amount = Field(description="Most bonds that may exist, in whole token units")
    maturity: Seconds = Field(description="Epoch seconds; in the future")
    face_value: Amount = Field(
        description="Paid per whole bond at redemption, in whole denomination units"
    )
    denomination: Address = Field(description="The ERC-20 coupons and redemption pay in")
    coupon_rate_bps: BasisPoints = 0
    coupon_start: Seconds = 0
    coupon_interval: Seconds = 0
    coupon_periods: Annotated[int, Field(ge=0, le=128)] = 0
    coupon_push_window: Seconds = 0


class EquityIn(AssetBase):
    asset_type: Literal["equity"]
    class_name: Annotated[str, Field(min_length=1, max_length=32)]
    votes_per_share: Annotated[int, Field(ge=1, le=1_000_000)] = 1
    push_window: Seconds = 0


class FundIn(AssetBase):
    asset_type: Literal["fund"]
    fee_bps: BasisPoints = Field(description="Yearly management fee")
    fee_receiver: Address
    push_window: Seconds = 0


class StablecoinIn(AssetBase):
    asset_type: Literal["stablecoin"]
    collateral_topic: Annotated[str, Field(min_length=1, max_length=64)] = Field(
        description="The claim topic whose holders may deposit collateral, e.g. RESERVE"
    )


class DepositIn(AssetBase):
    asset_type: Literal["deposit"]


AssetIn = Annotated[
    BondIn | EquityIn | FundIn | StablecoinIn | DepositIn, Field(discriminator="asset_type")
]


def _invalid(field: str, message: str) -> Problem:
    return Problem(
        422,
        "validation_failed",
        f"{field}: {message}",
        errors=[{"field": field, "message": message}],
    )


def _params(body: BondIn | EquityIn | FundIn | StablecoinIn | DepositIn, issuer: AssetIssuer):  # type: ignore[no-untyped-def]
    """The operation's params: the body's terms, amounts in smallest units."""
    params: dict[str, Any] = body.model_dump(exclude={"idempotency_key"})
    if isinstance(body, BondIn):
        now = time.time()
        if body.maturity <= now:
            raise _invalid("maturity", "must be in the future")
        if body.coupon_rate_bps and body.coupon_start < now:
            raise _invalid("coupon_start", "must not be in the past")
        try:
            denomination_decimals = issuer.decimals_of(body.denomination)
        except LookupError:
            raise _invalid("denomination", "is not an ERC-20 token on this chain") from None
        try:
            params["cap"] = smallest_units("cap", body.cap, body.decimals)
            params["face_value"] = smallest_units(
                "face_value", body.face_value, denomination_decimals
            )
        except OperationInvalid as exc:
            raise _invalid(exc.field, exc.message) from None
    return params


@router.post(
    "",
    status_code=202,
    response_model=Accepted,
    responses=problems(401, 403, 409, 422, 429, 503),
)
async def create_asset(
    request: Request,
    response: Response,
    body: Annotated[AssetIn, Body()],
    caller: Annotated[Caller, Depends(Allow(Role.ADMIN, Role.ISSUER))],
) -> Accepted:
    """Create a token of the type, with its companions: a bond's Bond and coupon schedule,
    an equity class's Distribution and Voting, a fund's Distribution and fee, a
    stablecoin's collateral minter; a deposit token alone. The worker's signer becomes
    the token's admin."""
    deps = deps_of(request)
    issuer = deps.asset_issuer
    if issuer is None or deps.intake is None:
        raise Problem(503, "asset_creation_unavailable", "no deployment is configured for writes")
    asset_type = AssetType(body.asset_type)
    try:
        factory = issuer.factory_for(asset_type)
    except AssetFactoryMissing:
        raise Problem(
            503,
            "asset_factory_unavailable",
            f"creating a {asset_type.value} needs an AssetFactory; none is configured",
        ) from None
    params = await run_in_threadpool(_params, body, issuer)
    operation = OperationRequest(
        "create_asset", factory, params, caller.subject, "normal", body.idempotency_key
    )
    try:
        [op_id] = await deps.intake.submit([operation])
    except IdempotencyKeyReused as exc:
        raise key_reused(exc) from None
    except OperationInvalid as exc:
        raise _invalid(_FIELD_OF_ONE.sub("", exc.field), exc.message) from None
    response.headers["Location"] = f"/api/v1/operations/{op_id}"
    return Accepted(ids=[op_id])
