"""stay documents: the region of the stay (an ISO 3166-2 subdivision code)

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-03 16:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0026"
down_revision: str | None = "0025"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("stay_documents") as batch:
        batch.add_column(sa.Column("region", sa.String(length=6), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("stay_documents") as batch:
        batch.drop_column("region")
