"""kervan/exchange/apply.py: whatever order envelopes arrive in, and however they are split in
batches, the consulate's view ends with the newest report of each document, waiver and
measure; an older one changes nothing and is named superseded; the heads count every one."""

from __future__ import annotations

import datetime as dt
import itertools
import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kervan.db.ids import uuid7
from kervan.exchange import apply
from kervan.exchange.envelopes import Envelope
from kervan.exchange.models import (
    ForeignMeasure,
    NationalAbroadDocument,
    NationalAbroadWaiver,
    SubjectHead,
)
from tests.unit.exchange.support import stay_body

NOW = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)
PERSON = uuid.uuid4()
DOCUMENT = uuid.uuid4()


def _envelope(type_: str, body: dict[str, Any], subject: tuple[str, str]) -> Envelope:
    return Envelope(
        id=uuid7(),
        type=type_,
        schema=1,
        from_state="KAZ",
        to_state="UZB",
        created_at=NOW,
        subject_type=subject[0],
        subject_id=subject[1],
        body=body,
        kid="KAZ:key",
        compact="",
        sha256="",
    )


def _stay(valid_until: str, kind: str = "stay.extended") -> Envelope:
    body = stay_body(valid_until=valid_until, document_id=DOCUMENT, person_id=PERSON)
    body["documents"] = [{**d, "id": str(DOCUMENT)} for d in body["documents"]]
    return _envelope(kind, body, ("person", str(PERSON)))


def _stays() -> list[Envelope]:
    """Three reports of one document, oldest first (ids increase)."""
    return [_stay("2027-01-31", "stay.issued"), _stay("2027-06-30"), _stay("2027-12-31")]


def test_the_newest_report_wins_in_any_order_of_batches(session: Session) -> None:
    envelopes = _stays()
    for order in itertools.permutations(envelopes):
        for envelope in order:  # one batch each: the database decides
            apply.apply_batch(session, [envelope], NOW)
        row = session.get_one(NationalAbroadDocument, ("KAZ", DOCUMENT))
        assert (row.valid_until, row.envelope_id) == (dt.date(2027, 12, 31), envelopes[-1].id)
        head = session.scalars(select(SubjectHead)).one()
        assert (head.envelope_id, head.applied_count) == (envelopes[-1].id, 3)
        session.rollback()


def test_in_one_batch_the_newest_wins_too(session: Session) -> None:
    oldest, middle, newest = _stays()
    apply.apply_batch(session, [middle, newest], NOW)  # in id order, as the inbox sorts them
    apply.apply_batch(session, [oldest], NOW)  # a late retry
    row = session.get_one(NationalAbroadDocument, ("KAZ", DOCUMENT))
    assert row.envelope_id == newest.id and row.last_event == "stay.extended"


def test_an_envelope_older_than_what_is_applied_is_superseded(session: Session) -> None:
    oldest, middle, newest = _stays()
    assert apply.superseded(session, [oldest, middle]) == {oldest.id}  # within the batch
    apply.apply_batch(session, [middle], NOW)
    assert apply.superseded(session, [oldest, newest]) == {oldest.id}
    assert apply.superseded(session, [middle]) == set()  # the same one again is not older


def test_an_envelope_that_writes_no_row_is_never_superseded(session: Session) -> None:
    other = _envelope("airport_access.requested", {}, ("access", str(uuid.uuid4())))
    assert apply.superseded(session, [other]) == set()


def _measure(status: str) -> Envelope:
    measure = {
        "reference": "KAZ-2026-1",
        "issuing_state": "KAZ",
        "legal_act": "decree",
        "legal_number": "1",
        "legal_date": "2026-11-01",
        "period_start": "2026-12-01",
        "period_end": "2027-03-01",
        "title": {"en": "Winter"},
        "summary": {},
        "status": status,
    }
    return _envelope("measure.announced", {"measure": measure}, ("measure", str(uuid.uuid4())))


def test_a_measure_keeps_when_it_was_first_received(session: Session) -> None:
    in_force, lifted = _measure("in_force"), _measure("lifted")
    apply.apply_batch(session, [in_force], NOW)
    apply.apply_batch(session, [lifted], NOW + dt.timedelta(days=1))
    row = session.get_one(ForeignMeasure, ("KAZ", "KAZ-2026-1"))
    assert (row.status, row.envelope_id) == ("lifted", lifted.id)
    assert row.first_received_at == NOW and row.updated_at == NOW + dt.timedelta(days=1)
    assert row.legal_act_texts == {}  # older nodes send the act in one language only


def test_a_waiver_is_stored_per_violation(session: Session) -> None:
    violation = uuid.uuid4()
    body = {
        "person": stay_body(person_id=PERSON)["person"],
        "violations": [
            {
                "id": str(violation),
                "kind": "overstay",
                "period_start": "2026-10-01",
                "period_end": None,
                "status": "waived",
            }
        ],
        "waiver": {"measure_id": None, "measure": None, "reason": "illness", "at": NOW.isoformat()},
    }
    apply.apply_batch(session, [_envelope("violation.waived", body, ("person", str(PERSON)))], NOW)
    row = session.get_one(NationalAbroadWaiver, ("KAZ", violation))
    assert (row.reason, row.period_end, row.person_id) == ("illness", None, PERSON)


def test_nothing_to_apply_writes_nothing(session: Session) -> None:
    apply.apply_batch(session, [], NOW)
    assert session.scalars(select(SubjectHead)).all() == []
