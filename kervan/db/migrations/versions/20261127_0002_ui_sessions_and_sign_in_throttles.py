"""ui sessions and sign-in throttles

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27 07:08:33.728784
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import kervan.db.base

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "sign_in_throttles",
        sa.Column("address", sa.String(length=64), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("window_started_at", kervan.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("blocked_until", kervan.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("address", name=op.f("pk_sign_in_throttles")),
    )
    op.create_table(
        "user_sessions",
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", kervan.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", kervan.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", kervan.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("address", sa.String(length=64), nullable=False),
        sa.Column("user_agent", sa.String(length=200), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_user_sessions_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user_sessions")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_user_sessions_token_hash")),
    )
    with op.batch_alter_table("user_sessions", schema=None) as batch_op:
        batch_op.create_index("ix_user_sessions_user_id", ["user_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("user_sessions", schema=None) as batch_op:
        batch_op.drop_index("ix_user_sessions_user_id")
    op.drop_table("user_sessions")
    op.drop_table("sign_in_throttles")
