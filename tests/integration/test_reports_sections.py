"""The sections other capabilities add to the situation report, on SQLite and PostgreSQL:
assistance cases by need and status and the aid given (from ``kervan.assistance``), return
requests, seats and departures (from ``kervan.repatriation``), protected and audited with the
rest; and benefit kinds and measures published with the names officers gave them."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import select, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from kervan.assistance import reporting
from kervan.assistance.models import Case, CaseAid, CaseStatus, Requester, Source, Urgency
from kervan.benefits.enums import ApplicationStatus
from kervan.benefits.models import BenefitApplication, BenefitKind
from kervan.registry.models import Person, StayDocument
from kervan.registry.synthetic.generator import generate as generate_register
from kervan.registry.synthetic.loader import load
from kervan.repatriation import counts
from kervan.repatriation.models import Channel, DocumentStatus, RequestStatus, ReturnRequest
from kervan.reports import labels, sections, service
from kervan.reports.period import Period
from kervan.reports.queries import NO_REGION
from kervan.reports.report import cells_of
from kervan.reports.suppression import Rules
from kervan.reports.tables import TOTAL
from kervan.web.i18n import Translator

TODAY = dt.date(2026, 11, 20)
PERIOD = Period(dt.date(2026, 11, 15))
SCHEDULE = service.Schedule(Rules(threshold=10, protection=5), audit_periods=4)
IN_PERIOD = dt.datetime(2026, 11, 12, 10, tzinfo=dt.UTC)


def _case(nationality: str, needs: str, status: CaseStatus, n: int) -> Case:
    return Case(
        reference=f"H-{uuid.uuid4().hex[:8].upper()}",
        origin_state="KAZ",
        host_state="KAZ",
        source=Source.OFFICER,
        requester=Requester.PERSON,
        full_name=f"Case {n}",
        nationality=nationality,
        needs=needs,
        urgency=Urgency.NORMAL,
        status=status,
        due_at=IN_PERIOD + dt.timedelta(days=2),
        warn_at=IN_PERIOD + dt.timedelta(days=1),
        opened_at=IN_PERIOD,
        created_by="test",
    )


def _request(host: str, status: RequestStatus, size: int) -> ReturnRequest:
    return ReturnRequest(
        reference=f"R-{uuid.uuid4().hex[:8].upper()}",
        home_state="KAZ",
        host_state=host,
        origin="IST",
        destination="KZ-ALA",
        earliest_date=PERIOD.reference_date,
        document_status=DocumentStatus.VALID_PASSPORT,
        size=size,
        consent_at=IN_PERIOD,
        channel=Channel.CONSUL,
        status=status,
        registered_at=IN_PERIOD,
    )


def _fill(session: Session) -> None:
    cases = [_case("UZB", "food,shelter", CaseStatus.NEW, i) for i in range(14)]
    cases += [_case("UZB", "medical", CaseStatus.RESOLVED, i) for i in range(3)]
    cases += [_case("KGZ", "legal", CaseStatus.NEW, i) for i in range(12)]
    session.add_all(cases)
    session.flush()
    session.add_all(
        CaseAid(
            id=uuid.uuid4(),
            case_id=case.id,
            kind="food",
            given_by="test",
            given_state="KAZ",
            given_at=IN_PERIOD,
        )
        for case in cases[:12]
    )
    session.add_all(
        [_request("TUR", RequestStatus.WAITING, 4) for _ in range(5)]
        + [_request("RUS", RequestStatus.CONFIRMED, 2)]
    )
    kind = BenefitKind(
        state="KAZ", code="fee_waiver", names={"en": "Fee waiver", "ru": "Освобождение от сборов"}
    )
    session.add(kind)
    session.flush()
    persons = session.scalars(select(Person.id).limit(11)).all()
    session.add_all(
        BenefitApplication(
            kind_id=kind.id,
            person_id=person,
            nationality="UZB",
            status=ApplicationStatus.APPROVED,
            decided_at=IN_PERIOD,
            created_by="test",
        )
        for person in persons
    )


def test_assistance_returns_and_names_in_the_report(
    engine: Engine, session_factory: sessionmaker[Session]
) -> None:
    load(engine, generate_register(60, seed=3, host_state="KAZ", today=TODAY))
    sections.register_builtin()
    sections.register(reporting.report_section())
    sections.register(counts.report_section())
    with session_factory() as session:
        _fill(session)
        unplaced = session.scalars(select(StayDocument.id).limit(15)).all()
        session.execute(
            update(StayDocument).where(StayDocument.id.in_(unplaced)).values(region=None)
        )
        report, _ = service.generate(session, "KAZ", PERIOD, SCHEDULE, actor="test", today=TODAY)
        session.commit()
    body = report.body
    assert body["audit"]["passed"]
    tables = {t["name"]: t for t in body["tables"]}
    assert {"assistance", "assistance_aid", "returns", "return_seats", "return_departures"} <= set(
        tables
    )
    # Region: linked to presence by the nationality totals; without a region, still counted.
    regions = {key: value for key, value, _ in cells_of(tables["regions"])}
    presence = {key: value for key, value, _ in cells_of(tables["presence"])}
    assert regions[(TOTAL, TOTAL)] == presence[(TOTAL, TOTAL, TOTAL)]
    assert NO_REGION in tables["regions"]["categories"][1]
    assert labels.category(Translator("ru"), "region", NO_REGION) != NO_REGION
    needs = {key: (value, flag) for key, value, flag in cells_of(tables["assistance"])}
    # A case with two needs counts under each; three resolved medical cases are confidential.
    assert needs[("UZB", "food", "new")] == (14, "F")
    assert needs[("UZB", "medical", "resolved")] == (None, "C")
    assert needs[("UZB", "medical", TOTAL)][0] is None  # it would give the 3 away
    returns = {key: value for key, value, _ in cells_of(tables["returns"])}
    assert returns[("TUR", "waiting")] == 20  # people, not requests
    assert returns[("RUS", "confirmed")] is None  # 2 people: suppressed
    # Names, never codes: the benefit kind travels with its names, read in each language.
    assert tables["benefits"]["names"]["benefit"]["fee_waiver"]["ru"] == "Освобождение от сборов"
    names = tables["benefits"].get("names")
    assert labels.category(Translator("ru"), "benefit", "fee_waiver", names) == (
        "Освобождение от сборов"
    )
    assert labels.category(Translator("kk"), "benefit", "fee_waiver", names) == "Fee waiver"
    assert labels.title(Translator("ru"), "returns") != "returns"
    assert labels.category(Translator("ru"), "case_status", "resolved") != "resolved"
