"""Argument checks shared by the stores: bad input is a ``ValueError`` that says what to fix."""

from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from eth_utils import is_address, to_checksum_address


def row_ids(values: Iterable[Any], what: str = "operation") -> list[int]:
    """Database ids: positive integers (booleans and floats are rejected, not coerced)."""
    ids = list(values)
    for value in ids:
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValueError(f"{what} ids are positive integers; got {value!r}")
    return ids


def address(value: Any, what: str) -> str:
    """An EVM address in checksum form, so one contract or signer is one string everywhere."""
    if not isinstance(value, str):
        raise ValueError(f"{what} {value!r} is not a 0x-prefixed 20-byte address")
    checksummed = _checksum(value)
    if checksummed is None:
        raise ValueError(f"{what} {value!r} is not a 0x-prefixed 20-byte address")
    return checksummed


# Contracts and signers repeat on every operation; the keccak behind a checksum does not
# need to (it was half the cost of an insert).
@lru_cache(maxsize=16_384)
def _checksum(value: str) -> str | None:
    if not value.startswith("0x") or not is_address(value):
        return None
    return to_checksum_address(value)


def text(value: Any, what: str, *, max_length: int = 200) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{what} must be a non-empty string; got {value!r}")
    if len(value) > max_length:
        raise ValueError(f"{what} is longer than {max_length} characters")
    return value


def non_negative(value: Any, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"{what} must be a non-negative integer; got {value!r}")
    return value
