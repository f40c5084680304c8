"""Send transactions from one local key and wait for them, with readable failures."""

from dataclasses import dataclass
from typing import Any

from eth_account import Account
from eth_account.signers.local import LocalAccount
from web3 import Web3
from web3.contract.contract import ContractFunction
from web3.exceptions import ContractLogicError

from rwakit.errors import RwakitError


class TransactionFailed(RwakitError):
    """A transaction reverted or could not be sent; the message carries the contract's reason."""

    def __init__(self, message: str, reason: str | None = None) -> None:
        super().__init__(message)
        self.reason = reason


@dataclass
class Transactor:
    """Signs locally (keys never leave the process); sends one transaction at a time.

    The nonce is read from the node before each send, so a chain reverted to a snapshot
    (tests) or shared with another sender never leaves it stale.
    """

    w3: Web3
    account: LocalAccount
    receipt_timeout: float = 120.0

    @classmethod
    def from_key(cls, w3: Web3, private_key: str | bytes) -> "Transactor":
        return cls(w3, Account.from_key(private_key))

    @property
    def address(self) -> str:
        return self.account.address

    def transact(self, call: ContractFunction, gas: int | None = None) -> dict[str, Any]:
        """Send a contract call and return its receipt; raises TransactionFailed on revert."""
        return self.wait(self.submit(call, gas))

    def submit(self, call: ContractFunction, gas: int | None = None) -> "Pending":
        """Sign and send a contract call without waiting for it.

        Independent transactions submitted back to back share a block, so a chain with a
        block time (rather than automine) is not one block per transaction. Wait with ``wait``.
        """
        try:
            tx = call.build_transaction({"from": self.address, "nonce": 0, "gas": gas or 1})
            if gas is None:
                tx["gas"] = self._estimate({k: v for k, v in tx.items() if k != "gas"})
        except ContractLogicError as exc:
            raise TransactionFailed(
                f"{call.fn_name} would revert: {_reason(exc)}", _reason(exc)
            ) from None
        return self.submit_tx(tx, label=call.fn_name)

    def deploy(self, initcode: str | bytes, gas: int | None = None) -> str:
        """Deploy raw initcode; returns the new contract's address."""
        data = initcode if isinstance(initcode, str) else "0x" + initcode.hex()
        tx: dict[str, Any] = {"from": self.address, "data": data}
        tx["gas"] = gas or self._estimate(tx)
        receipt = self.send(tx, label="deploy")
        return receipt["contractAddress"]

    def _estimate(self, tx: dict[str, Any]) -> int:
        try:
            # estimates are exact on anvil; the margin covers state moving under us
            return int(self.w3.eth.estimate_gas(tx) * 1.2) + 10_000
        except ContractLogicError as exc:
            raise TransactionFailed(
                f"transaction would revert: {_reason(exc)}", _reason(exc)
            ) from None

    def send(self, tx: dict[str, Any], label: str = "transaction") -> dict[str, Any]:
        return self.wait(self.submit_tx(tx, label))

    def submit_tx(self, tx: dict[str, Any], label: str = "transaction") -> "Pending":
        """Sign and send a transaction dict (estimating its gas if it names none)."""
        tx = {"from": self.address, **tx}
        if "gas" not in tx:
            tx["gas"] = self._estimate(tx)
        tx.setdefault("chainId", self.w3.eth.chain_id)
        # "pending" counts our transactions still in the pool, so back-to-back submits chain up
        tx["nonce"] = self.w3.eth.get_transaction_count(self.address, "pending")
        if "gasPrice" not in tx and "maxFeePerGas" not in tx:
            base = self.w3.eth.get_block("latest")["baseFeePerGas"]
            tx["maxPriorityFeePerGas"] = 1
            tx["maxFeePerGas"] = base * 2 + 1
        signed = self.account.sign_transaction(tx)
        return Pending(self.w3.eth.send_raw_transaction(signed.raw_transaction), label)

    def wait(self, pending: "Pending") -> dict[str, Any]:
        """The receipt of a submitted transaction; raises TransactionFailed if it reverted."""
        receipt = self.w3.eth.wait_for_transaction_receipt(
            pending.tx_hash, timeout=self.receipt_timeout
        )
        if receipt["status"] != 1:
            raise TransactionFailed(f"{pending.label} reverted in block {receipt['blockNumber']}")
        return receipt


@dataclass(frozen=True)
class Pending:
    """A sent transaction not yet waited for."""

    tx_hash: bytes
    label: str


def _reason(exc: ContractLogicError) -> str:
    message = str(exc.message if getattr(exc, "message", None) else exc)
    return (
        message.removeprefix("execution reverted: ").removeprefix("execution reverted")
        or "no reason given"
    )
