"""``ReadModel``: the read model's queries the API serves — the token list, one holder's
portfolio, a token's holders by balance, a token's rollups and a system's (assets by type,
activity per day or hour) — each backed by an index (see ``read_model_tables``)."""

from dataclasses import dataclass

from sqlalchemy import and_, func, or_, select

from rwakit.store import input_checks
from rwakit.store.read_model_tables import balances, token_rollups, tokens
from rwakit.store.repository import Repository

MAX_PAGE_SIZE = 500
_b, _tk = balances.c, tokens.c


@dataclass(frozen=True)
class TokenRow:
    address: str
    system: str | None
    name: str | None
    symbol: str | None
    decimals: int | None
    asset_type: str | None
    total_supply: int
    holder_count: int
    paused: bool
    created_block: int | None
    created_time: int | None


@dataclass(frozen=True)
class Holding:
    token: str
    symbol: str | None
    name: str | None
    decimals: int | None
    balance: int
    frozen: bool
    frozen_amount: int


@dataclass(frozen=True)
class HolderRow:
    holder: str
    balance: int
    frozen: bool
    frozen_amount: int


@dataclass(frozen=True)
class HolderPage:
    items: list[HolderRow]
    next_cursor: tuple[int, str] | None  # (balance, holder) of the last row


@dataclass(frozen=True)
class Rollup:
    bucket_start: int
    supply: int
    holder_count: int
    minted: int
    burned: int
    volume: int
    transfer_count: int


@dataclass(frozen=True)
class AssetTypeCount:
    asset_type: str | None
    tokens: int
    holders: int  # summed over the type's tokens (a wallet holding two counts twice)


@dataclass(frozen=True)
class SystemActivity:
    bucket_start: int
    transfer_count: int  # transfers between holders, every token of the system
    active_tokens: int  # tokens with at least one transfer, mint or burn in the bucket


ROLLUP_PERIODS = ("hour", "day")
MAX_ROLLUP_BUCKETS = 2_000


def _limit(limit: int) -> int:
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_PAGE_SIZE:
        raise ValueError(f"limit must be 1 to {MAX_PAGE_SIZE}; got {limit!r}")
    return limit


class ReadModel(Repository):
    def tokens(self, asset_type: str | None = None) -> list[TokenRow]:
        """Every indexed token, oldest first; optionally of one asset type."""
        stmt = select(*(tokens.c[f] for f in TokenRow.__dataclass_fields__))
        if asset_type is not None:
            stmt = stmt.where(_tk.asset_type == input_checks.text(asset_type, "asset type"))
        stmt = stmt.order_by(_tk.created_block, _tk.address)
        with self._read() as conn:
            return [TokenRow(**row) for row in conn.execute(stmt).mappings()]

    def token(self, address: str) -> TokenRow | None:
        address = input_checks.address(address, "token").lower()
        stmt = select(*(tokens.c[f] for f in TokenRow.__dataclass_fields__)).where(
            _tk.address == address
        )
        with self._read() as conn:
            row = conn.execute(stmt).mappings().first()
        return None if row is None else TokenRow(**row)

    def portfolio(self, holder: str) -> list[Holding]:
        """What ``holder`` holds (or has frozen), one row per token."""
        holder = input_checks.address(holder, "holder").lower()
        stmt = (
            select(
                _b.token,
                _tk.symbol,
                _tk.name,
                _tk.decimals,
                _b.balance,
                _b.frozen,
                _b.frozen_amount,
            )
            .join(tokens, _tk.address == _b.token)
            .where(_b.holder == holder, or_(_b.balance > 0, _b.frozen))
            .order_by(_b.token)
        )
        with self._read() as conn:
            return [Holding(**row) for row in conn.execute(stmt).mappings()]

    def holders(
        self, token: str, *, after: tuple[int, str] | None = None, limit: int = 50
    ) -> HolderPage:
        """Holders of ``token`` with a balance, largest first (ties by address, descending)."""
        token = input_checks.address(token, "token").lower()
        limit = _limit(limit)
        stmt = select(_b.holder, _b.balance, _b.frozen, _b.frozen_amount).where(
            _b.token == token, _b.balance > 0
        )
        if after is not None:
            balance, holder = after
            if isinstance(balance, bool) or not isinstance(balance, int) or balance < 0:
                raise ValueError(f"cursor balance must be an integer >= 0; got {balance!r}")
            holder = input_checks.address(holder, "cursor holder").lower()
            stmt = stmt.where(
                or_(_b.balance < balance, and_(_b.balance == balance, _b.holder < holder))
            )
        stmt = stmt.order_by(_b.balance.desc(), _b.holder.desc()).limit(limit + 1)
        with self._read() as conn:
            rows = [HolderRow(**row) for row in conn.execute(stmt).mappings()]
        items = rows[:limit]
        more = len(rows) > limit
        return HolderPage(items, (items[-1].balance, items[-1].holder) if more else None)

    def top_holders(self, token: str, count: int = 10) -> list[HolderRow]:
        """The ``count`` largest holders of ``token`` (the first page of ``holders``)."""
        return self.holders(token, limit=count).items

    def rollups(self, token: str, period: str, since: int, until: int) -> list[Rollup]:
        """The token's hour or day buckets with ``since <= bucket_start < until``, oldest
        first; buckets without transfers are absent (supply and holders carry over)."""
        token = input_checks.address(token, "token").lower()
        _check_window(period, since, until)
        r = token_rollups.c
        stmt = (
            select(*(r[f] for f in Rollup.__dataclass_fields__))
            .where(r.token == token, r.period == period)
            .where(r.bucket_start >= since, r.bucket_start < until)
            .order_by(r.bucket_start)
            .limit(MAX_ROLLUP_BUCKETS)
        )
        with self._read() as conn:
            return [Rollup(**row) for row in conn.execute(stmt).mappings()]

    def assets_by_type(self, system: str) -> list[AssetTypeCount]:
        """The system's (identity registry's) tokens counted by asset type."""
        system = input_checks.address(system, "system").lower()
        stmt = (
            select(
                _tk.asset_type,
                func.count().label("tokens"),
                func.coalesce(func.sum(_tk.holder_count), 0).label("holders"),
            )
            .where(_tk.system == system)
            .group_by(_tk.asset_type)
            .order_by(_tk.asset_type)
        )
        with self._read() as conn:
            return [AssetTypeCount(**row) for row in conn.execute(stmt).mappings()]

    def system_activity(
        self, system: str, period: str, since: int, until: int
    ) -> list[SystemActivity]:
        """Transfers per hour or day bucket over every token of ``system``, oldest first;
        buckets without activity are absent. Summed from the tokens' own rollups (read
        through their primary key), so applying a transfer writes no extra row."""
        system = input_checks.address(system, "system").lower()
        _check_window(period, since, until)
        r = token_rollups.c
        stmt = (
            select(
                r.bucket_start,
                func.sum(r.transfer_count).label("transfer_count"),
                func.count().label("active_tokens"),
            )
            .join(tokens, _tk.address == r.token)
            .where(_tk.system == system, r.period == period)
            .where(r.bucket_start >= since, r.bucket_start < until)
            .group_by(r.bucket_start)
            .order_by(r.bucket_start)
            .limit(MAX_ROLLUP_BUCKETS)
        )
        with self._read() as conn:
            return [
                SystemActivity(row.bucket_start, int(row.transfer_count), row.active_tokens)
                for row in conn.execute(stmt)
            ]


def _check_window(period: str, since: int, until: int) -> None:
    if period not in ROLLUP_PERIODS:
        raise ValueError(f"period must be one of {', '.join(ROLLUP_PERIODS)}; got {period!r}")
    for name, value in (("since", since), ("until", until)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValueError(f"{name} must be epoch seconds >= 0; got {value!r}")
    if since > until:
        raise ValueError(f"since ({since}) is after until ({until})")
