"""Write path: operations, batches, signer nonces, leases, custodial wallets.

Revision ID: 0001
Revises:
Create Date: 2025-01-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Spelled out rather than imported from tables.py: a revision must keep describing the
# schema as it was, whatever the tables become later.
_BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "batches",
        sa.Column("id", _BIG_ID, autoincrement=True, nullable=False),
        sa.Column("signer", sa.Text(), nullable=False),
        sa.Column("nonce", sa.BigInteger(), nullable=False),
        sa.Column("contract", sa.Text(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("op_count", sa.Integer(), nullable=False),
        sa.Column("tx_hash", sa.Text(), nullable=False),
        sa.Column("raw_tx", sa.LargeBinary(), nullable=False),
        sa.Column("gas_limit", sa.BigInteger(), nullable=False),
        sa.Column("max_fee_per_gas", sa.BigInteger(), nullable=False),
        sa.Column("max_priority_fee_per_gas", sa.BigInteger(), nullable=False),
        sa.Column("state", sa.SmallInteger(), nullable=False),
        sa.Column("created_at", sa.Double(), nullable=False),
        sa.Column("sent_at", sa.Double(), nullable=True),
        sa.Column("mined_at", sa.Double(), nullable=True),
        sa.Column("block_number", sa.BigInteger(), nullable=True),
        sa.Column("gas_used", sa.BigInteger(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_batches"),
        sa.UniqueConstraint("signer", "nonce", "tx_hash", name="uq_batches_signer_nonce_tx_hash"),
    )
    op.create_index("ix_batches_signer_state", "batches", ["signer", "state"])
    op.create_index("ix_batches_tx_hash", "batches", ["tx_hash"])

    op.create_table(
        "operations",
        sa.Column("id", _BIG_ID, autoincrement=True, nullable=False),
        sa.Column("idempotency_key", sa.Text(), nullable=True),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("contract", sa.Text(), nullable=False),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("requester", sa.Text(), nullable=False),
        sa.Column("priority", sa.SmallInteger(), nullable=False),
        sa.Column("state", sa.SmallInteger(), nullable=False),
        sa.Column("reason_code", sa.Text(), nullable=True),
        sa.Column("reason_message", sa.Text(), nullable=True),
        sa.Column("accepted_at", sa.Double(), nullable=False),
        sa.Column("submitted_at", sa.Double(), nullable=True),
        sa.Column("confirmed_at", sa.Double(), nullable=True),
        sa.Column("indexed_at", sa.Double(), nullable=True),
        sa.Column("failed_at", sa.Double(), nullable=True),
        sa.Column("batch_id", sa.BigInteger(), nullable=True),
        sa.Column("tx_hash", sa.Text(), nullable=True),
        sa.Column("block_number", sa.BigInteger(), nullable=True),
        sa.Column("gas_used", sa.BigInteger(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_operations"),
        sa.UniqueConstraint("idempotency_key", name="uq_operations_idempotency_key"),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["batches.id"], name="fk_operations_batch_id_batches"
        ),
    )
    op.create_index(
        "ix_operations_pickup",
        "operations",
        ["state", "contract", "kind", "priority", "id"],
        postgresql_where=sa.text("state = 0"),
        sqlite_where=sa.text("state = 0"),
    )
    op.create_index("ix_operations_batch_id", "operations", ["batch_id"])

    op.create_table(
        "signer_nonces",
        sa.Column("signer", sa.Text(), nullable=False),
        sa.Column("next_nonce", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("signer", name="pk_signer_nonces"),
    )
    op.create_table(
        "leases",
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("holder", sa.Text(), nullable=False),
        sa.Column("expires_at", sa.Double(), nullable=False),
        sa.Column("heartbeat_at", sa.Double(), nullable=False),
        sa.PrimaryKeyConstraint("name", name="pk_leases"),
    )
    op.create_table(
        "custodial_wallets",
        sa.Column("owner", sa.Text(), nullable=False),
        sa.Column("address", sa.Text(), nullable=False),
        sa.Column("encrypted_key", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.Double(), nullable=False),
        sa.PrimaryKeyConstraint("owner", name="pk_custodial_wallets"),
        sa.UniqueConstraint("address", name="uq_custodial_wallets_address"),
    )


def downgrade() -> None:
    op.drop_table("custodial_wallets")
    op.drop_table("leases")
    op.drop_table("signer_nonces")
    op.drop_index("ix_operations_batch_id", table_name="operations")
    op.drop_index("ix_operations_pickup", table_name="operations")
    op.drop_table("operations")
    op.drop_index("ix_batches_tx_hash", table_name="batches")
    op.drop_index("ix_batches_signer_state", table_name="batches")
    op.drop_table("batches")
