"""Read model: the indexer's cursor, block hashes, and the tables it fills from events.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Spelled out rather than imported from read_model_tables.py: a revision must keep
# describing the schema as it was. uint256 amounts: NUMERIC(78,0) on PostgreSQL,
# zero-padded text on SQLite (its integers stop at int64).
_BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_UINT256 = sa.Numeric(78, 0).with_variant(sa.String(78), "sqlite")


def _col(name: str, kind: object, nullable: bool = False) -> sa.Column:
    return sa.Column(name, kind, nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "indexer_cursors",
        _col("chain_id", sa.BigInteger()),
        _col("block_number", sa.BigInteger()),
        _col("block_hash", sa.Text()),
        _col("updated_at", sa.Double()),
        sa.PrimaryKeyConstraint("chain_id", name="pk_indexer_cursors"),
    )
    op.create_table(
        "indexer_blocks",
        _col("chain_id", sa.BigInteger()),
        _col("block_number", sa.BigInteger()),
        _col("block_hash", sa.Text()),
        _col("parent_hash", sa.Text()),
        _col("block_time", sa.BigInteger()),
        sa.PrimaryKeyConstraint("chain_id", "block_number", name="pk_indexer_blocks"),
    )
    op.create_table(
        "indexer_undo",
        sa.Column("id", _BIG_ID, autoincrement=True, nullable=False),
        _col("chain_id", sa.BigInteger()),
        _col("block_number", sa.BigInteger()),
        _col("table_name", sa.Text()),
        _col("row_key", sa.JSON()),
        _col("previous", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_indexer_undo"),
    )
    op.create_index(
        "ix_indexer_undo_chain_id_block_number", "indexer_undo", ["chain_id", "block_number"]
    )
    op.create_table(
        "tokens",
        _col("address", sa.Text()),
        _col("system", sa.Text(), True),
        _col("admin", sa.Text(), True),
        _col("creator", sa.Text(), True),
        _col("name", sa.Text(), True),
        _col("symbol", sa.Text(), True),
        _col("decimals", sa.SmallInteger(), True),
        _col("asset_type", sa.Text(), True),
        _col("created_block", sa.BigInteger(), True),
        _col("created_time", sa.BigInteger(), True),
        _col("created_tx", sa.Text(), True),
        _col("total_supply", _UINT256),
        _col("holder_count", sa.Integer()),
        _col("paused", sa.Boolean()),
        _col("updated_block", sa.BigInteger()),
        sa.PrimaryKeyConstraint("address", name="pk_tokens"),
    )
    op.create_table(
        "balances",
        _col("token", sa.Text()),
        _col("holder", sa.Text()),
        _col("balance", _UINT256),
        _col("frozen", sa.Boolean()),
        _col("frozen_amount", _UINT256),
        _col("updated_block", sa.BigInteger()),
        sa.PrimaryKeyConstraint("token", "holder", name="pk_balances"),
    )
    op.create_index("ix_balances_holder", "balances", ["holder"])
    op.create_index("ix_balances_token_balance_holder", "balances", ["token", "balance", "holder"])
    op.create_table(
        "transfers",
        _col("block_number", sa.BigInteger()),
        _col("log_index", sa.Integer()),
        _col("token", sa.Text()),
        _col("kind", sa.Text()),
        _col("sender", sa.Text()),
        _col("receiver", sa.Text()),
        _col("amount", _UINT256),
        _col("block_time", sa.BigInteger()),
        _col("tx_hash", sa.Text()),
        sa.PrimaryKeyConstraint("block_number", "log_index", name="pk_transfers"),
    )
    op.create_index(
        "ix_transfers_token_block_number_log_index",
        "transfers",
        ["token", "block_number", "log_index"],
    )
    op.create_index("ix_transfers_tx_hash", "transfers", ["tx_hash"])
    op.create_table(
        "chain_events",
        _col("block_number", sa.BigInteger()),
        _col("log_index", sa.Integer()),
        _col("contract", sa.Text()),
        _col("name", sa.Text()),
        _col("args", sa.JSON()),
        _col("block_time", sa.BigInteger()),
        _col("tx_hash", sa.Text()),
        sa.PrimaryKeyConstraint("block_number", "log_index", name="pk_chain_events"),
    )
    op.create_index(
        "ix_chain_events_contract_block_number", "chain_events", ["contract", "block_number"]
    )
    op.create_index("ix_chain_events_tx_hash", "chain_events", ["tx_hash"])
    op.create_table(
        "identities",
        _col("wallet", sa.Text()),
        _col("identity_id", _UINT256),
        _col("country", _UINT256),
        _col("status", sa.SmallInteger()),
        _col("updated_block", sa.BigInteger()),
        sa.PrimaryKeyConstraint("wallet", name="pk_identities"),
    )
    op.create_table(
        "claims",
        _col("wallet", sa.Text()),
        _col("topic", sa.Text()),
        _col("issuer", sa.Text()),
        _col("expiry", _UINT256),
        _col("updated_block", sa.BigInteger()),
        sa.PrimaryKeyConstraint("wallet", "topic", name="pk_claims"),
    )
    op.create_table(
        "claim_topics",
        _col("topic", sa.Text()),
        _col("name", sa.Text()),
        sa.PrimaryKeyConstraint("topic", name="pk_claim_topics"),
    )
    op.create_table(
        "trusted_issuers",
        _col("issuer", sa.Text()),
        _col("topic", sa.Text()),
        _col("position", _UINT256),
        _col("updated_block", sa.BigInteger()),
        sa.PrimaryKeyConstraint("issuer", "topic", name="pk_trusted_issuers"),
    )
    op.create_table(
        "compliance_rules",
        _col("contract", sa.Text()),
        _col("kind", sa.Text()),
        _col("subject", sa.Text()),
        _col("value", sa.JSON()),
        _col("updated_block", sa.BigInteger()),
        sa.PrimaryKeyConstraint("contract", "kind", "subject", name="pk_compliance_rules"),
    )
    op.create_table(
        "role_grants",
        _col("contract", sa.Text()),
        _col("account", sa.Text()),
        _col("role", _UINT256),
        _col("granted_by", sa.Text()),
        _col("updated_block", sa.BigInteger()),
        sa.PrimaryKeyConstraint("contract", "account", "role", name="pk_role_grants"),
    )
    op.create_table(
        "token_rollups",
        _col("token", sa.Text()),
        _col("period", sa.Text()),
        _col("bucket_start", sa.BigInteger()),
        _col("supply", _UINT256),
        _col("holder_count", sa.Integer()),
        _col("minted", _UINT256),
        _col("burned", _UINT256),
        _col("volume", _UINT256),
        _col("transfer_count", sa.BigInteger()),
        _col("updated_block", sa.BigInteger()),
        sa.PrimaryKeyConstraint("token", "period", "bucket_start", name="pk_token_rollups"),
    )
    op.create_index(
        "ix_operations_confirmed",
        "operations",
        ["block_number"],
        postgresql_where=sa.text("state = 2"),
        sqlite_where=sa.text("state = 2"),
    )


def downgrade() -> None:
    op.drop_index("ix_operations_confirmed", table_name="operations")
    for name in (
        "token_rollups",
        "role_grants",
        "compliance_rules",
        "trusted_issuers",
        "claim_topics",
        "claims",
        "identities",
        "chain_events",
        "transfers",
        "balances",
        "tokens",
        "indexer_undo",
        "indexer_blocks",
        "indexer_cursors",
    ):
        op.drop_table(name)  # dropping a table drops its indexes
