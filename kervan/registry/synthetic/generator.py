"""Deterministic, streaming synthetic register data for ``kervan generate``, the demo, the tests
and the benchmarks.

``generate`` yields batches of row dicts keyed by the column names of the register's tables, so
that 10 million documents never sit in memory at once. The same arguments give the same rows,
byte for byte, ids included: every random choice comes from one ``random.Random(seed)`` and the
UUIDv7 ids count up from a timestamp derived from the seed, not from the clock. Regions of stay
come from a second ``random.Random`` derived from the seed, so that adding them left every other
value as it was.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from kervan.db.ids import uuid7_at
from kervan.registry.enums import (
    StayEventKind,
    StayStatus,
    TravelDocumentType,
    ViolationStatus,
)
from kervan.registry.naming import name_columns
from kervan.registry.synthetic.draws import Weighted, between
from kervan.registry.synthetic.hosts import HostProfile, host_profile
from kervan.registry.synthetic.names import name_group
from kervan.registry.synthetic.numbers import DocumentNumbers
from kervan.registry.synthetic.people import PersonName, draw_birth, draw_name, draw_sex
from kervan.registry.synthetic.regions import draw_region
from kervan.registry.synthetic.stays import DatedDocument, Stay, draw_stay
from kervan.registry.synthetic.violations import PlannedViolation, draw_violations

Row = dict[str, Any]

ACTOR = "generator"
REASON = "synthetic data"
DEFAULT_BATCH_DOCUMENTS = 5_000
IDENTITY_CARD_SHARE = 0.3
EXPIRED_PASSPORT_SHARE = 0.03
# Ids start within the year after this instant, at an offset derived from the seed.
_ID_EPOCH_MS = 1_704_067_200_000  # 2024-01-01T00:00:00Z
_YEAR_MS = 365 * 86_400_000

TABLES = ("persons", "travel_documents", "stay_documents", "stay_document_events", "violations")


@dataclass(slots=True)
class Batch:
    """Rows for each table of the register; ``tables()`` lists them in foreign-key order."""

    persons: list[Row] = field(default_factory=list)
    travel_documents: list[Row] = field(default_factory=list)
    stay_documents: list[Row] = field(default_factory=list)
    stay_document_events: list[Row] = field(default_factory=list)
    violations: list[Row] = field(default_factory=list)

    def tables(self) -> tuple[tuple[str, list[Row]], ...]:
        return tuple((name, getattr(self, name)) for name in TABLES)

    @property
    def document_count(self) -> int:
        return len(self.stay_documents)


class _Ids:
    """UUIDv7s from a counter: the millisecond advances every 4,096 ids, so ids are unique by
    construction and ordered as they were made."""

    def __init__(self, rng: random.Random, base_ms: int) -> None:
        self._rng = rng
        self._base_ms = base_ms
        self._serial = itertools.count()

    def next(self) -> uuid.UUID:
        n = next(self._serial)
        return uuid7_at(self._base_ms + (n >> 12), n & 0xFFF, self._rng.getrandbits(62))


def _at(rng: random.Random, day: dt.date) -> dt.datetime:
    """A time in office hours of Central Asia and Turkey (UTC+3 to UTC+6) on ``day``."""
    seconds = between(rng, 4 * 3600, 13 * 3600 - 1)
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC) + dt.timedelta(seconds=seconds)


class _RecordMaker:
    def __init__(self, rng: random.Random, host: HostProfile, today: dt.date, seed: int) -> None:
        self.rng = rng
        self.host = host
        self.today = today
        self.ids = _Ids(rng, _ID_EPOCH_MS + (seed * 2_654_435_761) % _YEAR_MS)
        self.numbers = DocumentNumbers(host.number_letter, salt=rng.getrandbits(32))
        self._nationalities = Weighted(dict(zip(host.nationalities, host.weights, strict=True)))
        self._regions = random.Random(seed * 2_654_435_761 + 1)

    def add_person(self, batch: Batch, max_documents: int) -> int:
        """Add one person and their stay to ``batch``; return how many documents that made."""
        rng = self.rng
        nationality = self._nationalities.pick(rng)
        stay = draw_stay(
            rng, nationality, self.host.needs_visa(nationality), self.today, max_documents
        )
        person = self._person(nationality, stay)
        batch.persons.append(person)
        batch.travel_documents.append(self._travel_document(person))
        region = draw_region(self._regions, self.host.state)  # one place for the whole stay
        documents = [self._stay_document(batch, person, stay, d, region) for d in stay.documents]
        last_ending = max(documents, key=lambda d: d["valid_until"])
        for planned in draw_violations(rng, stay, self.today, self.host.fine):
            batch.violations.append(self._violation(person, last_ending, planned))
        return len(documents)

    def _person(self, nationality: str, stay: Stay) -> Row:
        rng = self.rng
        sex = draw_sex(rng, stay.purpose)
        birth = draw_birth(rng, stay.purpose, self.today)
        name = draw_name(rng, name_group(nationality), sex, birth.year)
        created = _at(rng, min(d.issued_on for d in stay.documents))
        return {
            "id": self.ids.next(),
            **_name_row(name),
            "nationality": nationality,
            "birth_year": birth.year,
            "birth_month": birth.month,
            "birth_day": birth.day,
            "sex": sex,
            "created_at": created,
            "updated_at": created,
        }

    def _travel_document(self, person: Row) -> Row:
        rng = self.rng
        nationality = person["nationality"]
        card = self.host.may_use_identity_card(nationality) and rng.random() < IDENTITY_CARD_SHARE
        kind = TravelDocumentType.IDENTITY_CARD if card else TravelDocumentType.PASSPORT
        if rng.random() < EXPIRED_PASSPORT_SHARE:
            expiry = self.today - dt.timedelta(days=between(rng, 1, 365))
        else:
            expiry = self.today + dt.timedelta(days=between(rng, 30, 3650))
        return {
            "id": self.ids.next(),
            "person_id": person["id"],
            "document_type": kind,
            "number": self.numbers.travel(kind, nationality),
            "issuing_state": nationality,
            "expiry_date": expiry,
            "created_at": person["created_at"],
        }

    def _stay_document(
        self, batch: Batch, person: Row, stay: Stay, doc: DatedDocument, region: str | None
    ) -> Row:
        issued_at = _at(self.rng, doc.issued_on)
        row = {
            "id": self.ids.next(),
            "person_id": person["id"],
            "kind": doc.kind,
            "number": self.numbers.stay(doc.kind, doc.issued_on),
            "host_state": self.host.state,
            "purpose": stay.purpose,
            "valid_from": doc.valid_from,
            "valid_until": doc.valid_until,
            "status": StayStatus.ACTIVE,
            "nationality": person["nationality"],
            "region": region,
            "created_at": issued_at,
            "updated_at": issued_at,
        }
        batch.stay_documents.append(row)
        batch.stay_document_events.append(self._issued_event(row))
        return row

    def _issued_event(self, document: Row) -> Row:
        # The same snapshot the register service writes when an officer issues a document.
        snapshot = {
            "number": document["number"],
            "purpose": document["purpose"].value,
            "valid_from": document["valid_from"].isoformat(),
            "valid_until": document["valid_until"].isoformat(),
            "status": document["status"].value,
        }
        if document["region"] is not None:
            snapshot["region"] = document["region"]
        return {
            "id": self.ids.next(),
            "document_id": document["id"],
            "kind": StayEventKind.ISSUED,
            "at": document["created_at"],
            "actor": ACTOR,
            "reason": REASON,
            "measure_id": None,
            "old_values": {},
            "new_values": snapshot,
        }

    def _violation(self, person: Row, last_ending: Row, planned: PlannedViolation) -> Row:
        waived = planned.status is ViolationStatus.WAIVED
        return {
            "id": self.ids.next(),
            "person_id": person["id"],
            "document_id": last_ending["id"] if planned.about_last_document else None,
            "kind": planned.kind,
            "period_start": planned.period_start,
            "period_end": planned.period_end,
            "fine_amount": planned.fine,
            "fine_currency": self.host.fine.currency,
            "status": planned.status,
            "waived_by_measure_id": None,
            "notes": "waived by an officer's decision" if waived else "",
            "recorded_at": _at(self.rng, planned.recorded_on),
            "recorded_by": ACTOR,
            "nationality": person["nationality"],
        }


def _name_row(name: PersonName) -> Row:
    columns = name_columns(
        name.primary_name, name.secondary_name, name.primary_identifier, name.secondary_identifier
    )
    return {
        "primary_name": name.primary_name,
        "secondary_name": name.secondary_name,
        "patronymic": name.patronymic,
        **columns.as_dict(),
    }


def generate(
    count_documents: int,
    *,
    seed: int,
    host_state: str,
    today: dt.date,
    batch_documents: int = DEFAULT_BATCH_DOCUMENTS,
) -> Iterator[Batch]:
    """Yield batches holding ``count_documents`` stay documents in all, with their persons,
    travel documents, "issued" events and violations. A person's rows are always in one batch,
    so a batch may hold up to two documents more than ``batch_documents``."""
    if count_documents < 0:
        raise ValueError("count_documents must not be negative")
    if seed < 0:  # random.Random(-s) is random.Random(s): two seeds, one data set
        raise ValueError("seed must not be negative")
    if batch_documents < 1:
        raise ValueError("batch_documents must be at least 1")
    host = host_profile(host_state)
    return _batches(
        count_documents, _RecordMaker(random.Random(seed), host, today, seed), batch_documents
    )


def _batches(remaining: int, maker: _RecordMaker, batch_documents: int) -> Iterator[Batch]:
    while remaining > 0:
        batch = Batch()
        while remaining > 0 and batch.document_count < batch_documents:
            remaining -= maker.add_person(batch, max_documents=min(3, remaining))
        yield batch


__all__ = ["ACTOR", "REASON", "TABLES", "Batch", "Row", "generate"]
