"""Which contracts' operations a worker batches, when several workers share the load.

Each worker signs with its own key and owns the contracts whose address hashes to its
partition index. A contract always belongs to exactly one partition, so one signer
relays each token's transfers (the investors' authorization nonces stay in one place),
and new tokens spread over the workers without any configuration.
"""

from dataclasses import dataclass

from eth_utils import keccak


@dataclass(frozen=True)
class ContractPartition:
    index: int = 0
    count: int = 1

    def __post_init__(self) -> None:
        if self.count < 1 or not 0 <= self.index < self.count:
            raise ValueError(
                f"partition {self.index}/{self.count} is not valid: "
                "use i/n with n ≥ 1 and 0 ≤ i < n"
            )

    @classmethod
    def parse(cls, text: str) -> "ContractPartition":
        """From ``"i/n"``, e.g. ``"0/2"`` for the first of two workers."""
        index, slash, count = text.strip().partition("/")
        if not slash or not index.isdigit() or not count.isdigit():
            raise ValueError(f"partition {text!r} is not of the form i/n, e.g. 0/2")
        return cls(int(index), int(count))

    @property
    def everything(self) -> bool:
        return self.count == 1

    def owns(self, contract: str) -> bool:
        if self.everything:
            return True
        digest = keccak(bytes.fromhex(contract.lower().removeprefix("0x")))
        return int.from_bytes(digest[:8], "big") % self.count == self.index

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"
