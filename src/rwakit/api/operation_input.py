"""From API operation input to ``OperationRequest``: decimal-string amounts to smallest
units, the caller's wallet as the sender of investor transfers, and who may ask for what."""

from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from rwakit.api.access import Caller
from rwakit.api.problems import Problem
from rwakit.api.roles import Role
from rwakit.domain.operation_requests import KINDS, OperationInvalid, OperationRequest

# Which roles may ask for which kind; "transfer" moves the caller's own custodial tokens.
KIND_ROLES: dict[str, frozenset[Role]] = {
    "mint": frozenset({Role.ADMIN, Role.ISSUER}),
    "burn": frozenset({Role.ADMIN, Role.ISSUER}),
    "transfer": frozenset(Role),
    "forced_transfer": frozenset({Role.ADMIN, Role.COMPLIANCE_OFFICER}),
    "freeze": frozenset({Role.ADMIN, Role.ISSUER, Role.COMPLIANCE_OFFICER}),
    "unfreeze": frozenset({Role.ADMIN, Role.ISSUER, Role.COMPLIANCE_OFFICER}),
    "freeze_partial": frozenset({Role.ADMIN, Role.ISSUER, Role.COMPLIANCE_OFFICER}),
    "unfreeze_partial": frozenset({Role.ADMIN, Role.ISSUER, Role.COMPLIANCE_OFFICER}),
    "register_identity": frozenset({Role.ADMIN, Role.COMPLIANCE_OFFICER}),
    "create_asset": frozenset({Role.ADMIN, Role.ISSUER}),
}
assert set(KIND_ROLES) == set(KINDS), "every operation kind needs its roles"


def smallest_units(field: str, value: Any, decimals: int) -> int:
    """``"1.5"`` with 6 decimals → 1500000; anything else is an ``OperationInvalid``."""
    if not isinstance(value, str):
        raise OperationInvalid(field, 'must be a decimal string such as "12.5"')
    try:
        amount = Decimal(value.strip())
    except InvalidOperation:
        raise OperationInvalid(field, f"{value!r} is not a decimal number") from None
    if not amount.is_finite() or amount <= 0:
        raise OperationInvalid(field, "must be more than 0")
    scaled = amount.scaleb(decimals)
    if scaled != scaled.to_integral_value():
        raise OperationInvalid(field, f"has more than {decimals} decimal places")
    return int(scaled)


def to_request(
    index: str,
    item: dict[str, Any],
    caller: Caller,
    decimals_of: Callable[[str], int],
) -> OperationRequest:
    kind = KINDS.get(item["kind"])
    if kind is None:
        raise OperationInvalid(f"{index}kind", f"unknown kind; one of {', '.join(KINDS)}")
    if not caller.roles & KIND_ROLES[kind.name]:
        raise Problem(403, "forbidden", f"your role may not request {kind.name} operations")
    if kind.name == "create_asset":
        # its amounts need the denomination's decimals and its target the right factory
        raise OperationInvalid(f"{index}kind", "assets are created with POST /api/v1/assets")
    params = dict(item["params"])
    if kind.name == "transfer":
        if caller.wallet is None:
            raise Problem(403, "no_wallet", "transfers move the caller's custodial tokens")
        sender = params.setdefault("from", caller.wallet)
        if not isinstance(sender, str) or sender.lower() != caller.wallet.lower():
            raise Problem(403, "not_your_wallet", "you can only transfer from your own wallet")
    if kind.amount_field and kind.amount_field in params:
        try:
            decimals = decimals_of(item["contract"])
        except LookupError:
            raise OperationInvalid(
                f"{index}contract", "is not a token of this deployment", "unknown_token"
            ) from None
        params[kind.amount_field] = smallest_units(
            f"{index}params.{kind.amount_field}", params[kind.amount_field], decimals
        )
    return OperationRequest(
        kind.name,
        item["contract"],
        params,
        caller.subject,
        item["priority"],
        item.get("idempotency_key"),
    )
