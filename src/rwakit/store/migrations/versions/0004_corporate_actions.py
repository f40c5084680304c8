"""Corporate actions in the read model: the contracts the index follows besides tokens,
asset terms, coupon periods, distributions, offerings and subscriptions, settlements,
vaults, airdrops, and a ledger of corporate-action payments.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Spelled out rather than imported: a revision keeps describing the schema as it was.
_UINT256 = sa.Numeric(78, 0).with_variant(sa.String(78), "sqlite")


def _col(name: str, kind: object, nullable: bool = False) -> sa.Column:
    return sa.Column(name, kind, nullable=nullable)


def upgrade() -> None:
    # a system's assets by type and activity
    op.create_index("ix_tokens_system_asset_type", "tokens", ["system", "asset_type"])
    op.create_table(
        "asset_contracts",
        _col("address", sa.Text()),
        _col("kind", sa.Text()),
        _col("token", sa.Text(), nullable=True),
        _col("created_block", sa.BigInteger()),
        _col("created_tx", sa.Text()),
        _col("updated_block", sa.BigInteger()),
        sa.PrimaryKeyConstraint("address", name="pk_asset_contracts"),
    )
    op.create_index("ix_asset_contracts_token", "asset_contracts", ["token"])
    op.create_table(
        "asset_terms",
        _col("token", sa.Text()),
        _col("asset_kind", sa.Text()),
        _col("bond", sa.Text(), nullable=True),
        _col("coupons", sa.Text(), nullable=True),
        _col("distribution", sa.Text(), nullable=True),
        _col("voting", sa.Text(), nullable=True),
        _col("fee_contract", sa.Text(), nullable=True),
        _col("minter", sa.Text(), nullable=True),
        _col("denomination", sa.Text(), nullable=True),
        _col("face_value", _UINT256, nullable=True),
        _col("cap", _UINT256, nullable=True),
        _col("maturity", _UINT256, nullable=True),
        _col("coupon_rate_bps", _UINT256, nullable=True),
        _col("coupon_start", _UINT256, nullable=True),
        _col("coupon_interval", _UINT256, nullable=True),
        _col("coupon_periods", _UINT256, nullable=True),
        _col("coupon_push_window", _UINT256, nullable=True),
        _col("push_window", _UINT256, nullable=True),
        _col("fee_bps", _UINT256, nullable=True),
        _col("fee_receiver", sa.Text(), nullable=True),
        _col("class_name", sa.Text(), nullable=True),
        _col("votes_per_share", _UINT256, nullable=True),
        _col("collateral_topic", sa.Text(), nullable=True),
        _col("reserve", _UINT256, nullable=True),
        _col("coupon_funding", _UINT256, nullable=True),
        _col("matured_block", sa.BigInteger(), nullable=True),
        _col("updated_block", sa.BigInteger()),
        sa.PrimaryKeyConstraint("token", name="pk_asset_terms"),
    )
    op.create_table(
        "coupon_periods",
        _col("coupons", sa.Text()),
        _col("period", sa.Integer()),
        _col("token", sa.Text()),
        _col("ends_at", _UINT256),
        _col("pushed", _UINT256),
        _col("pushed_holders", sa.BigInteger()),
        _col("last_pushed", sa.Text(), nullable=True),
        _col("updated_block", sa.BigInteger()),
        sa.PrimaryKeyConstraint("coupons", "period", name="pk_coupon_periods"),
    )
    op.create_table(
        "distributions",
        _col("contract", sa.Text()),
        _col("distribution_id", _UINT256),
        _col("token", sa.Text()),
        _col("asset", sa.Text()),
        _col("amount", _UINT256),
        _col("record_time", _UINT256),
        _col("deadline", _UINT256),
        _col("declarer", sa.Text()),
        _col("paid", _UINT256),
        _col("reclaimed", _UINT256),
        _col("pushed_holders", sa.BigInteger()),
        _col("last_pushed", sa.Text(), nullable=True),
        _col("updated_block", sa.BigInteger()),
        sa.PrimaryKeyConstraint("contract", "distribution_id", name="pk_distributions"),
    )
    op.create_table(
        "offerings",
        _col("address", sa.Text()),
        _col("token", sa.Text()),
        _col("creator", sa.Text()),
        _col("payment", sa.Text()),
        _col("treasury", sa.Text()),
        _col("price", _UINT256),
        _col("hard_cap", _UINT256),
        _col("min_per_investor", _UINT256),
        _col("max_per_investor", _UINT256),
        _col("opens", _UINT256),
        _col("closes", _UINT256),
        _col("settlement_period", _UINT256),
        _col("subscribed_units", _UINT256),
        _col("settled_units", _UINT256),
        _col("settled_paid", _UINT256),
        _col("refunded_units", _UINT256),
        _col("updated_block", sa.BigInteger()),
        sa.PrimaryKeyConstraint("address", name="pk_offerings"),
    )
    op.create_index("ix_offerings_token", "offerings", ["token"])
    op.create_table(
        "subscriptions",
        _col("offering", sa.Text()),
        _col("investor", sa.Text()),
        _col("units", _UINT256),
        _col("paid", _UINT256),
        _col("settled_units", _UINT256),
        _col("settled_paid", _UINT256),
        _col("refunded_units", _UINT256),
        _col("refunded_paid", _UINT256),
        _col("updated_block", sa.BigInteger()),
        sa.PrimaryKeyConstraint("offering", "investor", name="pk_subscriptions"),
    )
    op.create_index("ix_subscriptions_investor", "subscriptions", ["investor"])
    op.create_table(
        "settlements",
        _col("contract", sa.Text()),
        _col("settlement_id", sa.Text()),
        _col("status", sa.Text()),
        _col("legs", sa.JSON(), nullable=True),
        _col("preimage", sa.Text(), nullable=True),
        _col("actor", sa.Text()),
        _col("updated_block", sa.BigInteger()),
        sa.PrimaryKeyConstraint("contract", "settlement_id", name="pk_settlements"),
    )
    op.create_table(
        "vaults",
        _col("address", sa.Text()),
        _col("creator", sa.Text()),
        _col("signers", sa.JSON()),
        _col("weights", sa.JSON()),
        _col("threshold", _UINT256),
        _col("executed", sa.BigInteger()),
        _col("updated_block", sa.BigInteger()),
        sa.PrimaryKeyConstraint("address", name="pk_vaults"),
    )
    op.create_table(
        "airdrops",
        _col("contract", sa.Text()),
        _col("drop_id", _UINT256),
        _col("asset", sa.Text()),
        _col("creator", sa.Text()),
        _col("root", sa.Text()),
        _col("total", _UINT256),
        _col("start_time", _UINT256),
        _col("end_time", _UINT256),
        _col("cliff", _UINT256),
        _col("vesting_end", _UINT256),
        _col("claimed", _UINT256),
        _col("reclaimed", _UINT256),
        _col("updated_block", sa.BigInteger()),
        sa.PrimaryKeyConstraint("contract", "drop_id", name="pk_airdrops"),
    )
    op.create_table(
        "asset_payments",
        _col("block_number", sa.BigInteger()),
        _col("log_index", sa.Integer()),
        _col("contract", sa.Text()),
        _col("token", sa.Text(), nullable=True),
        _col("kind", sa.Text()),
        _col("account", sa.Text(), nullable=True),
        _col("asset", sa.Text(), nullable=True),
        _col("reference", sa.Text(), nullable=True),
        _col("amount", _UINT256),
        _col("block_time", sa.BigInteger()),
        _col("tx_hash", sa.Text()),
        sa.PrimaryKeyConstraint("block_number", "log_index", name="pk_asset_payments"),
    )
    op.create_index(
        "ix_asset_payments_contract_block_number", "asset_payments", ["contract", "block_number"]
    )
    op.create_index(
        "ix_asset_payments_token_block_number", "asset_payments", ["token", "block_number"]
    )
    op.create_index(
        "ix_asset_payments_account_block_number", "asset_payments", ["account", "block_number"]
    )


def downgrade() -> None:
    op.drop_index("ix_tokens_system_asset_type", table_name="tokens")
    op.drop_table("asset_payments")
    op.drop_table("airdrops")
    op.drop_table("vaults")
    op.drop_table("settlements")
    op.drop_table("subscriptions")
    op.drop_table("offerings")
    op.drop_table("distributions")
    op.drop_table("coupon_periods")
    op.drop_table("asset_terms")
    op.drop_table("asset_contracts")
