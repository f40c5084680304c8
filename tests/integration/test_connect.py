import pytest
from web3 import Web3

from rwakit.chain.anvil import ManagedAnvil
from rwakit.chain.connect import connect
from rwakit.chain.errors import ChainError
from rwakit.config import Settings
from tests.closed_port import closed_port


def test_wrong_chain_id_is_an_error(anvil: ManagedAnvil) -> None:
    with pytest.raises(ChainError) as caught:
        connect(Settings(rpc_urls=[anvil.url], chain_id=1))
    assert str(caught.value) == (
        f"chain id is 31337 at {anvil.url} but RWAKIT_CHAIN_ID says 1 "
        "— point RWAKIT_RPC_URLS at the right network"
    )


def test_first_answering_url_is_used(anvil: ManagedAnvil) -> None:
    with closed_port() as port:
        w3 = connect(Settings(rpc_urls=[f"http://127.0.0.1:{port}", anvil.url]))
    assert w3.provider.endpoint_uri == anvil.url
    assert w3.eth.chain_id == 31337


def test_snapshot_fixture_isolates_state(chain_snapshot: Web3) -> None:
    w3 = chain_snapshot
    before = w3.eth.block_number
    snapshot_id = w3.provider.make_request("evm_snapshot", [])["result"]
    w3.provider.make_request("evm_mine", [])
    assert w3.eth.block_number == before + 1
    assert w3.provider.make_request("evm_revert", [snapshot_id])["result"] is True
    assert w3.eth.block_number == before


def test_automine_and_big_gas_limit(chain_snapshot: Web3) -> None:
    w3 = chain_snapshot
    sender, receiver = w3.eth.accounts[:2]
    tx = w3.eth.send_transaction({"from": sender, "to": receiver, "value": 1})
    # automine mines at once, but anvil may answer the send a moment before the block exists
    receipt = w3.eth.wait_for_transaction_receipt(tx, timeout=10, poll_latency=0.01)
    assert receipt["status"] == 1
    assert w3.eth.get_block("latest")["gasLimit"] == 1_000_000_000
