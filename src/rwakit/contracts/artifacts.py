"""What compiling one contract yields, in a form that round-trips through JSON."""

from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class ContractArtifact:
    """Compiled contract; byte strings are 0x-prefixed hex."""

    name: str
    abi: list[dict[str, Any]]
    bytecode: str  # deploy (init) code: send it to create the contract
    runtime_bytecode: str  # the code that lives on chain after deployment
    # EIP-5202 blueprint (0xFE7100 + init code) wrapped in initcode that stores it as-is,
    # so a factory can `create_from_blueprint` copies.
    blueprint_bytecode: str

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "ContractArtifact":
        return cls(**data)
