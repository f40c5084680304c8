"""The factory call that carries a `create_asset` operation: one asset per transaction
(creation is rare, and each deploys several contracts), the function by asset type, the
worker's signer the token's admin so that it can mint afterwards."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from eth_abi import encode

from rwakit.chain.abi_words import selector
from rwakit.chain.asset_creation import BondTerms, token_terms
from rwakit.chain.token_factory import TokenSpec
from rwakit.domain.asset_types import AssetType
from rwakit.domain.topics import topic_id

if TYPE_CHECKING:  # batch_calls imports this module
    from rwakit.pipeline.batch_calls import PendingOp

RULES = "(bytes32[],uint256[],uint256[],uint256,uint256,uint256,uint256,uint256,bool)"
TOKEN_TERMS = f"(string,string,uint8,address,address[],uint256[],{RULES})"
BOND_TERMS = "(address,uint256,uint256,uint256,uint256,uint256,uint256,uint256,uint256)"
# (function signature, argument types) per asset type
FUNCTIONS: dict[AssetType, tuple[str, list[str]]] = {
    AssetType.BOND: (f"createBond({TOKEN_TERMS},{BOND_TERMS})", [TOKEN_TERMS, BOND_TERMS]),
    AssetType.EQUITY: (
        f"createEquity({TOKEN_TERMS},uint256,string,uint256)",
        [TOKEN_TERMS, "uint256", "string", "uint256"],
    ),
    AssetType.FUND: (
        f"createFund({TOKEN_TERMS},uint256,uint256,address)",
        [TOKEN_TERMS, "uint256", "uint256", "address"],
    ),
    AssetType.STABLECOIN: (
        f"createStablecoin({TOKEN_TERMS},bytes32)",
        [TOKEN_TERMS, "bytes32"],
    ),
    AssetType.DEPOSIT: (
        f"createToken(string,string,uint8,string,address,address[],uint256[],{RULES})",
        ["string", "string", "uint8", "string", "address", "address[]", "uint256[]", RULES],
    ),
}
# Gas limits, about 1.25x what each creation used on anvil with the longest names (a
# token alone is ~4 M: creations deploy whole contracts); unused gas is not paid for.
CREATION_GAS: dict[AssetType, int] = {
    AssetType.BOND: 6_600_000,  # zero-coupon: token and Bond
    AssetType.EQUITY: 7_800_000,
    AssetType.FUND: 7_200_000,
    AssetType.STABLECOIN: 6_000_000,
    AssetType.DEPOSIT: 5_100_000,
}
# a coupon-paying bond also deploys its FixedYield and writes each period's boundary
COUPON_SCHEDULE_GAS = 1_700_000
COUPON_PERIOD_GAS = 30_000


def creation_gas(params: dict[str, Any]) -> int:
    asset_type = AssetType(params["asset_type"])
    gas = CREATION_GAS[asset_type]
    if asset_type is AssetType.BOND and params["coupon_rate_bps"]:
        gas += COUPON_SCHEDULE_GAS + COUPON_PERIOD_GAS * params["coupon_periods"]
    return gas


def _arguments(asset_type: AssetType, p: dict[str, Any], admin: str) -> list[Any]:
    spec = TokenSpec(p["name"], p["symbol"], asset_type.value, p["decimals"])
    if asset_type is AssetType.DEPOSIT:
        _, _, decimals, owner, grantees, roles, rules = token_terms(spec, admin)
        return [spec.name, spec.symbol, decimals, spec.asset_type, owner, grantees, roles, rules]
    terms = token_terms(spec, admin)
    if asset_type is AssetType.BOND:
        bond = BondTerms(
            p["denomination"],
            p["face_value"],
            p["cap"],
            p["maturity"],
            p["coupon_rate_bps"],
            p["coupon_start"],
            p["coupon_interval"],
            p["coupon_periods"],
            p["coupon_push_window"],
        )
        return [terms, bond.as_abi()]
    if asset_type is AssetType.EQUITY:
        return [terms, p["push_window"], p["class_name"], p["votes_per_share"]]
    if asset_type is AssetType.FUND:
        return [terms, p["push_window"], p["fee_bps"], p["fee_receiver"]]
    return [terms, topic_id(p["collateral_topic"])]


def creation_calldata(params: dict[str, Any], admin: str) -> bytes:
    """The factory call for a validated `create_asset` op's params."""
    asset_type = AssetType(params["asset_type"])
    signature, types = FUNCTIONS[asset_type]
    return selector(signature) + encode(types, _arguments(asset_type, params, admin))


@dataclass(frozen=True)
class CreationCall:
    """Shaped like a BatchCall for the batcher, but never more than one item."""

    max_items: int = 1

    def gas_for(self, op: "PendingOp") -> int:
        return creation_gas(op.params)

    def calldata(self, ops: Sequence["PendingOp"], extra: list[Any]) -> bytes:
        (op,) = ops
        (admin,) = extra
        return creation_calldata(op.params, admin)
