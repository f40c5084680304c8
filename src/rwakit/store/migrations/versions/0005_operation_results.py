"""Operation results: what a confirmed operation made (a created asset's token and
companion contracts), kept on its row for the requester.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # nullable: no rewrite of existing rows on either database
    op.add_column("operations", sa.Column("result", sa.JSON(), nullable=True))


def downgrade() -> None:
    # batch mode: SQLite drops a column by copying the table
    with op.batch_alter_table("operations") as batch:
        batch.drop_column("result")
