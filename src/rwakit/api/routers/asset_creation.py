"""``POST /assets``: create an asset of a type (bond, equity, fund, stablecoin, deposit)
with its parameters, on chain, answering ``201`` with the token and its companion
contracts. There is no operation kind for creation (it is rare and needs the deployer
key), so it is a direct call: the transaction runs in the threadpool."""

import time
from typing import Annotated, Literal

from fastapi import APIRouter, Body, Depends, Request, Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from rwakit.api.access import Allow
from rwakit.api.asset_issuance import AssetFactoryMissing, AssetOrder
from rwakit.api.dependencies import deps_of
from rwakit.api.operation_input import smallest_units
from rwakit.api.problems import Problem
from rwakit.api.roles import Role
from rwakit.api.schemas import problems
from rwakit.chain.asset_creation import BondTerms
from rwakit.chain.transactor import TransactionFailed
from rwakit.domain.asset_types import AssetType
from rwakit.domain.operation_requests import ADDRESS, OperationInvalid

router = APIRouter(prefix="/assets", tags=["assets"])

Amount = Annotated[str, Field(max_length=100, examples=["1000000"])]
Address = Annotated[str, Field(pattern=ADDRESS.pattern)]
Seconds = Annotated[int, Field(ge=0, le=2**40)]
BasisPoints = Annotated[int, Field(ge=0, le=10_000)]


class AssetBase(BaseModel):
    name: Annotated[str, Field(min_length=1, max_length=64)]
    symbol: Annotated[str, Field(pattern=r"^[A-Za-z0-9]{1,16}$")]
    decimals: Annotated[int, Field(ge=0, le=18)] = 18


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
    coupon_periods: Annotated[int, Field(ge=0, le=1_000)] = 0
    coupon_push_window: Seconds = 0


class EquityIn(AssetBase):
    asset_type: Literal["equity"]
    class_name: Annotated[str, Field(min_length=1, max_length=64)]
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


class CreatedAssetOut(BaseModel):
    address: str
    asset_type: str
    contracts: dict[str, str]


def _invalid(field: str, message: str) -> Problem:
    return Problem(
        422,
        "validation_failed",
        f"{field}: {message}",
        errors=[{"field": field, "message": message}],
    )


def _order(body: BondIn | EquityIn | FundIn | StablecoinIn | DepositIn, issuer) -> AssetOrder:  # type: ignore[no-untyped-def]
    common = {
        "asset_type": AssetType(body.asset_type),
        "name": body.name,
        "symbol": body.symbol,
        "decimals": body.decimals,
    }
    if isinstance(body, BondIn):
        if body.maturity <= time.time():
            raise _invalid("maturity", "must be in the future")
        if body.coupon_rate_bps and not (body.coupon_interval and body.coupon_periods):
            raise _invalid("coupon_interval", "a coupon needs an interval and periods")
        try:
            denomination_decimals = issuer.decimals_of(body.denomination)
        except LookupError:
            raise _invalid("denomination", "is not an ERC-20 token on this chain") from None
        try:
            cap = smallest_units("cap", body.cap, body.decimals)
            face = smallest_units("face_value", body.face_value, denomination_decimals)
        except OperationInvalid as exc:
            raise _invalid(exc.field, exc.message) from None
        terms = BondTerms(
            body.denomination,
            face,
            cap,
            body.maturity,
            body.coupon_rate_bps,
            body.coupon_start,
            body.coupon_interval,
            body.coupon_periods,
            body.coupon_push_window,
        )
        return AssetOrder(**common, bond=terms)
    if isinstance(body, EquityIn):
        return AssetOrder(
            **common,
            class_name=body.class_name,
            votes_per_share=body.votes_per_share,
            push_window=body.push_window,
        )
    if isinstance(body, FundIn):
        return AssetOrder(
            **common,
            fee_bps=body.fee_bps,
            fee_receiver=body.fee_receiver,
            push_window=body.push_window,
        )
    if isinstance(body, StablecoinIn):
        return AssetOrder(**common, collateral_topic=body.collateral_topic)
    return AssetOrder(**common)


@router.post(
    "",
    status_code=201,
    response_model=CreatedAssetOut,
    dependencies=[Depends(Allow(Role.ADMIN, Role.ISSUER))],
    responses=problems(401, 403, 422, 429, 503),
)
async def create_asset(request: Request, response: Response, body: Annotated[AssetIn, Body()]):
    """Deploy a token of the type, with its companions: a bond's Bond and coupon schedule,
    an equity class's Distribution and Voting, a fund's Distribution and fee, a
    stablecoin's collateral minter; a deposit token alone."""
    deps = deps_of(request)
    issuer = deps.asset_issuer
    if issuer is None:
        raise Problem(503, "asset_creation_unavailable", "no signer is configured for creation")
    order = await run_in_threadpool(_order, body, issuer)
    try:
        created = await run_in_threadpool(issuer.create, order)
    except AssetFactoryMissing:
        raise Problem(
            503,
            "asset_factory_unavailable",
            f"creating a {order.asset_type.value} needs an AssetFactory; none is configured",
        ) from None
    except TransactionFailed as exc:
        raise Problem(422, "creation_reverted", f"the factory refused: {exc}") from None
    address = created.token.lower()
    response.headers["Location"] = f"/api/v1/assets/{address}"
    return CreatedAssetOut(
        address=address,
        asset_type=order.asset_type.value,
        contracts={k: v.lower() for k, v in created.contracts.items()},
    )
