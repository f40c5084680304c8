"""Asset types and the payout arithmetic of corporate actions, exactly as the contracts
compute it (integers in smallest units, rounded down), so services and tests can predict
every coupon, dividend and redemption without a chain call."""

from enum import StrEnum

SECONDS_PER_YEAR = 365 * 86_400  # coupons accrue actual/365
BASIS_POINTS = 10_000


class AssetType(StrEnum):
    """The `asset_type` a token records at creation."""

    BOND = "bond"
    EQUITY = "equity"
    FUND = "fund"
    STABLECOIN = "stablecoin"
    DEPOSIT = "deposit"


def face_value_of(amount: int, face_value: int, decimals: int) -> int:
    """What redeeming `amount` bond units pays: face value is per whole bond."""
    return amount * face_value // 10**decimals


def coupon_for(balance: int, face_value: int, rate_bps: int, interval: int, decimals: int) -> int:
    """One period's coupon on `balance` units held at the period's end (FixedYield.vy)."""
    numerator = face_value * rate_bps * interval
    return balance * numerator // (10**decimals * BASIS_POINTS * SECONDS_PER_YEAR)


def pro_rata_share(amount: int, balance: int, supply: int) -> int:
    """A holder's part of a distribution of `amount` at the record time (Distribution.vy)."""
    return amount * balance // supply if supply else 0


def push_order(holders: list[str]) -> list[str]:
    """Holders in the strictly increasing address order pushes must follow, duplicates gone."""
    return sorted({h.lower(): h for h in holders}.values(), key=lambda a: int(a, 16))


def distribution_id(asset: str, record_time: int) -> int:
    """A distribution's id: one per payment asset and record time (Distribution.vy)."""
    return record_time << 160 | int(asset, 16)
