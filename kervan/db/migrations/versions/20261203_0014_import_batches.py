"""registry: import_batches, the history of a first load (one entry per batch of rows)

Revision ID: 0014
Revises: 0007
Create Date: 2026-12-03 10:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import kervan.db.base  # noqa: F401  (our column types)

revision: str = "0014"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "import_batches",
        sa.Column("at", kervan.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("first_row", sa.Integer(), nullable=False),
        sa.Column("last_row", sa.Integer(), nullable=False),
        sa.Column("first_record_id", sa.Uuid(), nullable=False),
        sa.Column("last_record_id", sa.Uuid(), nullable=False),
        sa.Column("persons_created", sa.Integer(), nullable=False),
        sa.Column("documents_created", sa.Integer(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_batches")),
    )
    op.create_index(
        "ix_import_batches_first_record_id", "import_batches", ["first_record_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_import_batches_first_record_id", table_name="import_batches")
    op.drop_table("import_batches")
