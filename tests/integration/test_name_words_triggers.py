"""The triggers that keep ``name_words`` whole exist at the head of the migrations, on both
databases, and react to every way a name key is written: a new person and a re-keyed one.

A later migration that rebuilds ``persons`` on SQLite (Alembic's batch "move and copy") drops
the table's triggers; this test is what notices."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine, select, text, update
from sqlalchemy.orm import Session

from kervan.accounts.roles import Principal
from kervan.registry.models import NameWord, Person
from kervan.registry.schemas import BirthDate, PersonCreate
from kervan.registry.service import create_person
from kervan.registry.synthetic import generate, load

SQLITE_TRIGGERS = {
    "sqlx_persons_name_words_insert",
    "sqlx_persons_name_words_update",
    "sqlx_name_words_fts_insert",
}
PG_TRIGGERS = {"pgx_persons_name_words_insert", "pgx_persons_name_words_update"}


def test_the_triggers_exist_at_head(engine: Engine) -> None:
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            names = connection.scalars(
                text("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            ).all()
            assert set(names) >= SQLITE_TRIGGERS
        else:
            names = connection.scalars(
                text("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
            ).all()
            assert set(names) >= PG_TRIGGERS


def test_new_and_rekeyed_names_reach_the_vocabulary(
    engine: Engine, session: Session, system: Principal
) -> None:
    load(engine, generate(50, seed=5, host_state="KAZ", today=dt.date(2026, 12, 3)))
    person = create_person(
        session,
        system,
        PersonCreate(
            primary_name="Асан уулу",
            secondary_name="Бакыт",
            nationality="KGZ",
            birth_date=BirthDate(year=1990),
            sex="M",
        ),
    )
    session.flush()
    words = set(session.scalars(select(NameWord.word)))
    assert {"ASAN", "ULU", "BAKIT"} <= words  # the particle is kept: it is the surname's
    # A re-key (kervan db rekey-names) writes keys with UPDATE: the words arrive too.
    session.execute(update(Person).where(Person.id == person.id).values(name_key="ZZYZX BAKIT"))
    assert session.scalar(select(NameWord.word).where(NameWord.word == "ZZYZX")) == "ZZYZX"
    keys = session.scalars(select(Person.name_key)).all()
    assert {w for key in keys for w in key.split()} <= set(session.scalars(select(NameWord.word)))
    session.rollback()
