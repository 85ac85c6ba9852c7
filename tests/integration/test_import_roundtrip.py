"""Export → import reproduces the register; exports filter, stay in scope and are audited."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete, select
from sqlalchemy.orm import Session, sessionmaker

from kervan.accounts.models import AuditEntry
from kervan.accounts.roles import Principal, Role
from kervan.errors import Forbidden
from kervan.registry import service
from kervan.registry.enums import StayKind, StayPurpose
from kervan.registry.models import (
    Person,
    PersonEvent,
    StayDocument,
    StayDocumentEvent,
    TravelDocument,
)
from kervan.registry.queries import DocumentFilter
from kervan.registry.schemas import BirthDate, PersonCreate, StayDocumentCreate
from kervan.registry.transfer import exporter
from kervan.registry.transfer.importer import import_file
from kervan.registry.transfer.samples import sample_rows, write_rows
from kervan.uow import unit_of_work

HOST = "KAZ"


def register_snapshot(factory: sessionmaker[Session]) -> list[tuple[Any, ...]]:
    """The register's content without ids and timestamps: what a round trip must keep."""
    with factory() as session:
        query = (
            select(
                Person.primary_name,
                Person.secondary_name,
                Person.patronymic,
                Person.primary_identifier,
                Person.secondary_identifier,
                Person.name_key,
                Person.primary_skeleton,
                Person.secondary_skeleton,
                Person.name_script,
                Person.nationality,
                Person.birth_year,
                Person.birth_month,
                Person.birth_day,
                Person.sex,
                TravelDocument.number,
                TravelDocument.issuing_state,
                TravelDocument.expiry_date,
                StayDocument.kind,
                StayDocument.number,
                StayDocument.host_state,
                StayDocument.purpose,
                StayDocument.valid_from,
                StayDocument.valid_until,
                StayDocument.status,
                StayDocument.nationality,
                StayDocument.region,
            )
            .join(Person, Person.id == StayDocument.person_id)
            .join(TravelDocument, TravelDocument.person_id == Person.id)
        )
        return sorted(tuple(row) for row in session.execute(query))


def empty_register(factory: sessionmaker[Session]) -> None:
    with factory() as session, session.begin():
        for model in (StayDocumentEvent, StayDocument, PersonEvent, TravelDocument, Person):
            session.execute(delete(model))


def export_text(
    factory: sessionmaker[Session],
    principal: Principal,
    file_format: Any,
    filters: DocumentFilter | None = None,
) -> tuple[str, int]:
    out = io.StringIO()
    with unit_of_work(factory) as session:
        count = exporter.write_export(
            session, principal, out, file_format, filters or DocumentFilter(), host_state=HOST
        )
    return out.getvalue(), count


def load(factory: sessionmaker[Session], principal: Principal, path: Path) -> Any:
    with unit_of_work(factory) as session:
        return import_file(session, principal, path, host_state=HOST)


@pytest.mark.parametrize("file_format", ["csv", "json"])
def test_export_then_import_reproduces_the_register(
    session_factory: sessionmaker[Session],
    officer: Principal,
    tmp_path: Path,
    file_format: str,
) -> None:
    source = tmp_path / "source.csv"
    write_rows(source, sample_rows(80, seed=11), "csv")
    load(session_factory, officer, source)
    before = register_snapshot(session_factory)
    text, count = export_text(session_factory, officer, file_format)
    assert count == 80
    exported = tmp_path / f"export.{file_format}"
    exported.write_text(text, encoding="utf-8")
    same = load(session_factory, officer, exported)
    assert (same.unchanged, same.error_count) == (80, 0)
    empty_register(session_factory)
    report = load(session_factory, officer, exported)
    assert (report.outcome, report.documents_created) == ("imported", 80)
    assert register_snapshot(session_factory) == before


def test_export_filters(
    session_factory: sessionmaker[Session], officer: Principal, tmp_path: Path
) -> None:
    source = tmp_path / "source.csv"
    rows = list(sample_rows(80, seed=5))
    write_rows(source, rows, "csv")
    load(session_factory, officer, source)
    nationality = rows[0]["nationality"]
    window = (dt.date(2025, 6, 1), dt.date(2026, 6, 30))
    text, count = export_text(
        session_factory,
        officer,
        "json",
        DocumentFilter(nationality=nationality, expires_from=window[0], expires_to=window[1]),
    )
    expected = [
        r
        for r in rows
        if r["nationality"] == nationality
        and window[0].isoformat() <= r["valid_until"] <= window[1].isoformat()
    ]
    exported = json.loads(text)
    assert count == len(exported) == len(expected)
    assert sorted(r["document_number"] for r in exported) == sorted(
        r["document_number"] for r in expected
    )
    _, visas = export_text(session_factory, officer, "csv", DocumentFilter(kind=StayKind.VISA))
    assert visas == sum(r["document_kind"] == "visa" for r in rows)


def test_each_export_is_audited_once(
    session_factory: sessionmaker[Session], officer: Principal
) -> None:
    export_text(session_factory, officer, "csv", DocumentFilter(nationality="UZB"))
    with session_factory() as session:
        [entry] = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "register.export")
        ).all()
    assert entry.details == {"format": "csv", "filters": {"nationality": "UZB"}}


def test_an_empty_register_exports_a_header_or_an_empty_array(
    session_factory: sessionmaker[Session], officer: Principal
) -> None:
    assert export_text(session_factory, officer, "json") == ("[]\n", 0)
    text, _ = export_text(session_factory, officer, "csv")
    assert text.startswith("primary_name,secondary_name,") and text.count("\n") == 1


def test_a_person_without_travel_document_is_exported_not_hidden(
    session_factory: sessionmaker[Session], officer: Principal
) -> None:
    with unit_of_work(session_factory) as session:
        person = service.create_person(
            session,
            officer,
            PersonCreate(
                primary_name="Иванова",
                secondary_name="Анна",
                nationality="RUS",
                birth_date=BirthDate(year=1985),
                sex="F",
            ),
        )
        service.issue_document(
            session,
            officer,
            person.id,
            StayDocumentCreate(
                kind=StayKind.REGISTRATION,
                number="RK2500000001",
                purpose=StayPurpose.FAMILY,
                valid_from=dt.date(2025, 1, 1),
                valid_until=dt.date(2025, 12, 31),
            ),
            host_state=HOST,
        )
    [row] = json.loads(export_text(session_factory, officer, "json")[0])
    assert (row["primary_identifier"], row["birth_date"]) == ("IVANOVA", "1985-XX-XX")
    assert (row["passport_number"], row["passport_expiry"]) == (None, None)


def test_export_needs_the_export_permission(
    session_factory: sessionmaker[Session], officer: Principal
) -> None:
    consul = Principal(user_id=None, username="consul.uzb", role=Role.CONSULAR_OFFICER, state="UZB")
    with pytest.raises(Forbidden):
        export_text(session_factory, consul, "csv")
