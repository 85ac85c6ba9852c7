"""exchange: search keys of nationals abroad (folded surname, skeleton), backfilled

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-27 10:40:00.000000
"""

import itertools
import re
import unicodedata
import uuid
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import kervan.db.base  # noqa: F401  (our column types)

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 1000

# A frozen copy of kervan.identity.names.fold / skeleton and kervan.exchange.consular.search_keys
# as they were at this revision: a migration must give the same result whatever the application
# code becomes. The input is a stored ICAO primary identifier (upper-case A-Z and spaces), so
# the MRZ transliteration step reduces to keeping those letters.
_FOLD_RULES: tuple[tuple[str | re.Pattern[str], str], ...] = (
    ("DZH", "J"),
    ("DJ", "J"),
    ("ZH", "J"),
    ("SHCH", "S"),
    ("KH", "H"),
    ("GH", "G"),
    ("SH", "S"),
    ("CH", "C"),
    ("TS", "C"),
    ("X", "H"),
    ("Q", "K"),
    ("W", "V"),
    ("J", "I"),
    ("Y", "I"),
    (re.compile(r"([A-Z])\1+"), r"\1"),
    ("AE", "A"),
    ("OE", "O"),
    ("UE", "U"),
    (re.compile(r"IE(?=[AEIOU])"), ""),
    ("IE", "E"),
    ("IO", "E"),
    (re.compile(r"(?<=[B-DF-HJ-NP-TV-Z])IU"), "U"),
)
_WEAK = frozenset("AEIOUC")
_CONSONANT_CLASS = str.maketrans("DPFVWGQHX", "TBBBBKKKK")


def _icao_letters(name: str) -> str:
    text = unicodedata.normalize("NFKD", name).upper().replace("-", " ")
    return " ".join("".join(c for c in word if "A" <= c <= "Z") for word in text.split())


def _fold_word(word: str) -> str:
    while True:
        before = word
        for rule, replacement in _FOLD_RULES:
            if isinstance(rule, str):
                word = word.replace(rule, replacement)
            else:
                word = rule.sub(replacement, word)
        if word == before:
            return word


def _fold(name: str) -> str:
    return " ".join(w for w in map(_fold_word, _icao_letters(name).split()) if w)


def _skeleton(token: str) -> str:
    folded = _fold(token).replace(" ", "")
    if len(folded) > 2 and folded.endswith("H"):
        folded = folded[:-1]
    if not folded:
        return ""
    classes = folded.translate(_CONSONANT_CLASS)
    out = ["A" if classes[0] in _WEAK else classes[0]]
    for previous, char in itertools.pairwise(classes):
        if char not in _WEAK and char != previous:
            out.append(char)
    return "".join(out)


def search_keys(primary_identifier: str) -> tuple[str, str]:
    folded = _fold(primary_identifier)[:200]
    words = folded.split()
    return folded, (_skeleton(words[0])[:100] if words else "")


def upgrade() -> None:
    with op.batch_alter_table("exchange_nationals_abroad", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "name_folded",
                sa.String(length=200).with_variant(
                    sa.String(length=200, collation="C"), "postgresql"
                ),
                server_default="",
                nullable=False,
            )
        )
        batch_op.add_column(
            sa.Column("name_skeleton", sa.String(length=100), server_default="", nullable=False)
        )
    _backfill()
    with op.batch_alter_table("exchange_nationals_abroad", schema=None) as batch_op:
        batch_op.create_index(
            "ix_exchange_nationals_abroad_folded",
            ["name_folded", "primary_identifier", "host_state", "document_id"],
            unique=False,
        )
        batch_op.create_index(
            "ix_exchange_nationals_abroad_skeleton",
            ["name_skeleton", "name_folded", "primary_identifier", "host_state", "document_id"],
            unique=False,
        )
        # A consul often has only the passport or the stay document number.
        batch_op.create_index("ix_exchange_nationals_abroad_number", ["number"], unique=False)
        batch_op.create_index(
            "ix_exchange_nationals_abroad_travel_number", ["travel_document_number"], unique=False
        )


def _backfill() -> None:
    """The keys of the rows already received. They are computed in Python (``fold`` is not
    SQL), so this walks the table in primary-key order, BATCH rows at a time: memory stays
    bounded however many documents peers have sent. The table is the consulate's copy of what
    host states reported, not the register, so one pass inside the migration's transaction
    is acceptable; the indexes are built after it, once."""
    table = sa.table(
        "exchange_nationals_abroad",
        sa.column("host_state", sa.String()),
        sa.column("document_id", sa.Uuid()),
        sa.column("primary_identifier", sa.String()),
        sa.column("name_folded", sa.String()),
        sa.column("name_skeleton", sa.String()),
    )
    update = (
        table.update()
        .where(
            table.c.host_state == sa.bindparam("b_host_state"),
            table.c.document_id == sa.bindparam("b_document_id"),
        )
        .values(name_folded=sa.bindparam("b_folded"), name_skeleton=sa.bindparam("b_skeleton"))
    )
    connection = op.get_bind()
    key = sa.tuple_(table.c.host_state, table.c.document_id)
    last: tuple[str, uuid.UUID] | None = None
    while True:
        query = (
            sa.select(table.c.host_state, table.c.document_id, table.c.primary_identifier)
            .order_by(table.c.host_state, table.c.document_id)
            .limit(BATCH)
        )
        if last is not None:
            query = query.where(key > last)
        rows = connection.execute(query).all()
        if not rows:
            return
        changes = []
        for host_state, document_id, primary_identifier in rows:
            folded, skeleton = search_keys(primary_identifier)
            changes.append(
                {
                    "b_host_state": host_state,
                    "b_document_id": document_id,
                    "b_folded": folded,
                    "b_skeleton": skeleton,
                }
            )
        connection.execute(update, changes)
        last = rows[-1][0], rows[-1][1]


def downgrade() -> None:
    with op.batch_alter_table("exchange_nationals_abroad", schema=None) as batch_op:
        batch_op.drop_index("ix_exchange_nationals_abroad_travel_number")
        batch_op.drop_index("ix_exchange_nationals_abroad_number")
        batch_op.drop_index("ix_exchange_nationals_abroad_skeleton")
        batch_op.drop_index("ix_exchange_nationals_abroad_folded")
        batch_op.drop_column("name_skeleton")
        batch_op.drop_column("name_folded")
