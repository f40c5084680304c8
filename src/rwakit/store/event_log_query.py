"""``ChainEventLog``: a contract's rows of the generic event log (``chain_events``), newest
first, in keyset pages (cursor = the last row's (block_number, log_index)), served by the
index on (contract, block_number)."""

from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, or_, select

from rwakit.store import input_checks
from rwakit.store.read_model_tables import chain_events
from rwakit.store.repository import Repository
from rwakit.store.transfers_query import MAX_PAGE_SIZE, _position

_e = chain_events.c


@dataclass(frozen=True)
class EventRow:
    block_number: int
    log_index: int
    contract: str
    name: str
    args: dict[str, Any]
    block_time: int
    tx_hash: str


@dataclass(frozen=True)
class EventPage:
    items: list[EventRow]
    next_cursor: tuple[int, int] | None


class ChainEventLog(Repository):
    def page(
        self,
        contract: str,
        *,
        name: str | None = None,
        after: tuple[int, int] | None = None,
        limit: int = 50,
    ) -> EventPage:
        """Events logged by ``contract`` (optionally only those called ``name``), older
        than ``after``, newest first."""
        contract = input_checks.address(contract, "contract").lower()
        if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_PAGE_SIZE:
            raise ValueError(f"limit must be 1 to {MAX_PAGE_SIZE}; got {limit!r}")
        after = _position(after)
        stmt = select(chain_events).where(_e.contract == contract)
        if name is not None:
            stmt = stmt.where(_e.name == input_checks.text(name, "event name"))
        if after is not None:
            stmt = stmt.where(
                or_(
                    _e.block_number < after[0],
                    and_(_e.block_number == after[0], _e.log_index < after[1]),
                )
            )
        stmt = stmt.order_by(_e.block_number.desc(), _e.log_index.desc()).limit(limit + 1)
        with self._read() as conn:
            rows = [EventRow(**row) for row in conn.execute(stmt).mappings()]
        items = rows[:limit]
        more = len(rows) > limit
        return EventPage(items, (items[-1].block_number, items[-1].log_index) if more else None)
