"""measures: decisions kept as the measure's own events (backfilled from its columns), and
the whole-register apply as a job the worker leases

Revision ID: 0011
Revises: 0007
Create Date: 2026-12-03 10:17:08.032244
"""

import os
import time
import uuid
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import kervan.db.base  # noqa: F401  (our column types)


revision: str = '0011'
down_revision: str | None = '0014'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('measure_events',
    sa.Column('measure_id', sa.Uuid(), nullable=False),
    sa.Column('kind', sa.Enum('created', 'updated', 'previewed', 'activated', 'applied', 'lifted', name='measure_event_kind', native_enum=False, length=16), nullable=False),
    sa.Column('at', kervan.db.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.String(length=200), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('details', sa.JSON(), nullable=False),
    sa.Column('id', sa.Uuid(), nullable=False),
    sa.ForeignKeyConstraint(['measure_id'], ['measures.id'], name=op.f('fk_measure_events_measure_id_measures'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_measure_events'))
    )
    with op.batch_alter_table('measure_events', schema=None) as batch_op:
        batch_op.create_index('ix_measure_events_measure_id', ['measure_id', 'at'], unique=False)

    with op.batch_alter_table('measures', schema=None) as batch_op:
        batch_op.add_column(sa.Column('apply_requested_at', kervan.db.base.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('apply_lease_until', kervan.db.base.UTCDateTime(timezone=True), nullable=True))

    _backfill()


# (column of when, column of who, event kind); reasons were kept only in the audit log before.
STEPS = (
    ("created_at", "created_by", "created"),
    ("previewed_at", "previewed_by", "previewed"),
    ("in_force_at", "in_force_by", "activated"),
    ("applied_at", None, "applied"),
    ("lifted_at", "lifted_by", "lifted"),
)


def _uuid7(at_ms: int) -> uuid.UUID:
    # A copy of kervan.db.ids.uuid7 without its counter: migrations do not import the app.
    rand = int.from_bytes(os.urandom(10), "big")
    value = (at_ms & ((1 << 48) - 1)) << 80 | 0x7 << 76 | (rand >> 68) << 64 | 0b10 << 62
    return uuid.UUID(int=value | (rand & ((1 << 62) - 1)))


def _backfill() -> None:
    bind = op.get_bind()
    measures = sa.table(
        "measures",
        sa.column("id", sa.Uuid()),
        sa.column("lift_reason", sa.Text()),
        *(sa.column(when, kervan.db.base.UTCDateTime()) for when, _, _ in STEPS),
        *(sa.column(who, sa.String()) for _, who, _ in STEPS if who),
    )
    events = sa.table(
        "measure_events",
        sa.column("id", sa.Uuid()),
        sa.column("measure_id", sa.Uuid()),
        sa.column("kind", sa.String()),
        sa.column("at", kervan.db.base.UTCDateTime()),
        sa.column("actor", sa.String()),
        sa.column("reason", sa.Text()),
        sa.column("details", sa.JSON()),
    )
    rows = []
    for measure in bind.execute(sa.select(measures)).mappings():
        for when, who, kind in STEPS:
            if measure[when] is None:
                continue
            rows.append(
                {
                    "id": _uuid7(int(measure[when].timestamp() * 1000) or int(time.time() * 1000)),
                    "measure_id": measure["id"],
                    "kind": kind,
                    "at": measure[when],
                    "actor": (measure[who] if who else None) or "",
                    "reason": (measure["lift_reason"] if kind == "lifted" else None) or "",
                    "details": {},
                }
            )
    if rows:
        bind.execute(sa.insert(events), rows)


def downgrade() -> None:
    with op.batch_alter_table('measures', schema=None) as batch_op:
        batch_op.drop_column('apply_lease_until')
        batch_op.drop_column('apply_requested_at')

    with op.batch_alter_table('measure_events', schema=None) as batch_op:
        batch_op.drop_index('ix_measure_events_measure_id')

    op.drop_table('measure_events')
