"""The indexer's read model (SQLAlchemy Core, on ``tables.metadata``).

Three kinds of table:

- the indexer's own bookkeeping: a cursor per chain, recent block hashes (reorg detection)
  and undo records (the previous value of every state row a recent block changed);
- *state* tables, one row per thing (token, balance, identity, claim, …), kept current;
- *event* tables, one row per log (transfers, and ``chain_events`` for every other event),
  keyed by (block_number, log_index), so a reorg deletes them by block number.

Amounts are up to uint256: NUMERIC(78,0) on PostgreSQL; on SQLite, whose numbers stop at
int64, zero-padded decimal text, so they round-trip and still sort by value.
"""

from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Dialect,
    Double,
    Index,
    Integer,
    Numeric,
    SmallInteger,
    String,
    Table,
    Text,
)
from sqlalchemy.types import TypeDecorator, TypeEngine

from rwakit.store.tables import BigId, metadata, operations

UINT256_DIGITS = 78


class Uint256(TypeDecorator[int]):
    """A non-negative integer up to 2**256 - 1, exact on both databases."""

    impl = Numeric(UINT256_DIGITS, 0)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(String(UINT256_DIGITS))
        return dialect.type_descriptor(Numeric(UINT256_DIGITS, 0))

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        if value is None:
            return None
        value = int(value)
        if value < 0 or value >= 1 << 256:
            raise ValueError(f"{value} is not a uint256")
        return str(value).zfill(UINT256_DIGITS) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> int | None:
        return None if value is None else int(value)


indexer_cursors = Table(
    "indexer_cursors",
    metadata,
    Column("chain_id", BigInteger, primary_key=True, autoincrement=False),
    Column("block_number", BigInteger, nullable=False),
    Column("block_hash", Text, nullable=False),
    Column("updated_at", Double, nullable=False),
)

indexer_blocks = Table(
    "indexer_blocks",
    metadata,
    Column("chain_id", BigInteger, primary_key=True, autoincrement=False),
    Column("block_number", BigInteger, primary_key=True, autoincrement=False),
    Column("block_hash", Text, nullable=False),
    Column("parent_hash", Text, nullable=False),
    Column("block_time", BigInteger, nullable=False),
)

indexer_undo = Table(
    "indexer_undo",
    metadata,
    Column("id", BigId, primary_key=True, autoincrement=True),
    Column("chain_id", BigInteger, nullable=False),
    Column("block_number", BigInteger, nullable=False),
    Column("table_name", Text, nullable=False),
    Column("row_key", JSON, nullable=False),
    # the whole row before the block changed it; NULL: there was no row
    Column("previous", JSON),
    Index(None, "chain_id", "block_number"),
)

tokens = Table(
    "tokens",
    metadata,
    Column("address", Text, primary_key=True),
    Column("system", Text),  # the identity registry the token's factory belongs to
    Column("admin", Text),
    Column("creator", Text),
    Column("name", Text),
    Column("symbol", Text),
    Column("decimals", SmallInteger),
    Column("asset_type", Text),
    Column("created_block", BigInteger),
    Column("created_time", BigInteger),
    Column("created_tx", Text),
    Column("total_supply", Uint256, nullable=False),
    Column("holder_count", Integer, nullable=False),
    Column("paused", Boolean, nullable=False),
    Column("updated_block", BigInteger, nullable=False),
)

balances = Table(
    "balances",
    metadata,
    Column("token", Text, primary_key=True),
    Column("holder", Text, primary_key=True),
    Column("balance", Uint256, nullable=False),
    Column("frozen", Boolean, nullable=False),
    Column("frozen_amount", Uint256, nullable=False),
    Column("updated_block", BigInteger, nullable=False),
    Index(None, "holder"),  # portfolio of one holder
    Index(None, "token", "balance", "holder"),  # holders of a token by balance
)

transfers = Table(
    "transfers",
    metadata,
    Column("block_number", BigInteger, primary_key=True, autoincrement=False),
    Column("log_index", Integer, primary_key=True, autoincrement=False),
    Column("token", Text, nullable=False),
    Column("kind", Text, nullable=False),  # mint, burn or transfer
    Column("sender", Text, nullable=False),
    Column("receiver", Text, nullable=False),
    Column("amount", Uint256, nullable=False),
    Column("block_time", BigInteger, nullable=False),
    Column("tx_hash", Text, nullable=False),
    # newest first per token, keyset on (block_number, log_index)
    Index(None, "token", "block_number", "log_index"),
    Index(None, "tx_hash"),
)

chain_events = Table(
    "chain_events",
    metadata,
    Column("block_number", BigInteger, primary_key=True, autoincrement=False),
    Column("log_index", Integer, primary_key=True, autoincrement=False),
    Column("contract", Text, nullable=False),
    Column("name", Text, nullable=False),
    Column("args", JSON, nullable=False),
    Column("block_time", BigInteger, nullable=False),
    Column("tx_hash", Text, nullable=False),
    Index(None, "contract", "block_number"),
    Index(None, "tx_hash"),
)

identities = Table(
    "identities",
    metadata,
    Column("wallet", Text, primary_key=True),
    Column("identity_id", Uint256, nullable=False),
    Column("country", Uint256, nullable=False),
    # 0 none, 1 active, 2 suspended, 3 bypass (the registry's status field)
    Column("status", SmallInteger, nullable=False),
    Column("updated_block", BigInteger, nullable=False),
)

claims = Table(
    "claims",
    metadata,
    Column("wallet", Text, primary_key=True),
    Column("topic", Text, primary_key=True),
    Column("issuer", Text, nullable=False),
    Column("expiry", Uint256, nullable=False),
    Column("updated_block", BigInteger, nullable=False),
)

claim_topics = Table(
    "claim_topics",
    metadata,
    Column("topic", Text, primary_key=True),
    Column("name", Text, nullable=False),
)

trusted_issuers = Table(
    "trusted_issuers",
    metadata,
    Column("issuer", Text, primary_key=True),
    Column("topic", Text, primary_key=True),
    Column("position", Uint256, nullable=False),
    Column("updated_block", BigInteger, nullable=False),
)

compliance_rules = Table(
    "compliance_rules",
    metadata,
    # a token, or the identity registry for registry-wide rules
    Column("contract", Text, primary_key=True),
    Column("kind", Text, primary_key=True),
    Column("subject", Text, primary_key=True),  # rule id, "rule:country", address, or ""
    Column("value", JSON, nullable=False),
    Column("updated_block", BigInteger, nullable=False),
)

role_grants = Table(
    "role_grants",
    metadata,
    Column("contract", Text, primary_key=True),
    Column("account", Text, primary_key=True),
    Column("role", Uint256, primary_key=True),
    Column("granted_by", Text, nullable=False),
    Column("updated_block", BigInteger, nullable=False),
)

token_rollups = Table(
    "token_rollups",
    metadata,
    Column("token", Text, primary_key=True),
    Column("period", Text, primary_key=True),  # hour or day
    Column("bucket_start", BigInteger, primary_key=True, autoincrement=False),  # epoch s
    # supply and holders as of the bucket's last event
    Column("supply", Uint256, nullable=False),
    Column("holder_count", Integer, nullable=False),
    Column("minted", Uint256, nullable=False),
    Column("burned", Uint256, nullable=False),
    Column("volume", Uint256, nullable=False),  # moved between holders (not mints, burns)
    Column("transfer_count", BigInteger, nullable=False),  # transfers between holders
    Column("updated_block", BigInteger, nullable=False),
)

# The indexer's sweep of confirmed operations up to its block: a partial index, as small
# as the set of confirmed-but-not-yet-indexed operations.
confirmed_ops_index = Index(
    "ix_operations_confirmed",
    operations.c.block_number,
    postgresql_where=operations.c.state == 2,
    sqlite_where=operations.c.state == 2,
)

# State tables and their keys, in the order a rollback restores them.
STATE_KEYS: dict[str, tuple[str, ...]] = {
    "tokens": ("address",),
    "balances": ("token", "holder"),
    "identities": ("wallet",),
    "claims": ("wallet", "topic"),
    "claim_topics": ("topic",),
    "trusted_issuers": ("issuer", "topic"),
    "compliance_rules": ("contract", "kind", "subject"),
    "role_grants": ("contract", "account", "role"),
    "token_rollups": ("token", "period", "bucket_start"),
}
STATE_TABLES: dict[str, Table] = {name: metadata.tables[name] for name in STATE_KEYS}
EVENT_TABLES: tuple[Table, ...] = (transfers, chain_events)
