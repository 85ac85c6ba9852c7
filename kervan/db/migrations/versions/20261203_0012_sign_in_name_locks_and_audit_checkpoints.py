"""sign-in locks for unknown user names, and signed audit checkpoints

Revision ID: 0012
Revises: 0007
Create Date: 2026-12-03 10:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import kervan.db.base

revision: str = "0012"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "sign_in_name_locks",
        sa.Column("name_digest", sa.String(length=64), nullable=False),
        sa.Column("failed_logins", sa.Integer(), nullable=False),
        sa.Column("locked_until", kervan.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("last_failed_at", kervan.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name_digest", name=op.f("pk_sign_in_name_locks")),
    )
    with op.batch_alter_table("sign_in_name_locks", schema=None) as batch_op:
        batch_op.create_index(
            "ix_sign_in_name_locks_last_failed_at", ["last_failed_at"], unique=False
        )
    op.create_table(
        "audit_checkpoints",
        sa.Column("seq", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("entry_hash", sa.String(length=64), nullable=False),
        sa.Column("at", kervan.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("kid", sa.String(length=100), nullable=False),
        sa.Column("token", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_audit_checkpoints")),
    )


def downgrade() -> None:
    op.drop_table("audit_checkpoints")
    with op.batch_alter_table("sign_in_name_locks", schema=None) as batch_op:
        batch_op.drop_index("ix_sign_in_name_locks_last_failed_at")
    op.drop_table("sign_in_name_locks")
