"""Contract objects for bonds, coupon schedules, distributions and payment tokens, and
the calls that drive corporate actions (pushes in the address order the contracts need)."""

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from web3 import Web3
from web3.contract import Contract

from rwakit.chain.transactor import Transactor
from rwakit.contracts.artifacts import ContractArtifact
from rwakit.domain.asset_types import push_order

# a push of 1,000 holders costs about 12 M gas: well inside a 30 M block
PUSH_BATCH = 1000


@dataclass
class CorporateActionContracts:
    """Builds each contract object once (web3 takes tens of milliseconds per object)."""

    w3: Web3
    artifacts: dict[str, ContractArtifact]
    _cache: dict[tuple[str, str], Contract] = field(default_factory=dict)

    def _at(self, name: str, address: str) -> Contract:
        key = (name, address.lower())
        if key not in self._cache:
            self._cache[key] = self.w3.eth.contract(
                address=Web3.to_checksum_address(address), abi=self.artifacts[name].abi
            )
        return self._cache[key]

    def bond(self, address: str) -> Contract:
        return self._at("Bond", address)

    def coupons(self, address: str) -> Contract:
        return self._at("FixedYield", address)

    def distribution(self, address: str) -> Contract:
        return self._at("Distribution", address)

    def payment_token(self, address: str) -> Contract:
        return self._at("PaymentToken", address)

    def offering(self, address: str) -> Contract:
        return self._at("Offering", address)

    def voting(self, address: str) -> Contract:
        return self._at("Voting", address)

    def collateral_minter(self, address: str) -> Contract:
        return self._at("CollateralMinter", address)

    def fund_fee(self, address: str) -> Contract:
        return self._at("FundFee", address)

    def airdrop(self, address: str) -> Contract:
        return self._at("Airdrop", address)

    def settlement(self, address: str) -> Contract:
        return self._at("Settlement", address)

    def vault(self, address: str) -> Contract:
        return self._at("Vault", address)

    def asset_factory(self, address: str) -> Contract:
        return self._at("AssetFactory", address)


def deploy_payment_token(
    tx: Transactor,
    artifacts: dict[str, ContractArtifact],
    name: str = "Test Dollar",
    symbol: str = "TUSD",
    decimals: int = 6,
) -> str:
    """A plain ERC-20 settlement asset; the deployer may mint it."""
    artifact = artifacts["PaymentToken"]
    initcode = (
        tx.w3.eth.contract(abi=artifact.abi, bytecode=artifact.bytecode)
        .constructor(name, symbol, decimals)
        .data_in_transaction
    )
    return tx.deploy(initcode)


def push_batches(holders: Sequence[str], size: int = PUSH_BATCH) -> Iterator[list[str]]:
    """Holders in push order, in batches of at most `size` (each batch one transaction)."""
    ordered = push_order(list(holders))
    for start in range(0, len(ordered), size):
        yield ordered[start : start + size]


def push_coupons(tx: Transactor, coupons: Contract, period: int, holders: Sequence[str]) -> int:
    """Pay `period` to every holder (all of them: skipped addresses lose the push); gas used."""
    gas = 0
    for batch in push_batches(holders):
        gas += tx.transact(coupons.functions.push(period, batch))["gasUsed"]
    return gas


def push_distribution(
    tx: Transactor, distribution: Contract, distribution_id: int, holders: Sequence[str]
) -> int:
    gas = 0
    for batch in push_batches(holders):
        gas += tx.transact(distribution.functions.push(distribution_id, batch))["gasUsed"]
    return gas
