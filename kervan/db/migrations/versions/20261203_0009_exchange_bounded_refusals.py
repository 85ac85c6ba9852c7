"""exchange: bounded digests of refused envelopes (hash, size, source), replaced envelopes

Revision ID: 0009
Revises: 0007
Create Date: 2026-12-03 10:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import kervan.db.base  # noqa: F401  (our column types)

revision: str = "0009"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("exchange_rejections", schema=None) as batch_op:
        batch_op.add_column(sa.Column("envelope_sha256", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("envelope_size", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("source", sa.String(length=64), nullable=True))
        batch_op.create_index("ix_exchange_rejections_source_at", ["source", "at"], unique=False)
    op.create_table(
        "exchange_replaced_envelopes",
        sa.Column("message_id", sa.Uuid(), nullable=False),
        sa.Column("envelope", sa.Text(), nullable=False),
        sa.Column("envelope_sha256", sa.String(length=64), nullable=False),
        sa.Column("logged_at", kervan.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("receipt", sa.Text(), nullable=True),
        sa.Column("receipt_status", sa.String(length=16), nullable=True),
        sa.Column("receipt_reason", sa.Text(), nullable=True),
        sa.Column("replaced_at", kervan.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exchange_replaced_envelopes")),
    )
    with op.batch_alter_table("exchange_replaced_envelopes", schema=None) as batch_op:
        batch_op.create_index(
            "ix_exchange_replaced_envelopes_message", ["message_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("exchange_replaced_envelopes", schema=None) as batch_op:
        batch_op.drop_index("ix_exchange_replaced_envelopes_message")
    op.drop_table("exchange_replaced_envelopes")
    with op.batch_alter_table("exchange_rejections", schema=None) as batch_op:
        batch_op.drop_index("ix_exchange_rejections_source_at")
        batch_op.drop_column("source")
        batch_op.drop_column("envelope_size")
        batch_op.drop_column("envelope_sha256")
