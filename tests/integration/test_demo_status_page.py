"""The demo `rwakit up` seeds, and the status page that shows it, against the test anvil."""

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import httpx
import pytest
from web3 import HTTPProvider, Web3
from web3.types import RPCEndpoint

from rwakit.chain.anvil import ManagedAnvil
from rwakit.chain.connect import http_provider
from rwakit.chain.deploy import ensure_deployed
from rwakit.chain.handles import SystemContracts
from rwakit.chain.system_status_reader import SystemStatusReader
from rwakit.chain.transactor import Transactor
from rwakit.config import ANVIL_DEV_KEY
from rwakit.contracts.artifacts import ContractArtifact
from rwakit.demo import ASSETS, INVESTORS, seed_demo, watched_investors
from rwakit.web.status_page import StatusPage, StatusPageError
from tests.cli_run import run_cli

# providers put API keys in the path or the userinfo; the page must show neither
KEYED_RPC_URL = "https://user:secret@node.test/v2/key-in-path"


@pytest.fixture
def demo_system(
    chain_snapshot: Web3, artifacts: dict[str, ContractArtifact], data_dir: Path
) -> SystemContracts:
    operator = Transactor.from_key(chain_snapshot, ANVIL_DEV_KEY)
    deployment, _ = ensure_deployed(operator, data_dir, artifacts, "demo-test")
    contracts = SystemContracts(chain_snapshot, artifacts, deployment)
    first = seed_demo(operator, contracts)
    assert first.transactions > 0
    assert set(first.tokens) == {"DTB30", "DUSD"}
    return contracts


@pytest.fixture
def page(demo_system: SystemContracts) -> Iterator[str]:
    reader = SystemStatusReader(demo_system, KEYED_RPC_URL, watched_investors())
    with StatusPage("127.0.0.1", 0).serve_in_background(reader) as running:
        yield running.url


def test_seeding_again_sends_nothing(demo_system: SystemContracts) -> None:
    operator = Transactor.from_key(demo_system.w3, ANVIL_DEV_KEY)
    block = demo_system.w3.eth.block_number
    again = seed_demo(operator, demo_system)
    assert again.transactions == 0
    assert demo_system.w3.eth.block_number == block


def test_demo_investors_are_verified_and_hold_what_the_plan_says(
    demo_system: SystemContracts,
) -> None:
    registry = demo_system.registry.functions
    assert all(registry.isVerified(i.address).call() for i in INVESTORS)
    tokens = seed_demo(Transactor.from_key(demo_system.w3, ANVIL_DEV_KEY), demo_system).tokens
    for asset in ASSETS:
        token = demo_system.token(tokens[asset.spec.symbol]).functions
        expected = {i.address: 0 for i in INVESTORS}
        for investor, whole in asset.mints:
            expected[investor.address] += asset.units(whole)
        for sender, receiver, whole in asset.transfers:
            expected[sender.address] -= asset.units(whole)
            expected[receiver.address] += asset.units(whole)
        actual = {a: token.balanceOf(a).call() for a in expected}
        assert actual == expected, asset.spec.symbol
        assert token.holderCount().call() == sum(1 for v in expected.values() if v)
        assert not token.paused().call()


def test_status_json_matches_the_chain(page: str, demo_system: SystemContracts) -> None:
    response = httpx.get(page + "status.json", trust_env=False)
    assert response.status_code == 200
    body = response.json()
    w3 = demo_system.w3
    assert body["chain"]["chain_id"] == w3.eth.chain_id
    assert body["chain"]["block_number"] == w3.eth.block_number
    assert body["contracts"]["TokenFactory"] == demo_system.deployment.factory
    assert {t["symbol"] for t in body["tokens"]} == {"DTB30", "DUSD"}
    for listed in body["tokens"]:
        token = demo_system.token(listed["address"]).functions
        scale = Decimal(10) ** listed["decimals"]
        assert Decimal(listed["total_supply"]) * scale == token.totalSupply().call()
        assert listed["holder_count"] == token.holderCount().call() == len(INVESTORS)
        for address, amount in listed["balances"].items():
            assert Decimal(amount) * scale == token.balanceOf(address).call()
    assert [i["verified"] for i in body["investors"]] == [True] * len(INVESTORS)


def test_html_page_lists_chain_contracts_assets_and_holders(
    page: str, demo_system: SystemContracts
) -> None:
    response = httpx.get(page, trust_env=False)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    html = response.text
    for text in ("node.test", "31337", demo_system.deployment.multicall):
        assert text in html
    assert "key-in-path" not in html and "secret" not in html  # the URL's credentials
    assert "Demo Treasury Bond 2030" in html and "Demo USD" in html
    assert '<strong class="supply">250,000</strong>' in html  # DTB30 mints 250,000
    assert '<strong class="supply">550,000</strong>' in html  # DUSD mints 550,000
    assert html.count('<strong class="holders">5</strong>') == 2
    assert all(i.label in html for i in INVESTORS)


def test_page_reads_live_values(page: str, demo_system: SystemContracts) -> None:
    """A transfer after the page started shows on the next request (no stale cache)."""
    before = httpx.get(page + "status.json", trust_env=False).json()
    bond = next(t for t in before["tokens"] if t["symbol"] == "DTB30")
    alice, erika = INVESTORS[0], INVESTORS[4]
    Transactor(demo_system.w3, alice.account).transact(
        demo_system.token(bond["address"]).functions.transfer(erika.address, 10**18)
    )
    after = httpx.get(page + "status.json", trust_env=False).json()
    bond_after = next(t for t in after["tokens"] if t["symbol"] == "DTB30")
    assert (
        Decimal(bond_after["balances"][erika.address])
        == Decimal(bond["balances"][erika.address]) + 1
    )


def test_unknown_path_is_404(page: str) -> None:
    assert httpx.get(page + "nope", trust_env=False).status_code == 404


def test_taken_port_is_an_operator_error() -> None:
    with StatusPage("127.0.0.1", 0) as taken:
        port = int(taken.url.rsplit(":", 1)[1].rstrip("/"))
        with pytest.raises(StatusPageError, match=f"127.0.0.1:{port} .*RWAKIT_PORT"):
            StatusPage("127.0.0.1", port)


class _CountingProvider(HTTPProvider):
    """Records the method of every request that actually goes to the node."""

    methods: list[str]

    def _make_request(self, method: RPCEndpoint, request_data: bytes) -> bytes:
        self.methods = [*getattr(self, "methods", []), method]
        return super()._make_request(method, request_data)


def test_a_page_costs_one_eth_call(demo_system: SystemContracts) -> None:
    provider = http_provider(demo_system.w3.provider.endpoint_uri, _CountingProvider)
    assert isinstance(provider, _CountingProvider)
    counted = SystemContracts(Web3(provider), demo_system.artifacts, demo_system.deployment)
    reader = SystemStatusReader(counted, "http://node.test", watched_investors())
    reader.read()  # the first look also learns the factory's tokens
    provider.methods = []
    status = reader.read()
    assert provider.methods == ["eth_call"]
    assert len(status.tokens) == 2


def test_status_command_lists_the_demo_tokens(
    demo_system: SystemContracts, anvil: ManagedAnvil, data_dir: Path
) -> None:
    env = {"RWAKIT_RPC_URLS": anvil.url, "RWAKIT_DATA_DIR": str(data_dir), "COLUMNS": "250"}
    result = run_cli("status", env=env)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    bond = lines.index(next(line for line in lines if line.startswith("DTB30  ")))
    stable = lines.index(next(line for line in lines if line.startswith("DUSD  ")))
    assert "total supply 250,000 · 5 holders · active" in lines[bond + 1]
    assert "total supply 550,000 · 5 holders · active" in lines[stable + 1]
