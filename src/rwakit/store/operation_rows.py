"""Operation records as the store takes them in and hands them out."""

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import RowMapping

from rwakit.domain.operations import OperationState, Priority
from rwakit.store import input_checks


@dataclass(frozen=True)
class NewOperation:
    kind: str
    contract: str  # the 0x address the operation targets
    params: dict[str, Any]
    requester: str
    priority: Priority | int | str = Priority.NORMAL
    idempotency_key: str | None = None

    def to_row(self, accepted_at: float) -> dict[str, Any]:
        """The checked column values; raises ``ValueError`` naming the bad field."""
        if not isinstance(self.params, dict):
            raise ValueError(f"operation params must be a dict; got {type(self.params).__name__}")
        key = self.idempotency_key
        if key is not None:
            key = input_checks.text(key, "idempotency key")
        return {
            "idempotency_key": key,
            "kind": input_checks.text(self.kind, "operation kind", max_length=64),
            "contract": input_checks.address(self.contract, "contract"),
            "params": self.params,
            "requester": input_checks.text(self.requester, "requester"),
            "priority": int(Priority.parse(self.priority)),
            "state": int(OperationState.ACCEPTED),
            "accepted_at": accepted_at,
        }


@dataclass(frozen=True)
class OperationRow:
    id: int
    idempotency_key: str | None
    kind: str
    contract: str
    params: dict[str, Any] = field(hash=False)
    requester: str
    priority: Priority
    state: OperationState
    reason_code: str | None
    reason_message: str | None
    accepted_at: float
    submitted_at: float | None
    confirmed_at: float | None
    indexed_at: float | None
    failed_at: float | None
    batch_id: int | None
    tx_hash: str | None
    block_number: int | None
    gas_used: int | None
    result: dict[str, Any] | None = field(default=None, hash=False)  # what it made, if anything

    @classmethod
    def from_mapping(cls, row: RowMapping) -> "OperationRow":
        values = dict(row)
        values["priority"] = Priority(values["priority"])
        values["state"] = OperationState(values["state"])
        return cls(**values)
