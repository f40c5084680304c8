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
    # a system's assets by type (index added by migration 0004)
    Index("ix_tokens_system_asset_type", "system", "asset_type"),
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

# -- corporate actions (migration 0004) --

asset_contracts = Table(
    "asset_contracts",
    metadata,
    # every contract the index follows besides the registry, the TokenFactory and tokens:
    # asset factories (creators on the TokenFactory) and what they create
    Column("address", Text, primary_key=True),
    Column("kind", Text, nullable=False),  # the contract's name: Bond, FixedYield, …
    Column("token", Text),  # the token it serves (none for factories and vaults)
    Column("created_block", BigInteger, nullable=False),
    Column("created_tx", Text, nullable=False),
    Column("updated_block", BigInteger, nullable=False),
    Index(None, "token"),
)

asset_terms = Table(
    "asset_terms",
    metadata,
    # one row per token created through an AssetFactory: its contracts and terms
    Column("token", Text, primary_key=True),
    Column("asset_kind", Text, nullable=False),  # bond, distributing, equity, fund, stablecoin
    Column("bond", Text),
    Column("coupons", Text),
    Column("distribution", Text),
    Column("voting", Text),
    Column("fee_contract", Text),
    Column("minter", Text),
    Column("denomination", Text),
    Column("face_value", Uint256),
    Column("cap", Uint256),
    Column("maturity", Uint256),
    Column("coupon_rate_bps", Uint256),
    Column("coupon_start", Uint256),
    Column("coupon_interval", Uint256),
    Column("coupon_periods", Uint256),
    Column("coupon_push_window", Uint256),
    Column("push_window", Uint256),  # the Distribution's
    Column("fee_bps", Uint256),
    Column("fee_receiver", Text),
    Column("class_name", Text),
    Column("votes_per_share", Uint256),
    Column("collateral_topic", Text),
    Column("reserve", Uint256),  # the bond's reserve after its last reserve event
    Column("coupon_funding", Uint256),  # coupon funding available after its last event
    Column("matured_block", BigInteger),
    Column("updated_block", BigInteger, nullable=False),
)

coupon_periods = Table(
    "coupon_periods",
    metadata,
    Column("coupons", Text, primary_key=True),
    Column("period", Integer, primary_key=True, autoincrement=False),  # 1 … n
    Column("token", Text, nullable=False),
    Column("ends_at", Uint256, nullable=False),
    Column("pushed", Uint256, nullable=False),  # paid by pushes (claims span periods)
    Column("pushed_holders", BigInteger, nullable=False),
    Column("last_pushed", Text),
    Column("updated_block", BigInteger, nullable=False),
)

distributions = Table(
    "distributions",
    metadata,
    Column("contract", Text, primary_key=True),
    Column("distribution_id", Uint256, primary_key=True),
    Column("token", Text, nullable=False),
    Column("asset", Text, nullable=False),
    Column("amount", Uint256, nullable=False),
    Column("record_time", Uint256, nullable=False),
    Column("deadline", Uint256, nullable=False),
    Column("declarer", Text, nullable=False),
    Column("paid", Uint256, nullable=False),
    Column("reclaimed", Uint256, nullable=False),
    Column("pushed_holders", BigInteger, nullable=False),
    Column("last_pushed", Text),
    Column("updated_block", BigInteger, nullable=False),
)

offerings = Table(
    "offerings",
    metadata,
    Column("address", Text, primary_key=True),
    Column("token", Text, nullable=False),
    Column("creator", Text, nullable=False),
    Column("payment", Text, nullable=False),
    Column("treasury", Text, nullable=False),
    Column("price", Uint256, nullable=False),
    Column("hard_cap", Uint256, nullable=False),
    Column("min_per_investor", Uint256, nullable=False),
    Column("max_per_investor", Uint256, nullable=False),
    Column("opens", Uint256, nullable=False),
    Column("closes", Uint256, nullable=False),
    Column("settlement_period", Uint256, nullable=False),
    Column("subscribed_units", Uint256, nullable=False),  # open subscriptions
    Column("settled_units", Uint256, nullable=False),
    Column("settled_paid", Uint256, nullable=False),
    Column("refunded_units", Uint256, nullable=False),
    Column("updated_block", BigInteger, nullable=False),
    Index(None, "token"),
)

subscriptions = Table(
    "subscriptions",
    metadata,
    Column("offering", Text, primary_key=True),
    Column("investor", Text, primary_key=True),
    # what the investor has in escrow now (settling or refunding empties it); a settled
    # investor is known by the token's mint to it in the settling transaction, since
    # SubscriptionsSettled names no investors
    Column("units", Uint256, nullable=False),
    Column("paid", Uint256, nullable=False),
    Column("settled_units", Uint256, nullable=False),
    Column("settled_paid", Uint256, nullable=False),
    Column("refunded_units", Uint256, nullable=False),
    Column("refunded_paid", Uint256, nullable=False),
    Column("updated_block", BigInteger, nullable=False),
    Index(None, "investor"),
)

settlements = Table(
    "settlements",
    metadata,
    Column("contract", Text, primary_key=True),
    Column("settlement_id", Text, primary_key=True),
    Column("status", Text, nullable=False),  # executed or cancelled
    Column("legs", JSON),  # [[token, sender, receiver, amount as text], …] when executed
    Column("preimage", Text),
    Column("actor", Text, nullable=False),  # the executing caller or the cancelling sender
    Column("updated_block", BigInteger, nullable=False),
)

vaults = Table(
    "vaults",
    metadata,
    Column("address", Text, primary_key=True),
    Column("creator", Text, nullable=False),
    Column("signers", JSON, nullable=False),
    Column("weights", JSON, nullable=False),  # as text; empty: one vote each
    Column("threshold", Uint256, nullable=False),
    Column("executed", BigInteger, nullable=False),  # payouts and calls so far
    Column("updated_block", BigInteger, nullable=False),
)

airdrops = Table(
    "airdrops",
    metadata,
    Column("contract", Text, primary_key=True),
    Column("drop_id", Uint256, primary_key=True),
    Column("asset", Text, nullable=False),
    Column("creator", Text, nullable=False),
    Column("root", Text, nullable=False),
    Column("total", Uint256, nullable=False),
    Column("start_time", Uint256, nullable=False),
    Column("end_time", Uint256, nullable=False),
    Column("cliff", Uint256, nullable=False),
    Column("vesting_end", Uint256, nullable=False),
    Column("claimed", Uint256, nullable=False),
    Column("reclaimed", Uint256, nullable=False),
    Column("updated_block", BigInteger, nullable=False),
)

asset_payments = Table(
    "asset_payments",
    metadata,
    # one row per money movement of a corporate action: coupon and distribution claims
    # and pushes, reclaims, funding, redemptions, subscriptions and refunds, vault
    # payouts and calls, airdrop claims, fee mints
    Column("block_number", BigInteger, primary_key=True, autoincrement=False),
    Column("log_index", Integer, primary_key=True, autoincrement=False),
    Column("contract", Text, nullable=False),
    Column("token", Text),
    Column("kind", Text, nullable=False),
    Column("account", Text),  # the holder, investor or receiver, when one
    Column("asset", Text),  # the asset paid, when the event names it
    Column("reference", Text),  # period(s), distribution or drop id, vault nonce, units
    Column("amount", Uint256, nullable=False),
    Column("block_time", BigInteger, nullable=False),
    Column("tx_hash", Text, nullable=False),
    Index(None, "token", "block_number"),
    Index(None, "account", "block_number"),
    Index(None, "contract", "block_number"),
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
    "asset_contracts": ("address",),
    "asset_terms": ("token",),
    "coupon_periods": ("coupons", "period"),
    "distributions": ("contract", "distribution_id"),
    "offerings": ("address",),
    "subscriptions": ("offering", "investor"),
    "settlements": ("contract", "settlement_id"),
    "vaults": ("address",),
    "airdrops": ("contract", "drop_id"),
}
STATE_TABLES: dict[str, Table] = {name: metadata.tables[name] for name in STATE_KEYS}
EVENT_TABLES: tuple[Table, ...] = (transfers, chain_events, asset_payments)
