"""Set-based reconciliation (``chunks``, ``staging``, ``reconcile``) against a row-at-a-time
reference: any file of new, corrected, unchanged and conflicting rows, in any chunking, ends in
the register, history, report and errors that applying the import rules one row after another
gives — on SQLite and PostgreSQL, for a first load and for the import that follows it."""

from __future__ import annotations

import datetime as dt
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from kervan.accounts.roles import Principal
from kervan.db.engine import make_engine
from kervan.registry.models import (
    Person,
    PersonEvent,
    StayDocument,
    StayDocumentEvent,
    TravelDocument,
)
from kervan.registry.naming import name_columns
from kervan.registry.transfer.batches import RecordIds
from kervan.registry.transfer.chunks import ChunkMaker
from kervan.registry.transfer.connection_settings import IMPORT_CACHE_KIB, import_settings
from kervan.registry.transfer.report import ImportReport
from kervan.registry.transfer.samples import SampleRow, sample_rows
from kervan.registry.transfer.staging import STAGED_COLUMNS
from kervan.registry.transfer.storage import uuid7_hex
from kervan.wiring import node_session_factory
from tests.conftest import _empty_all_tables
from tests.integration.import_support import run_import, write_csv

TEMPLATES = [r for r in sample_rows(40, seed=3, host_state="KAZ")]
#: Three persons (by passport) and four documents, so that rows meet each other often.
PERSONS = list({r["passport_number"]: r for r in TEMPLATES}.values())[:3]
DOCUMENTS = [(r["document_kind"], r["document_number"], r["valid_from"]) for r in TEMPLATES[:4]]


@st.composite
def import_rows(draw: st.DrawFn) -> SampleRow:
    index = draw(st.integers(0, len(DOCUMENTS) - 1))
    kind, number, valid_from = DOCUMENTS[index]
    # Mostly the document's own holder; sometimes another person (then the row is refused).
    owner = PERSONS[index % len(PERSONS)]
    person = draw(st.sampled_from([owner] * 3 + PERSONS))
    days = draw(st.sampled_from([365, 365, 90]))
    until = dt.date.fromisoformat(valid_from) + dt.timedelta(days=days)
    return {
        **person,
        # A row that describes its passport's person otherwise is refused, column by column.
        # (one row in four or five, so that most rows reach their documents).
        "primary_name": draw(st.sampled_from([person["primary_name"]] * 4 + ["Otherov"])),
        "sex": draw(st.sampled_from([person["sex"]] * 4 + ["X"])),
        "primary_identifier": draw(
            st.sampled_from(["", "", person["primary_identifier"], "OTHER"])
        ),
        "passport_expiry": draw(st.sampled_from(["", person["passport_expiry"], "2031-01-01"])),
        "document_kind": kind,
        "document_number": number,
        "purpose": draw(st.sampled_from(["work", "work", "study"])),
        "valid_from": valid_from,
        "valid_until": until.isoformat(),
        "status": draw(st.sampled_from(["", "active", "revoked"])),
        "region": draw(st.sampled_from(["", "", "KZ-75", "KZ-19"])),
    }


@dataclass
class Reference:
    """The import's rules applied one row at a time to a register of plain dicts."""

    initial: bool = False
    persons: dict[str, dict[str, Any]] = field(default_factory=dict)  # by passport number
    documents: dict[str, dict[str, Any]] = field(default_factory=dict)  # by document number
    history: dict[str, list[tuple[str, dict[str, str], dict[str, str]]]] = field(
        default_factory=dict
    )
    person_entries: dict[str, int] = field(default_factory=dict)

    def apply(self, rows: list[SampleRow]) -> tuple[dict[str, int], list[tuple[int, str]]]:
        counts = dict.fromkeys(("persons", "documents", "corrected", "unchanged", "rejected"), 0)
        errors: list[tuple[int, str]] = []
        for number, row in enumerate(rows, start=2):  # row 1 is the header
            problems = self._row(row, counts)
            errors += [(number, column) for column in problems]
            counts["rejected"] += bool(problems)
        return counts, errors

    def _row(self, row: SampleRow, counts: dict[str, int]) -> list[str]:
        passport, key = row["passport_number"], row["document_number"]
        person, document = self.persons.get(passport), self.documents.get(key)
        problems = []
        if person is not None:
            for column in ("primary_name", "sex"):
                if row[column] != person[column]:
                    problems.append(column)
            if row["primary_identifier"] and row["primary_identifier"] != person["identifier"]:
                problems.append("primary_identifier")
            expiries = (row["passport_expiry"], person["passport_expiry"])
            if all(expiries) and expiries[0] != expiries[1]:
                problems.append("passport_expiry")
        if document is not None and (person is None or document["passport"] != passport):
            problems.append("document_number")
        if problems:
            return problems
        if person is None:
            identifier = name_columns(
                row["primary_name"], row["secondary_name"], row["primary_identifier"] or None, None
            ).primary_identifier
            self.persons[passport] = {**row, "identifier": identifier}
            self.person_entries[passport] = 0 if self.initial else 1
            counts["persons"] += 1
        values = {
            "purpose": row["purpose"],
            "valid_from": row["valid_from"],
            "valid_until": row["valid_until"],
        }
        if document is None:
            region = row["region"] or None
            self.documents[key] = {**values, "status": row["status"] or "active", "region": region}
            self.documents[key]["passport"] = passport
            issued = {"number": key, **values, "status": self.documents[key]["status"]}
            if region is not None:
                issued["region"] = region
            self.history[key] = [] if self.initial else [("issued", {}, issued)]
            counts["documents"] += 1
            return []
        after = {
            **values,
            "status": row["status"] or document["status"],
            "region": row["region"] or document["region"],
        }
        changed = [k for k in after if after[k] != document[k]]
        if not changed:
            counts["unchanged"] += 1
            return []
        old = {k: document[k] for k in changed if document[k] is not None}
        self.history[key].append(("corrected", old, {k: after[k] for k in changed}))
        document.update(after)
        counts["corrected"] += 1
        return []


def _counts(report: ImportReport) -> dict[str, int]:
    return {
        "persons": report.persons_created,
        "documents": report.documents_created,
        "corrected": report.documents_corrected,
        "unchanged": report.unchanged,
        "rejected": report.rows_rejected,
    }


def _register(factory: sessionmaker[Session]) -> tuple[Any, ...]:
    with factory() as session:
        persons = {
            number: {
                "primary_name": p.primary_name,
                "sex": str(p.sex),
                "identifier": p.primary_identifier,
                "passport_expiry": expiry.isoformat() if expiry else "",
            }
            for number, expiry, p in session.execute(
                select(TravelDocument.number, TravelDocument.expiry_date, Person).join(
                    Person, Person.id == TravelDocument.person_id
                )
            )
        }
        documents = {
            d.number: {
                "passport": passport,
                "purpose": str(d.purpose),
                "valid_from": d.valid_from.isoformat(),
                "valid_until": d.valid_until.isoformat(),
                "status": str(d.status),
                "region": d.region,
            }
            for d, passport in session.execute(
                select(StayDocument, TravelDocument.number).join(
                    TravelDocument, TravelDocument.person_id == StayDocument.person_id
                )
            )
        }
        history: dict[str, list[Any]] = {number: [] for number in documents}
        for number, event in session.execute(
            select(StayDocument.number, StayDocumentEvent)
            .join(StayDocument, StayDocument.id == StayDocumentEvent.document_id)
            .order_by(StayDocumentEvent.id)
        ):
            history[number].append((str(event.kind), event.old_values, event.new_values))
        entries = {
            number: len(
                session.scalars(select(PersonEvent.id).where(PersonEvent.person_id == pid)).all()
            )
            for number, pid in session.execute(
                select(TravelDocument.number, TravelDocument.person_id)
            )
        }
    return persons, documents, history, entries


def _expected(reference: Reference) -> tuple[Any, ...]:
    persons = {
        number: {
            "primary_name": p["primary_name"],
            "sex": p["sex"],
            "identifier": p["identifier"],
            "passport_expiry": p["passport_expiry"],
        }
        for number, p in reference.persons.items()
    }
    return persons, reference.documents, reference.history, reference.person_entries


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    files=st.lists(st.lists(import_rows(), min_size=1, max_size=16), min_size=1, max_size=2),
    chunk_rows=st.integers(min_value=1, max_value=6),
    initial=st.booleans(),
)
def test_any_mix_of_rows_ends_as_one_row_at_a_time(
    database_url: str,
    sqlite_template: Path,
    officer: Principal,
    tmp_path: Path,
    files: list[list[SampleRow]],
    chunk_rows: int,
    initial: bool,
) -> None:
    with _empty_register(database_url, sqlite_template, tmp_path) as session_factory:
        _imports_as_the_reference(session_factory, officer, tmp_path, files, chunk_rows, initial)


@contextmanager
def _empty_register(
    database_url: str, sqlite_template: Path, tmp_path: Path
) -> Iterator[sessionmaker[Session]]:
    # SQLite gets a new copy of the migrated file (emptied tables would leave its full-text
    # index of name words behind); PostgreSQL the test's database emptied.
    if database_url.startswith("sqlite"):
        path = tmp_path / f"example-{uuid.uuid4().hex}.db"
        shutil.copyfile(sqlite_template, path)
        database_url = f"sqlite:///{path}"
    engine = make_engine(database_url)
    try:
        if engine.dialect.name == "postgresql":
            _empty_all_tables(engine)
        yield node_session_factory(engine)
    finally:
        engine.dispose()


def _imports_as_the_reference(
    session_factory: sessionmaker[Session],
    officer: Principal,
    tmp_path: Path,
    files: list[list[SampleRow]],
    chunk_rows: int,
    initial: bool,
) -> None:
    reference = Reference()
    for index, rows in enumerate(files):
        first = index == 0 and initial
        reference.initial = first
        expected_counts, expected_errors = reference.apply(rows)
        path = write_csv(tmp_path / f"file-{index}.csv", rows)
        report = run_import(
            session_factory,
            officer,
            path,
            all_or_nothing=False,
            chunk_rows=chunk_rows,
            initial=first or False,
        )
        assert report.initial is first
        assert _counts(report) == expected_counts
        assert [(e.row, e.column) for e in report.errors] == expected_errors
        assert _register(session_factory) == _expected(reference)


def test_rows_of_one_document_go_into_later_waves_and_rows_of_one_passport_share_one() -> None:
    rows = list(sample_rows(6, seed=5, host_state="KAZ"))  # one person, several documents
    again = {**rows[0], "valid_until": "2027-01-01"}  # the first document, corrected
    path_rows = [*rows, again]
    maker = ChunkMaker("sqlite", RecordIds(uuid7_hex()), batch_history=False)
    numbered = ((n, {k: str(v) for k, v in r.items()}) for n, r in enumerate(path_rows, start=2))
    (chunk,) = list(maker.chunks(numbered, size=100))
    waves = [wave.payload for wave in chunk.waves]  # SQLite's: the rows as tuples
    assert all(isinstance(w, list) for w in waves)
    at = STAGED_COLUMNS.index
    passports = {r["passport_number"] for r in rows}
    assert len(passports) < len(rows)  # the sample repeats a passport
    documents = [
        {(w[at("document_kind")], w[at("document_number")]) for w in wave} for wave in waves
    ]
    # No wave holds a document twice, and every row is staged exactly once.
    assert all(len(d) == len(w) for d, w in zip(documents, waves, strict=True))
    assert sorted(w[0] for wave in waves for w in wave) == list(range(2, 2 + len(path_rows)))
    # The correction comes after the row that creates its document; the other rows share the
    # first wave, and rows of one passport there share the ids of the person they create.
    wave_of = {w[0]: i for i, wave in enumerate(waves) for w in wave}
    assert wave_of[len(path_rows) + 1] > wave_of[2]
    assert len(waves) == 2 and len(waves[0]) == len(rows)
    assert chunk.waves[0].shared_passports and not chunk.waves[1].shared_passports
    # They describe their person alike: the database need not hold them to the first …
    assert not chunk.waves[0].persons_differ
    by_passport: dict[str, set[tuple[Any, ...]]] = {}
    for w in waves[0]:
        ids = (w[at("person_id")], w[at("passport_id")], w[at("person_event_id")])
        by_passport.setdefault(w[at("passport_number")], set()).add(ids)
    assert all(len(ids) == 1 for ids in by_passport.values())
    assert len({ids for group in by_passport.values() for ids in group}) == len(passports)
    # … unless one of them gives another name.
    again_at = next(
        i
        for i, r in enumerate(rows)
        if r["passport_number"] in {x["passport_number"] for x in rows[:i]}
    )
    renamed = [*rows]
    renamed[again_at] = {**rows[again_at], "primary_name": "Otherov"}
    numbered = ((n, {k: str(v) for k, v in r.items()}) for n, r in enumerate(renamed, start=2))
    (chunk,) = list(maker.chunks(numbered, size=100))
    assert [w.persons_differ for w in chunk.waves] == [True]


def test_an_import_gives_sqlite_a_larger_page_cache_for_its_length_only(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'cache.db'}"
    engine = make_engine(url)
    with engine.begin() as connection:
        before = connection.exec_driver_sql("PRAGMA cache_size").scalar()
        with import_settings(connection):
            during = connection.exec_driver_sql("PRAGMA cache_size").scalar()
        after = connection.exec_driver_sql("PRAGMA cache_size").scalar()
    engine.dispose()
    assert during == -IMPORT_CACHE_KIB != before
    assert after == before
