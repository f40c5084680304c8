"""Opaque keyset cursors: the last row's sort key as base64url JSON, so clients pass back
``next`` as it is and the server validates it like any other input (422, field ``after``)."""

import base64
import binascii
from typing import Any

import orjson

from rwakit.api.problems import Problem

MAX_CURSOR_LENGTH = 400


def encode_cursor(*values: Any) -> str:
    return base64.urlsafe_b64encode(orjson.dumps(list(values))).decode().rstrip("=")


def decode_cursor(text: str | None, *types: type) -> tuple[Any, ...] | None:
    """The key encoded in ``text``, checked against ``types``; ``None`` for no cursor."""
    if text is None:
        return None
    try:
        values = orjson.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
    except (binascii.Error, ValueError):
        values = None
    if (
        not isinstance(values, list)
        or len(values) != len(types)
        or not all(
            isinstance(v, t) and not isinstance(v, bool) for v, t in zip(values, types, strict=True)
        )
        or any(isinstance(v, int) and v < 0 for v in values)
    ):
        raise bad_cursor()
    return tuple(values)


def bad_cursor() -> Problem:
    message = "not a cursor this endpoint returned"
    return Problem(
        422,
        "validation_failed",
        f"after: {message}",
        errors=[{"field": "after", "message": message}],
    )
