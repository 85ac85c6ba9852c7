"""A situation report of a generated register, on SQLite and PostgreSQL: its counts against a
count made another way, its suppression audited, its regeneration idempotent, its envelope to
the secretariat in the outbox, and the next week's report audited with the first in view."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from kervan.exchange.models import OutboxMessage
from kervan.registry.enums import StayStatus
from kervan.registry.models import Person, StayDocument
from kervan.registry.synthetic.generator import generate as generate_register
from kervan.registry.synthetic.loader import load
from kervan.reports import service
from kervan.reports.envelopes import SUBMITTED
from kervan.reports.period import Period
from kervan.reports.report import cells_of
from kervan.reports.suppression import Rules
from kervan.reports.tables import TOTAL

TODAY = dt.date(2026, 11, 20)
SCHEDULE = service.Schedule(Rules(threshold=10, protection=5), audit_periods=4)


def _load(engine: Engine, documents: int = 800) -> None:
    load(engine, generate_register(documents, seed=7, host_state="KAZ", today=TODAY))


def _presence_by_nationality(session: Session, reference: dt.date) -> Counter[str]:
    """The oracle: persons whose principal document (active first, ending last) is active and
    started by the reference date — every one of them is present (valid, covered or
    overstaying) when no document was cancelled."""
    principal: dict[object, StayDocument] = {}
    for doc in session.scalars(select(StayDocument).where(StayDocument.valid_from <= reference)):
        best = principal.get(doc.person_id)
        rank = (doc.status == StayStatus.ACTIVE, doc.valid_until, doc.id)
        if best is None or rank > (best.status == StayStatus.ACTIVE, best.valid_until, best.id):
            principal[doc.person_id] = doc
    return Counter(d.nationality for d in principal.values() if d.status != StayStatus.CANCELLED)


def test_report_of_a_generated_register(
    engine: Engine, session_factory: sessionmaker[Session]
) -> None:
    _load(engine)
    period = Period(dt.date(2026, 11, 15))
    with session_factory() as session:
        report, changed = service.generate(
            session, "KAZ", period, SCHEDULE, actor="test", today=TODAY
        )
        session.commit()
        assert changed and report.revision == 1
        assert report.body["audit"]["passed"]
        presence = next(t for t in report.body["tables"] if t["name"] == "presence")
        published = {
            key[0]: value
            for key, value, _ in cells_of(presence)
            if key[1:] == (TOTAL, TOTAL) and key[0] != TOTAL
        }
        oracle = _presence_by_nationality(session, period.reference_date)
        for nationality, count in oracle.items():
            if count >= SCHEDULE.rules.threshold:
                assert published[nationality] in (count, None)
            else:
                assert published[nationality] is None  # small: never published
        grand = next(v for k, v, _ in cells_of(presence) if k == (TOTAL, TOTAL, TOTAL))
        assert grand == sum(oracle.values())
        persons = session.scalar(select(func.count()).select_from(Person))
        assert grand is not None and persons is not None and grand <= persons
        sent = session.scalars(select(OutboxMessage).where(OutboxMessage.type == SUBMITTED)).all()
        assert [m.to_state for m in sent] == ["OTS"]
        assert "hidden" not in sent[0].body["report"]

    with session_factory() as session:
        again, changed = service.generate(
            session, "KAZ", period, SCHEDULE, actor="test", today=TODAY
        )
        session.commit()
        assert not changed and again.revision == 1
        count = session.scalar(
            select(func.count()).select_from(OutboxMessage).where(OutboxMessage.type == SUBMITTED)
        )
        assert count == 1

    with session_factory() as session:
        following = Period(dt.date(2026, 11, 22))
        next_week, changed = service.generate(
            session, "KAZ", following, SCHEDULE, actor="test", today=dt.date(2026, 11, 25)
        )
        session.commit()
        assert changed
        assert next_week.body["audit"]["periods"] == ["2026-11-15", "2026-11-22"]
        assert next_week.body["audit"]["passed"]
