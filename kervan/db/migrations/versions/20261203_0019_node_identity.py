"""ops: the state a database belongs to (node_identity, one row)

Revision ID: 0019
Revises: 0007
Create Date: 2026-12-03 10:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import kervan.db.base  # noqa: F401  (our column types)

revision: str = "0019"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "node_identity",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("state", sa.String(length=3), nullable=False),
        sa.Column("claimed_at", kervan.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint("id = 1", name=op.f("ck_node_identity_single_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_node_identity")),
    )


def downgrade() -> None:
    op.drop_table("node_identity")
