"""airport access: the code of a refusal the node made itself (the decision deadline), and the deadline's index

Revision ID: 0025
Revises: 0023
Create Date: 2026-12-03 13:55:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0025"
down_revision: str | None = "0023"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("airport_access_requests") as batch:
        batch.add_column(sa.Column("refusal_code", sa.String(length=64), nullable=True))
    op.create_index(
        "ix_airport_access_requests_status_due",
        "airport_access_requests",
        ["status", "decision_due_at"],
    )


def downgrade() -> None:
    op.drop_index("ix_airport_access_requests_status_due", table_name="airport_access_requests")
    with op.batch_alter_table("airport_access_requests") as batch:
        batch.drop_column("refusal_code")
