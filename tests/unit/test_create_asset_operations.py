"""`create_asset` operations: params checked per asset type, the factory call the worker
sends (compared with web3's encoding of the real ABI), one creation per transaction,
and the result read back from the factory's events."""

import pytest
from eth_abi import encode
from eth_utils import keccak
from web3 import Web3

from rwakit.api.access import Caller
from rwakit.api.operation_input import to_request
from rwakit.chain.asset_creation import BondTerms, token_terms
from rwakit.chain.token_factory import TokenSpec
from rwakit.contracts.build import load_artifacts
from rwakit.domain.operation_requests import OperationInvalid, OperationRequest, validate
from rwakit.domain.topics import topic_id
from rwakit.pipeline.batch_calls import PendingOp, batch_call, group_of, split_by_gas
from rwakit.pipeline.creation_calls import creation_calldata, creation_gas
from rwakit.pipeline.creation_results import EVENTS, creation_result

FACTORY = "0x" + "fa" * 20
CASH = "0x" + "ca" * 20
ADMIN = "0x" + "ad" * 20
MATURITY = 4_000_000_000

TERMS = {
    "bond": {"denomination": CASH, "face_value": 1_000_500_000, "cap": 1_000, "maturity": MATURITY},
    "equity": {"class_name": "Class A", "votes_per_share": 2},
    "fund": {"fee_bps": 50, "fee_receiver": CASH},
    "stablecoin": {"collateral_topic": "RESERVE"},
    "deposit": {},
}


def creation(asset_type: str, **changes: object) -> OperationRequest:
    params = {"asset_type": asset_type, "name": "Asset", "symbol": "AST", "decimals": 6}
    params.update(TERMS.get(asset_type, {}))
    params.update(changes)
    return OperationRequest("create_asset", FACTORY, params, "tester")


def test_each_type_comes_back_with_its_defaults_filled_in() -> None:
    bond = validate(creation("bond", denomination=CASH.upper().replace("0X", "0x"))).params
    assert bond["denomination"] == CASH
    assert bond["coupon_rate_bps"] == 0 and bond["coupon_periods"] == 0
    equity = validate(creation("equity")).params
    assert equity == {
        "asset_type": "equity",
        "name": "Asset",
        "symbol": "AST",
        "decimals": 6,
        "class_name": "Class A",
        "votes_per_share": 2,
        "push_window": 0,
    }
    assert validate(creation("deposit")).params == {
        "asset_type": "deposit",
        "name": "Asset",
        "symbol": "AST",
        "decimals": 6,
    }


@pytest.mark.parametrize(
    ("request_", "field"),
    [
        (creation("art"), "asset_type"),
        (creation("bond", cap="1000"), "cap"),  # not converted to smallest units
        (creation("bond", cap=2**96), "cap"),
        (creation("bond", face_value=0), "face_value"),
        (creation("bond", denomination="0x12"), "denomination"),
        (creation("bond", coupon_rate_bps=500), "coupon_interval"),
        (
            creation(
                "bond",
                coupon_rate_bps=500,
                coupon_start=MATURITY - 100,
                coupon_interval=86_400,
                coupon_periods=2,
            ),
            "coupon_periods",  # the schedule would end after maturity
        ),
        (creation("bond", coupon_periods=129), "coupon_periods"),
        (creation("equity", class_name="x" * 33), "class_name"),
        (creation("equity", fee_bps=5), "fee_bps"),  # a fund's term
        (creation("equity", memo="hi"), "memo"),
        (creation("fund", fee_bps=10_001), "fee_bps"),
        (creation("fund", fee_receiver="0x" + "00" * 20), "fee_receiver"),
        (creation("stablecoin", collateral_topic=" "), "collateral_topic"),
        (creation("deposit", symbol="NO SPACE"), "symbol"),
        (creation("deposit", name="é" * 33), "name"),  # 66 bytes of UTF-8
        (creation("deposit", decimals=19), "decimals"),
    ],
)
def test_bad_terms_name_their_field(request_: OperationRequest, field: str) -> None:
    with pytest.raises(OperationInvalid) as error:
        validate(request_)
    assert error.value.field == field, error.value


def test_missing_terms_are_named() -> None:
    params = {"asset_type": "fund", "name": "F", "symbol": "F", "decimals": 0, "fee_bps": 1}
    with pytest.raises(OperationInvalid) as error:
        validate(OperationRequest("create_asset", FACTORY, params, "tester"))
    assert error.value.field == "fee_receiver"


def _web3_calldata(asset_type: str, params: dict) -> bytes:
    """What web3 encodes for the same creation from the contracts' own ABI."""
    artifacts = load_artifacts()
    w3 = Web3()
    spec = TokenSpec(params["name"], params["symbol"], asset_type, params["decimals"])
    if asset_type == "deposit":
        factory = w3.eth.contract(abi=artifacts["TokenFactory"].abi)
        name, symbol, decimals, admin, grantees, roles, rules = token_terms(spec, ADMIN)
        args = [name, symbol, decimals, asset_type, admin, grantees, roles, rules]
        return bytes.fromhex(factory.encode_abi("createToken", args)[2:])
    factory = w3.eth.contract(abi=artifacts["AssetFactory"].abi)
    terms = token_terms(spec, ADMIN)
    p = params
    if asset_type == "bond":
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
        function, args = "createBond", [terms, bond.as_abi()]
    elif asset_type == "equity":
        function, args = "createEquity", [terms, 0, p["class_name"], p["votes_per_share"]]
    elif asset_type == "fund":
        function, args = "createFund", [terms, 0, p["fee_bps"], Web3.to_checksum_address(CASH)]
    else:
        function, args = "createStablecoin", [terms, topic_id("RESERVE")]
    return bytes.fromhex(factory.encode_abi(function, args)[2:])


@pytest.mark.parametrize("asset_type", list(TERMS))
def test_the_factory_call_matches_the_contract_abi(asset_type: str) -> None:
    params = validate(creation(asset_type)).params
    assert creation_calldata(params, ADMIN) == _web3_calldata(asset_type, params)


def test_creations_go_one_per_transaction_with_gas_by_type() -> None:
    ops = [
        PendingOp(i, "create_asset", FACTORY, validate(creation(t)).params, 1)
        for i, t in enumerate(("bond", "equity", "fund"))
    ]
    assert {group_of(op) for op in ops} == {"create_asset"}
    call = batch_call("create_asset")
    chunks = split_by_gas(ops, call, 16_777_216, set())
    assert [len(chunk) for chunk, _ in chunks] == [1, 1, 1]
    assert chunks[1][1] > chunks[0][1]  # an equity class deploys more than a plain bond
    assert call.calldata(chunks[0][0], [ADMIN]) == creation_calldata(ops[0].params, ADMIN)
    coupons = validate(
        creation(
            "bond",
            coupon_rate_bps=500,
            coupon_start=MATURITY - 200 * 86_400,
            coupon_interval=86_400,
            coupon_periods=128,
        )
    ).params
    assert creation_gas(coupons) > creation_gas(ops[0].params) + 128 * 24_000


def test_event_topics_match_the_factories_abis() -> None:
    artifacts = load_artifacts()
    wanted = {
        "AssetFactory": {
            "BondCreated",
            "DistributingTokenCreated",
            "FundFeeCreated",
            "StablecoinCreated",
            "EquityCreated",
        },
        "TokenFactory": {"TokenCreated"},
    }
    topics = set()
    for contract, names in wanted.items():
        for item in artifacts[contract].abi:
            if item["type"] == "event" and item["name"] in names:
                types = ",".join(i["type"] for i in item["inputs"])
                topics.add("0x" + keccak(text=f"{item['name']}({types})").hex())
    assert topics == set(EVENTS)


def _word(address: str) -> str:
    return "0x" + "00" * 12 + address[2:]


def test_the_result_names_the_token_and_companions_from_the_factory_events() -> None:
    token, bond, coupons = "0x" + "01" * 20, "0x" + "02" * 20, "0x" + "03" * 20
    bond_created = next(t for t, names in EVENTS.items() if names[0] == "bond")
    token_created = next(t for t, names in EVENTS.items() if names == ("admin",))
    logs = [
        # the inner TokenFactory event comes from another address: not this op's factory
        {"address": "0x" + "99" * 20, "topics": [token_created, _word(token)], "data": "0x"},
        {
            "address": FACTORY.upper().replace("0X", "0x"),
            "topics": [bond_created, _word(token), _word(bond), _word(ADMIN)],
            "data": "0x" + encode(["address", "uint256"], [coupons, 5]).hex(),
        },
    ]
    assert creation_result(logs, FACTORY) == {
        "token": token,
        "admin": ADMIN,
        "contracts": {"bond": bond, "coupons": coupons},
    }
    assert creation_result(logs[:1], FACTORY) is None


def test_operations_endpoint_refuses_creations() -> None:
    caller = Caller("user:1", frozenset({"admin"}), 1, None)
    item = {"kind": "create_asset", "contract": FACTORY, "params": {}, "priority": "normal"}
    with pytest.raises(OperationInvalid) as error:
        to_request("", item, caller, lambda _: 18)
    assert error.value.field == "kind" and "POST /api/v1/assets" in error.value.message
