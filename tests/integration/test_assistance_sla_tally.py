"""The SLA tally the database keeps (migration 0026's triggers) gives the counts a plain COUNT
gives, after random changes through every write path: cases opened, moved through the
workflow, their urgency edited (a new due time), closed in bulk by one UPDATE and deleted —
for a migration officer and a consul (their nationals only), at times before, inside and after
the hours the cases fall due. On both databases."""

from __future__ import annotations

import datetime as dt
import random

from sqlalchemy import Engine, delete, func, select, text, update
from sqlalchemy.orm import Session

from kervan.accounts.roles import Principal, Role
from kervan.assistance import service
from kervan.assistance.models import Case, CaseStatus, SlaTally, Urgency
from kervan.assistance.schemas import CaseCreate, FieldEdit
from kervan.assistance.sla import DEFAULT_SLA
from tests.functional.assistance_support import case_body

START = dt.datetime(2026, 12, 3, 9, 17, 41, 123456, tzinfo=dt.UTC)
CONSUL = Principal(user_id=None, username="consul.uzb", role=Role.CONSULAR_OFFICER, state="UZB")


def _agree(session: Session, officer: Principal, chance: random.Random) -> None:
    session.flush()
    assert session.scalar(select(func.count()).where(SlaTally.due == 0, SlaTally.warn == 0)) == 0
    moments = [START + dt.timedelta(minutes=chance.randrange(-600, 60 * 24 * 12)) for _ in range(8)]
    moments += [START.replace(minute=0, second=0, microsecond=0), START]
    for now in moments:
        for who in (officer, CONSUL):
            assert service.sla_counts(session, who, now) == service.counted_sla(session, who, now)


def test_the_tally_equals_a_plain_count_after_random_changes(
    engine: Engine, session: Session, officer: Principal
) -> None:
    chance = random.Random(15)
    ids = []
    for number in range(40):
        body = case_body(
            full_name=f"Person {number}",
            nationality=chance.choice(["UZB", "KGZ", "TUR"]),
            urgency=chance.choice(list(Urgency)).value,
        )
        opened = START + dt.timedelta(minutes=chance.randrange(-3000, 3000))
        case, _ = service.create_case(
            session,
            officer,
            CaseCreate.model_validate(body),
            node_state="KAZ",
            sla=DEFAULT_SLA,
            now=opened,
        )
        ids.append(case.id)
    _agree(session, officer, chance)

    for case_id in chance.sample(ids, 20):  # the workflow: out of the open statuses and back
        found = session.get(Case, case_id)
        assert found is not None
        for target in (CaseStatus.IN_PROGRESS, CaseStatus.RESOLVED, CaseStatus.IN_PROGRESS):
            if chance.random() < 0.7 and target in service.NEXT[found.status]:
                moment = START + dt.timedelta(minutes=chance.randrange(0, 900))
                service.change_status(
                    session, officer, case_id, target, sla=DEFAULT_SLA, now=moment
                )
    _agree(session, officer, chance)

    for case_id in chance.sample(ids, 12):  # a new urgency: a new due and warning time
        edit = FieldEdit(field="urgency", value=chance.choice(list(Urgency)).value, based_on=[])
        service.edit(session, officer, case_id, [edit], sla=DEFAULT_SLA, now=START)
    _agree(session, officer, chance)

    closing = chance.sample(ids, 10)  # one statement, many rows (a bulk path)
    session.execute(
        update(Case).where(Case.id.in_(closing)).values(status=CaseStatus.CLOSED),
        execution_options={"synchronize_session": False},
    )
    session.execute(
        update(Case)
        .where(Case.id.in_(chance.sample(ids, 8)))
        .values(
            nationality="UZB",
            warn_at=START + dt.timedelta(minutes=200),
            due_at=START + dt.timedelta(minutes=290),
        ),
        execution_options={"synchronize_session": False},
    )
    _agree(session, officer, chance)

    session.execute(delete(Case).where(Case.id.in_(chance.sample(ids, 10))))
    _agree(session, officer, chance)
    session.rollback()


def test_the_tally_triggers_exist_at_head(engine: Engine) -> None:
    """A later migration that rebuilds ``assistance_cases`` on SQLite (a batch copy) would drop
    the triggers: this is what notices."""
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            query = "SELECT name FROM sqlite_master WHERE type = 'trigger'"
        else:
            query = "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal"
        names = {n for n in connection.scalars(text(query)) if "sla_tally" in n}
    assert len(names) == 3
