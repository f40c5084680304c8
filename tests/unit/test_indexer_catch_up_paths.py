"""The catch-up fast paths give what the plain paths give: COPY text built in one string
(or psycopg's own formatting where a value needs escaping), a whole fetch decoded at once,
and a range's Transfer rows named for one bulk load."""

from rwakit.contracts.build import load_artifacts
from rwakit.indexer.events import Event
from rwakit.indexer.handlers.security_token import ZERO, transfer_keys
from rwakit.indexer.matcher import TOKEN, Matcher
from rwakit.store.read_model_writer import _copy_text

TOKEN_ADDRESS = "0x" + "ab" * 20
REGISTRY = "0x" + "01" * 20
FACTORY = "0x" + "02" * 20


def test_plain_rows_become_one_copy_text_with_nulls() -> None:
    rows = [(1, "0xab", True, None), (2, "transfer", False, 10**30)]
    assert _copy_text(rows) == "1\t0xab\tTrue\t\\N\n2\ttransfer\tFalse\t" + str(10**30) + "\n"


def test_values_that_need_escaping_are_left_to_psycopg() -> None:
    for awkward in ("a\tb", "a\nb", "back\\slash", "\\N", "cr\r"):
        assert _copy_text([(1, awkward)]) is None, awkward
    assert _copy_text([(1, b"\x00")]) is None  # bytes: not their str()
    assert _copy_text([(1, 2.5)]) is None
    assert _copy_text([]) is None


def _transfer_log(sender: str, receiver: str, value: int, block: int, index: int) -> dict:
    def word(address: str) -> str:
        return "0x" + "0" * 24 + address[2:]

    matcher = Matcher(REGISTRY, FACTORY, load_artifacts())
    topic0 = next(
        topic for topic, (name, _) in matcher._decoders[TOKEN].items() if name == "Transfer"
    )
    return {
        "address": TOKEN_ADDRESS.upper().replace("0X", "0x"),
        "topics": [topic0, word(sender), word(receiver)],
        "data": "0x" + value.to_bytes(32).hex(),
        "blockNumber": hex(block),
        "logIndex": hex(index),
        "blockHash": "0x" + "cc" * 32,
        "transactionHash": "0x" + "dd" * 32,
        "removed": False,
    }


def test_decoding_a_fetch_at_once_equals_one_log_at_a_time() -> None:
    matcher = Matcher(REGISTRY, FACTORY, load_artifacts(), tokens={TOKEN_ADDRESS})
    a, b = "0x" + "0a" * 20, "0x" + "0b" * 20
    logs = [
        _transfer_log(ZERO, a, 5, 7, 0),
        _transfer_log(a, b, 2, 7, 1),
        {**_transfer_log(a, b, 1, 8, 0), "removed": True},  # reorged away: left out
        {**_transfer_log(a, b, 1, 8, 1), "address": "0x" + "ee" * 20},  # not followed
    ]
    known = matcher.followed()
    one_by_one = [matcher.decode(log, known) for log in logs[:2]]
    assert matcher.decode_many(logs, known) == one_by_one
    assert [e.args for e in one_by_one] == [
        {"sender": ZERO, "receiver": a, "value": 5},
        {"sender": a, "receiver": b, "value": 2},
    ]
    assert {e.address for e in one_by_one} == {TOKEN_ADDRESS}


def test_a_range_s_transfers_name_each_row_they_read_once() -> None:
    a, b = "0x" + "0a" * 20, "0x" + "0b" * 20

    def transfer(sender: str, receiver: str, at: int) -> Event:
        args = {"sender": sender, "receiver": receiver, "value": 1}
        return Event(TOKEN, "Transfer", TOKEN_ADDRESS, args, 1, 0, "0x", "0x", at)

    keys = transfer_keys([transfer(ZERO, a, 7_200), transfer(a, b, 7_300), transfer(b, a, 90_000)])
    assert len(keys) == len(set(keys))
    assert set(keys) == {
        ("balances", (TOKEN_ADDRESS, a)),
        ("balances", (TOKEN_ADDRESS, b)),  # the zero address has no balance row
        ("tokens", (TOKEN_ADDRESS,)),
        ("token_rollups", (TOKEN_ADDRESS, "hour", 7_200)),
        ("token_rollups", (TOKEN_ADDRESS, "day", 0)),
        ("token_rollups", (TOKEN_ADDRESS, "hour", 90_000 - 90_000 % 3_600)),
        ("token_rollups", (TOKEN_ADDRESS, "day", 86_400)),
    }
