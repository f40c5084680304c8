"""Operations from a CSV upload: a header row naming the columns, one operation per row.

Columns: ``kind``, ``contract``, optional ``priority`` and ``idempotency_key``; every other
column is a parameter of the kind (``to``, ``from``, ``account``, ``amount``, ``wallet``,
``identity_id``, ``country``), empty cells left out. Integer parameters are written as
digits. Claim sets (nested) need the JSON bulk endpoint."""

import csv
import io
from typing import Any

from rwakit.api.problems import Problem

OPERATION_COLUMNS = ("kind", "contract", "priority", "idempotency_key")
PARAM_COLUMNS = ("to", "from", "account", "amount", "wallet", "identity_id", "country")
INTEGER_PARAMS = frozenset({"identity_id", "country"})


def _invalid(field: str, message: str) -> Problem:
    return Problem(
        422,
        "validation_failed",
        f"{field}: {message}",
        errors=[{"field": field, "message": message}],
    )


def parse_operations_csv(text: str, max_rows: int) -> list[dict[str, Any]]:
    """Rows as ``{kind, contract, params, [priority], [idempotency_key]}`` dicts; a bad
    header or row is a 422 naming the line (``line 3``) and column."""
    reader = csv.reader(io.StringIO(text))
    header = [name.strip() for name in next(reader, [])]
    if not header or not {"kind", "contract"} <= set(header):
        raise _invalid("line 1", "the header must name at least the kind and contract columns")
    unknown = set(header) - set(OPERATION_COLUMNS) - set(PARAM_COLUMNS)
    if unknown or len(set(header)) != len(header):
        known = ", ".join(OPERATION_COLUMNS + PARAM_COLUMNS)
        raise _invalid("line 1", f"unknown or repeated columns; the columns are {known}")
    items: list[dict[str, Any]] = []
    for line, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue  # blank lines, e.g. a trailing one
        if len(row) != len(header):
            raise _invalid(f"line {line}", f"has {len(row)} cells; the header has {len(header)}")
        if len(items) == max_rows:
            raise _invalid("request", f"at most {max_rows} operations per upload")
        cells = {name: cell.strip() for name, cell in zip(header, row, strict=True)}
        item: dict[str, Any] = {"kind": cells["kind"], "contract": cells["contract"]}
        for name in ("priority", "idempotency_key"):
            if cells.get(name):
                item[name] = cells[name]
        params: dict[str, Any] = {}
        for name in PARAM_COLUMNS:
            value = cells.get(name, "")
            if not value:
                continue
            if name in INTEGER_PARAMS:
                if not value.isdecimal():
                    raise _invalid(f"line {line}.{name}", "must be a whole number")
                params[name] = int(value)
            else:
                params[name] = value
        item["params"] = params
        items.append(item)
    if not items:
        raise _invalid("request", "the upload holds no operations")
    return items
