"""A case's count of open conflicts (the queue's filter and badge) follows its conflict rows
as fields fall into conflict and are resolved one by one, on both databases."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from kervan.accounts.roles import system_principal
from kervan.assistance import service
from kervan.assistance.models import Case, CaseConflict
from kervan.assistance.schemas import CaseCreate, FieldEdit
from kervan.assistance.sla import DEFAULT_SLA
from kervan.db.base import utcnow
from kervan.db.engine import make_engine
from kervan.uow import unit_of_work
from kervan.wiring import node_session_factory
from tests.functional.assistance_support import case_body

OFFICER = system_principal("KAZ", "migration.kaz")


@pytest.fixture
def sessions(database_url: str) -> Iterator[sessionmaker[Session]]:
    engine = make_engine(database_url)
    yield node_session_factory(engine)
    engine.dispose()


def _edit(sessions: sessionmaker[Session], case_id, field: str, value: str, **how) -> int:  # type: ignore[no-untyped-def]
    with unit_of_work(sessions) as session:
        edit = FieldEdit(field=field, value=value, based_on=[])
        service.edit(session, OFFICER, case_id, [edit], sla=DEFAULT_SLA, now=utcnow(), **how)
    with sessions() as session:
        rows = session.scalar(
            select(func.count()).select_from(CaseConflict).where(CaseConflict.case_id == case_id)
        )
        count = session.get_one(Case, case_id).conflicts
    assert count == rows
    return count


def test_the_count_follows_conflicts_opened_and_resolved(sessions: sessionmaker[Session]) -> None:
    with unit_of_work(sessions) as session:
        body = CaseCreate.model_validate(case_body())
        case, _ = service.create_case(
            session, OFFICER, body, node_state="KAZ", sla=DEFAULT_SLA, now=utcnow()
        )
        case_id = case.id
    assert _edit(sessions, case_id, "contact", "+7 700 1") == 0
    assert _edit(sessions, case_id, "city", "Shymkent") == 0
    assert _edit(sessions, case_id, "contact", "+7 700 2") == 1  # not based on the first
    assert _edit(sessions, case_id, "city", "Astana") == 2
    assert _edit(sessions, case_id, "contact", "+7 700 3") == 2  # a third head: still one
    assert _edit(sessions, case_id, "contact", "+7 700 2", resolving=True) == 1
    assert _edit(sessions, case_id, "city", "Astana", resolving=True) == 0
