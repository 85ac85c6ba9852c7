"""benefits

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27 08:00:58.413874
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import kervan.db.base

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "benefit_kinds",
        sa.Column("state", sa.String(length=3), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("names", sa.JSON(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("eligibility", sa.JSON(), nullable=False),
        sa.Column("default_entitlement_days", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", kervan.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", kervan.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.CheckConstraint(
            "default_entitlement_days > 0", name=op.f("ck_benefit_kinds_entitlement_days")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_benefit_kinds")),
        sa.UniqueConstraint("state", "code", name=op.f("uq_benefit_kinds_state_code")),
    )
    op.create_table(
        "benefit_applications",
        sa.Column("person_id", sa.Uuid(), nullable=False),
        sa.Column("kind_id", sa.Uuid(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "applied",
                "eligible",
                "ineligible",
                "approved",
                "rejected",
                name="benefit_application_status",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("eligibility_reasons", sa.JSON(), nullable=False),
        sa.Column("evaluated_at", kervan.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("decided_by", sa.String(length=200), nullable=True),
        sa.Column("decided_at", kervan.db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("decision_reason", sa.Text(), nullable=False),
        sa.Column("entitlement_from", sa.Date(), nullable=True),
        sa.Column("entitlement_until", sa.Date(), nullable=True),
        sa.Column("measure_id", sa.Uuid(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", kervan.db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("nationality", sa.String(length=3), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.CheckConstraint(
            "entitlement_until IS NULL OR entitlement_from IS NULL "
            "OR entitlement_until >= entitlement_from",
            name=op.f("ck_benefit_applications_entitlement_period"),
        ),
        sa.ForeignKeyConstraint(
            ["kind_id"],
            ["benefit_kinds.id"],
            name=op.f("fk_benefit_applications_kind_id_benefit_kinds"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["persons.id"],
            name=op.f("fk_benefit_applications_person_id_persons"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_benefit_applications")),
    )
    with op.batch_alter_table("benefit_applications", schema=None) as batch_op:
        batch_op.create_index(
            "ix_benefit_applications_kind_person", ["kind_id", "person_id", "status"], unique=False
        )
        batch_op.create_index(
            "ix_benefit_applications_person_id", ["person_id", "id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("benefit_applications", schema=None) as batch_op:
        batch_op.drop_index("ix_benefit_applications_person_id")
        batch_op.drop_index("ix_benefit_applications_kind_person")

    op.drop_table("benefit_applications")
    op.drop_table("benefit_kinds")
