"""Decoding raw JSON-RPC logs into ``Event`` objects, from precomputed topic0 tables.

web3's per-log event processing builds objects we do not need; here a log's topics and
data are sliced directly (every static word) and only dynamic values go through eth_abi.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from eth_abi import decode as abi_decode
from eth_utils import keccak

Decoder = Callable[[str], Any]
STATIC_TYPES = ("address", "bool", "bytes32", "uint8", "uint256")


@dataclass(slots=True)
class Event:
    contract_kind: str  # the contract name: IdentityRegistry, SecurityToken, Bond, …
    name: str
    address: str  # lower-case hex
    args: dict[str, Any]
    block_number: int
    log_index: int
    block_hash: str
    tx_hash: str
    block_time: int = 0

    @property
    def position(self) -> tuple[int, int]:
        return (self.block_number, self.log_index)


def _word(kind: str) -> Decoder:
    if kind == "address":
        return lambda word: "0x" + word[-40:].lower()
    if kind == "bool":
        return lambda word: int(word, 16) != 0
    if kind == "bytes32":
        return lambda word: "0x" + word[-64:].lower()
    return lambda word: int(word, 16)


def _jsonable(value: Any) -> Any:
    if isinstance(value, bytes):
        return "0x" + value.hex()
    if isinstance(value, list | tuple):
        return [_jsonable(item) for item in value]
    return value


@dataclass(frozen=True)
class EventSpec:
    contract_kind: str
    name: str
    signature: str
    topic0: str
    indexed: tuple[tuple[str, Decoder], ...]
    data_names: tuple[str, ...]
    data_types: tuple[str, ...]
    data_static: bool
    # (name, decoder, first hex digit) of each static data word
    data_words: tuple[tuple[str, Decoder, int], ...] = ()
    # one generated function for events of static values only (most, and Transfer)
    compiled: Callable[[dict[str, Any]], dict[str, Any]] | None = None

    def decode(self, log: dict[str, Any]) -> dict[str, Any]:
        if self.compiled is not None:
            return self.compiled(log)
        topics = log["topics"]
        args = {name: decode(topics[i]) for i, (name, decode) in enumerate(self.indexed, 1)}
        if not self.data_names:
            return args
        data = log["data"]
        if self.data_static:
            for name, decode, at in self.data_words:
                args[name] = decode(data[at : at + 64])
            return args
        data = data[2:]
        values = abi_decode(list(self.data_types), bytes.fromhex(data))
        for name, kind, value in zip(self.data_names, self.data_types, values, strict=True):
            args[name] = value.lower() if kind == "address" else _jsonable(value)
        return args


def canonical_type(item: dict[str, Any]) -> str:
    """The ABI type as signatures and eth_abi spell it: a tuple as its components."""
    kind = item["type"]
    if kind.startswith("tuple"):
        inner = ",".join(canonical_type(c) for c in item["components"])
        return f"({inner}){kind[len('tuple') :]}"
    return kind


_WORD_SOURCE = {
    "address": "'0x' + {w}[-40:].lower()",
    "bool": "int({w}, 16) != 0",
    "bytes32": "'0x' + {w}[-64:].lower()",
}


def _compiled(item: dict[str, Any]) -> Callable[[dict[str, Any]], dict[str, Any]] | None:
    """A decoder generated for this event: one dict display of sliced words, without a
    call per value (the per-event cost that dominated catch-up)."""
    inputs = item["inputs"]
    if not all(i["type"] in STATIC_TYPES for i in inputs):
        return None
    fields, topic, word = [], 1, 0
    for i in inputs:
        if i["indexed"]:
            source, topic = f"t[{topic}]", topic + 1
        else:
            at = 2 + word * 64
            source, word = f"d[{at}:{at + 64}]", word + 1
        expression = _WORD_SOURCE.get(i["type"], "int({w}, 16)").format(w=source)
        fields.append(f"{i['name']!r}: {expression}")
    body = "def decode(log):\n    t = log['topics']\n    d = log['data']\n"
    body += f"    return {{{', '.join(fields)}}}\n"
    namespace: dict[str, Any] = {}
    exec(compile(body, f"<decoder {item['name']}>", "exec"), namespace)
    return namespace["decode"]


def event_spec(contract_kind: str, item: dict[str, Any]) -> EventSpec:
    types = [canonical_type(i) for i in item["inputs"]]
    signature = f"{item['name']}({','.join(types)})"
    indexed = tuple((i["name"], _word(i["type"])) for i in item["inputs"] if i["indexed"])
    data = [i for i in item["inputs"] if not i["indexed"]]
    return EventSpec(
        contract_kind=contract_kind,
        name=item["name"],
        signature=signature,
        topic0="0x" + keccak(text=signature).hex(),
        indexed=indexed,
        data_names=tuple(i["name"] for i in data),
        data_types=tuple(canonical_type(i) for i in data),
        data_static=all(i["type"] in STATIC_TYPES for i in data),
        data_words=tuple((i["name"], _word(i["type"]), 2 + n * 64) for n, i in enumerate(data)),
        compiled=_compiled(item),
    )


def event_specs(contract_kind: str, abi: Iterable[dict[str, Any]]) -> dict[str, EventSpec]:
    """topic0 → spec for every event in ``abi``."""
    specs = (event_spec(contract_kind, item) for item in abi if item["type"] == "event")
    return {spec.topic0: spec for spec in specs}
