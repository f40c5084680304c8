"""Generated decoders give what word-by-word slicing gives; tuple arguments get their
canonical signature (the topic0 the node logs) and decode through eth_abi."""

from dataclasses import replace

from eth_abi import encode
from eth_utils import keccak

from rwakit.indexer.events import event_spec

ADDRESS = "0x" + "Ab" * 20
MIXED = {
    "type": "event",
    "name": "Mixed",
    "inputs": [
        {"name": "who", "type": "address", "indexed": True},
        {"name": "id", "type": "uint256", "indexed": True},
        {"name": "flag", "type": "bool", "indexed": False},
        {"name": "root", "type": "bytes32", "indexed": False},
        {"name": "small", "type": "uint8", "indexed": False},
        {"name": "other", "type": "address", "indexed": False},
        {"name": "off", "type": "bool", "indexed": False},
    ],
}


def test_the_generated_decoder_equals_slicing() -> None:
    spec = event_spec("Kind", MIXED)
    assert spec.compiled is not None
    data = encode(
        ["bool", "bytes32", "uint8", "address", "bool"],
        [True, b"\xfe" * 32, 255, ADDRESS.lower(), False],
    )
    log = {
        "topics": [
            spec.topic0,
            "0x" + "0" * 24 + ADDRESS[2:],
            "0x" + (2**256 - 1).to_bytes(32).hex(),
        ],
        "data": "0x" + data.hex(),
    }
    expected = {
        "who": ADDRESS.lower(),
        "id": 2**256 - 1,
        "flag": True,
        "root": "0x" + "fe" * 32,
        "small": 255,
        "other": ADDRESS.lower(),
        "off": False,
    }
    assert spec.decode(log) == expected
    assert replace(spec, compiled=None).decode(log) == expected


def test_tuple_arguments_use_the_canonical_signature() -> None:
    item = {
        "type": "event",
        "name": "Executed",
        "inputs": [
            {"name": "id", "type": "bytes32", "indexed": True},
            {
                "name": "legs",
                "type": "tuple[]",
                "indexed": False,
                "components": [
                    {"name": "token", "type": "address"},
                    {"name": "amount", "type": "uint256"},
                ],
            },
        ],
    }
    spec = event_spec("Settlement", item)
    assert spec.signature == "Executed(bytes32,(address,uint256)[])"
    assert spec.topic0 == "0x" + keccak(text=spec.signature).hex()
    assert spec.compiled is None
    data = encode(["(address,uint256)[]"], [[(ADDRESS.lower(), 5), (ADDRESS.lower(), 2**200)]])
    log = {"topics": [spec.topic0, "0x" + "11" * 32], "data": "0x" + data.hex()}
    args = spec.decode(log)
    assert args["id"] == "0x" + "11" * 32
    assert [[a.lower(), n] for a, n in args["legs"]] == [
        [ADDRESS.lower(), 5],
        [ADDRESS.lower(), 2**200],
    ]
