"""registry: name_words vocabulary (fuzzy search on both databases), stay document number index

The vocabulary holds every distinct word of ``persons.name_key``. Triggers keep it whole on every
write path (the service, the bulk import and the generator all insert into ``persons``), and it
is filled here from the rows already stored, in one statement. SQLite indexes it with FTS5's
trigram tokenizer (SQLite >= 3.34), PostgreSQL with ``pg_trgm``; the trigram index over whole
name keys, which search no longer uses, goes. No application code is imported: splitting a key
into words is plain SQL on both databases.

Revision ID: 0013
Revises: 0007
Create Date: 2026-12-03 10:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# SQLite: the words of one key as a JSON array (keys are upper-case A-Z words and spaces).
_SQLITE_WORDS = """json_each('["' || replace({key}, ' ', '","') || '"]')"""

_SQLITE_UP = [
    # Padded with ^ and $ so that a word's first and last letters make trigrams of their own.
    "CREATE VIRTUAL TABLE sqlx_name_words_fts USING fts5(padded, tokenize='trigram')",
    """CREATE TRIGGER sqlx_name_words_fts_insert AFTER INSERT ON name_words BEGIN
        INSERT INTO sqlx_name_words_fts (rowid, padded) VALUES (new.rowid, '^' || new.word || '$');
    END""",
    f"""CREATE TRIGGER sqlx_persons_name_words_insert AFTER INSERT ON persons BEGIN
        INSERT OR IGNORE INTO name_words (word)
        SELECT value FROM {_SQLITE_WORDS.format(key="new.name_key")} WHERE value <> '';
    END""",
    f"""CREATE TRIGGER sqlx_persons_name_words_update AFTER UPDATE OF name_key ON persons BEGIN
        INSERT OR IGNORE INTO name_words (word)
        SELECT value FROM {_SQLITE_WORDS.format(key="new.name_key")} WHERE value <> '';
    END""",
    f"""INSERT OR IGNORE INTO name_words (word)
        SELECT DISTINCT value FROM persons, {_SQLITE_WORDS.format(key="persons.name_key")}
        WHERE value <> ''""",
]

_SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS sqlx_persons_name_words_update",
    "DROP TRIGGER IF EXISTS sqlx_persons_name_words_insert",
    "DROP TRIGGER IF EXISTS sqlx_name_words_fts_insert",
    "DROP TABLE IF EXISTS sqlx_name_words_fts",
]

_PG_WORDS = "unnest(string_to_array({key}, ' ')) AS w(word)"

_PG_UP = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    # Search no longer compares whole name keys by trigrams (the vocabulary replaces it), and
    # a GIN index over every person's key is the costliest index to keep up on import.
    "DROP INDEX IF EXISTS pgx_persons_name_key_trgm",
    "CREATE INDEX pgx_name_words_word_trgm ON name_words USING gin (word gin_trgm_ops)",
    # One statement-level trigger per INSERT or UPDATE statement (COPY included), reading the
    # statement's rows from a transition table: set-based whatever the batch size.
    f"""CREATE FUNCTION kervan_name_words_from_persons() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            INSERT INTO name_words (word)
            SELECT DISTINCT w.word FROM changed_persons, {_PG_WORDS.format(key="changed_persons.name_key")}
            WHERE w.word <> ''
            ON CONFLICT DO NOTHING;
            RETURN NULL;
        END $$""",
    """CREATE TRIGGER pgx_persons_name_words_insert AFTER INSERT ON persons
        REFERENCING NEW TABLE AS changed_persons
        FOR EACH STATEMENT EXECUTE FUNCTION kervan_name_words_from_persons()""",
    """CREATE TRIGGER pgx_persons_name_words_update AFTER UPDATE ON persons
        REFERENCING NEW TABLE AS changed_persons
        FOR EACH STATEMENT EXECUTE FUNCTION kervan_name_words_from_persons()""",
    f"""INSERT INTO name_words (word)
        SELECT DISTINCT w.word FROM persons, {_PG_WORDS.format(key="persons.name_key")}
        WHERE w.word <> '' ON CONFLICT DO NOTHING""",
]

_PG_DOWN = [
    "DROP TRIGGER IF EXISTS pgx_persons_name_words_update ON persons",
    "DROP TRIGGER IF EXISTS pgx_persons_name_words_insert ON persons",
    "DROP FUNCTION IF EXISTS kervan_name_words_from_persons()",
    "DROP INDEX IF EXISTS pgx_name_words_word_trgm",
    "CREATE INDEX pgx_persons_name_key_trgm ON persons USING gin (name_key gin_trgm_ops)",
]


def upgrade() -> None:
    op.create_table(
        "name_words",
        sa.Column("word", sa.String(length=400), nullable=False),
        sa.PrimaryKeyConstraint("word", name=op.f("pk_name_words")),
    )
    with op.batch_alter_table("stay_documents", schema=None) as batch_op:
        batch_op.create_index("ix_stay_documents_number", ["number"], unique=False)
    dialect = op.get_bind().dialect.name
    for statement in _PG_UP if dialect == "postgresql" else _SQLITE_UP:
        op.execute(statement)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for statement in _PG_DOWN if dialect == "postgresql" else _SQLITE_DOWN:
        op.execute(statement)
    with op.batch_alter_table("stay_documents", schema=None) as batch_op:
        batch_op.drop_index("ix_stay_documents_number")
    op.drop_table("name_words")
