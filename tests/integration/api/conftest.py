"""The API in-process (FastAPI TestClient) on two stacks: SQLite with the in-process cache
and limits, and PostgreSQL with Redis. Each test gets empty tables and its own Redis key
prefix, removed afterwards."""

import secrets
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import redis
from argon2 import PasswordHasher
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text
from web3 import Web3

from rwakit.api.app import create_app
from rwakit.api.credentials import Passwords
from rwakit.api.dependencies import ApiDependencies
from rwakit.api.wiring import attach_deployment, build_dependencies
from rwakit.bench.scenario import Scenario
from rwakit.chain.asset_creation import deploy_asset_factory
from rwakit.chain.corporate_actions import deploy_payment_token
from rwakit.chain.handles import SystemContracts
from rwakit.config import Settings
from rwakit.contracts.artifacts import ContractArtifact
from rwakit.store.engine import make_engine
from rwakit.store.migrate import upgrade
from rwakit.store.schema import metadata
from tests.integration.store.conftest import scratch_database

REDIS_URL = "redis://127.0.0.1:6379/0"
STACKS = ["sqlite+memory", "postgresql+redis"]
PASSWORD = "correct horse battery staple"


@pytest.fixture(scope="session")
def deployed(w3: Web3, artifacts: dict[str, ContractArtifact]) -> Scenario:
    """A deployment with one unpaused bond token on the session anvil (read-only here)."""
    return Scenario.deploy(w3, artifacts)


@pytest.fixture(scope="session")
def token(deployed: Scenario) -> str:
    return deployed.token_address.lower()


@pytest.fixture(scope="session")
def registry(deployed: Scenario) -> str:
    return deployed.contracts.deployment.registry.lower()


@pytest.fixture(scope="session", params=STACKS)
def stack(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    database = request.param.split("+")[0]
    with scratch_database(database, tmp_path_factory.mktemp("api-db")) as url:
        upgrade(url)
        yield request.param, url


@pytest.fixture(scope="session")
def stack_engine(stack: tuple[str, str]) -> Iterator[Engine]:
    engine = make_engine(stack[1], pool_size=2)
    yield engine
    engine.dispose()


@pytest.fixture
def redis_prefix(stack: tuple[str, str]) -> Iterator[str]:
    prefix = f"rwakit-test-{uuid.uuid4().hex[:12]}:"
    yield prefix
    if "redis" in stack[0]:
        client = redis.Redis.from_url(REDIS_URL)
        keys = list(client.scan_iter(match=f"{prefix}*", count=1000))
        if keys:
            client.delete(*keys)
        client.close()


@dataclass
class ApiStack:
    """Builds app instances over one database (and one Redis prefix, when on Redis)."""

    settings: Settings
    redis_prefix: str
    contracts: SystemContracts

    def deps(self) -> ApiDependencies:
        deps, _closers = build_dependencies(self.settings, redis_prefix=self.redis_prefix)
        # Cheap argon2 parameters: the tests exercise the flow, not the hash cost.
        deps.passwords = Passwords(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
        attach_deployment(deps, self.contracts)
        return deps

    def app(self, deps: ApiDependencies | None = None) -> FastAPI:
        return create_app(deps or self.deps())


@pytest.fixture
def api_stack(
    stack: tuple[str, str],
    stack_engine: Engine,
    redis_prefix: str,
    tmp_path: Path,
    deployed: Scenario,
) -> Iterator[ApiStack]:
    kind, url = stack
    settings = Settings(
        data_dir=tmp_path,
        database_url=url,
        database_pool_size=4,
        redis_url=REDIS_URL if "redis" in kind else None,
        jwt_secret=secrets.token_hex(32),
        wallet_key=secrets.token_hex(32),
        rate_limit_ip="1000/minute",
    )
    yield ApiStack(settings, redis_prefix, deployed.contracts)
    with stack_engine.begin() as conn:
        if stack_engine.dialect.name == "postgresql":
            names = ", ".join(table.name for table in metadata.sorted_tables)
            conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in reversed(metadata.sorted_tables):
                conn.execute(table.delete())


@pytest.fixture
def client(api_stack: ApiStack) -> Iterator[TestClient]:
    with TestClient(api_stack.app(), raise_server_exceptions=True) as test_client:
        yield test_client


def register(client: TestClient, email: str, password: str = PASSWORD) -> dict:
    response = client.post("/api/v1/auth/register", json={"email": email, "password": password})
    assert response.status_code == 201, response.text
    return response.json()


def login(client: TestClient, email: str, password: str = PASSWORD) -> dict:
    response = client.post("/api/v1/auth/token", json={"email": email, "password": password})
    assert response.status_code == 200, response.text
    return response.json()


def bearer(tokens: dict) -> dict[str, str]:
    return {"Authorization": f"Bearer {tokens['access_token']}"}


@pytest.fixture
def users(client: TestClient) -> dict[str, dict[str, str]]:
    """Headers of one user per role (the first registered is the admin)."""
    register(client, "admin@example.com")
    admin = bearer(login(client, "admin@example.com"))
    headers = {"admin": admin}
    for role in ("issuer", "compliance_officer", "investor"):
        user = register(client, f"{role}@example.com")
        if role != "investor":
            response = client.put(
                f"/api/v1/users/{user['id']}/role", json={"role": role}, headers=admin
            )
            assert response.status_code == 200, response.text
        headers[role] = bearer(login(client, f"{role}@example.com"))
    return headers


def assert_problem(response, status: int, code: str | None = None) -> dict:  # type: ignore[no-untyped-def]
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == status
    if code is not None:
        assert body["code"] == code, body
    return body


@pytest.fixture(scope="session")
def issuance(deployed: Scenario) -> tuple[str, str]:
    """An AssetFactory the deployment's operator owns, and a 6-decimal cash token."""
    op, artifacts = deployed.operator, deployed.contracts.artifacts
    factory = deploy_asset_factory(op, artifacts, deployed.contracts)
    return factory, deploy_payment_token(op, artifacts).lower()
