"""``TransferHistory``: a token's transfers, mints and burns in a time window, newest
first, in keyset-paginated pages (cursor = the last row's (block_number, log_index)).

Served by the index on (token, block_number, log_index): a page reads at most ``limit``+1
rows backwards from the cursor, however many rows the token has.
"""

from dataclasses import dataclass

from sqlalchemy import and_, or_, select

from rwakit.store import input_checks
from rwakit.store.read_model_tables import transfers
from rwakit.store.repository import Repository

PAGE_SIZE = 50
MAX_PAGE_SIZE = 500
_t = transfers.c


@dataclass(frozen=True)
class TransferRow:
    block_number: int
    log_index: int
    token: str
    kind: str  # mint, burn or transfer
    sender: str
    receiver: str
    amount: int
    block_time: int
    tx_hash: str


@dataclass(frozen=True)
class TransferPage:
    items: list[TransferRow]
    next_cursor: tuple[int, int] | None  # None: this was the last page


def _position(cursor: tuple[int, int] | None) -> tuple[int, int] | None:
    if cursor is None:
        return None
    if (
        not isinstance(cursor, tuple)
        or len(cursor) != 2
        or not all(isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in cursor)
    ):
        raise ValueError(f"cursor is (block_number, log_index), two integers >= 0; got {cursor!r}")
    return cursor


class TransferHistory(Repository):
    def page(
        self,
        token: str,
        *,
        since: int | None = None,
        until: int | None = None,
        after: tuple[int, int] | None = None,
        limit: int = PAGE_SIZE,
    ) -> TransferPage:
        """Transfers of ``token`` with ``since <= block_time < until`` (epoch seconds),
        older than ``after``, newest first."""
        token = input_checks.address(token, "token").lower()
        if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_PAGE_SIZE:
            raise ValueError(f"limit must be 1 to {MAX_PAGE_SIZE}; got {limit!r}")
        if since is not None and until is not None and since > until:
            raise ValueError(f"since ({since}) is after until ({until})")
        after = _position(after)
        stmt = select(transfers).where(_t.token == token)
        if since is not None:
            stmt = stmt.where(_t.block_time >= since)
        if until is not None:
            stmt = stmt.where(_t.block_time < until)
        if after is not None:
            stmt = stmt.where(
                or_(
                    _t.block_number < after[0],
                    and_(_t.block_number == after[0], _t.log_index < after[1]),
                )
            )
        stmt = stmt.order_by(_t.block_number.desc(), _t.log_index.desc()).limit(limit + 1)
        with self._read() as conn:
            rows = [TransferRow(**row) for row in conn.execute(stmt).mappings()]
        items = rows[:limit]
        more = len(rows) > limit
        return TransferPage(items, (items[-1].block_number, items[-1].log_index) if more else None)
