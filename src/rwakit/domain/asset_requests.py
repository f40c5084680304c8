"""The params of a `create_asset` operation: an asset type and its terms, checked against
what the factory functions accept, so a bad request fails here and not in a reverted
transaction. Amounts arrive in smallest units (the API edge converts them); optional
terms are stored with their defaults filled in, so the worker encodes what was shown."""

import re
from collections.abc import Callable
from typing import Any

from rwakit.domain.asset_types import AssetType

SYMBOL = re.compile(r"^[A-Za-z0-9]{1,16}$")
MAX_SUPPLY = 2**96 - 1  # the token keeps balances in 96 bits
MAX_FACE_VALUE = 2**128 - 1
MAX_SECONDS = 2**40
MAX_COUPON_PERIODS = 128  # FixedYield's schedule bound
DAY, YEAR = 86_400, 365 * 86_400
MAX_VOTES_PER_SHARE = 1_000_000
BASIS_POINTS = 10_000

COMMON = ("asset_type", "name", "symbol", "decimals")
# per type: (required terms, optional terms with their defaults)
TERMS: dict[AssetType, tuple[tuple[str, ...], dict[str, Any]]] = {
    AssetType.BOND: (
        ("denomination", "face_value", "cap", "maturity"),
        {
            "coupon_rate_bps": 0,
            "coupon_start": 0,
            "coupon_interval": 0,
            "coupon_periods": 0,
            "coupon_push_window": 0,
        },
    ),
    AssetType.EQUITY: (("class_name",), {"votes_per_share": 1, "push_window": 0}),
    AssetType.FUND: (("fee_bps", "fee_receiver"), {"push_window": 0}),
    AssetType.STABLECOIN: (("collateral_topic",), {}),
    AssetType.DEPOSIT: ((), {}),
}
ALL_TERMS = {name for required, optional in TERMS.values() for name in (*required, *optional)}


class AssetParamsInvalid(ValueError):
    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(f"{field_name}: {message}")
        self.field = field_name
        self.message = message


def _integer(name: str, value: Any, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise AssetParamsInvalid(name, f"{value!r} is not an integer")
    if not low <= value <= high:
        raise AssetParamsInvalid(name, f"must be between {low} and {high}")
    return value


def _text(name: str, value: Any, max_bytes: int) -> str:
    # the contracts hold names in String[n]: n bytes of UTF-8, not n characters
    if not isinstance(value, str) or not value.strip():
        raise AssetParamsInvalid(name, "must be a non-blank string")
    if len(value.encode()) > max_bytes:
        raise AssetParamsInvalid(name, f"must be at most {max_bytes} bytes of UTF-8")
    return value


def _symbol(name: str, value: Any) -> str:
    if not isinstance(value, str) or not SYMBOL.match(value):
        raise AssetParamsInvalid(name, "must be 1-16 letters or digits")
    return value


def _between(low: int, high: int) -> Callable[[str, Any], int]:
    return lambda name, value: _integer(name, value, low, high)


def _text_of(max_bytes: int) -> Callable[[str, Any], str]:
    return lambda name, value: _text(name, value, max_bytes)


# how each field is checked; addresses are checked by the caller's own address rule
CHECKS: dict[str, Callable[[str, Any], Any]] = {
    "name": _text_of(64),
    "symbol": _symbol,
    "decimals": _between(0, 18),
    "face_value": _between(1, MAX_FACE_VALUE),
    "cap": _between(1, MAX_SUPPLY),
    "maturity": _between(1, MAX_SECONDS),
    "coupon_rate_bps": _between(0, BASIS_POINTS),
    "coupon_start": _between(0, MAX_SECONDS),
    "coupon_interval": _between(0, MAX_SECONDS),
    "coupon_periods": _between(0, MAX_COUPON_PERIODS),
    "coupon_push_window": _between(0, MAX_SECONDS),
    "class_name": _text_of(32),
    "votes_per_share": _between(1, MAX_VOTES_PER_SHARE),
    "push_window": _between(0, MAX_SECONDS),
    "fee_bps": _between(0, BASIS_POINTS),
    "collateral_topic": _text_of(64),
}
ADDRESS_TERMS = ("denomination", "fee_receiver")


def asset_params(params: dict[str, Any], address: Callable[[str, Any], str]) -> dict[str, Any]:
    """Normalised params of a creation, or AssetParamsInvalid naming the bad field.

    ``address(field, value)`` checks an address the way other operation kinds do."""
    try:
        asset_type = AssetType(params.get("asset_type"))
    except ValueError:
        kinds = ", ".join(t.value for t in AssetType)
        raise AssetParamsInvalid("asset_type", f"must be one of {kinds}") from None
    required, optional = TERMS[asset_type]
    missing = [f for f in (*COMMON, *required) if f not in params]
    if missing:
        raise AssetParamsInvalid(missing[0], "is required")
    unknown = set(params) - set(COMMON) - set(required) - set(optional)
    if unknown:
        name = sorted(unknown)[0]
        what = f"a {asset_type.value}" if name in ALL_TERMS else "any asset"
        raise AssetParamsInvalid(name, f"is not a term of {what}")
    out: dict[str, Any] = {"asset_type": asset_type.value}
    for name in (*COMMON[1:], *required, *optional):
        value = params.get(name, optional.get(name))
        out[name] = address(name, value) if name in ADDRESS_TERMS else CHECKS[name](name, value)
    if asset_type is AssetType.BOND:
        _coupon_schedule(out)
    return out


def _coupon_schedule(bond: dict[str, Any]) -> None:
    """A coupon schedule as AssetFactory.createBond and FixedYield accept it (that it
    starts in the future depends on the clock: the API edge and the dry run check it)."""
    if not bond["coupon_rate_bps"]:
        return
    if not (bond["coupon_interval"] and bond["coupon_periods"]):
        raise AssetParamsInvalid("coupon_interval", "a coupon needs an interval and periods")
    if not DAY <= bond["coupon_interval"] <= YEAR:
        raise AssetParamsInvalid("coupon_interval", f"must be {DAY}-{YEAR} seconds (1-365 days)")
    if bond["coupon_push_window"] >= bond["coupon_interval"]:
        raise AssetParamsInvalid("coupon_push_window", "must be shorter than the interval")
    end = bond["coupon_start"] + bond["coupon_interval"] * bond["coupon_periods"]
    if end > bond["maturity"]:
        raise AssetParamsInvalid("coupon_periods", "the coupon schedule must end by maturity")
