"""AssetFactory: bonds, dividend-paying tokens, funds, stablecoins, equity classes, vaults
and offerings — each creation event carries every term, and names the contracts the
index follows from then on."""

from rwakit.domain.cache_keys import ASSET_LIST_KEY, asset_key
from rwakit.indexer.events import Event
from rwakit.indexer.handlers.corporate import ZERO, follow
from rwakit.indexer.state import RangeState, Row
from rwakit.store.read_model_tables import asset_terms

# a schedule longer than this is kept in the terms only (rows per period would be waste)
MAX_PERIOD_ROWS = 10_000


def terms_row(state: RangeState, token: str, asset_kind: str) -> Row:
    row = state.get("asset_terms", (token,))
    if row is not None:
        return {**row, "asset_kind": asset_kind}
    # every column present: rows of one upsert batch must share their columns
    blank = dict.fromkeys(asset_terms.c.keys())
    return {**blank, "token": token, "asset_kind": asset_kind, "updated_block": state.block}


def _put_terms(state: RangeState, token: str, row: Row) -> None:
    state.put("asset_terms", (token,), {**row, "updated_block": state.block})
    state.touch(asset_key(token), ASSET_LIST_KEY)


def bond_created(event: Event, state: RangeState) -> None:
    a, token = event.args, event.args["token"]
    follow(event, state, a["bond"], "Bond", token)
    coupons = a["coupons"] if a["coupons"] != ZERO else None
    if coupons:
        follow(event, state, coupons, "FixedYield", token)
    row = terms_row(state, token, "bond")
    row.update(
        bond=a["bond"],
        coupons=coupons,
        denomination=a["denomination"],
        face_value=a["face_value"],
        cap=a["cap"],
        maturity=a["maturity"],
        coupon_rate_bps=a["coupon_rate_bps"],
        coupon_start=a["coupon_start"],
        coupon_interval=a["coupon_interval"],
        coupon_periods=a["coupon_periods"],
        coupon_push_window=a["coupon_push_window"],
        reserve=0,
        coupon_funding=0,
    )
    _put_terms(state, token, row)
    if coupons and a["coupon_periods"] <= MAX_PERIOD_ROWS:
        for period in range(1, a["coupon_periods"] + 1):
            period_row = {
                "coupons": coupons,
                "period": period,
                "token": token,
                "ends_at": a["coupon_start"] + period * a["coupon_interval"],
                "pushed": 0,
                "pushed_holders": 0,
                "last_pushed": None,
                "updated_block": event.block_number,
            }
            state.put("coupon_periods", (coupons, period), period_row)


def distributing_token_created(event: Event, state: RangeState) -> None:
    a, token = event.args, event.args["token"]
    follow(event, state, a["distribution"], "Distribution", token)
    row = terms_row(state, token, a["asset_type"])
    row.update(distribution=a["distribution"], push_window=a["push_window"])
    _put_terms(state, token, row)


def fund_fee_created(event: Event, state: RangeState) -> None:
    a, token = event.args, event.args["token"]
    follow(event, state, a["fee"], "FundFee", token)
    row = terms_row(state, token, "fund")
    row.update(fee_contract=a["fee"], fee_bps=a["fee_bps"], fee_receiver=a["receiver"])
    _put_terms(state, token, row)


def stablecoin_created(event: Event, state: RangeState) -> None:
    a, token = event.args, event.args["token"]
    follow(event, state, a["minter"], "CollateralMinter", token)
    row = terms_row(state, token, "stablecoin")
    row.update(minter=a["minter"], collateral_topic=a["collateral_topic"])
    _put_terms(state, token, row)


def equity_created(event: Event, state: RangeState) -> None:
    a, token = event.args, event.args["token"]
    follow(event, state, a["voting"], "Voting", token)
    row = terms_row(state, token, "equity")
    row.update(voting=a["voting"], class_name=a["class_name"], votes_per_share=a["votes_per_share"])
    _put_terms(state, token, row)


def vault_created(event: Event, state: RangeState) -> None:
    a, vault = event.args, event.args["vault"]
    follow(event, state, vault, "Vault", None)
    row = {
        "address": vault,
        "creator": a["creator"],
        "signers": [s.lower() for s in a["signers"]],
        "weights": [str(w) for w in a["weights"]],
        "threshold": a["threshold"],
        "executed": 0,
        "updated_block": event.block_number,
    }
    state.put("vaults", (vault,), row)


def offering_created(event: Event, state: RangeState) -> None:
    a, offering = event.args, event.args["offering"]
    payment, treasury, price, hard_cap, low, high, opens, closes, period = a["terms"]
    follow(event, state, offering, "Offering", a["token"])
    row = {
        "address": offering,
        "token": a["token"],
        "creator": a["creator"],
        "payment": payment.lower(),
        "treasury": treasury.lower(),
        "price": price,
        "hard_cap": hard_cap,
        "min_per_investor": low,
        "max_per_investor": high,
        "opens": opens,
        "closes": closes,
        "settlement_period": period,
        "subscribed_units": 0,
        "settled_units": 0,
        "settled_paid": 0,
        "refunded_units": 0,
        "updated_block": event.block_number,
    }
    state.put("offerings", (offering,), row)
    state.touch(asset_key(a["token"]))


HANDLERS = {
    "BondCreated": bond_created,
    "DistributingTokenCreated": distributing_token_created,
    "FundFeeCreated": fund_fee_created,
    "StablecoinCreated": stablecoin_created,
    "EquityCreated": equity_created,
    "VaultCreated": vault_created,
    "OfferingCreated": offering_created,
}
IGNORED: dict[str, str] = {}
PREFETCH: dict = {}
DEDICATED: set[str] = set()


def _nonzero(*names: str):
    def found(event: Event) -> dict[str, str]:
        return {event.args[n]: kind for n, kind in names_kinds if event.args[n] != ZERO}

    names_kinds = [tuple(n.split(":")) for n in names]
    return found


# contracts each event creates, which the fetcher follows from their creation block
DISCOVERS = {
    "BondCreated": _nonzero("bond:Bond", "coupons:FixedYield"),
    "DistributingTokenCreated": _nonzero("distribution:Distribution"),
    "FundFeeCreated": _nonzero("fee:FundFee"),
    "StablecoinCreated": _nonzero("minter:CollateralMinter"),
    "EquityCreated": _nonzero("voting:Voting"),
    "VaultCreated": _nonzero("vault:Vault"),
    "OfferingCreated": _nonzero("offering:Offering"),
}
