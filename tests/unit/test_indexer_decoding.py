"""Log decoding from raw JSON-RPC dicts, and the in-memory unit of work's undo records."""

from eth_abi import encode
from eth_utils import keccak

from rwakit.indexer.events import event_spec
from rwakit.indexer.handlers.common import role_bits
from rwakit.indexer.state import RangeState

ADDRESS = "0x" + "ab" * 20


def _topic(address: str) -> str:
    return "0x" + "0" * 24 + address[2:]


def test_static_event_is_sliced_word_by_word() -> None:
    spec = event_spec(
        "SecurityToken",
        {
            "type": "event",
            "name": "Transfer",
            "inputs": [
                {"name": "sender", "type": "address", "indexed": True},
                {"name": "receiver", "type": "address", "indexed": True},
                {"name": "value", "type": "uint256", "indexed": False},
            ],
        },
    )
    assert spec.topic0 == "0x" + keccak(text="Transfer(address,address,uint256)").hex()
    big = 2**255 + 7
    log = {
        "topics": [
            spec.topic0,
            _topic("0x" + "00" * 20),
            _topic(ADDRESS.upper().replace("0X", "0x")),
        ],
        "data": "0x" + big.to_bytes(32, "big").hex(),
    }
    assert spec.decode(log) == {"sender": "0x" + "00" * 20, "receiver": ADDRESS, "value": big}


def test_dynamic_event_goes_through_eth_abi() -> None:
    spec = event_spec(
        "TokenFactory",
        {
            "type": "event",
            "name": "TokenCreated",
            "inputs": [
                {"name": "token", "type": "address", "indexed": True},
                {"name": "name", "type": "string", "indexed": False},
                {"name": "decimals", "type": "uint8", "indexed": False},
                {"name": "words", "type": "bytes32[]", "indexed": False},
            ],
        },
    )
    data = encode(["string", "uint8", "bytes32[]"], ["Bond ✓", 6, [b"\x01" * 32]])
    log = {"topics": [spec.topic0, _topic(ADDRESS)], "data": "0x" + data.hex()}
    assert spec.decode(log) == {
        "token": ADDRESS,
        "name": "Bond ✓",
        "decimals": 6,
        "words": ["0x" + "01" * 32],
    }


def test_role_bits_split_a_grant_of_several_roles() -> None:
    assert role_bits(7) == [1, 2, 4]
    assert role_bits(40) == [8, 32]
    assert role_bits(0) == []


class FakeSource:
    def __init__(self, rows: dict) -> None:
        self.rows = rows
        self.loads = 0

    def load_rows(self, table, keys):
        self.loads += 1
        return {k: self.rows[(table, k)] for k in keys if (table, k) in self.rows}

    def load_rows_where(self, table, column, value):
        return {}


def test_undo_records_the_value_before_each_block_once() -> None:
    source = FakeSource({("tokens", ("t",)): {"address": "t", "holder_count": 1}})
    state = RangeState(source, undo_from=10)
    state.prefetch("tokens", [("t",), ("u",)])
    state.block = 9  # below the undo window: final, no undo kept
    state.put("tokens", ("t",), {"address": "t", "holder_count": 2})
    state.block = 10
    state.put("tokens", ("t",), {"address": "t", "holder_count": 3})
    state.put("tokens", ("t",), {"address": "t", "holder_count": 4})
    state.block = 11
    state.put("tokens", ("u",), {"address": "u", "holder_count": 1})
    state.put("tokens", ("t",), None)
    assert source.loads == 1  # everything came from the one prefetch
    assert state.undo == [
        (10, "tokens", ("t",), {"address": "t", "holder_count": 2}),
        (11, "tokens", ("u",), None),
        (11, "tokens", ("t",), {"address": "t", "holder_count": 4}),
    ]
    upserts, deletes = state.changes("tokens")
    assert upserts == [{"address": "u", "holder_count": 1}] and deletes == [("t",)]
