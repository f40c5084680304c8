"""The hot-path word encoder must produce exactly what eth_abi produces."""

import os
import random

from eth_abi import encode

from rwakit.chain.abi_words import (
    address_word,
    calls_array,
    results_array,
    static_arrays,
    static_tuple_array,
    uint_word,
)

rng = random.Random(3)
ADDRESSES = ["0x" + rng.randbytes(20).hex() for _ in range(5)]
NUMBERS = [rng.randrange(2**96) for _ in range(5)]


def test_arrays_of_static_values():
    words = static_arrays([address_word(a) for a in ADDRESSES], [uint_word(n) for n in NUMBERS])
    assert words == encode(["address[]", "uint256[]"], [ADDRESSES, NUMBERS])


def test_empty_arrays():
    assert static_arrays([], []) == encode(["address[]", "uint256[]"], [[], []])


def test_array_of_static_tuples():
    rows = [
        (a, a, n, n, 27, os.urandom(32), os.urandom(32))
        for a, n in zip(ADDRESSES, NUMBERS, strict=True)
    ]
    words = static_tuple_array(
        [
            [
                address_word(r[0]),
                address_word(r[1]),
                uint_word(r[2]),
                uint_word(r[3]),
                uint_word(r[4]),
                r[5],
                r[6],
            ]
            for r in rows
        ]
    )
    assert words == encode(["(address,address,uint256,uint256,uint8,bytes32,bytes32)[]"], [rows])


def test_multicall_calls_and_results_round_trip():
    calls = [(a, bool(i % 2), os.urandom(i * 7)) for i, a in enumerate(ADDRESSES)]
    assert calls_array(calls) == encode(["(address,bool,bytes)[]"], [calls])
    results = [(bool(i % 2), os.urandom(i * 9)) for i in range(6)]
    assert results_array(encode(["(bool,bytes)[]"], [results])) == results
