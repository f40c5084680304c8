"""Fixtures for integration tests outside the contract suites (which have their own)."""

import shutil
from pathlib import Path

import pytest

from rwakit.contracts.artifacts import ContractArtifact
from rwakit.contracts.build import build_contracts, load_artifacts


@pytest.fixture(scope="session")
def artifacts() -> dict[str, ContractArtifact]:
    return load_artifacts()


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A fresh RWAKIT_DATA_DIR holding a copy of the build cache, so a child `rwakit` process
    records its own deployments without compiling every contract again."""
    report = build_contracts()
    if report.cache_file is not None:
        (tmp_path / "build").mkdir()
        shutil.copy(report.cache_file, tmp_path / "build" / report.cache_file.name)
    return tmp_path
