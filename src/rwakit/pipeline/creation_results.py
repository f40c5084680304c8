"""What a confirmed `create_asset` made, read from its receipt's logs: the factory's
creation events name the token and each companion contract in their indexed topics (and a
bond's coupon schedule in the first data word), so no ABI decoding is needed."""

from typing import Any

from eth_utils import keccak

ZERO = "0x" + "00" * 20


def _topic(signature: str) -> str:
    return "0x" + keccak(text=signature).hex()


# topic0 → the companion each indexed topic after the token names ("admin": the token's)
EVENTS: dict[str, tuple[str, ...]] = {
    _topic("TokenCreated(address,address,address,string,string,string,uint8)"): ("admin",),
    _topic(
        "BondCreated(address,address,address,address,address,uint256,uint256,uint256,"
        "uint256,uint256,uint256,uint256,uint256,string,string,uint8)"
    ): ("bond", "admin"),
    _topic(
        "DistributingTokenCreated(address,address,address,string,uint256,string,string,uint8)"
    ): (
        "distribution",
        "admin",
    ),
    _topic("FundFeeCreated(address,address,uint256,address)"): ("fee",),
    _topic("StablecoinCreated(address,address,address,bytes32,string,string,uint8)"): (
        "minter",
        "admin",
    ),
    _topic("EquityCreated(address,address,string,uint256)"): ("voting",),
}
BOND_CREATED = next(t for t, names in EVENTS.items() if names[0] == "bond")


def _address(word: str) -> str:
    return "0x" + word[-40:].lower()


def creation_result(logs: list[dict[str, Any]], factory: str) -> dict[str, Any] | None:
    """``{"token", "admin", "contracts": {role: address}}`` from the events ``factory``
    logged, or None when it logged no creation."""
    token, admin, contracts = None, None, {}
    for log in logs:
        topics = log["topics"]
        if log["address"].lower() != factory.lower() or not topics:
            continue
        names = EVENTS.get(topics[0].lower())
        if names is None:
            continue
        token = _address(topics[1])
        for name, topic in zip(names, topics[2:], strict=False):
            if name == "admin":
                admin = _address(topic)
            else:
                contracts[name] = _address(topic)
        if topics[0].lower() == BOND_CREATED:
            coupons = _address(log["data"][2:66])
            if coupons != ZERO:
                contracts["coupons"] = coupons
    if token is None:
        return None
    return {"token": token, "admin": admin, "contracts": contracts}
