"""Web3 contract objects for a deployment, including tokens' combined ABI."""

from dataclasses import dataclass
from typing import Any

from web3 import Web3
from web3.contract import Contract

from rwakit.chain.deploy import Deployment
from rwakit.contracts.artifacts import ContractArtifact


def token_abi(artifacts: dict[str, ContractArtifact]) -> list[dict[str, Any]]:
    """A token answers its own functions and, through its fallback, the admin extension's."""
    core = artifacts["SecurityToken"].abi
    names = {(item["type"], item.get("name")) for item in core}
    extension = [
        item
        for item in artifacts["SecurityTokenAdmin"].abi
        if item["type"] in ("function", "event") and (item["type"], item.get("name")) not in names
    ]
    return [*core, *extension]


@dataclass
class SystemContracts:
    w3: Web3
    artifacts: dict[str, ContractArtifact]
    deployment: Deployment

    def __post_init__(self) -> None:
        self._token_abi = token_abi(self.artifacts)
        # web3 builds a contract object from its ABI in tens of milliseconds: build each once
        self._contracts: dict[tuple[str, str], Contract] = {}

    def _contract(self, address: str, name: str, abi: list[dict[str, Any]]) -> Contract:
        key = (name, address.lower())
        if key not in self._contracts:
            checksum = Web3.to_checksum_address(address)
            self._contracts[key] = self.w3.eth.contract(address=checksum, abi=abi)
        return self._contracts[key]

    def _at(self, name: str, address: str) -> Contract:
        return self._contract(address, name, self.artifacts[name].abi)

    @property
    def registry(self) -> Contract:
        return self._at("IdentityRegistry", self.deployment.registry)

    @property
    def factory(self) -> Contract:
        return self._at("TokenFactory", self.deployment.factory)

    @property
    def multicall(self) -> Contract:
        return self._at("Multicall", self.deployment.multicall)

    def token(self, address: str) -> Contract:
        return self._contract(address, "SecurityToken", self._token_abi)
