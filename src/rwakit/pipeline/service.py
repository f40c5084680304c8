"""The operation service the HTTP API and benchmarks call: submit, get, wait.

Submitting validates at the edge and commits operation rows; it never talks to the
chain. A repeated idempotency key returns the operation already recorded for it.
"""

import time
from collections.abc import Callable, Iterable, Sequence

from sqlalchemy import Engine

from rwakit.domain.asset_types import AssetType
from rwakit.domain.operation_requests import (
    KINDS,
    OperationInvalid,
    OperationRequest,
    validate_many,
)
from rwakit.domain.operations import OperationState
from rwakit.pipeline.fault_points import crash_if
from rwakit.store.operation_rows import NewOperation, OperationRow
from rwakit.store.operations import OperationStore

FINAL = (OperationState.CONFIRMED, OperationState.INDEXED, OperationState.FAILED)


class OperationService:
    def __init__(
        self,
        engine: Engine,
        *,
        registry: str,
        is_token: Callable[[str], bool],
        token_factory: str | None = None,
        asset_factory: str | None = None,
    ) -> None:
        self.store = OperationStore(engine)
        self.registry = registry.lower()
        self._is_token = is_token
        self._known_tokens: set[str] = set()
        self.set_factories(token_factory, asset_factory)

    def set_factories(self, token_factory: str | None, asset_factory: str | None) -> None:
        """Where `create_asset` operations go: deposit tokens to the TokenFactory, every
        other type to the AssetFactory; without them creations are refused."""
        self.token_factory = token_factory.lower() if token_factory else None
        self.asset_factory = asset_factory.lower() if asset_factory else None

    def _check_factory(self, index: int, request: OperationRequest) -> None:
        asset_type = request.params["asset_type"]
        deposit = asset_type == AssetType.DEPOSIT
        factory = self.token_factory if deposit else self.asset_factory
        name = "TokenFactory" if deposit else "AssetFactory"
        if factory is None:
            raise OperationInvalid(
                f"operations[{index}].contract",
                f"creating a {asset_type} needs the {name}; none is configured",
                "asset_factory_unavailable",
            )
        if request.contract != factory:
            raise OperationInvalid(
                f"operations[{index}].contract", f"a {asset_type} is created by {factory}"
            )

    def _check_target(self, index: int, request: OperationRequest) -> None:
        target = KINDS[request.kind].target
        if target == "factory":
            self._check_factory(index, request)
            return
        if target == "registry":
            if request.contract != self.registry:
                raise OperationInvalid(
                    f"operations[{index}].contract", "identity operations target the registry"
                )
            return
        if request.contract not in self._known_tokens:
            if not self._is_token(request.contract):
                raise OperationInvalid(
                    f"operations[{index}].contract",
                    "is not a token of this deployment",
                    "unknown_token",
                )
            self._known_tokens.add(request.contract)

    def submit_many(self, requests: Sequence[OperationRequest]) -> list[int]:
        """Operation ids in request order; all or nothing is stored."""
        valid = validate_many(list(requests))
        for index, request in enumerate(valid):
            self._check_target(index, request)
        ids = self.store.insert(
            [
                NewOperation(
                    r.kind, r.contract, r.params, r.requester, r.priority, r.idempotency_key
                )
                for r in valid
            ]
        )
        crash_if("after_intake")
        return ids

    def submit(self, request: OperationRequest) -> int:
        return self.submit_many([request])[0]

    def get(self, op_id: int) -> OperationRow | None:
        return self.store.get(op_id)

    def wait(
        self, op_ids: Iterable[int], timeout: float, states: Sequence[OperationState] = FINAL
    ) -> dict[int, OperationRow]:
        """Poll until every op reaches one of `states`; TimeoutError names the stragglers."""
        wanted = list(op_ids)
        deadline = time.monotonic() + timeout
        while True:
            rows = self.store.get_many(wanted)
            waiting = [i for i in wanted if i not in rows or rows[i].state not in states]
            if not waiting:
                return rows
            if time.monotonic() > deadline:
                raise TimeoutError(
                    f"{len(waiting)} operations not done after {timeout}s (first: {waiting[:5]})"
                )
            time.sleep(0.05)
