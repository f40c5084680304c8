"""Many contract reads in one ``eth_call`` through the deployed Multicall contract.

A page that shows supply, holders and balances of several tokens would otherwise cost one
round trip per figure; batched, it costs one, and every figure comes from the same block.
"""

from dataclasses import dataclass, field
from typing import Any

from eth_abi import decode
from eth_utils.abi import get_abi_output_types
from web3.contract import Contract
from web3.contract.contract import ContractFunction

MAX_CALLS = 256  # Multicall.vy's bound on one aggregate
MAX_RETURN_BYTES = 1024  # Multicall.vy truncates longer answers


@dataclass
class MulticallBatch:
    """Collect view calls with ``add``, then ``run`` them together and read decoded answers.

    A call added with ``allow_failure`` answers None when it reverts; any other failing call
    makes the whole batch fail, as a plain call would.
    """

    multicall: Contract
    _calls: list[tuple[ContractFunction, bool]] = field(default_factory=list)

    def add(self, call: ContractFunction, allow_failure: bool = False) -> int:
        """Queue a call; returns the index of its answer in ``run``'s result list."""
        self._calls.append((call, allow_failure))
        return len(self._calls) - 1

    def __len__(self) -> int:
        return len(self._calls)

    def run(self, block_identifier: int | str = "latest") -> list[Any]:
        if len(self._calls) > MAX_CALLS and block_identifier == "latest":
            # several aggregates must still describe one block
            block_identifier = self.multicall.w3.eth.block_number
        results: list[Any] = []
        for start in range(0, len(self._calls), MAX_CALLS):
            chunk = self._calls[start : start + MAX_CALLS]
            encoded = [
                (call.address, allow_failure, call._encode_transaction_data())
                for call, allow_failure in chunk
            ]
            answers = self.multicall.functions.aggregate(encoded).call(
                block_identifier=block_identifier
            )
            results += [
                _decode(call, data) if ok else None
                for (call, _), (ok, data) in zip(chunk, answers, strict=True)
            ]
        return results


def _decode(call: ContractFunction, data: bytes) -> Any:
    values = decode(get_abi_output_types(call.abi), data)
    return values[0] if len(values) == 1 else values
