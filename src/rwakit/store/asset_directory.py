"""``AssetDirectory``: the read model's token list, searchable by symbol, name and asset
type, in keyset pages ordered by address (the primary key, so a page is an index range)."""

from dataclasses import dataclass

from sqlalchemy import func, or_, select

from rwakit.store import input_checks
from rwakit.store.read_model import TokenRow
from rwakit.store.read_model_tables import tokens
from rwakit.store.repository import Repository

MAX_PAGE_SIZE = 500
_tk = tokens.c


@dataclass(frozen=True)
class TokenPage:
    items: list[TokenRow]
    next_cursor: str | None  # the last row's address; None: this was the last page


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


class AssetDirectory(Repository):
    def search(
        self,
        *,
        text: str | None = None,
        asset_type: str | None = None,
        after: str | None = None,
        limit: int = 50,
    ) -> TokenPage:
        """Tokens whose symbol or name contains ``text`` (case-insensitive), optionally of
        one asset type, with an address greater than ``after``."""
        if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_PAGE_SIZE:
            raise ValueError(f"limit must be 1 to {MAX_PAGE_SIZE}; got {limit!r}")
        stmt = select(*(tokens.c[f] for f in TokenRow.__dataclass_fields__))
        if text:
            pattern = f"%{_escape_like(input_checks.text(text, 'search text').lower())}%"
            stmt = stmt.where(
                or_(
                    func.lower(_tk.symbol).like(pattern, escape="\\"),
                    func.lower(_tk.name).like(pattern, escape="\\"),
                )
            )
        if asset_type is not None:
            stmt = stmt.where(_tk.asset_type == input_checks.text(asset_type, "asset type"))
        if after is not None:
            stmt = stmt.where(_tk.address > input_checks.address(after, "cursor").lower())
        stmt = stmt.order_by(_tk.address).limit(limit + 1)
        with self._read() as conn:
            rows = [TokenRow(**row) for row in conn.execute(stmt).mappings()]
        items = rows[:limit]
        return TokenPage(items, items[-1].address if len(rows) > limit else None)
