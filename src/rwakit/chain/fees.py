"""EIP-1559 fees with a ceiling: above it, deferrable work waits and urgent work pays."""

from dataclasses import dataclass

from rwakit.domain.operations import Priority

GWEI = 10**9
# nodes accept a replacement only when both fees rise by at least 10 %
REPLACEMENT_BUMP = 1.125


@dataclass(frozen=True)
class FeePolicy:
    ceiling_base_fee: int = 20 * GWEI
    priority_fee: int = GWEI // 20

    def max_priority(self, base_fee: int) -> Priority:
        """The least urgent priority that may be sent at this base fee."""
        return Priority.DEFERRABLE if base_fee <= self.ceiling_base_fee else Priority.NORMAL

    def may_send(self, priority: int, base_fee: int) -> bool:
        return priority <= self.max_priority(base_fee)

    def fees(self, base_fee: int) -> tuple[int, int]:
        """(maxFeePerGas, maxPriorityFeePerGas): room for the base fee to double."""
        return 2 * base_fee + self.priority_fee, self.priority_fee

    def replacement(self, max_fee: int, tip: int, base_fee: int) -> tuple[int, int]:
        """Fees for re-sending a stuck transaction with the same nonce."""
        new_tip = max(int(tip * REPLACEMENT_BUMP) + 1, self.priority_fee)
        new_max = max(int(max_fee * REPLACEMENT_BUMP) + 1, 2 * base_fee + new_tip)
        return new_max, new_tip
