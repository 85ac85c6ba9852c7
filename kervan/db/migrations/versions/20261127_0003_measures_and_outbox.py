"""measures and outbox

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27 08:00:19.289167
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import kervan.db.base

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_STATUS = sa.Enum(
    "draft",
    "previewed",
    "in_force",
    "lifted",
    name="measure_status",
    native_enum=False,
    length=16,
)


def upgrade() -> None:
    op.create_table(
        "measures",
        sa.Column("reference", sa.String(length=64), nullable=False),
        sa.Column("issuing_state", sa.String(length=3), nullable=False),
        sa.Column("legal_act", sa.String(length=300), nullable=False),
        sa.Column("legal_number", sa.String(length=64), nullable=False),
        sa.Column("legal_date", sa.Date(), nullable=False),
        sa.Column("legal_link", sa.String(length=500), nullable=False),
        sa.Column("title", sa.JSON(), nullable=False),
        sa.Column("summary", sa.JSON(), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("scope", sa.JSON(), nullable=False),
        sa.Column("actions", sa.JSON(), nullable=False),
        sa.Column("status", _STATUS, nullable=False),
        sa.Column("created_at", kervan.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("updated_at", kervan.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("previewed_at", kervan.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("previewed_by", sa.String(length=200), nullable=True),
        sa.Column("preview", sa.JSON(), nullable=True),
        sa.Column("in_force_at", kervan.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("in_force_by", sa.String(length=200), nullable=True),
        sa.Column("lifted_at", kervan.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("lifted_by", sa.String(length=200), nullable=True),
        sa.Column("lift_reason", sa.Text(), nullable=True),
        sa.Column("applied_through", sa.Uuid(), nullable=True),
        sa.Column("applied_at", kervan.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_measures")),
        sa.UniqueConstraint("reference", name=op.f("uq_measures_reference")),
    )
    with op.batch_alter_table("measures", schema=None) as batch_op:
        batch_op.create_index("ix_measures_status", ["status"], unique=False)

    op.create_table(
        "outbox_messages",
        sa.Column("type", sa.String(length=64), nullable=False),
        sa.Column("to_state", sa.String(length=3), nullable=False),
        sa.Column("subject_type", sa.String(length=32), nullable=False),
        sa.Column("subject_id", sa.Uuid(), nullable=False),
        sa.Column("body", sa.JSON(), nullable=False),
        sa.Column("created_at", kervan.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.SmallInteger(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox_messages")),
    )
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.create_index(
            "ix_outbox_messages_status_to_state_id", ["status", "to_state", "id"], unique=False
        )
        batch_op.create_index(
            "ix_outbox_messages_subject", ["subject_type", "subject_id"], unique=False
        )

    op.create_table(
        "measure_effects",
        sa.Column("measure_id", sa.Uuid(), nullable=False),
        sa.Column("document_id", sa.Uuid(), nullable=False),
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.Column("nationality", sa.String(length=3), nullable=False),
        sa.Column("old_until", sa.Date(), nullable=False),
        sa.Column("new_until", sa.Date(), nullable=False),
        sa.Column("applied_at", kervan.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["stay_documents.id"],
            name=op.f("fk_measure_effects_document_id_stay_documents"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["measure_id"],
            ["measures.id"],
            name=op.f("fk_measure_effects_measure_id_measures"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("measure_id", "document_id", name=op.f("pk_measure_effects")),
    )
    with op.batch_alter_table("measure_effects", schema=None) as batch_op:
        batch_op.create_index(
            "ix_measure_effects_document_id", ["document_id", "old_until"], unique=False
        )
        batch_op.create_index(
            "ix_measure_effects_measure_id_applied_at", ["measure_id", "applied_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("measure_effects", schema=None) as batch_op:
        batch_op.drop_index("ix_measure_effects_measure_id_applied_at")
        batch_op.drop_index("ix_measure_effects_document_id")
    op.drop_table("measure_effects")
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_messages_subject")
        batch_op.drop_index("ix_outbox_messages_status_to_state_id")
    op.drop_table("outbox_messages")
    with op.batch_alter_table("measures", schema=None) as batch_op:
        batch_op.drop_index("ix_measures_status")
    op.drop_table("measures")
