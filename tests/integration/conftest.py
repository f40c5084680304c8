"""Fixtures for integration tests outside the contract suites (which have their own)."""

import pytest

from rwakit.contracts.artifacts import ContractArtifact
from rwakit.contracts.build import load_artifacts


@pytest.fixture(scope="session")
def artifacts() -> dict[str, ContractArtifact]:
    return load_artifacts()
