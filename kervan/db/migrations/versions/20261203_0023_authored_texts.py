"""measures, benefits, exchange: officer-authored texts per language (issue 12)

The act a measure rests on, and a benefit kind's description, in the officers' languages
({language: text}); the single-language columns stay as the fallback. A foreign measure keeps
the act's texts its issuer announced.

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-03 14:10:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0023"
down_revision: str | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = (
    ("measures", "legal_act_texts"),
    ("exchange_foreign_measures", "legal_act_texts"),
    ("benefit_kinds", "descriptions"),
)


def upgrade() -> None:
    for table, column in COLUMNS:
        with op.batch_alter_table(table) as batch:
            batch.add_column(
                sa.Column(column, sa.JSON(), nullable=False, server_default=sa.text("'{}'"))
            )


def downgrade() -> None:
    for table, column in COLUMNS:
        with op.batch_alter_table(table) as batch:
            batch.drop_column(column)
