"""Operation requests: every state-changing request becomes one, validated here at the edge.

An operation is a business action (mint 10 units to Alice) that the batcher later folds
into one batch transaction with others of its kind on the same contract. Creating an
asset is one too: it targets the factory that makes it (the AssetFactory; a deposit
token's, the TokenFactory) and goes out one per transaction.
"""

import re
from dataclasses import dataclass
from typing import Any

from rwakit.domain.asset_requests import ALL_TERMS, COMMON, AssetParamsInvalid, asset_params
from rwakit.domain.operations import Priority

ADDRESS = re.compile(r"^0x[0-9a-fA-F]{40}$")
HEX32 = re.compile(r"^0x[0-9a-fA-F]{64}$")
MAX_AMOUNT = 2**96 - 1  # the token keeps balances in 96 bits
MAX_SUBMIT = 10_000


class OperationInvalid(ValueError):
    """Bad input, named by field: nothing was stored."""

    def __init__(self, field_name: str, message: str, code: str = "invalid_operation") -> None:
        super().__init__(f"{field_name}: {message}")
        self.field = field_name
        self.message = message
        self.code = code


@dataclass(frozen=True)
class Kind:
    """What an operation kind needs; `target` is the contract it runs on."""

    name: str
    target: str  # "token", "registry" or "factory"
    fields: tuple[str, ...]
    amount_field: str | None = None
    optional: tuple[str, ...] = ()


KINDS: dict[str, Kind] = {
    k.name: k
    for k in (
        Kind("mint", "token", ("to", "amount"), "amount"),
        Kind("burn", "token", ("from", "amount"), "amount"),
        Kind("transfer", "token", ("from", "to", "amount"), "amount"),
        Kind("forced_transfer", "token", ("from", "to", "amount"), "amount"),
        Kind("freeze", "token", ("account",)),
        Kind("unfreeze", "token", ("account",)),
        Kind("freeze_partial", "token", ("account", "amount"), "amount"),
        Kind("unfreeze_partial", "token", ("account", "amount"), "amount"),
        Kind(
            "register_identity", "registry", ("wallet", "identity_id", "country"), None, ("claims",)
        ),
        # the terms depend on the asset type: asset_requests checks them
        Kind("create_asset", "factory", COMMON, None, tuple(sorted(ALL_TERMS))),
    )
}
ADDRESS_FIELDS = {"to", "from", "account", "wallet"}


@dataclass(frozen=True)
class OperationRequest:
    kind: str
    contract: str
    params: dict[str, Any]
    requester: str
    priority: Priority = Priority.NORMAL
    idempotency_key: str | None = None


def _address(field_name: str, value: Any) -> str:
    if not isinstance(value, str) or not ADDRESS.match(value):
        raise OperationInvalid(field_name, f"{value!r} is not a 0x-prefixed 20-byte address")
    if int(value, 16) == 0:
        raise OperationInvalid(field_name, "the zero address is not a party")
    return value.lower()


def _integer(field_name: str, value: Any, low: int, high: int, what: str) -> int:
    # ints only below the API: "1.5" or 1.5 here means a caller skipped unit conversion
    if isinstance(value, bool) or not isinstance(value, int):
        raise OperationInvalid(field_name, f"{value!r} is not an integer {what}")
    if not low <= value <= high:
        raise OperationInvalid(field_name, f"must be between {low} and {high}")
    return value


def _claim_set(value: Any) -> dict[str, Any]:
    """An issuer-signed claim set: {topics: [0x…32 bytes], expiry, v, r, s}."""
    if not isinstance(value, dict) or set(value) != {"topics", "expiry", "v", "r", "s"}:
        raise OperationInvalid("claims", "must hold exactly topics, expiry, v, r and s")
    topics = value["topics"]
    if not isinstance(topics, list) or not 1 <= len(topics) <= 6:
        raise OperationInvalid("claims.topics", "must list 1-6 topic ids")
    for topic in topics:
        if not isinstance(topic, str) or not HEX32.match(topic):
            raise OperationInvalid("claims.topics", f"{topic!r} is not a 0x-prefixed 32-byte id")
    for name in ("r", "s"):
        if not isinstance(value[name], str) or not HEX32.match(value[name]):
            raise OperationInvalid(f"claims.{name}", "must be 0x-prefixed 32 bytes")
    if value["v"] not in (27, 28):
        raise OperationInvalid("claims.v", "must be 27 or 28")
    _integer("claims.expiry", value["expiry"], 1, 2**32 - 1, "unix time")
    return dict(value)


def validate(request: OperationRequest) -> OperationRequest:
    """The request with normalised params, or OperationInvalid naming the bad field."""
    kind = KINDS.get(request.kind)
    if kind is None:
        raise OperationInvalid("kind", f"unknown kind {request.kind!r}; one of {', '.join(KINDS)}")
    contract = _address("contract", request.contract)
    try:
        priority = Priority.parse(request.priority)
    except ValueError as exc:
        raise OperationInvalid("priority", str(exc)) from None
    key = request.idempotency_key
    if key is not None and (not isinstance(key, str) or not key.strip() or len(key) > 200):
        raise OperationInvalid("idempotency_key", "must be 1-200 characters, not all blank")
    requester = request.requester
    if not isinstance(requester, str) or not requester.strip() or len(requester) > 200:
        raise OperationInvalid("requester", "must be 1-200 characters, not all blank")
    if not isinstance(request.params, dict):
        raise OperationInvalid("params", "must be an object")
    if kind.name == "create_asset":
        try:
            params = asset_params(request.params, _address)
        except AssetParamsInvalid as exc:
            raise OperationInvalid(exc.field, exc.message) from None
        return OperationRequest(kind.name, contract, params, requester, priority, key)
    missing = [f for f in kind.fields if f not in request.params]
    if missing:
        raise OperationInvalid(missing[0], "is required")
    unknown = set(request.params) - set(kind.fields) - set(kind.optional)
    if unknown:
        raise OperationInvalid(sorted(unknown)[0], f"is not a field of {kind.name}")
    params: dict[str, Any] = {}
    for name in kind.fields:
        value = request.params[name]
        if name in ADDRESS_FIELDS:
            params[name] = _address(name, value)
        elif name == kind.amount_field:
            params[name] = _integer(name, value, 1, MAX_AMOUNT, "amount in smallest units")
        elif name == "country":
            params[name] = _integer(name, value, 1, 999, "ISO 3166 numeric country code")
        elif name == "identity_id":
            params[name] = _integer(name, value, 1, 2**32 - 1, "identity id")
    if "claims" in request.params:
        params["claims"] = _claim_set(request.params["claims"])
    if kind.name in ("transfer", "forced_transfer") and params["from"] == params["to"]:
        raise OperationInvalid("to", "sender and receiver are the same")
    return OperationRequest(kind.name, contract, params, request.requester, priority, key)


def validate_many(requests: list[OperationRequest]) -> list[OperationRequest]:
    if not requests:
        raise OperationInvalid("operations", "at least one operation is required")
    if len(requests) > MAX_SUBMIT:
        raise OperationInvalid("operations", f"at most {MAX_SUBMIT} per request")
    out = []
    for index, request in enumerate(requests):
        try:
            out.append(validate(request))
        except OperationInvalid as exc:
            raise OperationInvalid(f"operations[{index}].{exc.field}", exc.message) from None
    return out
