"""A deployed system with a compliant token, built once per test session and reverted
after every test by `chain_snapshot`."""

import pytest
from web3 import Web3
from web3.contract import Contract

from rwakit.bench.scenario import Scenario
from rwakit.contracts.artifacts import ContractArtifact
from rwakit.contracts.build import load_artifacts


@pytest.fixture(scope="session")
def artifacts() -> dict[str, ContractArtifact]:
    return load_artifacts()


@pytest.fixture(scope="session")
def deployed(w3: Web3, artifacts: dict[str, ContractArtifact]) -> Scenario:
    """Registry, factory and a token ("KYC AND AML", US/GB/DE/FR/CH allowed, 100,000 holders)."""
    return Scenario.deploy(w3, artifacts)


@pytest.fixture
def scenario(deployed: Scenario, chain_snapshot: Web3) -> Scenario:
    """The deployed system, with every change this test makes reverted afterwards."""
    return deployed


@pytest.fixture(scope="session")
def token(deployed: Scenario) -> Contract:
    """The scenario token's contract object, built once: `Scenario.token` rebuilds the merged
    ABI on every access (tens of milliseconds)."""
    return deployed.token


@pytest.fixture(scope="session")
def registry(deployed: Scenario) -> Contract:
    return deployed.contracts.registry
