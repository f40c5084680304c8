"""GET /ops/status reports the health of the RPC endpoints the API's own pool sends through:
one endpoint down shows as down, the other as serving, and no URL (nor its credentials)
leaves the API."""

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from rwakit.bench.scenario import Scenario
from rwakit.chain.anvil import free_loopback_port
from rwakit.chain.handles import SystemContracts
from rwakit.chain.rpc_pool import RpcPool
from rwakit.chain.rpc_provider import web3_for
from tests.integration.api.conftest import ApiStack

DEAD_PORT = free_loopback_port()  # nothing listens there
DEAD_URL = f"http://bench:hunter2@127.0.0.1:{DEAD_PORT}/v3/secret-project-key"


@pytest.fixture
def pool(deployed: Scenario) -> Iterator[RpcPool]:
    live = deployed.w3.provider.endpoint_uri
    # the dead endpoint first: it serves until its first failure opens its breaker
    pool = RpcPool([DEAD_URL, live], breaker_failures=1, probe_interval=None)
    yield pool
    pool.close()


@pytest.fixture
def client(api_stack: ApiStack, deployed: Scenario, pool: RpcPool) -> Iterator[TestClient]:
    """The API with its chain connection over ``pool`` (overrides conftest's client)."""
    contracts = SystemContracts(
        web3_for(pool), deployed.contracts.artifacts, deployed.contracts.deployment
    )
    stack = ApiStack(api_stack.settings, api_stack.redis_prefix, contracts)
    with TestClient(stack.app(), raise_server_exceptions=True) as test_client:
        yield test_client


def test_a_down_endpoint_shows_down_and_the_other_serving(
    client: TestClient, users: dict[str, dict[str, str]], deployed: Scenario
) -> None:
    response = client.get("/api/v1/ops/status", headers=users["admin"])
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["chain_head"] == deployed.w3.eth.block_number
    live_port = deployed.w3.provider.endpoint_uri.rsplit(":", 1)[1].strip("/")
    assert body["rpc_endpoints"] == [
        {
            "label": f"127.0.0.1:{DEAD_PORT}",
            "state": "open",
            "up": False,
            "serving": False,
            "head_block": None,
        },
        {
            "label": f"127.0.0.1:{live_port}",
            "state": "closed",
            "up": True,
            "serving": True,
            "head_block": body["chain_head"],
        },
    ]
    for secret in ("hunter2", "secret-project-key", "bench:"):
        assert secret not in response.text


def test_endpoint_health_is_for_admins_only(
    client: TestClient, users: dict[str, dict[str, str]]
) -> None:
    response = client.get("/api/v1/ops/status", headers=users["compliance_officer"])
    assert response.status_code == 403
    assert "rpc_endpoints" not in response.text
